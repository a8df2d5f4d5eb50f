from django.db import migrations

# The events part's permissions, added to the roles an installation started with: the secretariat and the platform
# administrators organise events for every party, a party's liaison officer for their party and sees the participants
# of events their party takes part in.
GRANTS = {
    "platform_admin": ["event:manage", "event:participants"],
    "secretariat": ["event:manage", "event:participants"],
    "liaison_officer": ["event:manage", "event:participants"],
}


def grant(apps, schema_editor):
    Role = apps.get_model("parties", "Role")
    for code, permissions in GRANTS.items():
        role = Role.objects.filter(code=code).first()
        if role is not None:
            role.permissions = sorted(set(role.permissions) | set(permissions))
            role.save(update_fields=["permissions"])


def revoke(apps, schema_editor):
    Role = apps.get_model("parties", "Role")
    for code, permissions in GRANTS.items():
        role = Role.objects.filter(code=code).first()
        if role is not None:
            role.permissions = [p for p in role.permissions if p not in permissions]
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial"), ("parties", "0003_record_permissions")]
    operations = [migrations.RunPython(grant, revoke)]
