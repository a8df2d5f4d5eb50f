from django.db import migrations

# Frozen copy of the roles an installation starts with; later edits are the secretariat's, not migrations'.
ROLES = {
    "platform_admin": ({"en": "Platform administrator", "zh": "平台管理员", "ru": "Администратор платформы"}, False,
                       ["party:create", "party:edit", "person:create", "person:edit", "role:assign", "group:manage",
                        "release:decide", "release:approve-export", "audit:verify"]),
    "secretariat": ({"en": "Secretariat officer", "zh": "秘书处官员", "ru": "Сотрудник секретариата"}, False,
                    ["party:create", "party:edit", "person:create", "person:edit", "role:assign", "group:manage",
                     "audit:verify"]),
    "liaison_officer": ({"en": "Liaison officer", "zh": "联络官", "ru": "Офицер связи"}, True,
                        ["party:edit", "person:create", "person:edit", "release:decide", "audit:verify"]),
    "export_officer": ({"en": "Export control officer", "zh": "出口管制官员", "ru": "Сотрудник по экспортному контролю"},
                       True, ["release:approve-export", "audit:verify"]),
    "member": ({"en": "Member", "zh": "成员", "ru": "Участник"}, True, []),
}


def create_roles(apps, schema_editor):
    Role = apps.get_model("parties", "Role")
    for code, (name, party_scoped, permissions) in ROLES.items():
        Role.objects.get_or_create(code=code, defaults={
            "name": {"original": "en", "text": name}, "permissions": permissions, "party_scoped": party_scoped})


class Migration(migrations.Migration):
    dependencies = [("parties", "0001_initial")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
