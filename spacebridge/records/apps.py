from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "spacebridge.records"
    label = "records"
    verbose_name = _("Exchange registry")

    def ready(self) -> None:
        from django.urls import reverse

        from spacebridge.access.models import Level
        from spacebridge.access.registry import register
        from spacebridge.audit.verbs import register_verbs
        from spacebridge.records.models import Concept, Record

        # A record belongs to its owner party and reaches nobody else until the party releases it.
        # Its release is decided on its own page, which logs each decision on the record (ReleaseDecision).
        register(
            Record,
            default_level=Level.OWNER,
            default_owner=lambda record: record.owner_party,
            release_url=lambda record: reverse("records:release", args=[record.reference]),
        )
        # The thesaurus is shared vocabulary: anyone, signed in or not, may look concepts up.
        register(Concept, default_level=Level.PUBLIC)
        register_verbs(
            {
                "record.created": _("Record created"),
                "record.updated": _("Record changed"),
                "record.published": _("Version published"),
                "record.withdrawn": _("Record withdrawn"),
                "record.file_added": _("File added"),
                "record.file_removed": _("File removed"),
                "record.imported": _("Record imported"),
                "record.access_requested": _("Access requested"),
                "record.access_granted": _("Access granted"),
                "record.access_refused": _("Access refused"),
                "concept.created": _("Concept added"),
                "concept.updated": _("Concept changed"),
            }
        )
