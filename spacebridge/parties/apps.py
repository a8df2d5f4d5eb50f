from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartiesConfig(AppConfig):
    name = "spacebridge.parties"
    label = "parties"
    verbose_name = _("Parties and people")

    def ready(self) -> None:
        from spacebridge.audit.verbs import register_verbs

        register_verbs(
            {
                "party.created": _("Party registered"),
                "party.updated": _("Party changed"),
                "person.created": _("Person registered"),
                "person.updated": _("Person changed"),
                "person.affiliation_added": _("Affiliation added"),
                "person.affiliation_ended": _("Affiliation ended"),
                "person.account_linked": _("Account linked"),
                "person.invited": _("Invited to sign in"),
                "role.assigned": _("Role assigned"),
                "role.revoked": _("Role revoked"),
                "account.created": _("Account created"),
                "party.created_in_back_office": _("Party registered in the back office"),
                "party.updated_in_back_office": _("Party changed in the back office"),
                "person.created_in_back_office": _("Person registered in the back office"),
                "person.updated_in_back_office": _("Person changed in the back office"),
            }
        )
