"""The records API writes: share, change, publish, withdraw and release a record, each with its permission checks,
and every answer matching the committed OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest

from spacebridge.access.models import Level, Marking
from spacebridge.records.models import Concept, Record, ReleaseDecision
from spacebridge.records.services import concept_upsert
from spacebridge.records.tests import test_api
from spacebridge.records.tests.test_api import BASE, LEGAL_BASIS, Caller, World, checked, shared_record

pytestmark = pytest.mark.django_db

world = test_api.world  # the cast of test_api, as a fixture of this module too

NEW_RECORD = {
    "owner_party": "cmsa",
    "type": "publication",
    "title": {"original": "zh", "text": {"zh": "空间站骨密度研究", "en": "Bone density on the space station"}},
    "abstract": {"original": "en", "text": {"en": "Twelve crew members over six months."}},
    "keywords": {"en": ["bone density", "microgravity"], "zh": ["骨密度"]},
    "published_on": "2019-05-01",
    "licence": "CC-BY-4.0",
    "identifiers": [{"scheme": "doi", "value": "https://doi.org/10.1038/S41526-019-0001-X"}],
    "contributors": [{"name": "Li Wei", "role": "author", "party": "cmsa"}],
}


@pytest.fixture
def liaison(world: World, client: Any) -> Caller:
    return Caller(client, world.liaison)


def _create(caller: Caller, **changes: Any) -> Any:
    return caller.post(f"{BASE}/", {**NEW_RECORD, **changes})


def test_share_a_record(world: World, liaison: Caller) -> None:
    concept_upsert(code="bone-loss", pref={"en": "bone loss", "zh": "骨质流失", "ru": "потеря костной массы"})
    body = checked(_create(liaison, subjects=["bone-loss"]), "/", "post", status=201)
    assert body["reference"].startswith("SB-") and body["status"] == "draft" and body["version"] == 0
    assert body["title"]["original"] == "zh" and body["subjects"] == ["bone-loss"]
    assert body["identifiers"] == [{"scheme": "doi", "value": "10.1038/s41526-019-0001-x"}]
    assert body["contributors"] == [{"name": "Li Wei", "role": "author", "person": None, "party": "cmsa"}]
    assert body["working_copy"] is True and body["who_can_see"]["level"] == Level.OWNER
    draft = body["reference"]
    assert world.callers["owner"].get(f"{BASE}/{draft}").status_code == 200
    assert world.callers["russian"].get(f"{BASE}/{draft}").status_code == 404


def test_sharing_needs_a_member_of_the_party(world: World, client: Any) -> None:
    checked(_create(world.callers["russian"]), "/", "post", status=403)
    checked(_create(world.callers["anonymous"]), "/", "post", status=401)
    assert not Record.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"type": "poem"}, "type"),
        ({"owner_party": "nobody"}, "owner_party"),
        ({"subjects": ["no-such-concept"]}, "subjects"),
        ({"identifiers": [{"scheme": "doi", "value": "not a doi"}]}, "identifiers"),
        ({"licence": "not a licence!"}, "licence"),
        ({"keywords": {"xx": ["word"]}}, "keywords"),
        ({"related": [{"relation": "cites", "reference": "SB-1999-000001"}]}, "related"),
        ({"contributors": [{"name": "X", "role": "hero"}]}, "contributors"),
        ({"contributors": [{"name": "X", "person": 10**30}]}, "contributors.0.person"),
        ({"contributors": [{"name": "X", "person": 987654}]}, "contributors"),
        ({"title": {"original": "en", "text": {}}}, "title"),
    ],
)
def test_invalid_records_are_refused_with_the_field(
    world: World, liaison: Caller, changes: dict[str, Any], field: str
) -> None:
    problem = checked(_create(liaison, **changes), "/", "post", status=422)
    assert field in problem["errors"], problem
    assert not Record.objects.exists()


def test_a_duplicate_identifier_names_the_record_that_has_it(world: World, liaison: Caller) -> None:
    first = _create(liaison).json()["reference"]
    problem = checked(_create(liaison), "/", "post", status=422)
    assert first in problem["errors"]["identifiers"][0]


def test_change_publish_and_see_the_difference(world: World, liaison: Caller) -> None:
    reference = _create(liaison).json()["reference"]
    published = checked(
        liaison.post(f"{BASE}/{reference}/publish", {"note": "first"}), "/{reference}/publish", "post", status=200
    )
    assert (published["status"], published["version"], published["has_unpublished_changes"]) == (
        "published",
        1,
        False,
    )
    again = liaison.post(f"{BASE}/{reference}/publish", {})
    checked(again, "/{reference}/publish", "post", status=422)
    changed = checked(
        liaison.patch(f"{BASE}/{reference}", {"licence": "CC0-1.0", "published_on": None}),
        "/{reference}",
        "patch",
        status=200,
    )
    assert changed["licence"] == "CC0-1.0" and changed["published_on"] is None and changed["has_unpublished_changes"]
    assert changed["title"]["text"]["zh"] == "空间站骨密度研究"  # fields not sent stay as they were
    liaison.post(f"{BASE}/{reference}/publish", {"note": "open licence"})
    diff = liaison.get(f"{BASE}/{reference}/diff").json()
    assert {c["field"]: (c["old"], c["new"]) for c in diff["changes"]} == {
        "licence": ("CC-BY-4.0", "CC0-1.0"),
        "published_on": ("2019-05-01", None),
    }


def test_required_fields_cannot_be_emptied(world: World, liaison: Caller) -> None:
    reference = _create(liaison).json()["reference"]
    problem = checked(liaison.patch(f"{BASE}/{reference}", {"title": None}), "/{reference}", "patch", status=422)
    assert "title" in problem["errors"]


def test_only_the_owner_party_changes_publishes_or_withdraws(world: World, liaison: Caller) -> None:
    record = shared_record(world, release={"level": Level.PLATFORM})
    russian = world.callers["russian"]
    path = f"{BASE}/{record.reference}"
    checked(russian.patch(path, {"licence": "CC0-1.0"}), "/{reference}", "patch", status=403)
    checked(russian.post(f"{path}/publish", {}), "/{reference}/publish", "post", status=403)
    checked(russian.post(f"{path}/withdraw", {"reason": "mine now"}), "/{reference}/withdraw", "post", status=403)
    hidden = shared_record(world, release={"level": Level.OWNER})
    checked(russian.patch(f"{BASE}/{hidden.reference}", {"licence": "MIT"}), "/{reference}", "patch", status=404)
    checked(world.callers["anonymous"].patch(path, {"licence": "MIT"}), "/{reference}", "patch", status=401)
    assert Record.objects.get(pk=record.pk).licence == ""


def test_withdraw_leaves_a_tombstone(world: World, liaison: Caller) -> None:
    record = shared_record(world, release={"level": Level.PUBLIC})
    path = f"{BASE}/{record.reference}"
    checked(liaison.post(f"{path}/withdraw", {"reason": ""}), "/{reference}/withdraw", "post", status=422)
    body = checked(
        liaison.post(f"{path}/withdraw", {"reason": "Data error found"}), "/{reference}/withdraw", "post", status=200
    )
    assert body["status"] == "withdrawn" and body["withdrawal_reason"] == "Data error found"
    tombstone = checked(world.callers["anonymous"].get(path), "/{reference}", status=410)
    assert tombstone["reason"] == "Data error found"
    checked(liaison.patch(path, {"licence": "MIT"}), "/{reference}", "patch", status=422)


def _release(caller: Caller, reference: str, headers: dict[str, str] | None = None, **body: Any) -> Any:
    return caller.post(f"{BASE}/{reference}/release", body, **(headers or {}))


def test_release_to_a_delegation_and_a_party(world: World, liaison: Caller) -> None:
    record = shared_record(world)
    russian, american = world.callers["russian"], world.callers["american"]
    assert russian.get(f"{BASE}/{record.reference}").status_code == 404
    body = checked(
        _release(liaison, record.reference, level="parties", delegations=["ru"], parties=["nasa"], reason="MoU art. 4"),
        "/{reference}/release",
        "post",
        status=200,
    )
    assert body["audience"]["delegations"] == ["RU"] and body["audience"]["parties"] == ["nasa"]
    assert body["reason"] == "MoU art. 4" and body["decided_by"] and body["who_can_see"]["level"] == "parties"
    assert russian.get(f"{BASE}/{record.reference}").status_code == 200
    assert american.get(f"{BASE}/{record.reference}").status_code == 200
    assert world.callers["anonymous"].get(f"{BASE}/{record.reference}").status_code == 404
    decisions = checked(
        russian.get(f"{BASE}/{record.reference}/release-decisions"), "/{reference}/release-decisions", status=200
    )
    assert [d["kind"] for d in decisions["items"]] == ["release"]


def test_release_to_a_working_group_with_an_embargo(world: World, liaison: Caller) -> None:
    record = shared_record(world)
    body = _release(liaison, record.reference, level="group", group="WG-MED", embargo_until="2099-01-01T00:00:00")
    assert body.status_code == 200, body.content
    assert body.json()["audience"]["embargo_until"].startswith("2099-01-01T00:00:00")
    assert world.callers["american"].get(f"{BASE}/{record.reference}").status_code == 404  # embargoed
    _release(liaison, record.reference, level="group", group="WG-MED")
    assert world.callers["american"].get(f"{BASE}/{record.reference}").status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"level": "everyone"}, "level"),
        ({"level": "parties"}, "level"),
        ({"level": "parties", "parties": ["nobody"]}, "parties"),
        ({"level": "parties", "delegations": ["XX"]}, "delegations"),
        ({"level": "group", "group": "WG-NONE"}, "group"),
        ({"level": "public", "marking": "dual-use"}, "legal_basis"),
    ],
)
def test_invalid_releases_are_refused_with_the_field(
    world: World, liaison: Caller, body: dict[str, Any], field: str
) -> None:
    record = shared_record(world)
    problem = checked(_release(liaison, record.reference, **body), "/{reference}/release", "post", status=422)
    assert field in problem["errors"], problem
    assert not ReleaseDecision.objects.filter(record=record).exists()


def test_a_controlled_record_is_never_released_beyond_its_owner(world: World, liaison: Caller) -> None:
    record = shared_record(world)
    body = {"level": "platform", "marking": "controlled", "legal_basis": LEGAL_BASIS}
    problem = checked(_release(liaison, record.reference, **body), "/{reference}/release", "post", status=422)
    assert "never released beyond its owner party" in problem["errors"]["level"][0]
    in_russian = _release(liaison, record.reference, {"HTTP_ACCEPT_LANGUAGE": "ru"}, **body)
    assert in_russian.status_code == 422
    assert in_russian.json()["errors"]["level"][0] != problem["errors"]["level"][0]
    kept = _release(liaison, record.reference, level="owner", marking="controlled", legal_basis=LEGAL_BASIS)
    assert kept.status_code == 200
    assert any("controlled" in line.lower() for line in kept.json()["who_can_see"]["lines"])


def test_only_the_owner_partys_liaison_officer_decides(world: World, client: Any) -> None:
    record = shared_record(world, release={"level": Level.PLATFORM})
    other_liaison = Caller(client, world.russian_liaison)
    checked(_release(other_liaison, record.reference, level="public"), "/{reference}/release", "post", status=403)
    checked(
        _release(world.callers["owner"], record.reference, level="public"), "/{reference}/release", "post", status=403
    )
    hidden = shared_record(world, release={"level": Level.OWNER})
    checked(_release(other_liaison, hidden.reference, level="public"), "/{reference}/release", "post", status=404)
    assert world.callers["anonymous"].get(f"{BASE}/{record.reference}").status_code == 404


def test_dual_use_release_waits_for_the_export_officer(world: World, liaison: Caller, client: Any) -> None:
    record = shared_record(world)
    path = f"{BASE}/{record.reference}"
    _release(liaison, record.reference, level="parties", parties=["ibmp"], marking="dual-use", legal_basis=LEGAL_BASIS)
    assert world.callers["russian"].get(path).status_code == 404
    checked(liaison.post(f"{path}/release/approve", {}), "/{reference}/release/approve", "post", status=403)
    officer = Caller(client, world.export_officer)
    approval = checked(
        officer.post(f"{path}/release/approve", {"note": "checked"}), "/{reference}/release/approve", "post", status=200
    )
    assert approval["kind"] == "export_approval" and approval["audience"]["marking"] == Marking.DUAL_USE
    assert world.callers["russian"].get(path).status_code == 200
    decisions = liaison.get(f"{path}/release-decisions").json()["items"]
    assert [d["kind"] for d in decisions] == ["export_approval", "release"]
    unmarked = shared_record(world, release={"level": Level.PUBLIC})
    not_needed = officer.post(f"{BASE}/{unmarked.reference}/release/approve", {})
    checked(not_needed, "/{reference}/release/approve", "post", status=422)


def test_concept_codes_round_trip(world: World, liaison: Caller) -> None:
    concept_upsert(code="radiation", pref={"en": "radiation exposure"})
    reference = _create(liaison, subjects=["radiation"]).json()["reference"]
    assert liaison.patch(f"{BASE}/{reference}", {"subjects": []}).json()["subjects"] == []
    assert Concept.objects.filter(code="radiation").exists()
