from django.db import migrations

# News permissions, added to the roles an installation started with: the secretariat and liaison officers write news
# (a liaison officer for their own party); only a party's liaison officers approve joint announcements for it.
GRANTS = {
    "platform_admin": ["news:edit"],
    "secretariat": ["news:edit"],
    "liaison_officer": ["news:edit", "announcement:approve"],
}


def grant(apps, schema_editor):
    Role = apps.get_model("parties", "Role")
    for code, permissions in GRANTS.items():
        role = Role.objects.filter(code=code).first()
        if role is not None:
            role.permissions = sorted(set(role.permissions) | set(permissions))
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("outreach", "0001_initial"), ("parties", "0003_record_permissions")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
