"""Reads of liaison: occurrences from one cached expansion agree with the rule, a changed series is never served from
the cache, and the calendar and the group feed cost the same number of queries however much the group holds."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spacebridge.core.multilingual import MultilingualText
from spacebridge.liaison import ical, selectors, services, services_minutes
from spacebridge.liaison.models import ActionItem, LiaisonSeries, Meeting
from spacebridge.parties.tests.factories import PartyFactory, member_of

pytestmark = pytest.mark.django_db

WINDOWS = [
    (datetime(2025, 6, 1, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC)),  # opens before the first meeting
    (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 15, tzinfo=UTC)),  # across the clock changes
    (datetime(2026, 7, 8, 13, 0, tzinfo=UTC), datetime(2026, 7, 8, 13, 0, 1, tzinfo=UTC)),  # one moment
    (datetime(2027, 1, 1, tzinfo=UTC), datetime(2029, 1, 1, tzinfo=UTC)),
]


def test_occurrences_from_the_cached_expansion_are_the_rules_own(world) -> None:
    series = world.series(rdates=["2026-02-20T21:00"], exdates=["2026-03-11T21:00"])
    for window in WINDOWS:
        assert selectors.starts_between(series, *window) == services.series_starts(series, *window), window
    # Hosts take turns by the position in the whole series, whatever window is asked for.
    for entry in selectors.series_occurrences(series, *WINDOWS[3])[:4]:
        assert entry.host == services.host_for(series, entry.start)
    assert selectors.starts_between(series, *WINDOWS[2]) == [datetime(2026, 7, 8, 13, 0, tzinfo=UTC)]
    # A window decades ahead is expanded as asked, and not kept.
    far = (datetime(2080, 1, 1, tzinfo=UTC), datetime(2080, 3, 1, tzinfo=UTC))
    kept = selectors._expanded.cache_info().currsize
    assert selectors.starts_between(series, *far) == services.series_starts(series, *far) != []
    assert selectors._expanded.cache_info().currsize == kept


def test_a_changed_series_is_never_read_from_the_cache(world) -> None:
    series = world.series()
    window = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC))
    monthly = [e.start for e in selectors.series_occurrences(series, *window)]
    assert len(monthly) == 12
    services.series_update(series=series, by=world.cn_chair, rrule="FREQ=WEEKLY;BYDAY=WE", notify=False)
    series = LiaisonSeries.objects.get(pk=series.pk)
    weekly = [e.start for e in selectors.series_occurrences(series, *window)]
    assert len(weekly) == 51 and weekly != monthly
    services.series_update(series=series, by=world.cn_chair, exdates=["2026-01-21T21:00"], notify=False)
    series = LiaisonSeries.objects.get(pk=series.pk)
    assert datetime(2026, 1, 21, 13, 0, tzinfo=UTC) not in [e.start for e in selectors.series_occurrences(
        series, *window)]


def test_countries_of_many_series_are_each_series_own(world) -> None:
    kz = PartyFactory(code="kaz", short_name="KazCosmos", country="KZ")
    guest = member_of(kz, role=None, username="guest-kz").person
    with_guest = world.series()
    with_guest.participants.add(guest)
    plain = world.series()
    found = selectors.countries_by_series([with_guest, plain])
    assert found == {with_guest.pk: services.series_countries(with_guest), plain.pk: services.series_countries(plain)}
    assert found[with_guest.pk] == ["CN", "KZ", "RU", "US"] and found[plain.pk] == ["CN", "RU", "US"]


def _queries(function) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


def _calendar(world) -> list[selectors.Entry]:  # type: ignore[no-untyped-def]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    return selectors.calendar_entries(user=world.ru_chair, group=world.group, window_start=start,
                                      window_end=start + timedelta(days=120))


def test_the_calendar_reads_a_fixed_number_of_queries_however_many_series(world) -> None:
    world.series()
    _calendar(world)  # the viewer's principal is read once per user
    one = _queries(lambda: _calendar(world))
    for day in (5, 6, 7):
        series = world.series(first_start=datetime(2026, 1, day, 9, 0, tzinfo=ZoneInfo("Europe/Moscow")),
                              time_zone="Europe/Moscow", rrule="FREQ=WEEKLY")
        first = selectors.series_occurrences(series, series.first_start, series.first_start + timedelta(days=1))[0]
        services.meeting_for_occurrence(series=series, occurrence_start=first.start, by=world.cn_chair)
    entries = _calendar(world)
    assert len(entries) == 4 + 3 * 17 and sum(1 for e in entries if e.meeting is not None) == 3
    assert _queries(lambda: _calendar(world)) == one <= 7


def _fill(world, series, meetings: int) -> None:  # type: ignore[no-untyped-def]
    starts = selectors.starts_between(series, series.first_start, series.first_start + timedelta(days=40 * meetings))
    for number, start in enumerate(starts[:meetings]):
        meeting = services.meeting_for_occurrence(series=series, occurrence_start=start, by=world.cn_chair)
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
        for k in range(3):
            services_minutes.action_item_add(meeting=meeting, by=world.cn_chair, owner_party=world.us,
                                             description=MultilingualText({"en": f"Action {number}.{k}"}, "en"),
                                             due_on=date(2026, 3, 1) + timedelta(days=number))


def _group_feed(world) -> bytes:  # type: ignore[no-untyped-def]
    series = list(selectors.series_for_user(world.ru_chair).filter(group=world.group))
    one_offs = selectors.meetings_for_user(world.ru_chair).filter(group=world.group, series__isnull=True)
    actions = selectors.actions_for_user(world.ru_chair).filter(group=world.group)
    return ical.feed(name="WG-MED", series=series, meetings=one_offs, actions=actions)


def test_the_group_feed_reads_a_fixed_number_of_queries_however_much_the_group_holds(world) -> None:
    _fill(world, world.series(), 2)
    _group_feed(world)  # the viewer's principal is read once per user
    small = _queries(lambda: _group_feed(world))
    _fill(world, world.series(skip_holidays=True), 6)
    body = _group_feed(world)
    assert body.count(b"BEGIN:VTODO") == 24 and body.count(b"RECURRENCE-ID") == 8
    assert _queries(lambda: _group_feed(world)) <= small + 2 <= 9  # the countries of the holiday-skipping series


def test_a_to_do_changed_since_the_last_feed_is_written_anew(world) -> None:
    ical._TODO_TEXTS.clear()  # a first read (values with the keys), then reads that find most texts kept
    ical._OVERRIDE_TEXTS.clear()
    _fill(world, world.series(), 1)
    item = ActionItem.objects.order_by("pk").first()
    assert b"STATUS:NEEDS-ACTION" in _group_feed(world)
    services_minutes.action_item_update(item=item, by=world.cn_chair, status="done", evidence="Sent on 2 March.")
    ActionItem.objects.filter(pk=item.pk).update(description=MultilingualText({"en": "Send the new protocol",
                                                                                "ru": "Отправить протокол"}, "en"))
    body = _group_feed(world).replace(b"\r\n ", b"")
    assert body.count(b"STATUS:COMPLETED") == 1 and body.count(b"STATUS:NEEDS-ACTION") == 2
    assert b"Send the new protocol" in body
    from django.utils import translation

    with translation.override("ru"):
        assert "Отправить протокол".encode() in _group_feed(world).replace(b"\r\n ", b"")


def test_an_override_changed_since_the_last_feed_is_written_anew(world) -> None:
    ical._OVERRIDE_TEXTS.clear()
    series = world.series()
    _fill(world, series, 2)
    moved = Meeting.objects.filter(series=series).order_by("start").first()
    before = _group_feed(world)
    new_start = moved.start + timedelta(hours=3)
    services.meeting_change(meeting=moved, by=world.cn_chair, start=new_start, notify=False)
    after = _group_feed(world)
    stamp = new_start.astimezone(ZoneInfo("Asia/Shanghai")).strftime("DTSTART;TZID=Asia/Shanghai:%Y%m%dT%H%M%S")
    assert stamp.encode() not in before and stamp.encode() in after
    assert after.count(b"RECURRENCE-ID") == before.count(b"RECURRENCE-ID") == 2
    services.meeting_change(meeting=moved, by=world.cn_chair, status=Meeting.Status.CANCELLED, notify=False)
    cancelled = _group_feed(world)
    assert cancelled.count(b"RECURRENCE-ID") == 1 and stamp.encode() not in cancelled
