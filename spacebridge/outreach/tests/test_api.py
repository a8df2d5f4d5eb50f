"""The news API: published news for everyone, a joint announcement approved party by party."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from spacebridge.outreach.tests.factories import news
from spacebridge.parties.tests.factories import PartyFactory, member_of, secretariat_user

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_published_news_for_everyone_and_nothing_else() -> None:
    live = news()
    future = news(publish_at=timezone.now() + timedelta(days=1))
    answer = _client().get("/api/v1/news/")
    assert answer.status_code == 200 and [i["slug"] for i in answer.json()["items"]] == [live.slug]
    assert _client().get(f"/api/v1/news/{future.slug}").status_code == 404
    assert _client().get("/api/v1/news/?language=ru").json()["items"][0]["languages"] == ["en", "zh", "ru"]
    assert _client().get("/api/v1/news/?limit=500").status_code == 422


def test_a_joint_announcement_through_the_api() -> None:
    cn, ru = PartyFactory(code="cmsa"), PartyFactory(code="ibmp", country="RU")
    officers = [member_of(cn, role="liaison_officer"), member_of(ru, role="liaison_officer")]
    writer = _client(secretariat_user())
    text = {"original": "en", "text": {"en": "Joint", "zh": "联合", "ru": "Совместно"}}
    created = writer.post("/api/v1/news/", {"title": text, "body": text, "joint": True, "parties": ["cmsa", "ibmp"]},
                          content_type="application/json")
    assert created.status_code == 201 and created.json()["status"] == "draft"
    slug = created.json()["slug"]
    naive = writer.post(f"/api/v1/news/{slug}/publish", {"publish_at": "2026-12-01T09:00:00"}, content_type="application/json")
    assert naive.status_code == 422
    submitted = writer.post(f"/api/v1/news/{slug}/publish", {}, content_type="application/json")
    assert submitted.json()["status"] == "awaiting"
    wrong = _client(officers[0]).post(f"/api/v1/news/{slug}/approve", {"party": "ibmp"}, content_type="application/json")
    assert wrong.status_code == 403
    for officer, code in zip(officers, ["cmsa", "ibmp"], strict=True):
        answer = _client(officer).post(f"/api/v1/news/{slug}/approve", {"party": code}, content_type="application/json")
        assert answer.status_code == 200
    assert answer.json()["status"] == "scheduled"
    assert [i["slug"] for i in _client().get("/api/v1/news/").json()["items"]] == [slug]
    bad = writer.post("/api/v1/news/", {"title": text, "body": text, "joint": True, "parties": ["cmsa"]}, content_type="application/json")
    assert bad.status_code == 422 and "parties" in bad.json()["errors"]
