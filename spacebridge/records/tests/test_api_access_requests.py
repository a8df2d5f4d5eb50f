"""Access requests and the thesaurus over the records API. Asking for a record answers alike whether or not it
exists, so the answer never reveals a record; the owner party's liaison officers grant or refuse."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from spacebridge.access.models import Level, Marking
from spacebridge.records.models import AccessRequest
from spacebridge.records.services import concept_upsert
from spacebridge.records.tests import test_api
from spacebridge.records.tests.test_api import BASE, LEGAL_BASIS, Caller, World, checked, shared_record

pytestmark = pytest.mark.django_db

world = test_api.world  # the cast of test_api, as a fixture of this module too

REQUESTS = "/access-requests/"
WHY = "We are preparing a joint bone-loss countermeasure study and need the protocol."


def _ask(caller: Caller, reference: str, party: str = "ibmp", justification: str = WHY) -> Any:
    return caller.post(f"{BASE}{REQUESTS}", {"reference": reference, "party": party, "justification": justification})


def test_asking_answers_alike_whether_or_not_the_record_exists(world: World) -> None:
    restricted = shared_record(world, release={"level": Level.OWNER})
    controlled = shared_record(
        world, release={"level": Level.OWNER, "marking": Marking.CONTROLLED, "legal_basis": LEGAL_BASIS}
    )
    russian = world.callers["russian"]
    answers = [_ask(russian, reference) for reference in (restricted.reference, "SB-1999-999999", controlled.reference)]
    for answer in answers:
        checked(answer, REQUESTS, "post", status=202)
    assert len({answer.content for answer in answers}) == 1
    # Only the real, askable record's request reaches an owner party; the others are kept for the requester alone.
    reached = AccessRequest.objects.filter(record__isnull=False)
    assert list(reached.values_list("record__reference", flat=True)) == [restricted.reference]
    # The requester's list looks alike for the three: the reference asked for, pending, nothing more.
    items = checked(russian.get(f"{BASE}{REQUESTS}"), REQUESTS, status=200)["items"]
    shape = {(item["direction"], item["status"], item["decided_at"], item["justification"]) for item in items}
    assert shape == {("sent", "pending", None, WHY)}
    assert sorted(item["reference"] for item in items) == sorted(
        [restricted.reference, "SB-1999-999999", controlled.reference]
    )
    assert {frozenset(item) for item in items} == {frozenset(items[0])}


def test_a_request_that_reached_no_one_is_answered_by_no_one(world: World, client: Any) -> None:
    restricted = shared_record(world, release={"level": Level.OWNER})
    russian = world.callers["russian"]
    _ask(russian, restricted.reference)
    _ask(russian, "SB-1999-999999")
    liaison = Caller(client, world.liaison)
    received = checked(liaison.get(f"{BASE}{REQUESTS}"), REQUESTS, status=200)["items"]
    assert [item["reference"] for item in received] == [restricted.reference]
    ids = {
        item["reference"]: item["id"]
        for item in checked(russian.get(f"{BASE}{REQUESTS}"), REQUESTS, status=200)["items"]
    }
    # The requester cannot answer either request, and is told so in the same words.
    details = set()
    for reference in (restricted.reference, "SB-1999-999999"):
        decision = russian.post(
            f"{BASE}{REQUESTS}{ids[reference]}/decision", {"grant": True, "reason": "Self-service."}
        )
        details.add((decision.status_code, decision.json()["detail"]))
    assert len(details) == 1 and details.pop()[0] == 403
    phantom = ids["SB-1999-999999"]
    answer = liaison.post(f"{BASE}{REQUESTS}{phantom}/decision", {"grant": True, "reason": "Why not."})
    assert answer.status_code == 404
    assert AccessRequest.objects.get(pk=phantom).status == AccessRequest.Status.PENDING


def test_asking_checks_only_what_the_requester_may_know(world: World) -> None:
    restricted = shared_record(world, release={"level": Level.OWNER})
    russian = world.callers["russian"]
    for reference in (restricted.reference, "SB-1999-999999"):
        checked(_ask(russian, reference, justification="short"), REQUESTS, "post", status=422)
        checked(_ask(russian, reference, party="nasa"), REQUESTS, "post", status=403)
        checked(_ask(world.callers["anonymous"], reference), REQUESTS, "post", status=401)
    assert not AccessRequest.objects.exists()


def test_the_owner_party_grants_and_the_requester_then_sees_the_record(world: World, client: Any) -> None:
    record = shared_record(world, release={"level": Level.OWNER})
    russian, american = world.callers["russian"], world.callers["american"]
    liaison = Caller(client, world.liaison)
    _ask(russian, record.reference)
    sent = checked(russian.get(f"{BASE}{REQUESTS}"), REQUESTS, status=200)["items"]
    assert [(r["reference"], r["direction"], r["status"]) for r in sent] == [(record.reference, "sent", "pending")]
    received = checked(liaison.get(f"{BASE}{REQUESTS}"), REQUESTS, status=200)["items"]
    assert [(r["direction"], r["requester_party"], r["justification"]) for r in received] == [("received", "ibmp", WHY)]
    assert american.get(f"{BASE}{REQUESTS}").json()["items"] == []
    decision = f"{BASE}{REQUESTS}{sent[0]['id']}/decision"
    template = REQUESTS + "{request_id}/decision"
    checked(russian.post(decision, {"grant": True, "reason": "we decide ourselves"}), template, "post", status=403)
    checked(american.post(decision, {"grant": True, "reason": "not ours"}), template, "post", status=404)
    far_away = f"{BASE}{REQUESTS}{10**30}/decision"
    checked(liaison.post(far_away, {"grant": True, "reason": "no such request"}), template, "post", status=404)
    checked(liaison.post(decision, {"grant": True, "reason": ""}), template, "post", status=422)
    granted = checked(liaison.post(decision, {"grant": True, "reason": "joint study"}), template, "post", status=200)
    assert granted["status"] == "granted" and granted["decision_reason"] == "joint study" and granted["decided_at"]
    assert russian.get(f"{BASE}/{record.reference}").status_code == 200
    assert american.get(f"{BASE}/{record.reference}").status_code == 404
    checked(liaison.post(decision, {"grant": False, "reason": "changed our mind"}), template, "post", status=422)


def test_a_refusal_keeps_the_record_hidden(world: World, client: Any) -> None:
    record = shared_record(world, release={"level": Level.OWNER})
    russian = world.callers["russian"]
    _ask(russian, record.reference)
    request_id = AccessRequest.objects.get().pk
    liaison = Caller(client, world.liaison)
    refused = liaison.post(f"{BASE}{REQUESTS}{request_id}/decision", {"grant": False, "reason": "not yet published"})
    assert refused.status_code == 200 and refused.json()["status"] == "refused"
    assert russian.get(f"{BASE}/{record.reference}").status_code == 404
    mine = russian.get(f"{BASE}{REQUESTS}", {"status": "refused"}).json()["items"]
    assert [r["decision_reason"] for r in mine] == ["not yet published"]
    assert russian.get(f"{BASE}{REQUESTS}", {"status": "pending"}).json()["items"] == []
    checked(russian.get(f"{BASE}{REQUESTS}", {"status": "lost"}), REQUESTS, status=422)
    checked(world.callers["anonymous"].get(f"{BASE}{REQUESTS}"), REQUESTS, status=401)


@pytest.fixture
def thesaurus(db: Any) -> None:
    bone = concept_upsert(
        code="nasa-thesaurus#60100",
        pref={"en": "bone demineralization", "zh": "骨质脱矿", "ru": "деминерализация костей"},
        alt={"en": ["bone loss"]},
        source="NASA Thesaurus",
    )
    countermeasures = concept_upsert(code="countermeasures", pref={"en": "countermeasures", "ru": "контрмеры"})
    bone.broader.add(countermeasures)


def test_search_the_thesaurus_in_any_language(world: World, thesaurus: None) -> None:
    anonymous = world.callers["anonymous"]
    for query in ("bone loss", "骨质", "Деминерализация"):
        found = checked(anonymous.get(f"{BASE}/concepts/", {"q": query}), "/concepts/", status=200)
        assert [c["code"] for c in found["items"]] == ["nasa-thesaurus#60100"], query
    everything = anonymous.get(f"{BASE}/concepts/", {"limit": 1}).json()
    assert len(everything["items"]) == 1 and everything["next_cursor"]
    concept = checked(anonymous.get(f"{BASE}/concepts/{quote('nasa-thesaurus#60100')}"), "/concepts/{code}", status=200)
    assert concept["broader"] == ["countermeasures"] and concept["alt"] == {"en": ["bone loss"]}
    assert concept["pref"]["text"]["ru"] == "деминерализация костей"
    assert concept["who_can_see"]["level"] == "public"
    broader = anonymous.get(f"{BASE}/concepts/countermeasures").json()
    assert broader["narrower"] == ["nasa-thesaurus#60100"]
    checked(anonymous.get(f"{BASE}/concepts/no-such-concept"), "/concepts/{code}", status=404)
