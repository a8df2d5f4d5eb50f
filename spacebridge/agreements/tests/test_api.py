from __future__ import annotations

import json

import pytest
from django.test import Client

from spacebridge.agreements import selectors
from spacebridge.agreements import signing as crypto
from spacebridge.agreements.tests.factories import EN, RU, ZH, cast, key_pair

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def post(client: Client, path: str, body: dict) -> object:
    return client.post(f"/api/v1/agreements/{path}", json.dumps(body), content_type="application/json")


def test_the_whole_life_through_the_api() -> None:
    world = cast()
    officer = client_for(world.officers[0])
    created = post(
        officer,
        "",
        {
            "title": {"en": "Telemedicine MoU"},
            "lead_party": world.parties[0].code,
            "parties": [p.code for p in world.parties[1:]],
        },
    )
    assert created.status_code == 201, created.content
    reference = created.json()["reference"]
    for language, body in {"en": EN, "zh": ZH, "ru": RU}.items():
        assert post(officer, f"{reference}/texts", {"language": language, "body": body}).status_code == 201
    text = officer.get(f"/api/v1/agreements/{reference}/texts/zh").json()
    assert [a["label"] for a in text["articles"]][1:] == ["第一条", "第二条", "第三条"]
    changed = post(client_for(world.officers[1]), f"{reference}/texts", {"language": "ru", "body": RU + "\nИзм.\n"})
    assert {t["language"]: t["out_of_step"] for t in changed.json()["texts"]} == {"en": True, "zh": True, "ru": False}
    for language in ("en", "zh"):
        assert post(officer, f"{reference}/texts/{language}/confirm", {}).status_code == 200
    refused = post(officer, f"{reference}/status", {"status": "in_force"})
    assert refused.status_code == 422
    assert refused["Content-Type"] == "application/problem+json"
    assert post(officer, f"{reference}/status", {"status": "negotiation"}).status_code == 200
    agreement = selectors.Agreement.objects.get(reference=reference)
    for user, party in zip(world.officers, world.parties, strict=True):
        client = client_for(user)
        key, public = key_pair()
        assert post(client, "keys", {"party": party.code, "public_key": public}).status_code == 201
        signature = crypto.sign_digest(key, selectors.agreement_hash(agreement))
        answer = post(client, f"{reference}/signatures", {"party": party.code, "signature": signature})
        assert answer.status_code == 201, answer.content
    final = answer.json()
    assert final["status"] == "in_force"
    assert all(s["valid"] for p in final["party_details"] for s in p["signatures"])
    commitment = post(
        officer,
        f"{reference}/commitments",
        {
            "article": "2",
            "passage": {"en": "a joint working group on space medicine"},
            "responsible_parties": [world.parties[0].code],
            "due_on": "2000-01-01",
        },
    )
    assert commitment.status_code == 201 and commitment.json()["status"] == "late"
    done = post(officer, f"{reference}/commitments/{commitment.json()['id']}/state", {"state": "done"})
    assert done.json()["status"] == "done"
    assert officer.get(f"/api/v1/agreements/{reference}").json()["implementation"] == "done"


def test_others_get_404_and_bad_input_422() -> None:
    world = cast()
    officer = client_for(world.officers[0])
    reference = post(
        officer, "", {"title": {"en": "x"}, "lead_party": world.parties[0].code, "parties": [world.parties[1].code]}
    ).json()["reference"]
    assert client_for(world.members[0]).get(f"/api/v1/agreements/{reference}").status_code == 404
    assert client_for(None).get(f"/api/v1/agreements/{reference}").status_code == 404
    assert client_for(None).get("/api/v1/agreements/").json()["items"] == []
    bad = post(officer, "", {"title": {"en": "x"}, "lead_party": "nobody", "parties": []})
    assert bad.status_code == 422
    assert post(client_for(None), "", {"title": {"en": "x"}, "lead_party": "a", "parties": []}).status_code == 401
    assert (
        post(officer, f"{reference}/signatures", {"party": world.parties[0].code, "signature": "x"}).status_code == 422
    )
