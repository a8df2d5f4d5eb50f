from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "spacebridge.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from spacebridge.access.models import Level
        from spacebridge.access.registry import register
        from spacebridge.audit.verbs import register_verbs
        from spacebridge.events.models import Event

        # An event without a decision is its organiser party's: events are created with their audience decided.
        register(
            Event,
            default_level=Level.OWNER,
            default_owner=lambda event: event.organiser_party,
            # Who may see an event is decided with its other details, on its edit page.
            release_url=lambda event: reverse("events:edit", args=[event.slug]),
        )
        register_verbs(
            {
                "event.created": _("Event created"),
                "event.updated": _("Event changed"),
                "event.session_added": _("Programme session added"),
                "event.session_changed": _("Programme session changed"),
                "event.session_removed": _("Programme session removed"),
                "event.talk_added": _("Talk added"),
                "event.talk_changed": _("Talk changed"),
                "event.talk_removed": _("Talk removed"),
                "event.materials_changed": _("Talk materials changed"),
                "event.proceedings_changed": _("Proceedings changed"),
                "event.registered": _("Registered for an event"),
                "event.registration_recorded": _("Participant recorded by the organisers"),
                "event.registration_confirmed": _("Registration e-mail address confirmed"),
                "event.registration_decided": _("Registration approved or refused"),
                "event.registration_cancelled": _("Registration cancelled"),
                "event.registration_promoted": _("Registration moved from the waiting list to a place"),
            }
        )
        from spacebridge.events.search import register_searchable

        register_searchable()  # the part's documents in the platform-wide search
