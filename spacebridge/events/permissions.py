"""Who may do what with events. Seeing an event is the access policy's business (``access.policy``)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from spacebridge.events.models import Event, Registration
from spacebridge.parties.permissions import has_perm


class EventPerm(StrEnum):
    """The events part's permissions, granted to roles by the migration ``0002_event_permissions``."""

    EVENT_MANAGE = "event:manage"
    PARTICIPANTS_VIEW = "event:participants"


PERM_LABELS = {
    EventPerm.EVENT_MANAGE: _("organise events"),
    EventPerm.PARTICIPANTS_VIEW: _("see the participants of events the party takes part in"),
}


def can_organise_for(user: Any, party: Any) -> bool:
    return has_perm(user, EventPerm.EVENT_MANAGE, party)  # type: ignore[arg-type]


def can_manage_event(user: Any, event: Event) -> bool:
    """The organisers: whoever organises events for the organiser party (the secretariat for every party)."""
    return can_organise_for(user, event.organiser_party)


def can_see_participants(user: Any, event: Event) -> bool:
    """The organisers and the officers of the participating parties; never the public."""
    if can_manage_event(user, event):
        return True
    return any(
        has_perm(user, EventPerm.PARTICIPANTS_VIEW, party)  # type: ignore[arg-type]
        for party in event.participating_parties.all()
    )


def can_cancel_registration(user: Any, registration: Registration) -> bool:
    own = registration.user_id is not None and registration.user_id == getattr(user, "pk", None)
    return own or can_manage_event(user, registration.event)


def organisers_of(event: Event) -> list[Any]:
    """Who hears of registrations awaiting approval: the organiser party's officers who organise events, or, when
    the party has none, the secretariat (those who organise events for every party)."""
    from spacebridge.parties.models import RoleAssignment

    assignments = RoleAssignment.objects.filter(
        models.Q(party=event.organiser_party) | models.Q(party__isnull=True)
    ).select_related("role", "user")
    holding = [a for a in assignments if EventPerm.EVENT_MANAGE.value in a.role.permissions and a.user.is_active]
    party_officers = [a.user for a in holding if a.role.party_scoped and a.party_id == event.organiser_party_id]
    everyone = [a.user for a in holding if not a.role.party_scoped]
    chosen = party_officers or everyone
    return list({user.pk: user for user in chosen}.values())
