from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "spacebridge.agreements"
    label = "agreements"
    verbose_name = _("Agreements")

    def ready(self) -> None:
        from spacebridge.access.models import Level
        from spacebridge.access.registry import register
        from spacebridge.agreements.models import Agreement
        from spacebridge.audit.verbs import register_verbs

        # Before signature only the parties' officers see an agreement (the selectors add them); once signed, it
        # reaches others only as its lead party releases it, like any other object.
        register(Agreement, default_level=Level.OWNER, default_owner=lambda agreement: agreement.lead_party)
        register_verbs(
            {
                "agreement.created": _("Agreement drafted"),
                "agreement.updated": _("Agreement changed"),
                "agreement.status_changed": _("Agreement status changed"),
                "agreement.party_added": _("Party added to an agreement"),
                "agreement.party_removed": _("Party removed from an agreement"),
                "agreement.signatory_added": _("Signatory added"),
                "agreement.linked": _("Agreements related"),
                "agreement.unlinked": _("Agreements no longer related"),
                "agreement.text_added": _("Agreement text version added"),
                "agreement.text_confirmed": _("Agreement text confirmed in step"),
                "agreement.scan_added": _("Signed scan attached"),
                "agreement.signed": _("Agreement signed by a party"),
                "agreement.key_registered": _("Party key registered"),
                "agreement.key_revoked": _("Party key revoked"),
                "agreement.commitment_added": _("Commitment marked"),
                "agreement.commitment_changed": _("Commitment changed"),
                "agreement.commitment_linked": _("Commitment linked to evidence"),
                "agreement.renewed": _("Agreement renewed"),
                "agreement.reminder_sent": _("Deadline reminder sent"),
            }
        )
        from spacebridge.agreements.search import register_searchable

        register_searchable()  # the part's documents in the platform-wide search
