"""Benchmark of liaison: iCalendar feeds and the meeting and group pages.

    .venv/bin/python bench/liaison_feeds.py [--runs 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sb_bench .venv/bin/python bench/liaison_feeds.py
    SPACEBRIDGE_DATA_DIR=/tmp/sb-liaison .venv/bin/python bench/liaison_feeds.py --seed-only     # seed once
    SPACEBRIDGE_DATA_DIR=/tmp/sb-liaison .venv/bin/python bench/liaison_feeds.py --measure-only  # measure again

In a fresh database it sets up a group of a Chinese, a Russian and an American party with a co-chair each, then
times (wall clock and CPU time of this process, p50 and p95 in milliseconds, through the Django test client, so
URL routing, the access policy, templates and middleware are all included, but not the test environment's
instrumented template rendering; with the queries each request makes):
  1. the .ics feed of a weekly series over five years (261 occurrences, some overrides);
  2. the group's .ics feed with 200 held meetings (a weekly series with 200 overrides, and their action items);
  3. a meeting page and the group page, with 200 meetings and 1 000 action items in the group.
Goals (issue 5): 1 ≤ 50 ms; 2 ≤ 60 ms; 3 p50 ≤ 25 ms and p95 ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("SPACEBRIDGE_DATA_DIR", tempfile.mkdtemp(prefix="sb-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spacebridge.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment  # noqa: E402

from spacebridge.core.multilingual import MultilingualText  # noqa: E402
from spacebridge.liaison import services, services_minutes  # noqa: E402
from spacebridge.liaison.models import ActionItem, Attendance, Meeting  # noqa: E402
from spacebridge.liaison.selectors import series_occurrences  # noqa: E402

EN = lambda text: MultilingualText({"en": text, "zh": text, "ru": text}, "en")  # noqa: E731


def world():  # type: ignore[no-untyped-def]
    from spacebridge.liaison.tests.factories import build_world

    return build_world()


def seed(w) -> tuple:  # type: ignore[no-untyped-def]
    start = datetime(2026, 1, 6, 9, 0, tzinfo=ZoneInfo("America/New_York"))
    five_years, _n = services.series_create(
        by=w.secretariat, group=w.group, title=EN("Five-year weekly call"), first_start=start,
        time_zone="America/New_York", rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=261", host_rotation=[w.cn, w.ru, w.us],
        check_permission=False)
    for entry in series_occurrences(five_years, start, start + timedelta(days=365))[:20:4]:
        meeting = services.meeting_for_occurrence(series=five_years, occurrence_start=entry.start, by=w.secretariat,
                                                  check_permission=False)
        services.meeting_change(meeting=meeting, by=w.secretariat, start=entry.start + timedelta(hours=1),
                                notify=False, check_permission=False)
    held, _n = services.series_create(
        by=w.secretariat, group=w.group, title=EN("Held weekly"), first_start=start - timedelta(days=7 * 200),
        time_zone="Asia/Shanghai", rrule="FREQ=WEEKLY;COUNT=200", host_rotation=[w.cn, w.ru, w.us],
        check_permission=False)
    meetings = []
    for entry in series_occurrences(held, held.first_start, start):
        meeting = services.meeting_for_occurrence(series=held, occurrence_start=entry.start, by=w.secretariat,
                                                  check_permission=False)
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
        meetings.append(meeting)
    for number, meeting in enumerate(meetings):
        for party in (w.cn, w.ru, w.us):
            Attendance.objects.create(meeting=meeting, party=party, status=Attendance.Status.PRESENT)
        for position in range(5):
            services.agenda_item_add(meeting=meeting, by=w.secretariat, title=EN(f"Item {position}"),
                                     check_permission=False)
        services_minutes.decision_record(meeting=meeting, by=w.secretariat, text=EN(f"Decision {number}"),
                                         positions={w.cn: "concurs", w.ru: "concurs", w.us: "concurs"},
                                         check_permission=False)
        for k in range(5):
            services_minutes.action_item_add(meeting=meeting, by=w.secretariat, description=EN(f"Action {number}.{k}"),
                                             owner_party=(w.cn, w.ru, w.us)[k % 3], due_on=date(2026, 1, 1)
                                             + timedelta(days=number), check_permission=False)
    last = meetings[-1]
    for item in ActionItem.objects.filter(status="open")[:600]:
        item.carried_to.add(last)
    return five_years, meetings[len(meetings) // 2], last


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95 + 0.5) - 1)]


def _empty_caches() -> None:
    from spacebridge.liaison import ical, selectors

    for cache in ("_TODO_TEXTS", "_OVERRIDE_TEXTS"):
        getattr(ical, cache, {}).clear()
    for function in (getattr(selectors, "_expanded", None), getattr(ical, "_vtimezone_years", None)):
        if function is not None:
            function.cache_clear()


def timed(client: Client, url: str, runs: int, cold: bool = False) -> tuple[float, float, float, float, int, int]:
    """Wall-clock and CPU milliseconds per request (CPU: this process only, so other load on the machine shows in
    the wall figures, not in the CPU ones), the response's size and its queries."""
    client.get(url)  # warm caches (templates, zone data, expansions, to-do texts)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    count = len(queries.captured_queries)  # now: every request clears the log when it starts
    wall, cpu = [], []
    for _run in range(runs):
        if cold:
            _empty_caches()
        began, began_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return (statistics.median(wall), _p95(wall), statistics.median(cpu), _p95(cpu), len(response.content),
            count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seed-only", action="store_true", help="seed the data folder and stop")
    parser.add_argument("--measure-only", action="store_true", help="measure what --seed-only seeded")
    parser.add_argument("--cold", action="store_true",
                        help="empty the liaison caches (expansions, VTIMEZONEs, to-do and override texts) before each "
                             "request: what the first reader after a change pays")
    parser.add_argument("--gc-freeze", action="store_true",
                        help="gc.freeze() before measuring, as a server does after start-up (full collections then "
                             "skip the long-lived objects of Django and the app)")
    args = parser.parse_args()
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    state = Path(settings.DATA_DIR) / "liaison_bench.json"
    if args.measure_only:
        seeded = json.loads(state.read_text())
    else:
        call_command("migrate", verbosity=0)
        began = time.perf_counter()
        w = world()
        five_years, middle, last = seed(w)
        seeded = {"five_years": five_years.pk, "middle": middle.pk, "last": last.pk, "user": w.ru_chair.pk}
        state.write_text(json.dumps(seeded))
        print(f"seeded in {time.perf_counter() - began:.1f} s: {Meeting.objects.count()} meetings, "
              f"{ActionItem.objects.count()} action items ({settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]})")
        if args.seed_only:
            return
    from django.contrib.auth import get_user_model

    # The test environment (mail kept in memory) is for seeding only: its instrumented template rendering makes the
    # client copy every template's context into the response, work and garbage no server has.
    teardown_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    client.force_login(get_user_model().objects.get(pk=seeded["user"]))
    cases = [
        ("feed: 5-year weekly series", f"/liaison/series/{seeded['five_years']}/series.ics", "≤ 50"),
        ("feed: group with 200 held meetings", "/groups/WG-MED/calendar.ics", "≤ 60"),
        ("page: meeting (middle of 200)", f"/liaison/meetings/{seeded['middle']}/", "p50 ≤ 25, p95 ≤ 50"),
        ("page: meeting (latest, 600 carried)", f"/liaison/meetings/{seeded['last']}/", "p50 ≤ 25, p95 ≤ 50"),
        ("page: group (200 meetings, 1000 actions)", "/groups/WG-MED/", "p50 ≤ 25, p95 ≤ 50"),
    ]
    if args.gc_freeze:
        gc.collect()
        gc.freeze()
    print(f"load average before measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for label, url, goal in cases:
        p50, p95, cpu50, cpu95, size, queries = timed(client, url, args.runs, args.cold)
        print(f"{label:<42} wall p50 {p50:7.1f} p95 {p95:7.1f} ms | CPU p50 {cpu50:7.1f} p95 {cpu95:7.1f} ms"
              f" | {queries:3d} queries | {size / 1024:6.1f} KiB (goal {goal})")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
