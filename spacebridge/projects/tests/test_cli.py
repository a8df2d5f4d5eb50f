"""`spacebridge projects …`."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner

from spacebridge.cli import main
from spacebridge.parties.tests.factories import PartyFactory, secretariat_user
from spacebridge.projects.models import Milestone
from spacebridge.projects.tests.factories import project_with

pytestmark = pytest.mark.django_db


def test_list_show_and_record_a_milestone() -> None:
    lead = PartyFactory(code="wenchang-gov")
    project = project_with(lead=lead, name={"en": "World Space City"}, milestones=(("Master plan", date(2019, 6, 30), "planned"),))
    secretariat_user()
    runner = CliRunner()
    listed = runner.invoke(main, ["projects", "list", "--status", "active"])
    assert listed.exit_code == 0 and "World Space City" in listed.output and "wenchang-gov" in listed.output
    shown = runner.invoke(main, ["projects", "show", project.slug])
    milestone = Milestone.objects.get()
    assert f"#{milestone.pk}" in shown.output and "lead" in shown.output
    done = runner.invoke(main, ["projects", "milestone", project.slug, str(milestone.pk), "--status", "achieved",
                                "--achieved-on", "2019-05-20", "--by", "secretariat"])
    assert done.exit_code == 0, done.output
    milestone.refresh_from_db()
    assert milestone.achieved_on == date(2019, 5, 20)
    bad = runner.invoke(main, ["projects", "milestone", project.slug, str(milestone.pk), "--status", "dreaming", "--by", "secretariat"])
    assert bad.exit_code != 0 and "status" in bad.output
    assert runner.invoke(main, ["projects", "show", "nothing"]).exit_code != 0
    assert runner.invoke(main, ["projects", "list", "--status", "x"]).exit_code != 0
