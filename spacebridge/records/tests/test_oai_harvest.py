"""Whole harvests: a real harvester (Sickle) follows every resumption token, and a harvest stays exact while the
registry changes under it: no record skipped, none delivered twice, every change met in the next incremental harvest.
"""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
import sickle.app
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from lxml import etree
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from sickle import Sickle

from spacebridge.records.models import Record
from spacebridge.records.selectors import records_visible
from spacebridge.records.services import record_publish, record_release, record_update, record_withdraw
from spacebridge.records.tests.test_oai import NS, SCHEMA, identifiers, oai_id, officers, set_datestamp, share

pytestmark = pytest.mark.django_db
__all__ = ["officers"]  # a fixture, used by name

PAGE = 3


@pytest.fixture(autouse=True)
def _small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("spacebridge.records.oai_selectors.PAGE_SIZE", PAGE)


@pytest.fixture
def many(officers: dict[str, Any]) -> list[Record]:
    """Ten public records of three parties (one withdrawn), and records a harvester must never meet."""
    records = [
        share(officers[code], title={"en": f"Public record {n}", "ru": f"Открытая запись {n}"}, type=kind)
        for n, (code, kind) in enumerate(
            [("cn", "publication"), ("ru", "dataset"), ("us", "software")] * 3 + [("cn", "report")]
        )
    ]
    record_withdraw(record=records[4], by=officers["ru"], reason="Superseded by a corrected dataset.")
    share(officers["us"], title={"en": "To China only"}, level="parties", countries=("CN",))
    share(officers["cn"], title={"en": "Owner only"}, level="owner")
    share(officers["ru"], title={"en": "Draft"}, publish=False)
    return records


class DjangoTestClientAdapter(BaseAdapter):
    """Routes a harvester's HTTP requests to the Django test client, validating every answer on the way."""

    def __init__(self) -> None:
        super().__init__()
        self.client = Client()
        self.trees: list[etree._Element] = []
        self.after_response: Any = None

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        url = urlsplit(request.url)
        if request.method == "GET":
            answer = self.client.get(f"{url.path}?{url.query}")
        else:
            answer = self.client.generic(
                "POST", url.path, request.body or "", content_type=request.headers["Content-Type"]
            )
        body = b"".join(answer.streaming_content) if answer.streaming else answer.content
        tree = etree.fromstring(body)
        SCHEMA.assertValid(tree)
        self.trees.append(tree)
        if self.after_response:
            self.after_response(len(self.trees))
        response = requests.Response()
        response.status_code, response._content, response.url = answer.status_code, body, request.url
        response.headers = CaseInsensitiveDict(answer.headers)
        response.request, response.encoding = request, "utf-8"
        return response

    def close(self) -> None:
        pass


@pytest.fixture
def harvester(monkeypatch: pytest.MonkeyPatch) -> DjangoTestClientAdapter:
    adapter = DjangoTestClientAdapter()
    session = requests.Session()
    session.mount("http://testserver", adapter)
    monkeypatch.setattr(sickle.app, "requests", SimpleNamespace(get=session.get, post=session.post))
    return adapter


def public_references() -> set[str]:
    return set(records_visible(user=AnonymousUser()).values_list("reference", flat=True))


def token_attributes(trees: list[etree._Element]) -> list[tuple[str, str, bool]]:
    found = []
    for tree in trees:
        token = tree.find(".//oai:resumptionToken", NS)
        if token is not None:
            found.append((token.get("cursor"), token.get("completeListSize"), bool(token.text)))
    return found


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("prefix", ["oai_dc", "oai_datacite"])
def test_sickle_harvests_every_public_record(
    many: list[Record], harvester: DjangoTestClientAdapter, method: str, prefix: str
) -> None:
    client = Sickle("http://testserver/oai", http_method=method)
    assert client.Identify().deletedRecord == "persistent"
    harvested = list(client.ListRecords(metadataPrefix=prefix))
    references = [h.header.identifier.rsplit(":", 1)[1] for h in harvested]
    assert len(references) == len(set(references)) == 10
    assert set(references) == public_references()
    assert [h.header.identifier for h in harvested if h.header.deleted] == [oai_id(many[4])]
    assert all(h.metadata for h in harvested if not h.header.deleted)
    # Four pages of three: cursors 0, 3, 6, 9; the list is never counted, its size comes with the last, empty token.
    assert token_attributes(harvester.trees[1:]) == [
        ("0", None, True), ("3", None, True), ("6", None, True), ("9", "10", False),
    ]  # fmt: skip


def test_sickle_lists_identifiers_of_a_set(many: list[Record], harvester: DjangoTestClientAdapter) -> None:
    client = Sickle("http://testserver/oai")
    headers = list(client.ListIdentifiers(metadataPrefix="oai_dc", set="party:cnsa"))
    assert {h.identifier for h in headers} == {oai_id(r) for r in many if r.owner_party.code == "cnsa"}
    assert {s.setSpec for s in client.ListSets()} >= {"party:cnsa", "party:ibmp", "party:nasa", "type:software"}
    formats = [f.metadataPrefix for f in client.ListMetadataFormats()]
    assert formats == ["oai_dc", "oai_datacite"]
    record = client.GetRecord(identifier=oai_id(many[0]), metadataPrefix="oai_dc")
    assert record.metadata["title"] == ["Public record 0", "Открытая запись 0"]


def test_a_harvest_stays_exact_while_records_are_published_and_changed(
    many: list[Record], officers: dict[str, Any], harvester: DjangoTestClientAdapter
) -> None:
    """After the first page: a new record is published, two undelivered records change (one is withdrawn), one
    delivered record changes and one undelivered record stops being public. The running harvest delivers the
    records that stood still, each once; the next incremental harvest brings every change."""
    for n, record in enumerate(many):  # distinct, known datestamps in list order
        set_datestamp(record, datetime(2025, 1, 1, 0, 0, n, tzinfo=UTC))
    changes: dict[str, Record] = {}

    def change_registry(responses: int) -> None:
        if responses != 1:
            return
        changes["new"] = share(officers["cn"], title={"en": "Published during the harvest"})
        changes["edited"] = many[7]
        record_update(record=many[7], by=officers["ru"], title={"en": "Corrected title"})
        record_publish(record=many[7], by=officers["ru"])
        changes["withdrawn"] = many[8]
        record_withdraw(record=many[8], by=officers["us"], reason="Withdrawn during the harvest.")
        changes["delivered"] = many[1]
        record_update(record=many[1], by=officers["ru"], title={"en": "Changed after delivery"})
        record_publish(record=many[1], by=officers["ru"])
        changes["restricted"] = many[5]
        record_release(record=many[5], by=officers["us"], level="parties", countries=("CN",))

    harvester.after_response = change_registry
    client = Sickle("http://testserver/oai")
    first = [h.identifier for h in client.ListIdentifiers(metadataPrefix="oai_dc")]
    assert len(first) == len(set(first))
    stood_still = [many[n] for n in (0, 1, 2, 3, 4, 6, 9)]
    assert first == [oai_id(r) for r in stood_still]

    response_date = harvester.trees[0].findtext("oai:responseDate", namespaces=NS)
    second = {h.identifier: h for h in client.ListIdentifiers(metadataPrefix="oai_dc", **{"from": response_date})}
    names = ("new", "edited", "withdrawn", "delivered", "restricted")
    assert set(second) == {oai_id(changes[name]) for name in names}
    # Withdrawn, or no longer public: the harvester is told to delete its copy (deletedRecord "persistent").
    assert {i for i, header in second.items() if header.deleted} == {
        oai_id(changes["withdrawn"]), oai_id(changes["restricted"])
    }
    everything = (set(first) | set(second)) - {oai_id(changes["restricted"])}
    assert {i.rsplit(":", 1)[1] for i in everything} == public_references()


def test_records_sharing_one_datestamp_are_each_delivered_once(many: list[Record]) -> None:
    moment = datetime(2025, 6, 1, 12, 0, 0, tzinfo=UTC)
    for record in many:
        set_datestamp(record, moment)
    client, seen, token = Client(), [], None
    while True:
        params = {"verb": "ListIdentifiers", **({"resumptionToken": token} if token else {"metadataPrefix": "oai_dc"})}
        response = client.get("/oai", params)
        assert response.streaming
        tree = etree.fromstring(b"".join(response.streaming_content))
        SCHEMA.assertValid(tree)
        seen += identifiers(tree)
        token = tree.findtext(".//oai:resumptionToken", namespaces=NS)
        if not token:
            break
    assert seen == [oai_id(r) for r in sorted(many, key=lambda r: r.pk)]


def test_a_list_whose_remaining_records_left_public_view_ends_in_no_records_match(
    many: list[Record], officers: dict[str, Any]
) -> None:
    client = Client()
    tree = etree.fromstring(
        b"".join(client.get("/oai", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}).streaming_content)
    )
    token = tree.findtext(".//oai:resumptionToken", namespaces=NS)
    for record in many[3:]:
        if record.status == Record.Status.PUBLISHED:
            owner = {"cnsa": "cn", "ibmp": "ru", "nasa": "us"}[record.owner_party.code]
            record_release(record=record, by=officers[owner], level="owner")
    record_release(record=many[4], by=officers["ru"], level="owner")  # the tombstone too
    response = client.get("/oai", {"verb": "ListIdentifiers", "resumptionToken": token})
    tree = etree.fromstring(response.content)
    SCHEMA.assertValid(tree)
    assert [e.get("code") for e in tree.iterfind("oai:error", NS)] == ["noRecordsMatch"]


def test_a_late_release_reaches_the_next_incremental_harvest(
    officers: dict[str, Any], harvester: DjangoTestClientAdapter
) -> None:
    """A record published long ago and released to everyone only now carries the release's moment as its datestamp,
    so a harvester asking for what changed since its last harvest meets it."""
    late = share(officers["ru"], title={"en": "Released late"}, level="parties", countries=("CN",))
    early = share(officers["cn"], title={"en": "Public from the start"})
    set_datestamp(late, datetime(2024, 3, 1, tzinfo=UTC))
    set_datestamp(early, datetime(2024, 3, 1, tzinfo=UTC))
    client = Sickle("http://testserver/oai")
    assert oai_id(late) not in {h.identifier for h in client.ListIdentifiers(metadataPrefix="oai_dc")}
    last_harvest = harvester.trees[-1].findtext("oai:responseDate", namespaces=NS)
    record_release(record=late, by=officers["ru"], level="public")
    since = [h.identifier for h in client.ListIdentifiers(metadataPrefix="oai_dc", **{"from": last_harvest})]
    assert since == [oai_id(late)]
    late.refresh_from_db()
    assert late.updated_at > datetime(2024, 3, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    "restrict",
    [
        {"level": "owner", "marking": "none"},
        {"level": "parties", "countries": ("CN",)},
        {"level": "platform"},
        {"level": "public", "embargo_until": datetime(2099, 1, 1, tzinfo=UTC)},
        {"level": "owner", "marking": "controlled", "legal_basis": "Export control regulation"},
    ],
    ids=["owner", "delegation", "members", "embargo", "controlled"],
)
def test_a_record_that_leaves_public_view_is_a_deleted_record_for_ever(
    officers: dict[str, Any], harvester: DjangoTestClientAdapter, restrict: dict[str, Any]
) -> None:
    restricted = share(officers["us"], title={"en": "Public, then restricted"}, abstract={"en": "Flight data."})
    kept = share(officers["us"], title={"en": "Public all along"})
    never = share(officers["us"], title={"en": "Never public"}, level="parties", countries=("RU",))
    for record in (restricted, kept, never):
        set_datestamp(record, datetime(2024, 3, 1, tzinfo=UTC))
    client = Sickle("http://testserver/oai")
    assert client.Identify().deletedRecord == "persistent"
    first = {h.header.identifier: h for h in client.ListRecords(metadataPrefix="oai_dc")}
    assert set(first) == {oai_id(restricted), oai_id(kept)}
    last_harvest = harvester.trees[-1].findtext("oai:responseDate", namespaces=NS)

    record_release(record=restricted, by=officers["us"], **restrict)
    record_release(record=never, by=officers["us"], level="owner")  # never public: nothing to tell a harvester

    since = list(client.ListRecords(metadataPrefix="oai_dc", **{"from": last_harvest}))
    assert [(h.header.identifier, h.header.deleted) for h in since] == [(oai_id(restricted), True)]
    # A deleted record carries no metadata: not a word of it leaks.
    assert harvester.trees[-1].find(".//oai:record/oai:metadata", NS) is None
    everything = {h.header.identifier: h.header.deleted for h in client.ListRecords(metadataPrefix="oai_datacite")}
    assert everything == {oai_id(restricted): True, oai_id(kept): False}
    assert client.GetRecord(identifier=oai_id(restricted), metadataPrefix="oai_dc").header.deleted
    listed = etree.tostring(harvester.trees[-1]).decode()
    assert "Flight data" not in listed and "Public, then restricted" not in listed
    assert "Never public" not in "".join(etree.tostring(t).decode() for t in harvester.trees)
    # Released to everyone again, it is a live record once more.
    record_release(record=restricted, by=officers["us"], level="public")
    again = client.GetRecord(identifier=oai_id(restricted), metadataPrefix="oai_dc")
    assert not again.header.deleted and again.metadata["title"] == ["Public, then restricted"]
