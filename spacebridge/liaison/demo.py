"""Demo content of liaison: for each Wenchang working group a charter, a work plan, a monthly series rotating its
host, a year of held meetings with minutes approved by every delegation, decisions and action items, and the
meetings ahead."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from spacebridge.core.multilingual import MultilingualText
from spacebridge.groups.models import GroupMembership, WorkingGroup
from spacebridge.groups.services import group_charter_update, work_plan_item_add, work_plan_item_update
from spacebridge.liaison import services, services_minutes
from spacebridge.liaison.models import Attendance, Minutes
from spacebridge.liaison.selectors import series_occurrences
from spacebridge.parties.models import Party

DEMO_FILE = Path(__file__).parent / "demo" / "wenchang_liaison.json"
POSITIONS = ["concurs", "concurs", "concurs", "reservation"]


def _text(value: dict[str, str]) -> MultilingualText:
    return MultilingualText(dict(value), "en")


def _chair_parties(group: WorkingGroup) -> list[Party]:
    chairs = group.memberships.filter(role=GroupMembership.Role.CO_CHAIR, person__isnull=False).select_related("party")
    seen: dict[str, Party] = {}
    for membership in chairs.order_by("party__country"):
        seen.setdefault(str(membership.party.country), membership.party)
    return list(seen.values())


def liaison_demo_load(*, by: Any, today: date | None = None) -> int:
    """Load the demo; returns the number of meetings held. Groups missing from the database are left out."""
    from spacebridge.records.models import Concept

    spec = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    today = today or date.today()
    held = 0
    for acronym, item in spec["groups"].items():
        group = WorkingGroup.objects.filter(acronym=acronym).first()
        if group is None:
            continue
        subjects = list(Concept.objects.filter(pref__text__en__in=item["subjects"]))
        group_charter_update(group=group, by=by, mandate=_text(item["mandate"]), scope=_text(item["scope"]),
                             subjects=subjects, check_permission=False)
        chairs = _chair_parties(group)
        named = list(Party.objects.filter(code__in=item["hosts"] or []))
        hosts = sorted(named, key=lambda p: item["hosts"].index(p.code)) if len(named) == len(item["hosts"] or []) \
            and named else chairs
        for kind, title, owner, days, status in item["plan"]:
            plan_item = work_plan_item_add(group=group, by=by, kind=kind, title=_text(title),
                                           owner_party=Party.objects.filter(code=owner or "").first() or chairs[0],
                                           due_on=today + timedelta(days=days), check_permission=False)
            if status != "planned":
                work_plan_item_update(item=plan_item, by=by, status=status, check_permission=False)
        held += _series(group, item, hosts, chairs, spec, by, today)
    return held


def _series(group: WorkingGroup, item: dict, hosts: list[Party], chairs: list[Party], spec: dict, by: Any,
            today: date) -> int:
    zone = ZoneInfo(item["zone"])
    hour, minute = (int(x) for x in item["time"].split(":"))
    month = date(today.year - 1, today.month, 1) + timedelta(days=32)  # twelve months back
    naive_first = rrulestr(item["rrule"], dtstart=datetime(month.year, month.month, 1, hour, minute))[0]
    first = naive_first.replace(tzinfo=zone)
    series, _notices = services.series_create(
        by=by, group=group, title=_text(item["series"]), first_start=first, time_zone=item["zone"],
        rrule=item["rrule"], duration_minutes=90, host_rotation=hosts, online_link="https://meet.example.org/"
        + group.acronym.lower(), check_permission=False)
    people = [m.person for m in group.memberships.filter(person__isnull=False, end__isnull=True)]
    series.participants.set(people)
    now = datetime.combine(today, datetime.min.time(), tzinfo=UTC)
    past = series_occurrences(series, first, now)
    for number, entry in enumerate(past):
        _held_meeting(series, entry, number, chairs, spec, by)
    upcoming = series_occurrences(series, now, now + timedelta(days=70))
    if upcoming:
        meeting = services.meeting_for_occurrence(series=series, occurrence_start=upcoming[0].start, by=by,
                                                  check_permission=False)
        for title in spec["agenda"][:4]:
            services.agenda_item_add(meeting=meeting, by=by, title=_text(title), minutes_allotted=20,
                                     check_permission=False)
        services.agenda_publish(meeting=meeting, by=by, notify=False, check_permission=False)
    return len(past)


def _held_meeting(series: Any, entry: Any, number: int, chairs: list[Party], spec: dict, by: Any) -> None:
    meeting = services.meeting_for_occurrence(series=series, occurrence_start=entry.start, by=by,
                                              check_permission=False)
    for position, title in enumerate(spec["agenda"]):
        services.agenda_item_add(meeting=meeting, by=by, title=_text(title), minutes_allotted=15 + 5 * (position % 2),
                                 check_permission=False)
    for party in chairs:
        services.attendance_set(meeting=meeting, by=by, party=party, status=Attendance.Status.PRESENT,
                                check_permission=False)
    services.meeting_hold(meeting=meeting, by=by, check_permission=False)
    topic = spec["agenda"][1 + number % 3]
    host = meeting.host_party.short_name if meeting.host_party else "—"
    text = MultilingualText({lang: body.format(topic=topic[lang], host=host)
                             for lang, body in spec["minutes"].items()}, "en")
    minutes = services_minutes.minutes_save(meeting=meeting, by=by, text=text, check_permission=False)
    services_minutes.minutes_circulate(minutes=minutes, by=by, notify=False, check_permission=False)
    for party in chairs:
        services_minutes.minutes_answer(minutes=minutes, by=by, delegation=str(party.country), answer="approved",
                                        check_permission=False)
    decision = spec["decisions"][number % len(spec["decisions"])]
    positions = {party: POSITIONS[(number + i) % len(POSITIONS)] for i, party in enumerate(chairs)}
    services_minutes.decision_record(meeting=meeting, by=by, text=_text(decision), positions=positions,
                                     notes={p: "Subject to national review." for p, v in positions.items()
                                            if v == "reservation"}, check_permission=False)
    for offset in range(2):
        owner = chairs[(number + offset) % len(chairs)]
        person = next((m.person for m in owner.group_memberships.filter(group=meeting.group, person__isnull=False)),
                      None)
        action = services_minutes.action_item_add(
            meeting=meeting, by=by, description=_text(spec["actions"][(number + offset) % len(spec["actions"])]),
            owner_party=owner, owner_person=person, due_on=(meeting.start + timedelta(days=40)).date(),
            check_permission=False)
        if number < 9 and offset == 0:
            services_minutes.action_item_update(item=action, by=by, status="done", check_permission=False,
                                                evidence="Reported at the following meeting.")
    if number % 4 == 0:
        services_minutes.minutes_release(minutes=Minutes.objects.get(pk=minutes.pk), by=by, level="platform",
                                         check_permission=False)
