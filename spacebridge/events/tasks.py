"""Background work of the events part: the registrants' e-mails, sent once the registration's transaction has
committed (``spacebridge worker`` runs them; tests run them at once)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from spacebridge.core.multilingual import content_language
from spacebridge.events.ical import event_calendar
from spacebridge.events.models import Registration
from spacebridge.events.permissions import organisers_of

logger = logging.getLogger(__name__)
# The kinds of message a registrant receives; the confirmed ones carry the event's .ics.
KINDS = ("confirm_email", "pending", "confirmed", "waitlisted", "promoted", "refused", "cancelled", "changed")
WITH_CALENDAR = ("confirmed", "promoted")


@task()
def registration_notify(*, registration_id: int, kind: str) -> bool:
    """E-mail a registrant the news of their registration, in the language they registered in."""
    if kind not in KINDS:
        raise ValueError(f"unknown registration message {kind!r}")
    registration = Registration.objects.select_related("event__organiser_party").filter(pk=registration_id).first()
    if registration is None:
        return False
    event = registration.event
    with translation.override(registration.language):
        language = content_language(registration.language)
        link = settings.BASE_URL + reverse("events:registration", args=[event.slug, registration.token])
        context = {
            "registration": registration,
            "event": event,
            "kind": kind,
            "language": language,
            "link": link,
            "event_link": settings.BASE_URL + event.get_absolute_url(),
        }
        subject = render_to_string("events/email/registration_subject.txt", context).strip()
        body = render_to_string("events/email/registration.txt", context)
        message = EmailMessage(subject=" ".join(subject.split()), body=body, to=[registration.email])
        confirmed = registration.status == Registration.Status.CONFIRMED
        if kind in WITH_CALENDAR or (kind == "changed" and confirmed):
            message.attach(f"{event.slug}.ics", event_calendar(event, language=language), "text/calendar")
    message.send()
    logger.info("event %s: registration %s message %s sent", event.slug, registration.pk, kind)
    return True


def _interface_language(user: object) -> str:
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    for code in getattr(person, "languages", None) or []:
        if code in {"en", "ru"}:
            return code
        if code == "zh":
            return "zh-hans"
    return "en"


@task()
def registration_pending_notify(*, registration_id: int) -> int:
    """Tell the organisers that a registration awaits their approval; returns the number of messages sent."""
    registration = Registration.objects.select_related("event__organiser_party").filter(pk=registration_id).first()
    if registration is None or registration.status != Registration.Status.PENDING:
        return 0
    event, sent = registration.event, 0
    for user in organisers_of(event):
        address = user.email or getattr(getattr(user, "person", None), "email", "")
        if not address:
            continue
        with translation.override(_interface_language(user)):
            context = {
                "registration": registration,
                "event": event,
                "language": content_language(translation.get_language()),
                "link": settings.BASE_URL + reverse("events:participants", args=[event.slug]),
            }
            subject = render_to_string("events/email/pending_subject.txt", context).strip()
            body = render_to_string("events/email/pending.txt", context)
        send_mail(" ".join(subject.split()), body, None, [address])
        sent += 1
    return sent
