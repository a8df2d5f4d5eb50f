from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "spacebridge.access"
    label = "access"
    verbose_name = _("Access")

    def ready(self) -> None:
        from spacebridge.access.registry import register_principals

        register_principals()
