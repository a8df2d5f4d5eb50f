from django.db import migrations

# Joint projects' permission, added to the roles an installation started with: the secretariat registers projects,
# a liaison officer keeps the projects their party leads up to date.
GRANTS = {
    "platform_admin": ["project:manage"],
    "secretariat": ["project:manage"],
    "liaison_officer": ["project:manage"],
}


def grant(apps, schema_editor):
    Role = apps.get_model("parties", "Role")
    for code, permissions in GRANTS.items():
        role = Role.objects.filter(code=code).first()
        if role is not None:
            role.permissions = sorted(set(role.permissions) | set(permissions))
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial"), ("parties", "0003_record_permissions")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
