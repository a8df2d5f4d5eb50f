from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "spacebridge.audit"
    label = "audit"
    verbose_name = "Audit"
