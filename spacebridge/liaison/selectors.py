"""Reads of liaison. Everything a person or a client can trigger goes through the access policy."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.http import Http404

from spacebridge.access.policy import can_see, get_visible_or_404, visible
from spacebridge.groups.models import WorkingGroup
from spacebridge.liaison import recurrence, timing
from spacebridge.liaison.models import ActionItem, Decision, LiaisonSeries, Meeting, Minutes
from spacebridge.liaison.services import holiday_exdates
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


_EPOCH = datetime(1900, 1, 1, tzinfo=UTC)  # before any meeting the platform accepts
_BUCKET = timedelta(days=32)
_CACHED_SPAN = timedelta(days=12 * 366)  # longer expansions (a daily rule to a far window) are not kept


@lru_cache(maxsize=128)
def _expanded(rule: str, first_start: datetime, zone: str, rdates: tuple[str, ...], exdates: tuple[str, ...],
              until: datetime) -> tuple[datetime, ...]:
    """Every start of a rule before ``until``. The key is everything the result depends on, so a cached expansion
    never goes stale: a changed series has a different key."""
    return tuple(recurrence.expand(rule=rule, first_start=first_start, zone=ZoneInfo(zone), window_start=_EPOCH,
                                   window_end=until, rdates=rdates, exdates=exdates))


def _all_starts(series: LiaisonSeries, window_end: datetime) -> tuple[datetime, ...]:
    """The series' starts from its beginning to at least ``window_end``, expanded once for many windows: the end is
    rounded up (windows that slide with the clock share one expansion), and dateutil walks a rule from its first
    occurrence whatever the window, so one walk gives both a window and the occurrences before it."""
    until = _EPOCH + _BUCKET * (-(-(window_end - _EPOCH) // _BUCKET))
    arguments = (series.rrule, series.first_start, series.time_zone, tuple(series.rdates or ()),
                 tuple(series.exdates or ()), until)
    if until - series.first_start > _CACHED_SPAN:
        return _expanded.__wrapped__(*arguments)
    return _expanded(*arguments)


def starts_between(series: LiaisonSeries, window_start: datetime, window_end: datetime) -> list[datetime]:
    """The rule's starts in [window_start, window_end): the same as ``services.series_starts``, without expanding
    the rule again for every window."""
    found = _all_starts(series, window_end)
    return list(found[bisect_left(found, window_start):bisect_left(found, window_end)])


def _starts_and_position(series: LiaisonSeries, window_start: datetime, window_end: datetime) -> tuple[
        list[datetime], int]:
    """The starts in the window, and how many starts of the series come before it (for the host rotation)."""
    found = _all_starts(series, window_end)
    low, high = bisect_left(found, window_start), bisect_left(found, window_end)
    return list(found[low:high]), max(0, low - bisect_left(found, series.first_start))


def countries_by_series(all_series: list[LiaisonSeries]) -> dict[int, list[str]]:
    """``services.series_countries`` of many series in two queries: the countries of each group's member parties
    and of each series' default participants."""
    by_group: dict[int, set[str]] = {}
    group_ids = {one.group_id for one in all_series if one.group_id}
    if group_ids:
        for group_id, country in Party.objects.filter(group_memberships__group__in=group_ids).values_list(
                "group_memberships__group", "country"):
            by_group.setdefault(group_id, set()).add(str(country))
    by_series: dict[int, set[str]] = {}
    pks = [one.pk for one in all_series if one.pk]
    if pks:
        for series_id, country in Party.objects.filter(affiliations__person__liaison_series__in=pks).values_list(
                "affiliations__person__liaison_series", "country"):
            by_series.setdefault(series_id, set()).add(str(country))
    return {one.pk: sorted(c for c in by_group.get(one.group_id, set()) | by_series.get(one.pk, set()) if c)
            for one in all_series}


def _overrides_in(all_series: list[LiaisonSeries], window_start: datetime,
                  window_end: datetime) -> dict[int, dict[datetime | None, Meeting]]:
    """The overrides of occurrences in the window, and those moved into it from outside, of many series at once."""
    found: dict[int, dict[datetime | None, Meeting]] = {one.pk: {} for one in all_series}
    rows = Meeting.objects.select_related("host_party", "group").filter(series__in=list(found)).filter(
        Q(occurrence_start__gte=window_start, occurrence_start__lt=window_end)
        | Q(start__gte=window_start, start__lt=window_end))
    for meeting in rows:
        found[meeting.series_id][meeting.occurrence_start] = meeting
    return found


def series_occurrences(
    series: LiaisonSeries, window_start: datetime, window_end: datetime, *, include_skipped: bool = False,
    hosts: dict[int, Party] | None = None, countries: list[str] | None = None,
    overrides: dict[datetime | None, Meeting] | None = None,
) -> list[Entry]:
    """The series in the window: the rule's occurrences merged with their overrides, flagged for clock changes and
    holidays; occurrences skipped for a holiday are left out unless asked for. ``hosts``, ``countries`` and
    ``overrides`` may be given by a caller that read them for many series at once."""
    starts, before = _starts_and_position(series, window_start, window_end)
    if countries is None:
        countries = countries_by_series([series])[series.pk]
    skipped = holiday_exdates(series, starts, countries)
    overrides = dict(overrides) if overrides is not None else _overrides_in([series], window_start,
                                                                           window_end)[series.pk]
    if hosts is None and series.host_rotation:
        hosts = Party.objects.in_bulk(series.host_rotation)
    duration = timedelta(minutes=series.duration_minutes)
    annotated = timing.annotate(starts, duration=duration, countries=countries)
    entries = []
    for index, occurrence in enumerate(annotated):
        host = (hosts.get(series.host_rotation[(before + index) % len(series.host_rotation)])
                if hosts and series.host_rotation else None)
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
    if all_series:
        # A fixed number of queries however many series: their overrides, countries and hosts are read together.
        overrides = _overrides_in(all_series, window_start, window_end)
        countries = countries_by_series(all_series)
        hosts = Party.objects.in_bulk({pk for one in all_series for pk in one.host_rotation or ()})
        for one in all_series:
            entries += series_occurrences(one, window_start, window_end, hosts=hosts, countries=countries[one.pk],
                                          overrides=overrides[one.pk])
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
    *, user: Any, query: str = "", group: WorkingGroup | None = None, positions: bool = True
) -> QuerySet[Decision]:
    """The decisions register across every group the user may see, searchable in any of its languages; with each
    delegation's position unless ``positions`` is False (a list that shows only references and texts)."""
    decisions = visible(Decision.objects.select_related("group", "meeting"), user)
    if group is not None:
        decisions = decisions.filter(group=group)
    query = query.strip().casefold()
    if query:
        decisions = decisions.filter(Q(text_index__contains=query) | Q(reference__icontains=query))
    return decisions.prefetch_related("positions__party") if positions else decisions


def decision_get_for_user(*, user: Any, reference: str) -> Decision:
    return get_visible_or_404(Decision.objects.select_related("group", "meeting"), user, reference=reference)


def actions_for_user(user: Any) -> QuerySet[ActionItem]:
    return visible(ActionItem.objects.select_related("group", "owner_party", "owner_person", "meeting"), user)


def action_rows_for_user(user: Any) -> QuerySet[ActionItem]:
    """Action items for a list of rows (reference, description, owner, due date, status): without the meeting each
    was agreed at, which a row does not show."""
    return visible(ActionItem.objects.select_related("group", "owner_party", "owner_person"), user)


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
