"""Feeds parse and expand (recurring-ical-events) to exactly the platform's occurrences; the libical conformance
cases agree for every rule the platform accepts; broken files are clear errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from django.core.exceptions import ValidationError
from icalendar import Calendar

from spacebridge.liaison import ical, recurrence, services
from spacebridge.liaison.models import Meeting
from spacebridge.liaison.selectors import series_occurrences

pytestmark = pytest.mark.django_db
CONFORMANCE = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "conformance" / "ical"


def _cases() -> list[dict[str, str]]:
    cases, current = [], {}
    for raw in (CONFORMANCE / "libical_icalrecur_test.txt").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            if "RRULE" in current:
                cases.append(current)
            current = {}
            continue
        if line.startswith("#"):
            current["name"] = line[1:].strip()
            continue
        key, _sep, value = line.partition(":")
        current[key] = value
    if "RRULE" in current:
        cases.append(current)
    return cases


CASES = _cases() if (CONFORMANCE / "libical_icalrecur_test.txt").exists() else []


def _stamp(value: datetime, with_time: bool, utc: bool) -> str:
    return value.strftime("%Y%m%dT%H%M%S" if with_time else "%Y%m%d") + ("Z" if utc else "")


@pytest.mark.skipif(not CASES, reason="the conformance data is not checked out beside the project")
def test_libical_cases_agree_for_every_accepted_rule() -> None:
    accepted = refused = 0
    failures: list = []
    for case in CASES:
        try:
            rule = recurrence.rule_validate(case["RRULE"])
        except ValidationError as exc:
            assert exc.message_dict["rrule"], case  # refused with a message
            refused += 1
            continue
        accepted += 1
        raw = case["DTSTART"]
        with_time, utc = "T" in raw, raw.endswith("Z")
        first = datetime.strptime(raw.rstrip("Z"), "%Y%m%dT%H%M%S" if with_time else "%Y%m%d").replace(tzinfo=UTC)
        expected = [v.strip() for v in case.get("INSTANCES", "").split(",") if v.strip()]
        starts = recurrence.expand(rule=rule, first_start=first, zone=ZoneInfo("UTC"), window_start=first,
                                   window_end=datetime(2200, 1, 1, tzinfo=UTC))
        got = [_stamp(s, with_time, utc) for s in starts]
        bounded = "COUNT" in rule or "UNTIL" in rule
        if (got if bounded else got[: len(expected)]) != expected:
            failures.append((case["name"], rule, got[:8], expected[:8]))
    assert not failures, failures
    print(f"libical cases: {accepted} accepted and agreeing, {refused} refused")
    assert accepted >= 50 and refused >= 40, (accepted, refused)


def test_unaccepted_rules_are_refused_with_a_clear_message() -> None:
    for rule, word in (("FREQ=MINUTELY;INTERVAL=15", "FREQ"), ("FREQ=DAILY;BYHOUR=9,10", "BYHOUR"),
                       ("FREQ=YEARLY;BYWEEKNO=20", "BYWEEKNO"), ("FREQ=WEEKLY;BYDAY=MO,TU;BYSETPOS=1", "BYSETPOS"),
                       ("FREQ=MONTHLY;COUNT=0", "COUNT"), ("FREQ=MONTHLY;BYDAY=9MO", "position"),
                       ("RSCALE=CHINESE;FREQ=YEARLY", "RSCALE")):
        with pytest.raises(ValidationError) as info:
            recurrence.rule_validate(rule)
        assert word in str(info.value), rule


def _expand(body: bytes, start: datetime, end: datetime) -> list[tuple[datetime, str]]:
    calendar = Calendar.from_ical(body)
    events = recurring_ical_events.of(calendar).between(start, end)
    return sorted((e.decoded("dtstart").astimezone(UTC), str(e.get("status", ""))) for e in events)



def test_series_feed_expands_to_the_platform_occurrences_with_overrides(world) -> None:
    series = world.series(rrule="FREQ=WEEKLY;BYDAY=TU", time_zone="America/New_York",
                          first_start=datetime(2026, 1, 6, 9, 0, tzinfo=ZoneInfo("America/New_York")),
                          exdates=["2026-01-20T09:00"])
    window = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC))
    entries = series_occurrences(series, *window)
    moved = services.meeting_for_occurrence(series=series, occurrence_start=entries[3].start, by=world.cn_chair)
    services.meeting_change(meeting=moved, by=world.cn_chair, start=entries[3].start + timedelta(hours=2),
                            notify=False)
    gone = services.meeting_for_occurrence(series=series, occurrence_start=entries[5].start, by=world.cn_chair)
    services.meeting_change(meeting=gone, by=world.cn_chair, status=Meeting.Status.CANCELLED, notify=False)
    body = ical.feed(name="x", series=[series])
    assert b"BEGIN:VTIMEZONE" in body and b"TZID:America/New_York" in body and b"RECURRENCE-ID" in body
    assert b"EXDATE" in body
    expected = [e.start for e in series_occurrences(series, *window) if e.status != "cancelled"]
    assert [start for start, _s in _expand(body, *window)] == expected
    # Washington keeps 09:00 through the clock change; Beijing sees the meeting move by an hour.
    assert {s.astimezone(ZoneInfo("America/New_York")).hour for s in expected if s != moved.start} == {9}
    assert {s.astimezone(ZoneInfo("Asia/Shanghai")).hour for s in expected if s != moved.start} == {21, 22}



def test_action_items_are_todos_and_group_feeds_parse(world) -> None:
    from datetime import date

    from spacebridge.core.multilingual import MultilingualText
    from spacebridge.liaison import services_minutes

    series = world.series()
    start = series_occurrences(series, series.first_start, series.first_start + timedelta(days=1))[0].start
    meeting = services.meeting_for_occurrence(series=series, occurrence_start=start, by=world.cn_chair)
    item = services_minutes.action_item_add(meeting=meeting, by=world.cn_chair, owner_party=world.us,
                                            description=MultilingualText({"en": "Send the protocol"}, "en"),
                                            due_on=date(2026, 2, 1))
    body = ical.feed(name="WG-MED", series=[series], actions=[item])
    todos = Calendar.from_ical(body).walk("VTODO")
    assert len(todos) == 1 and todos[0].decoded("due") == date(2026, 2, 1)
    assert str(todos[0]["status"]) == "NEEDS-ACTION"



def test_holiday_skips_are_exdates_in_the_feed(world) -> None:
    series = world.series(first_start=datetime(2027, 1, 13, 21, 0, tzinfo=ZoneInfo("Asia/Shanghai")),
                          skip_holidays=True)
    window = (datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 6, 1, tzinfo=UTC))
    expanded = [s for s, _status in _expand(ical.feed(name="x", series=[series]), *window)]
    assert expanded == [e.start for e in series_occurrences(series, *window)]
    assert datetime(2027, 2, 10, 13, 0, tzinfo=UTC) not in expanded


BROKEN = sorted((CONFORMANCE / "icalendar_py_tests").rglob("*")) if CONFORMANCE.exists() else []


@pytest.mark.skipif(not BROKEN, reason="the conformance data is not checked out beside the project")
def test_every_sample_file_imports_or_is_refused_clearly() -> None:
    imported = refused = 0
    for path in BROKEN:
        if not path.is_file():
            continue
        try:
            events = ical.parse_ics(path.read_bytes())
        except ValidationError as exc:
            assert exc.message_dict["file"][0], path.name
            refused += 1
        else:
            assert all(e.end > e.start and e.start.tzinfo is not None for e in events), path.name
            imported += 1
    assert imported > 20 and refused > 10, (imported, refused)


def test_garbage_is_refused() -> None:
    for data in (b"", b"\xff\xfe", b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:nonsense\r\nEND:VEVENT\r\n",
                 b"hello", b"BEGIN:VCALENDAR\x00"):
        with pytest.raises(ValidationError):
            ical.parse_ics(data)


def test_long_and_special_text_survives_folding_and_escaping(world) -> None:
    from datetime import date

    from spacebridge.core.multilingual import MultilingualText
    from spacebridge.liaison import services_minutes

    text = "航天医学联合工作组；" * 12 + "a;b,c\\d\nnext line"
    meeting = services.meeting_create(by=world.cn_chair, group=world.group, time_zone="Europe/Moscow",
                                      title=MultilingualText({"zh": text}, "zh"),
                                      start=datetime(2027, 1, 5, 10, tzinfo=UTC), end=datetime(2027, 1, 5, 11, tzinfo=UTC))
    item = services_minutes.action_item_add(meeting=meeting, by=world.cn_chair, owner_party=world.cn,
                                            description=MultilingualText({"zh": text}, "zh"), due_on=date(2027, 2, 1))
    body = ical.feed(name="x", meetings=[meeting], actions=[item])
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    calendar = Calendar.from_ical(body)
    assert str(calendar.walk("VEVENT")[0]["summary"]) == text
    assert str(calendar.walk("VTODO")[0]["summary"]).endswith(text)
    assert calendar.walk("VEVENT")[0].decoded("dtstart") == datetime(2027, 1, 5, 13, tzinfo=ZoneInfo("Europe/Moscow"))
