""" "Who can see this and why": the sentences every object page and API answer show."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from spacebridge.access.explain import explain
from spacebridge.access.models import Level, Marking
from spacebridge.access.services import release_approve_export, release_grant_add, release_set
from spacebridge.core.multilingual import MultilingualText
from spacebridge.groups.services import group_create, group_membership_add
from spacebridge.parties.models import Role
from spacebridge.parties.tests.factories import PartyFactory, PersonFactory, member_of, secretariat_user

pytestmark = pytest.mark.django_db

BASIS = "Wassenaar Arrangement 9.A"
FAR_FUTURE = datetime(2099, 5, 1, 12, 0, tzinfo=UTC)
LONG_AGO = datetime(2020, 1, 30, 12, 0, tzinfo=UTC)


@pytest.fixture
def cast():  # type: ignore[no-untyped-def]
    cmsa = PartyFactory(code="cmsa", short_name="CMSA", country="CN")
    ibmp = PartyFactory(code="ibmp", short_name="IBMP", country="RU")
    nasa = PartyFactory(code="nasa", short_name="NASA", country="US")
    return {
        "cmsa": cmsa,
        "ibmp": ibmp,
        "nasa": nasa,
        "officer": member_of(cmsa, role="liaison_officer"),
        "exporter": member_of(cmsa, role="export_officer"),
        "owner member": member_of(cmsa),
        "russian": member_of(ibmp),
        "american": member_of(nasa),
        "subject": PersonFactory(transliteration="Wang Yaping"),
    }


def _decide(cast, **kwargs):  # type: ignore[no-untyped-def]
    return release_set(obj=cast["subject"], by=cast["officer"], owner_party=cast["cmsa"], **kwargs)


def _day(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d")


def test_a_party_without_a_decision_is_public_by_default(cast):
    explanation = explain(cast["nasa"], AnonymousUser())
    assert explanation["level"] == Level.PUBLIC
    assert explanation["lines"] == [
        "Visible to everyone, including visitors who are not signed in: parties are listed publicly."
    ]
    assert explanation["viewer"] == "You see it under this release."


def test_a_person_without_a_decision_is_shown_to_members(cast):
    explanation = explain(PersonFactory(), AnonymousUser())
    assert explanation["level"] == Level.PLATFORM
    assert explanation["lines"] == [
        "Visible to all signed-in members of the platform: people are shown to members only."
    ]
    assert explanation["viewer"] == "You would not see it under this release."
    assert explain(PersonFactory(), cast["american"])["viewer"] == "You see it under this release."


def test_a_model_nobody_registered_is_shown_to_nobody(cast):
    explanation = explain(Role.objects.get(code="member"), cast["american"])
    assert explanation["level"] == Level.OWNER
    assert explanation["lines"] == ["Visible to nobody outside its owner: no release has been decided."]
    assert explanation["viewer"] == "You would not see it under this release."


def test_release_to_a_delegation_names_the_country_and_who_decided(cast):
    policy = _decide(cast, level=Level.PARTIES, countries=["RU"], reason="Joint bed-rest study")
    explanation = explain(cast["subject"], cast["russian"])
    assert explanation["level"] == Level.PARTIES
    assert explanation["lines"] == [
        "Always visible to the owner party, CMSA.",
        "Visible to the delegation of Russia (every party of that country), because the owner party, CMSA, "
        f"released it on {_day(policy.decided_at)}.",
        "Reason given: Joint bed-rest study",
    ]
    assert explanation["viewer"] == "You see it under this release."
    assert explain(cast["subject"], cast["american"])["viewer"] == "You would not see it under this release."


def test_release_to_named_parties_names_each_and_their_sub_parties(cast):
    policy = _decide(cast, level=Level.PARTIES, parties=[cast["nasa"], cast["ibmp"]])
    lines = explain(cast["subject"], cast["american"])["lines"]
    because = f"because the owner party, CMSA, released it on {_day(policy.decided_at)}"
    assert f"Visible to NASA and its sub-parties, {because}." in lines
    assert f"Visible to IBMP and its sub-parties, {because}." in lines


def test_release_to_a_working_group_names_the_group(cast):
    secretariat = secretariat_user()
    group = group_create(by=secretariat, acronym="wg-med", name=MultilingualText({"en": "Space medicine"}, "en"))
    group_membership_add(group=group, by=secretariat, party=cast["ibmp"], role="member_party")
    _decide(cast, level=Level.GROUP, group=group)
    explanation = explain(cast["subject"], cast["russian"])
    assert any(
        line.startswith("Visible to the members of working group WG-MED, because") for line in explanation["lines"]
    )
    assert explanation["viewer"] == "You see it under this release."


@pytest.mark.parametrize(
    ("level", "sentence"),
    [
        (Level.PUBLIC, "Visible to everyone, including visitors who are not signed in, because"),
        (Level.PLATFORM, "Visible to all signed-in members of the platform, because"),
    ],
)
def test_open_releases_say_so(cast, level, sentence):
    _decide(cast, level=level)
    explanation = explain(cast["subject"], AnonymousUser())
    assert explanation["lines"][0] == "Always visible to the owner party, CMSA."
    assert explanation["lines"][1].startswith(sentence)
    assert explanation["level_label"] == Level(level).label


def test_owner_only_release_says_only_the_owner(cast):
    _decide(cast, level=Level.OWNER)
    explanation = explain(cast["subject"], cast["owner member"])
    assert explanation["lines"] == ["Always visible to the owner party, CMSA."]
    assert explanation["viewer"] == "You see it as a member of the owner party."
    assert explain(cast["subject"], cast["russian"])["viewer"] == "You would not see it under this release."


def test_unapproved_dual_use_explains_the_wait(cast):
    policy = _decide(cast, level=Level.PLATFORM, marking=Marking.DUAL_USE, legal_basis=BASIS)
    explanation = explain(cast["subject"], cast["american"])
    assert explanation["marking"] == Marking.DUAL_USE
    assert explanation["lines"] == [
        "Always visible to the owner party, CMSA.",
        f"Marked dual-use ({BASIS}): the release takes effect only when the owner party's export officer approves "
        "it, and that approval has not been given.",
        "Visible to all signed-in members of the platform, because the owner party, CMSA, released it on "
        f"{_day(policy.decided_at)}. Not yet in effect: waiting for the owner party's export officer to approve.",
    ]
    assert explanation["viewer"] == "You would not see it under this release."


def test_a_controlled_object_says_it_stays_with_the_owner(cast):
    _decide(cast, level=Level.OWNER, marking=Marking.CONTROLLED, legal_basis=BASIS)
    explanation = explain(cast["subject"], cast["russian"])
    assert explanation["lines"] == [
        "Always visible to the owner party, CMSA.",
        f"Marked controlled ({BASIS}): it is never released beyond the owner party.",
    ]
    assert explanation["viewer"] == "You would not see it under this release."


def test_access_granted_to_one_more_party_gives_its_own_reason(cast):
    _decide(cast, level=Level.OWNER)
    grant = release_grant_add(obj=cast["subject"], by=cast["officer"], party=cast["nasa"], reason="Access request 12")
    explanation = explain(cast["subject"], cast["american"])
    assert (
        f"Visible to NASA and its sub-parties, because access was granted on {_day(grant.granted_at)}: "
        "Access request 12." in explanation["lines"]
    )
    assert explanation["viewer"] == "You see it under this release."


def test_approved_dual_use_names_the_approval_and_the_audience(cast):
    _decide(cast, level=Level.PLATFORM, marking=Marking.DUAL_USE, legal_basis=BASIS)
    policy = release_approve_export(obj=cast["subject"], by=cast["exporter"])
    explanation = explain(cast["subject"], cast["american"])
    assert (
        f"Marked dual-use ({BASIS}): the owner party's export officer approved this release on "
        f"{_day(policy.export_approved_at)}." in explanation["lines"]
    )
    assert any(line.startswith("Visible to all signed-in members of the platform") for line in explanation["lines"])
    assert explanation["viewer"] == "You see it under this release."


def test_an_embargo_names_its_end_and_holds_the_audience_back(cast):
    _decide(cast, level=Level.PUBLIC, embargo_until=FAR_FUTURE)
    explanation = explain(cast["subject"], AnonymousUser())
    assert explanation["lines"] == [
        "Always visible to the owner party, CMSA.",
        "Under embargo until 2099-05-01: until then only the owner party sees it.",
    ]
    assert explanation["viewer"] == "You would not see it under this release."
    assert explain(cast["subject"], cast["owner member"])["viewer"] == "You see it as a member of the owner party."


def test_an_embargo_that_ended_is_not_mentioned(cast):
    _decide(cast, level=Level.PUBLIC, embargo_until=LONG_AGO)
    explanation = explain(cast["subject"], AnonymousUser())
    assert not any("embargo" in line for line in explanation["lines"])
    assert explanation["lines"][1].startswith("Visible to everyone")
    assert explanation["viewer"] == "You see it under this release."


def test_the_object_page_shows_the_same_sentences(client, cast):
    policy = _decide(cast, level=Level.PARTIES, countries=["RU"])
    # Decided at noon UTC: the same day in the viewer's zone, whatever the hour the test runs.
    policy.decided_at = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    policy.save(update_fields=["decided_at"])
    client.force_login(cast["russian"])
    page = client.get(f"/parties/people/{cast['subject'].pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Who can see this?" in text
    assert (
        "Visible to the delegation of Russia (every party of that country), because the owner party, CMSA, "
        f"released it on {_day(policy.decided_at)}." in text
    )
    assert "You see it under this release." in text


def test_an_undecided_record_is_its_owner_partys_as_the_lists_say(cast):
    from spacebridge.access.policy import can_see, policy_of
    from spacebridge.records.selectors import records_visible
    from spacebridge.records.tests.factories import shared_record

    record = shared_record(owner_party=cast["cmsa"], level=Level.OWNER)  # published, no release decided yet
    assert policy_of(record) is None
    for viewer in ("owner member", "officer"):
        explanation = explain(record, cast[viewer])
        assert explanation["viewer"] == "You see it as a member of the owner party."
        assert explanation["lines"] == [
            "Always visible to the owner party, CMSA.",
            "Visible to nobody outside its owner: no release has been decided.",
        ]
        assert can_see(cast[viewer], record)
        assert records_visible(user=cast[viewer]).filter(pk=record.pk).exists()
    for viewer in (cast["russian"], cast["american"], AnonymousUser()):
        assert explain(record, viewer)["viewer"] == "You would not see it under this release."
        assert not can_see(viewer, record)
        assert not records_visible(user=viewer).filter(pk=record.pk).exists()
