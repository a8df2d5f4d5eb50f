from django.db import migrations

# The agreements' permissions, added to the roles an installation started with.
GRANTS = {
    "platform_admin": ["agreement:manage", "agreement:negotiate", "agreement:sign"],
    "secretariat": ["agreement:manage"],
    "liaison_officer": ["agreement:negotiate", "agreement:sign"],
}


def grant(apps, schema_editor):
    Role = apps.get_model("parties", "Role")
    for code, permissions in GRANTS.items():
        role = Role.objects.filter(code=code).first()
        if role is not None:
            role.permissions = sorted(set(role.permissions) | set(permissions))
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial"), ("parties", "0003_record_permissions")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
