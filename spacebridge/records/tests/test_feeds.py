"""Atom feeds of newly published public records, per language: valid Atom, the feed's language with fallback to the
original, newest first publication first, and nothing a public reader may not see."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client
from lxml import etree

from spacebridge.records.models import Record
from spacebridge.records.services import record_publish, record_update, record_withdraw
from spacebridge.records.tests.test_oai import officers, share

pytestmark = pytest.mark.django_db
__all__ = ["officers"]  # a fixture, used by name

ATOM = "http://www.w3.org/2005/Atom"
NS = {"a": ATOM}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def first_published(record: Record, moment: datetime) -> None:
    Record.objects.filter(pk=record.pk).update(first_published_at=moment)
    record.refresh_from_db()


@pytest.fixture
def published(officers: dict[str, Any]) -> dict[str, Record]:
    cn, ru, us = officers["cn"], officers["ru"], officers["us"]
    records = {
        "trilingual": share(
            cn,
            title={"zh": "失重与骨质流失", "en": "Weightlessness and bone loss", "ru": "Невесомость и потеря костей"},
            abstract={"zh": "摘要", "en": "Summary in English"},
        ),
        "russian": share(ru, title={"ru": "Только по-русски"}, abstract={"ru": "Аннотация"}),
        "english": share(us, title={"en": "English only"}),
        "withdrawn": share(us, title={"en": "Withdrawn"}),
        "delegation": share(us, title={"en": "For China only"}, level="parties", countries=("CN",)),
        "owner_only": share(cn, title={"en": "Owner only"}, level="owner"),
        "draft": share(ru, title={"en": "Draft"}, publish=False),
    }
    record_withdraw(record=records["withdrawn"], by=us, reason="Withdrawn at the authors' request.")
    for day, name in enumerate(["english", "russian", "trilingual", "withdrawn", "delegation", "owner_only"], 1):
        first_published(records[name], datetime(2025, 4, day, 8, 0, tzinfo=UTC))
    return records


def feed(language: str) -> etree._Element:
    response = Client().get(f"/records/feed/{language}.atom")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = etree.fromstring(response.content)
    assert_valid_atom(root)
    return root


def assert_valid_atom(root: etree._Element) -> None:
    """RFC 4287's constraints on a feed and its entries."""
    assert root.tag == f"{{{ATOM}}}feed"
    for name in ("id", "title", "updated"):
        assert len(root.findall(f"a:{name}", NS)) == 1, name
    assert root.find("a:author/a:name", NS) is not None  # so every entry has an author
    self_links = root.xpath("a:link[@rel='self']", namespaces=NS)
    assert len(self_links) == 1 and self_links[0].get("href") == root.findtext("a:id", namespaces=NS)
    for entry in root.iterfind("a:entry", NS):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"a:{name}", NS)) == 1, name
        alternate = entry.xpath("a:link[not(@rel) or @rel='alternate']/@href", namespaces=NS)  # rel defaults so
        assert alternate == [entry.findtext("a:id", namespaces=NS)]
        datetime.fromisoformat(entry.findtext("a:updated", namespaces=NS))


def entries(root: etree._Element) -> list[tuple[str, str | None, str | None]]:
    return [
        (
            e.findtext("a:title", namespaces=NS),
            e.find("a:title", NS).get(XML_LANG),
            e.findtext("a:summary", namespaces=NS),
        )
        for e in root.iterfind("a:entry", NS)
    ]


def test_english_feed(published: dict[str, Record]) -> None:
    root = feed("en")
    assert root.get(XML_LANG) == "en"
    assert root.findtext("a:title", namespaces=NS) == "Spacebridge: newly published records"
    assert root.findtext("a:id", namespaces=NS) == "http://127.0.0.1:8000/records/feed/en.atom"
    assert entries(root) == [
        ("Weightlessness and bone loss", None, "Summary in English"),
        ("Только по-русски", "ru", "Аннотация"),
        ("English only", None, None),
    ]
    assert root.findtext("a:updated", namespaces=NS).startswith("2025-04-03T08:00:00")
    first = root.find("a:entry", NS)
    trilingual = published["trilingual"]
    assert first.findtext("a:id", namespaces=NS).endswith(trilingual.reference + "/")
    assert first.findtext("a:published", namespaces=NS).startswith("2025-04-03T08:00:00")
    assert first.findtext("a:author/a:name", namespaces=NS) == "Party cnsa"


def test_chinese_and_russian_feeds_fall_back_to_the_original(published: dict[str, Record]) -> None:
    assert entries(feed("zh")) == [
        ("失重与骨质流失", None, "摘要"),
        ("Только по-русски", "ru", "Аннотация"),
        ("English only", "en", None),
    ]
    assert feed("zh").findtext("a:title", namespaces=NS) == "Spacebridge：新发布的成果"
    assert entries(feed("ru")) == [
        ("Невесомость и потеря костей", None, "摘要"),  # no Russian summary: the original language's
        ("Только по-русски", None, "Аннотация"),
        ("English only", "en", None),
    ]


def test_unpublished_changes_stay_out_of_the_feed(published: dict[str, Record], officers: dict[str, Any]) -> None:
    record_update(record=published["english"], by=officers["us"], title={"en": "Working copy title"})
    assert ("English only", None, None) in entries(feed("en"))
    record_publish(record=published["english"], by=officers["us"])
    titles = [title for title, _lang, _summary in entries(feed("en"))]
    assert "Working copy title" in titles and titles.index("Working copy title") == 2  # still by first publication


def test_an_empty_feed_is_valid() -> None:
    root = feed("ru")
    assert root.find("a:entry", NS) is None


@pytest.mark.parametrize("path", ["/records/feed/fr.atom", "/records/feed/xx.atom", "/records/feed/en-US.atom"])
def test_unknown_feed_languages_are_not_found(path: str) -> None:
    assert Client().get(path).status_code == 404


def test_feeds_answer_get_and_head_only() -> None:
    assert Client().post("/records/feed/en.atom").status_code == 405
    assert Client().head("/records/feed/en.atom").status_code == 200


def test_a_signed_in_reader_gets_the_public_feed(published: dict[str, Record], officers: dict[str, Any]) -> None:
    client = Client()
    client.force_login(officers["us"])  # owns the records released to China only and withdrawn
    root = etree.fromstring(client.get("/records/feed/en.atom").content)
    assert [title for title, _lang, _summary in entries(root)] == [
        "Weightlessness and bone loss",
        "Только по-русски",
        "English only",
    ]
