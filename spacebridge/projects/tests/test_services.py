"""Writing projects: validation of dates, coordinates, contributions (ISO 4217) and agreement references; one lead
party; every change audited."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from spacebridge.audit.models import AuditEntry
from spacebridge.core.multilingual import MultilingualText
from spacebridge.parties.tests.factories import PartyFactory, member_of, secretariat_user
from spacebridge.projects import services
from spacebridge.projects.models import Milestone, Participation, Project
from spacebridge.projects.tests.factories import project_with

pytestmark = pytest.mark.django_db
NAME = MultilingualText({"en": "Space Medical University", "zh": "航天医科大学"}, "zh")


def test_the_secretariat_registers_a_project_with_its_lead_and_it_is_audited() -> None:
    by, lead = secretariat_user(), PartyFactory(code="hainmc")
    project = services.project_create(
        by=by, name=NAME, lead_party=lead, start=date(2018, 9, 1), place=MultilingualText({"en": "Haikou"}),
        latitude="20.0442", longitude="110.1983", agreements=["mou-2018-001"],
    )
    assert project.slug == "space-medical-university"
    assert project.lead.party == lead and project.agreements == ["MOU-2018-001"]
    assert str(project.latitude) == "20.044200"
    entry = AuditEntry.objects.get(verb="project.created")
    assert entry.changes["lead"] == "hainmc" and entry.changes["name"]["original"] == "zh"
    again = services.project_create(by=by, name=NAME, lead_party=lead)
    assert again.slug == "space-medical-university-2"


def test_only_the_secretariat_registers_and_the_lead_liaison_officer_edits() -> None:
    lead, other = PartyFactory(), PartyFactory()
    officer, stranger = member_of(lead, role="liaison_officer"), member_of(other, role="liaison_officer")
    with pytest.raises(PermissionDenied):
        services.project_create(by=officer, name=NAME, lead_party=lead)
    project = project_with(lead=lead)
    services.project_update(project=project, by=officer, status="completed")
    assert Project.objects.get().status == "completed"
    with pytest.raises(PermissionDenied):
        services.project_update(project=project, by=stranger, status="cancelled")
    assert AuditEntry.objects.filter(verb="project.updated").get().changes == {"status": ["active", "completed"]}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"start": date(2020, 1, 1), "end": date(2019, 1, 1)}, "end"),
        ({"latitude": "91", "longitude": "10"}, "latitude"),
        ({"latitude": "19", "longitude": "-181"}, "longitude"),
        ({"latitude": "19"}, "longitude"),
        ({"latitude": "north", "longitude": "east"}, "latitude"),
        ({"latitude": "NaN", "longitude": "1"}, "latitude"),
        ({"agreements": ["not a reference"]}, "agreements"),
        ({"status": "dreaming"}, "status"),
    ],
)
def test_bad_project_input_is_refused_on_its_field_and_leaves_nothing(fields: dict, field: str) -> None:
    with pytest.raises(ValidationError) as error:
        services.project_create(by=secretariat_user(), name=NAME, lead_party=PartyFactory(), **fields)
    assert field in error.value.error_dict
    assert not Project.objects.exists() and not AuditEntry.objects.filter(verb="project.created").exists()


def test_contributions_in_kind_or_an_amount_in_an_iso_4217_currency() -> None:
    project, party = project_with(), PartyFactory()
    by = secretariat_user()
    money = services.participation_set(
        project=project, by=by, party=party, contribution_kind="financial", amount="750000", currency="usd"
    )
    assert (str(money.amount), money.currency) == ("750000.00", "USD")
    for amount, currency, field in [("10", "XYZ", "currency"), ("", "USD", "amount"), ("-1", "USD", "amount"),
                                     ("1e20", "USD", "amount"), ("ten", "USD", "amount")]:
        with pytest.raises(ValidationError) as error:
            services.participation_set(project=project, by=by, party=party, contribution_kind="financial",
                                       amount=amount, currency=currency)
        assert field in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.participation_set(project=project, by=by, party=party, amount="5", currency="USD")
    assert "amount" in error.value.error_dict  # in kind has no amount
    assert Participation.objects.get(party=party).currency == "USD"


def test_a_project_always_has_exactly_one_lead() -> None:
    first, second = PartyFactory(), PartyFactory()
    project = project_with(lead=first, participants=(second,))
    by = secretariat_user()
    with pytest.raises(ValidationError):
        services.participation_set(project=project, by=by, party=first, role="participant")
    with pytest.raises(ValidationError):
        services.participation_remove(participation=project.participations.get(party=first), by=by)
    services.participation_set(project=project, by=by, party=second, role="lead")
    roles = dict(project.participations.values_list("party__code", "role"))
    assert roles == {first.code: "participant", second.code: "lead"}


def test_milestones_with_due_date_and_status() -> None:
    project, by = project_with(), secretariat_user()
    milestone = services.milestone_add(project=project, by=by, title=MultilingualText({"en": "Opening"}), due_on=date(2020, 5, 1))
    assert milestone.is_overdue
    services.milestone_update(milestone=milestone, by=by, status="achieved")
    milestone.refresh_from_db()
    assert milestone.status == "achieved" and milestone.achieved_on == date.today() and not milestone.is_overdue
    with pytest.raises(ValidationError):
        services.milestone_update(milestone=milestone, by=by, status="dreaming")
    with pytest.raises(ValidationError):
        services.milestone_add(project=project, by=by, title=MultilingualText(), due_on=date(2020, 5, 1))
    assert Milestone.objects.count() == 1
    assert AuditEntry.objects.filter(verb="project.milestone_changed").count() == 1
