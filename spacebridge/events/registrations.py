"""Registration for events: places, the waiting list, the organisers' approval, cancellations.

Every write locks the event's row first, so counting the places taken and taking one is a single step for everyone
registering at the same time. E-mails go out through a task once the transaction has committed.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from spacebridge.access.policy import can_see
from spacebridge.access.principals import principal_for
from spacebridge.audit.services import audit_record
from spacebridge.events.models import Event, Registration
from spacebridge.events.permissions import can_cancel_registration, can_manage_event
from spacebridge.parties.models import Party

Status = Registration.Status
INTERFACE_LANGUAGES = ("en", "zh-hans", "ru")


def _notify(registration: Registration, kind: str) -> None:
    from spacebridge.events.tasks import registration_notify

    pk = registration.pk
    transaction.on_commit(lambda: registration_notify.enqueue(registration_id=pk, kind=kind))


def _notify_organisers(registration: Registration) -> None:
    from spacebridge.events.tasks import registration_pending_notify

    pk = registration.pk
    transaction.on_commit(lambda: registration_pending_notify.enqueue(registration_id=pk))


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def places_taken(event: Event) -> int:
    return Registration.objects.filter(event=event, status=Status.CONFIRMED).count()


def has_free_place(event: Event) -> bool:
    return event.capacity is None or places_taken(event) < event.capacity


def registration_closed_reason(event: Event, *, now: Any = None) -> str:
    """Why nobody can register now, or "" when registration is open."""
    now = now or timezone.now()
    if not event.registration_open:
        return _("Registration for this event is not open.")
    if event.ends_at <= now:
        return _("This event is over.")
    if event.registration_deadline is not None and event.registration_deadline < now:
        return _("The registration deadline has passed.")
    return ""


def _seat_or_wait(registration: Registration, event: Event) -> str:
    registration.status = Status.CONFIRMED if has_free_place(event) else Status.WAITLISTED
    registration.decided_at = timezone.now()
    registration.save(update_fields=["status", "decided_at"])
    return registration.status


def _place(registration: Registration, event: Event) -> str:
    if event.requires_approval:
        registration.status = Status.PENDING
        registration.decided_at = timezone.now()
        registration.save(update_fields=["status", "decided_at"])
        return registration.status
    return _seat_or_wait(registration, event)


def _who(by: Any, name: str, email: str, party: Party | None) -> tuple[str, str, Party | None]:
    """The registrant's name, e-mail and party: a signed-in member's come from their profile unless given."""
    if not getattr(by, "is_authenticated", False):
        return name, email, None
    person = getattr(by, "person", None) if hasattr(by, "person") else None
    name = name or (person.display_name() if person else "") or by.get_full_name() or by.get_username()
    email = email or (person.email if person and person.email else by.email)
    own = principal_for(by).own_party_ids
    if party is not None and party.pk not in own:
        raise ValidationError({"party": _("Register for one of your own parties.")})
    if party is None and len(own) == 1:
        party = Party.objects.get(pk=next(iter(own)))
    return name, email, party


def _validate_registrant(name: str, email: str, affiliation: str, language: str) -> None:
    errors: dict[str, str] = {}
    if not name or len(name) > 200 or "\x00" in name:
        errors["name"] = _("Give your name (at most 200 characters).")
    try:
        validate_email(email)
        if len(email) > 254:
            raise ValidationError("")
    except ValidationError:
        errors["email"] = _("Enter a valid e-mail address.")
    if len(affiliation) > 300 or "\x00" in affiliation:
        errors["affiliation"] = _("Keep the affiliation under 300 characters.")
    if language not in INTERFACE_LANGUAGES:
        errors["language"] = _("Choose English, Chinese or Russian.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def registration_submit(
    *,
    event: Event,
    by: Any,
    name: str = "",
    email: str = "",
    party: Party | None = None,
    affiliation: str = "",
    language: str = "en",
) -> Registration:
    """Register ``by`` (a signed-in member) or a visitor with a name and an e-mail address (public events only; the
    visitor confirms the address by the link sent to it before the registration counts)."""
    by = by if by is not None else AnonymousUser()
    anonymous = not getattr(by, "is_authenticated", False)
    if not can_see(by, event):
        raise PermissionDenied(_("Sign in to register for this event."))
    if anonymous and not can_see(AnonymousUser(), event):
        raise PermissionDenied(_("Sign in to register for this event."))
    name, email, party = _who(by, (name or "").strip(), (email or "").strip().lower(), party)
    affiliation = (affiliation or "").strip()
    _validate_registrant(name, email, affiliation, language)
    event = _locked(event)
    reason = registration_closed_reason(event)
    if reason:
        raise ValidationError(reason)
    active = Registration.objects.filter(event=event, status__in=Registration.ACTIVE)
    unconfirmed = active.filter(email=email, status=Status.UNCONFIRMED).select_for_update().first()
    if unconfirmed is not None:
        # The address was given before but never confirmed (a lost e-mail, a typo in the name): start again from it.
        return _renew_unconfirmed(unconfirmed, event, by, name=name, party=party, affiliation=affiliation,
                                  language=language)
    if active.filter(email=email).exists() or (not anonymous and active.filter(user=by).exists()):
        raise ValidationError({"email": _("This address is already registered for the event.")})
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                event=event,
                user=None if anonymous else by,
                name=name,
                email=email,
                party=party,
                affiliation=affiliation or (party.name.get() if party else ""),
                language=language,
                status=Status.UNCONFIRMED,
            )
    except IntegrityError as error:  # the same address registering twice at the same instant
        raise ValidationError({"email": _("This address is already registered for the event.")}) from error
    status = Status.UNCONFIRMED if anonymous else _place(registration, event)
    audit_record(
        actor=by,
        verb="event.registered",
        obj=registration,
        changes={"name": name, "party": party.code if party else None, "status": status},
    )
    _notify(registration, "confirm_email" if anonymous else status)
    if status == Status.PENDING:
        _notify_organisers(registration)
    return registration


def _renew_unconfirmed(
    registration: Registration, event: Event, by: Any, *, name: str, party: Party | None, affiliation: str,
    language: str,
) -> Registration:
    """A visitor asks again: a new confirmation e-mail. A member with that address: the registration is theirs and
    counts at once (their address is known)."""
    registration.name, registration.language = name, language
    registration.affiliation = affiliation or registration.affiliation
    member = getattr(by, "is_authenticated", False)
    if member:
        registration.user, registration.party = by, party
    registration.save(update_fields=["name", "language", "affiliation", "user", "party"])
    status = _place(registration, event) if member else Status.UNCONFIRMED
    audit_record(actor=by, verb="event.registered", obj=registration, changes={"name": name, "status": status,
                                                                                "renewed": True})
    _notify(registration, status if member else "confirm_email")
    if status == Status.PENDING:
        _notify_organisers(registration)
    return registration


@transaction.atomic
def registration_record(
    *, event: Event, by: Any, name: str, email: str, party: Party | None = None, affiliation: str = "",
    user: Any = None, check_permission: bool = True,
) -> Registration:
    """The organisers record a participant who registered another way (on paper, or before the platform existed):
    a confirmed place, no e-mail. The capacity holds as for everyone else."""
    if check_permission and not can_manage_event(by, event):
        raise PermissionDenied(_("Only the event's organisers record participants."))
    name, email, affiliation = (name or "").strip(), (email or "").strip().lower(), (affiliation or "").strip()
    _validate_registrant(name, email, affiliation, "en")
    event = _locked(event)
    if Registration.objects.filter(event=event, status__in=Registration.ACTIVE, email=email).exists():
        raise ValidationError({"email": _("This address is already registered for the event.")})
    if not has_free_place(event):
        raise ValidationError(_("The event is full."))
    registration = Registration.objects.create(
        event=event, user=user, name=name, email=email, party=party,
        affiliation=affiliation or (party.name.get() if party else ""),
        status=Status.CONFIRMED, decided_at=timezone.now(),
    )
    audit_record(
        actor=by, verb="event.registration_recorded", obj=registration,
        changes={"name": name, "party": party.code if party else None, "status": Status.CONFIRMED},
    )
    return registration


@transaction.atomic
def registration_confirm_email(*, registration: Registration) -> Registration:
    """The visitor followed the link sent to their address: the registration now counts."""
    event = _locked(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Status.UNCONFIRMED:
        return registration
    reason = registration_closed_reason(event)
    if reason:
        raise ValidationError(reason)
    status = _place(registration, event)
    audit_record(actor=None, verb="event.registration_confirmed", obj=registration, changes={"status": status})
    _notify(registration, status)
    if status == Status.PENDING:
        _notify_organisers(registration)
    return registration


@transaction.atomic
def registration_decide(*, registration: Registration, by: Any, approve: bool, note: str = "") -> Registration:
    """The organisers approve (a place, or the waiting list when the event is full) or refuse a registration."""
    event = _locked(registration.event)
    if not can_manage_event(by, event):
        raise PermissionDenied(_("Only the event's organisers decide on registrations."))
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Status.PENDING:
        raise ValidationError(_("Only a registration awaiting approval can be approved or refused."))
    if approve:
        status = _seat_or_wait(registration, event)
    else:
        registration.status, registration.decided_at = Status.REFUSED, timezone.now()
        registration.save(update_fields=["status", "decided_at"])
        status = Status.REFUSED
    audit_record(
        actor=by,
        verb="event.registration_decided",
        obj=registration,
        changes={"status": [Status.PENDING, status], "note": note[:500]},
    )
    _notify(registration, status)
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, by: Any = None, token: str = "") -> Registration:
    """Cancel a registration: by its registrant, by the organisers, or through the link of the confirmation
    e-mail. A place it held goes to the first person on the waiting list."""
    event = _locked(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    by_link = bool(token) and token == registration.token
    if not by_link and not can_cancel_registration(by, registration):
        raise PermissionDenied(_("You may not cancel this registration."))
    if not registration.is_active:
        raise ValidationError(_("This registration is already cancelled or refused."))
    before = registration.status
    registration.status, registration.decided_at = Status.CANCELLED, timezone.now()
    registration.save(update_fields=["status", "decided_at"])
    audit_record(
        actor=by, verb="event.registration_cancelled", obj=registration, changes={"status": [before, Status.CANCELLED]}
    )
    _notify(registration, "cancelled")
    if before == Status.CONFIRMED:
        _promote_waiting(event, by)
    return registration


def _promote_waiting(event: Event, by: Any) -> list[Registration]:
    """Give free places to the waiting list, first come first served (inside the caller's transaction)."""
    event = _locked(event)
    promoted: list[Registration] = []
    waiting = Registration.objects.filter(event=event, status=Status.WAITLISTED).order_by("created_at", "id")
    for registration in waiting.select_for_update():
        if not has_free_place(event):
            break
        registration.status, registration.decided_at = Status.CONFIRMED, timezone.now()
        registration.save(update_fields=["status", "decided_at"])
        audit_record(
            actor=by,
            verb="event.registration_promoted",
            obj=registration,
            changes={"status": [Status.WAITLISTED, Status.CONFIRMED]},
        )
        _notify(registration, "promoted")
        promoted.append(registration)
    return promoted


def registrations_tell_changed(event: Event) -> int:
    """Tell everyone registered (not cancelled or refused) that the event's dates, place or link changed."""
    registrations = list(
        Registration.objects.filter(event=event, status__in=[Status.PENDING, Status.CONFIRMED, Status.WAITLISTED])
    )
    for registration in registrations:
        _notify(registration, "changed")
    return len(registrations)
