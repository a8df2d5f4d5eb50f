"""Reminders and notices by e-mail, run by the task worker (`spacebridge worker`).

Each notice goes only to people who may see what it is about (the access policy), in their language, with times
in their zone, the three capitals' and UTC. People who chose the daily digest get one e-mail a day instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from spacebridge.access.policy import can_see
from spacebridge.liaison import ical, timing
from spacebridge.liaison.models import ActionItem, Attendance, LiaisonSeries, Meeting, Minutes, ReminderSetting
from spacebridge.parties.models import Person

_LANGUAGES = {"zh": "zh-hans", "ru": "ru", "en": "en"}


def _language(person: Person) -> str:
    for code in person.languages or []:
        if code in _LANGUAGES:
            return _LANGUAGES[code]
    return "en"


def _digest_users() -> set[int]:
    return set(ReminderSetting.objects.filter(daily_digest=True).values_list("user_id", flat=True))


def _send(person: Person, template: str, context: dict[str, Any], attachment: bytes | None = None) -> bool:
    if not person.email:
        return False
    with translation.override(_language(person)):
        context = {**context, "person": person, "base_url": settings.BASE_URL, "zone": person.time_zone}
        subject = " ".join(render_to_string(f"liaison/email/{template}_subject.txt", context).split())
        body = render_to_string(f"liaison/email/{template}.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[person.email])
    if attachment is not None:
        message.attach("meeting.ics", attachment, "text/calendar; method=PUBLISH; charset=utf-8")
    message.send()
    return True


def _times(meeting: Meeting, person: Person) -> list[timing.ZoneTime]:
    return timing.meeting_times(meeting.start, meeting.end, meeting_zone=meeting.time_zone,
                                viewer_zone=person.time_zone or "UTC")


def _invitees(meeting: Meeting) -> list[Person]:
    people = {a.person for a in Attendance.objects.filter(meeting=meeting, person__isnull=False)
              .select_related("person__user")}
    if meeting.series_id:
        assert meeting.series is not None
        people |= set(meeting.series.participants.select_related("user"))
    return sorted((p for p in people if p is not None), key=lambda p: p.pk)


def _may_see(person: Person, obj: Any) -> bool:
    return person.user is not None and person.user.is_active and can_see(person.user, obj)


def _single(people: Iterable[Person]) -> list[Person]:
    digest = _digest_users()
    return [p for p in people if p.user_id not in digest]


@task()
def send_meeting_invitation(meeting_id: int) -> int:
    """An invitation (or its update or cancellation) with the meeting's .ics attached."""
    meeting = Meeting.objects.select_related("series", "group", "host_party").filter(pk=meeting_id).first()
    if meeting is None:
        return 0
    attachment = ical.feed(name=meeting.title.get(), meetings=[meeting])
    sent = 0
    for person in _invitees(meeting):
        if person.user is not None and not can_see(person.user, meeting):
            continue
        sent += _send(person, "invitation", {"meeting": meeting, "times": _times(meeting, person)}, attachment)
    return sent


@task()
def send_series_invitation(series_id: int, person_ids: list[int] | None = None) -> int:
    """An invitation to every meeting of a series, with the series' .ics (its rule and overrides) attached: to the
    people named, or else to everyone the series invites, in their language and zone."""
    from spacebridge.liaison.selectors import series_occurrences
    from spacebridge.liaison.services import series_invitees

    series = LiaisonSeries.objects.select_related("group").filter(pk=series_id).first()
    if series is None:
        return 0
    people = series_invitees(series)
    if person_ids is not None:
        wanted = set(person_ids)
        people = [p for p in people if p.pk in wanted]
    now = max(timing.utc_now(), series.first_start)
    upcoming = [e for e in series_occurrences(series, now, now + timedelta(days=120))
                if e.status != Meeting.Status.CANCELLED][:SERIES_INVITATION_SHOWN]
    attachment = ical.feed(name=series.title.get(), series=[series])
    sent = 0
    for person in people:
        if person.user is not None and not can_see(person.user, series):
            continue
        zone = person.time_zone or "UTC"
        dates = [(entry, timing.meeting_times(entry.start, entry.end, meeting_zone=series.time_zone,
                                              viewer_zone=zone)[:2]) for entry in upcoming]
        sent += _send(person, "series_invitation", {"series": series, "dates": dates}, attachment)
    return sent


SERIES_INVITATION_SHOWN = 3  # the next meetings an invitation to a series lists


@task()
def send_agenda(meeting_id: int) -> int:
    meeting = Meeting.objects.select_related("group").filter(pk=meeting_id).first()
    if meeting is None:
        return 0
    items = list(meeting.agenda_items.select_related("presenter"))
    attachment = ical.feed(name=meeting.title.get(), meetings=[meeting])
    sent = 0
    for person in _single(_invitees(meeting)):
        if _may_see(person, meeting):
            sent += _send(person, "agenda", {"meeting": meeting, "items": items, "times": _times(meeting, person)},
                          attachment)
    return sent


@task()
def send_minutes_circulated(minutes_id: int) -> int:
    """Minutes circulated for approval: to every member of the group who may see them."""
    minutes = Minutes.objects.select_related("meeting__group").filter(pk=minutes_id).first()
    if minutes is None:
        return 0
    meeting = minutes.meeting
    people = set(_invitees(meeting))
    if meeting.group_id:
        people |= set(Person.objects.filter(group_memberships__group=meeting.group_id).select_related("user"))
    sent = 0
    for person in _single(sorted(people, key=lambda p: p.pk)):
        if _may_see(person, minutes):
            sent += _send(person, "minutes_circulated", {"minutes": minutes, "meeting": meeting})
    return sent


@task()
def extend_rotations() -> int:
    """The daily run that keeps rotating series' moved occurrences a year ahead."""
    from spacebridge.liaison.services import rotations_extend

    return rotations_extend()


@task()
def send_action_reminders(on: str | None = None) -> int:
    """Each owner of an action item due in three days, or overdue, hears of it once a day."""
    today = date.fromisoformat(on) if on else timezone.localdate()
    items = (ActionItem.objects.filter(status=ActionItem.Status.OPEN, owner_person__isnull=False,
                                       due_on__lte=today + timedelta(days=3))
             .exclude(reminded_on=today).select_related("owner_person__user", "group", "owner_party"))
    digest = _digest_users()
    sent = 0
    for item in items:
        person = item.owner_person
        assert person is not None
        if person.user_id in digest or not _may_see(person, item):
            continue
        sent += _send(person, "action_due", {"item": item, "overdue": item.due_on < today, "today": today})
        ActionItem.objects.filter(pk=item.pk).update(reminded_on=today)
    return sent


@task()
def send_daily_digests(on: str | None = None) -> int:
    """One e-mail for each person who chose the digest: the week's meetings, their open actions, minutes awaiting
    their delegation."""
    from spacebridge.liaison.permissions import answerable_delegations
    from spacebridge.liaison.selectors import calendar_entries, my_actions

    today = date.fromisoformat(on) if on else timezone.localdate()
    sent = 0
    for setting in ReminderSetting.objects.filter(daily_digest=True).select_related("user"):
        person = Person.objects.filter(user=setting.user).first()
        if person is None or setting.last_digest_on == today or not setting.user.is_active:
            continue
        now = timezone.now()
        entries = calendar_entries(user=setting.user, window_start=now, window_end=now + timedelta(days=7))
        actions = list(my_actions(setting.user))
        awaiting = [m for m in Minutes.objects.filter(status=Minutes.Status.CIRCULATED).select_related("meeting__group")
                    if can_see(setting.user, m) and set(m.delegations) & answerable_delegations(setting.user,
                                                                                               m.meeting.group)]
        if not (entries or actions or awaiting):
            continue
        sent += _send(person, "digest", {"entries": entries, "actions": actions, "awaiting": awaiting, "today": today})
        setting.last_digest_on = today
        setting.save(update_fields=["last_digest_on"])
    return sent
