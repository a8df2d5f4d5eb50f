from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "spacebridge.access"
    label = "access"
    verbose_name = _("Access")

    def ready(self) -> None:
        from spacebridge.access.registry import register_principals

        register_principals()
        from spacebridge.audit.verbs import register_verbs

        register_verbs(
            {
                "access.released": _("Release decided"),
                "access.export_approved": _("Dual-use release approved"),
                "access.granted": _("Access granted to a party"),
                "access.token_created": _("API token created"),
                "access.token_revoked": _("API token revoked"),
            }
        )
