"""Reads of liaison. Everything a person or a client can trigger goes through the access policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from spacebridge.access.policy import can_see, get_visible_or_404, visible
from spacebridge.groups.models import WorkingGroup
from spacebridge.liaison import timing
from spacebridge.liaison.models import ActionItem, Decision, LiaisonSeries, Meeting, Minutes
from spacebridge.liaison.services import holiday_exdates, series_countries, series_starts
from spacebridge.parties.models import Party


@dataclass
class Entry:
    """One meeting on the calendar: a series occurrence (with or without its override row) or a one-off meeting."""

    start: datetime
    end: datetime
    title: Any
    series: LiaisonSeries | None = None
    meeting: Meeting | None = None
    occurrence_start: datetime | None = None
    status: str = Meeting.Status.SCHEDULED
    host: Party | None = None
    shifts: list[timing.ClockShift] = field(default_factory=list)
    holidays: list[tuple[str, str]] = field(default_factory=list)
    skipped_for_holiday: bool = False

    @property
    def group(self) -> WorkingGroup | None:
        if self.meeting is not None:
            return self.meeting.group
        return self.series.group if self.series else None

    @property
    def occurrence_key(self) -> str:
        return (self.occurrence_start or self.start).strftime("%Y%m%dT%H%M%SZ")


def series_for_user(user: Any) -> QuerySet[LiaisonSeries]:
    return visible(LiaisonSeries.objects.select_related("group"), user)


def series_get_for_user(*, user: Any, pk: int) -> LiaisonSeries:
    return get_visible_or_404(LiaisonSeries.objects.select_related("group"), user, pk=pk)


def meetings_for_user(user: Any) -> QuerySet[Meeting]:
    return visible(Meeting.objects.select_related("group", "series", "host_party"), user)


def meeting_get_for_user(*, user: Any, pk: int) -> Meeting:
    return get_visible_or_404(Meeting.objects.select_related("group", "series", "host_party"), user, pk=pk)


def minutes_for_user(*, user: Any, meeting: Meeting) -> Minutes | None:
    minutes = Minutes.objects.filter(meeting=meeting).first()
    return minutes if minutes is not None and can_see(user, minutes) else None


def series_occurrences(
    series: LiaisonSeries, window_start: datetime, window_end: datetime, *, include_skipped: bool = False,
    hosts: dict[int, Party] | None = None,
) -> list[Entry]:
    """The series in the window: the rule's occurrences merged with their overrides, flagged for clock changes and
    holidays; occurrences skipped for a holiday are left out unless asked for."""
    starts = series_starts(series, window_start, window_end)
    countries = series_countries(series)
    skipped = holiday_exdates(series, starts, countries)
    # The overrides of occurrences in the window, and those moved into it from outside.
    overrides = {m.occurrence_start: m for m in series.meetings.select_related("host_party", "group").filter(
        Q(occurrence_start__gte=window_start, occurrence_start__lt=window_end)
        | Q(start__gte=window_start, start__lt=window_end))}
    if hosts is None and series.host_rotation:
        hosts = Party.objects.in_bulk(series.host_rotation)
    before = len(series_starts(series, series.first_start, window_start)) if series.host_rotation else 0
    duration = timedelta(minutes=series.duration_minutes)
    annotated = timing.annotate(starts, duration=duration, countries=countries)
    entries = []
    for index, occurrence in enumerate(annotated):
        host = hosts.get(series.host_rotation[(before + index) % len(series.host_rotation)]) if hosts else None
        entry = Entry(occurrence.start, occurrence.end, series.title, series=series,
                      occurrence_start=occurrence.start, host=host, shifts=occurrence.shifts,
                      holidays=occurrence.holidays, skipped_for_holiday=occurrence.start in skipped)
        meeting = overrides.pop(occurrence.start, None)
        if meeting is not None:
            _apply(entry, meeting)
        if entry.skipped_for_holiday and meeting is None and not include_skipped:
            continue
        entries.append(entry)
    # Overrides moved into the window from an occurrence outside it.
    for meeting in overrides.values():
        if window_start <= meeting.start < window_end:
            entry = Entry(meeting.start, meeting.end, meeting.title, series=series,
                          occurrence_start=meeting.occurrence_start)
            _apply(entry, meeting)
            entries.append(entry)
    return sorted(entries, key=lambda e: e.start)


def _apply(entry: Entry, meeting: Meeting) -> None:
    entry.meeting, entry.start, entry.end, entry.title = meeting, meeting.start, meeting.end, meeting.title
    entry.status = meeting.status
    entry.host = meeting.host_party or entry.host


def calendar_entries(
    *, user: Any, window_start: datetime, window_end: datetime, group: WorkingGroup | None = None,
    series: list[LiaisonSeries] | None = None,
) -> list[Entry]:
    """Every meeting the user may see in the window: series occurrences and one-off meetings."""
    all_series = series if series is not None else list(
        series_for_user(user).filter(group=group) if group is not None else series_for_user(user))
    entries: list[Entry] = []
    for one in all_series:
        entries += series_occurrences(one, window_start, window_end)
    one_offs = meetings_for_user(user).filter(series__isnull=True, start__gte=window_start, start__lt=window_end)
    if group is not None:
        one_offs = one_offs.filter(group=group)
    entries += [Entry(m.start, m.end, m.title, meeting=m, status=m.status, host=m.host_party) for m in one_offs]
    return sorted(entries, key=lambda e: e.start)


def occurrence_entry(*, series: LiaisonSeries, occurrence_start: datetime) -> Entry:
    found = [e for e in series_occurrences(series, occurrence_start, occurrence_start + timedelta(seconds=1),
                                           include_skipped=True) if e.occurrence_start == occurrence_start]
    if not found:
        raise Http404
    return found[0]


def decisions_for_user(
    *, user: Any, query: str = "", group: WorkingGroup | None = None
) -> QuerySet[Decision]:
    """The decisions register across every group the user may see, searchable in any of its languages."""
    decisions = visible(Decision.objects.select_related("group", "meeting"), user)
    if group is not None:
        decisions = decisions.filter(group=group)
    query = query.strip().casefold()
    if query:
        decisions = decisions.filter(Q(text_index__contains=query) | Q(reference__icontains=query))
    return decisions.prefetch_related("positions__party")


def decision_get_for_user(*, user: Any, reference: str) -> Decision:
    return get_visible_or_404(Decision.objects.select_related("group", "meeting"), user, reference=reference)


def actions_for_user(user: Any) -> QuerySet[ActionItem]:
    return visible(ActionItem.objects.select_related("group", "owner_party", "owner_person", "meeting"), user)


def action_get_for_user(*, user: Any, pk: int) -> ActionItem:
    return get_visible_or_404(ActionItem.objects.select_related("group", "owner_party", "owner_person", "meeting"),
                              user, pk=pk)


def my_actions(user: Any) -> QuerySet[ActionItem]:
    """Open action items the user owns, in person."""
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    if person is None:
        return ActionItem.objects.none()
    return actions_for_user(user).filter(owner_person=person, status=ActionItem.Status.OPEN)


def overdue_actions(*, user: Any, on: date, group: WorkingGroup | None = None,
                    party: Party | None = None) -> QuerySet[ActionItem]:
    items = actions_for_user(user).filter(status=ActionItem.Status.OPEN, due_on__lt=on)
    if group is not None:
        items = items.filter(group=group)
    if party is not None:
        items = items.filter(owner_party=party)
    return items
