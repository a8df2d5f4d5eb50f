from django.db import migrations

# The exchange registry's permissions, added to the roles an installation started with.
GRANTS = {
    "platform_admin": ["record:submit", "thesaurus:edit"],
    "secretariat": ["thesaurus:edit"],
    "liaison_officer": ["record:submit"],
    "export_officer": ["record:submit"],
    "member": ["record:submit"],
}


def grant(apps, schema_editor):
    Role = apps.get_model("parties", "Role")
    for code, permissions in GRANTS.items():
        role = Role.objects.filter(code=code).first()
        if role is not None:
            role.permissions = sorted(set(role.permissions) | set(permissions))
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("parties", "0002_default_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
