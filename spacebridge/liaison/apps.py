from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "spacebridge.liaison"
    label = "liaison"
    verbose_name = _("Liaison meetings")

    def ready(self) -> None:
        from spacebridge.access.models import Level
        from spacebridge.access.registry import register
        from spacebridge.audit.verbs import register_verbs
        from spacebridge.liaison.models import ActionItem, Decision, LiaisonSeries, Meeting, Minutes

        # Times and places of meetings are for every signed-in member; what a group's meetings produce is kept to
        # the group by a release policy written with it (services_minutes), until released wider.
        register(LiaisonSeries, default_level=Level.PLATFORM)
        register(Meeting, default_level=Level.PLATFORM)
        register(Minutes, default_level=Level.PLATFORM)
        register(Decision, default_level=Level.PLATFORM)
        register(ActionItem, default_level=Level.PLATFORM)
        register_verbs(
            {
                "liaison.series_created": _("Liaison series set up"),
                "liaison.series_changed": _("Liaison series changed"),
                "liaison.rotation_extended": _("Rotation kept a year ahead"),
                "liaison.meeting_prepared": _("Meeting prepared"),
                "liaison.meeting_created": _("Meeting scheduled"),
                "liaison.meeting_changed": _("Meeting changed"),
                "liaison.meeting_moved": _("Meeting moved"),
                "liaison.meeting_cancelled": _("Meeting cancelled"),
                "liaison.meeting_held": _("Meeting held"),
                "liaison.agenda_item_added": _("Agenda item added"),
                "liaison.agenda_item_changed": _("Agenda item changed"),
                "liaison.agenda_published": _("Agenda published"),
                "liaison.agenda_carried": _("Unfinished agenda items carried"),
                "liaison.attendance_recorded": _("Attendance recorded"),
                "liaison.minutes_saved": _("Minutes saved"),
                "liaison.minutes_circulated": _("Minutes circulated"),
                "liaison.minutes_answered": _("Delegation answered on minutes"),
                "liaison.decision_recorded": _("Decision recorded"),
                "liaison.action_added": _("Action item added"),
                "liaison.action_changed": _("Action item changed"),
                "liaison.calendar_address_created": _("Calendar address created"),
                "liaison.calendar_address_revoked": _("Calendar address revoked"),
                "liaison.reminders_changed": _("Reminder settings changed"),
            }
        )
        from spacebridge.liaison.search import register_searchable

        register_searchable()  # the part's documents in the platform-wide search
