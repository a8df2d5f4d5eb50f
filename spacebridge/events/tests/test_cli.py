"""`spacebridge events …`."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from spacebridge.cli import main
from spacebridge.events.models import Event, Registration
from spacebridge.events.services import session_add
from spacebridge.events.tests.factories import event_of, organiser
from spacebridge.parties.tests.factories import PartyFactory, member_of

pytestmark = pytest.mark.django_db


def test_list_show_register_cancel_and_participants(tmp_path: Path) -> None:
    event = event_of(registration_open=True, capacity=1)
    session_add(event=event, by=organiser(), title={"en": "Opening"}, starts_at=event.starts_at,
                ends_at=event.starts_at + timedelta(hours=1))
    first, second = member_of(PartyFactory(), username="first"), member_of(PartyFactory(), username="second")
    runner = CliRunner()
    listed = runner.invoke(main, ["events", "list", "--when", "upcoming"])
    assert listed.exit_code == 0 and "symposium-2027" in listed.output and "Asia/Shanghai" in listed.output
    shown = runner.invoke(main, ["events", "show", "symposium-2027"])
    assert "Opening" in shown.output and "UTC+08:00" in shown.output
    assert runner.invoke(main, ["events", "register", "symposium-2027", "--user", "first"]).output.endswith("confirmed\n")
    assert runner.invoke(main, ["events", "register", "symposium-2027", "--user", "second"]).output.endswith("waitlisted\n")
    again = runner.invoke(main, ["events", "register", "symposium-2027", "--user", "second"])
    assert again.exit_code != 0 and "already registered" in again.output
    hidden = runner.invoke(main, ["events", "participants", "symposium-2027", "--as-user", "second"])
    assert hidden.exit_code != 0
    registration = Registration.objects.get(user=first)
    cancelled = runner.invoke(main, ["events", "cancel", "symposium-2027", str(registration.pk), "--by", "first"])
    assert cancelled.exit_code == 0, cancelled.output
    rows = runner.invoke(main, ["events", "participants", "symposium-2027", "--as-user", "event-organiser", "--json"])
    statuses = {json.loads(line)["name"]: json.loads(line)["status"] for line in rows.output.splitlines()}
    assert statuses == {first.person.display_name(): "cancelled", second.person.display_name(): "confirmed"}
    out = tmp_path / "event.ics"
    assert runner.invoke(main, ["events", "ics", "symposium-2027", "--language", "ru", "--output", str(out)]).exit_code == 0
    assert str(Calendar.from_ical(out.read_bytes()).walk("VEVENT")[0]["summary"]) == "Симпозиум по космической медицине"
    assert runner.invoke(main, ["events", "show", "nothing"]).exit_code != 0


def test_load_validates_and_creates(tmp_path: Path, settings: Any) -> None:
    party = PartyFactory(code="hainan-gov")
    organiser()
    spec = {
        "slug": "training-2027", "kind": "training", "title": {"en": "Telemedicine training"},
        "time_zone": "Asia/Shanghai", "starts": "2027-03-01T09:00", "ends": "2027-03-01T08:00",
        "organiser": party.code, "registration": {"open": True, "capacity": 10},
        "sessions": [], "participants": [{"name": "Ann Lee", "email": "ann@example.org"}],
    }
    path = tmp_path / "event.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    bad = CliRunner().invoke(main, ["events", "load", str(path), "--by", "event-organiser"])
    assert bad.exit_code != 0 and "must end after it starts" in bad.output and not Event.objects.exists()
    path.write_text(json.dumps(spec | {"ends": "2027-03-01T17:00"}), encoding="utf-8")
    done = CliRunner().invoke(main, ["events", "load", str(path), "--by", "event-organiser"])
    assert done.exit_code == 0, done.output
    assert Event.objects.get().registrations.get().name == "Ann Lee"
    path.write_text("not json", encoding="utf-8")
    assert CliRunner().invoke(main, ["events", "load", str(path), "--by", "event-organiser"]).exit_code != 0
