"""The iCalendar feed of agreement deadlines: entry into force, notice deadlines, expiry or renewal, and the due
dates of commitments; all-day events with stable UIDs, so calendar programs update rather than duplicate them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from spacebridge.agreements.deadlines import deadlines_of
from spacebridge.agreements.models import Agreement, Commitment, ReminderSent


def _event(uid: str, day: date, summary: str, url: str, description: str = "") -> Event:
    event = Event()
    event.add("uid", f"{uid}@spacebridge")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("url", url)
    if description:
        event.add("description", description)
    return event


def _summary(kind: str, agreement: Agreement) -> str:
    reference = agreement.reference
    labels = {
        "entry": _("%(ref)s enters into force"),
        ReminderSent.Kind.EXPIRY: _("%(ref)s expires"),
        ReminderSent.Kind.RENEWAL: _("%(ref)s renews automatically"),
        ReminderSent.Kind.NOTICE: _("Notice deadline of %(ref)s"),
    }
    return labels[kind] % {"ref": reference}


def agreements_calendar(agreements: Iterable[Agreement]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Spacebridge//Agreements//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Agreement deadlines"))
    for agreement in agreements:
        url = settings.BASE_URL + agreement.get_absolute_url()
        title = agreement.title.get()
        for deadline in deadlines_of(agreement):
            uid = f"agreement-{agreement.reference}-{deadline.kind}"
            calendar.add_component(_event(uid, deadline.on, _summary(deadline.kind, agreement), url, title))
        if agreement.status in {"signed", "in_force"}:
            for commitment in agreement.commitments.all():
                if commitment.due_on and commitment.state not in {Commitment.State.DONE, Commitment.State.CANCELLED}:
                    summary = _("%(ref)s: commitment due (article %(article)s)") % {
                        "ref": agreement.reference,
                        "article": commitment.article_key,
                    }
                    calendar.add_component(
                        _event(f"commitment-{commitment.pk}", commitment.due_on, summary, url, commitment.passage.get())
                    )
    return calendar.to_ical()
