"""The OAI-PMH provider: each verb, each error code, from/until, sets, deleted records, and what a harvester must
never see. Every response is validated against the OAI-PMH 2.0 schema; payloads are checked by XPath."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from lxml import etree

from spacebridge.parties.tests.factories import PartyFactory, member_of
from spacebridge.records.models import Record
from spacebridge.records.oai_metadata import DATACITE, DC, OAI_DATACITE, OAI_DC
from spacebridge.records.selectors import records_visible
from spacebridge.records.services import (
    concept_upsert,
    record_release,
    record_update,
    record_withdraw,
)
from spacebridge.records.tests.factories import shared_record

pytestmark = pytest.mark.django_db

OAI = "http://www.openarchives.org/OAI/2.0/"
NS = {"oai": OAI, "dc": DC, "oai_dc": OAI_DC, "odc": OAI_DATACITE, "dc4": DATACITE}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "data" / "OAI-PMH.xsd")))
DC_ELEMENTS = {
    "title", "creator", "subject", "description", "publisher", "contributor", "date", "type",
    "format", "identifier", "source", "language", "relation", "coverage", "rights",
}  # fmt: skip


# --- making records through the services --------------------------------------------------------------------------


def share(
    officer: Any,
    *,
    title: dict[str, str],
    level: str = "public",
    publish: bool = True,
    countries: tuple[str, ...] = (),
    type: str = "publication",
    **fields: Any,
) -> Record:
    """A record of the officer's party, shared through the services, published and released as asked."""
    party = officer.person.affiliations.get().party
    return shared_record(
        owner_party=party,
        by=officer,
        type=type,
        publish=publish,
        level=level,
        countries=countries,
        title=title,
        **fields,
    )


def set_datestamp(record: Record, moment: datetime) -> None:
    Record.objects.filter(pk=record.pk).update(updated_at=moment)
    record.refresh_from_db()


@pytest.fixture
def officers() -> dict[str, Any]:
    return {
        "cn": member_of(PartyFactory(code="cnsa", country="CN"), role="liaison_officer"),
        "ru": member_of(PartyFactory(code="ibmp", country="RU"), role="liaison_officer"),
        "us": member_of(PartyFactory(code="nasa", country="US"), role="liaison_officer"),
    }


@pytest.fixture
def registry(officers: dict[str, Any]) -> dict[str, Record]:
    """Public records (one of them withdrawn), a record released to one delegation only, and a draft."""
    bone = concept_upsert(code="bone-loss", pref={"en": "Bone loss", "zh": "骨质流失", "ru": "Потеря костной массы"})
    cn, ru, us = officers["cn"], officers["ru"], officers["us"]
    records = {
        "trilingual": share(
            cn,
            title={"zh": "失重环境下的骨质流失", "en": "Bone loss in weightlessness", "ru": "Потеря костной массы"},
            abstract={"en": "Twelve months of countermeasures.", "zh": "十二个月的对抗措施。"},
            keywords={"en": ["bone"], "zh": ["骨"]},
            subjects=[bone],
            licence="CC-BY-4.0",
            contributors=[{"name": "Yang Liwei", "role": "author"}, {"name": "Editor One", "role": "editor"}],
            identifiers=[{"scheme": "doi", "value": "10.1000/xyz123"}],
        ),
        "dataset": share(ru, title={"ru": "Набор данных Бион-М1"}, type="dataset"),
        "withdrawn": share(us, title={"en": "A retracted report"}, type="report"),
        "delegation": share(us, title={"en": "For the Chinese delegation only"}, level="parties", countries=("CN",)),
        "owner_only": share(us, title={"en": "Still with the owner party"}, level="owner"),
        "draft": share(cn, title={"en": "A draft"}, publish=False),
    }
    record_withdraw(record=records["withdrawn"], by=us, reason="Duplicate of another report.")
    records["withdrawn"].refresh_from_db()
    return records


# --- asking the endpoint -------------------------------------------------------------------------------------------


def oai(method: str = "get", **params: Any) -> etree._Element:
    """One request; the response must be XML that validates against the OAI-PMH schema, with sound payloads."""
    client = Client()
    response = client.get("/oai", params) if method == "get" else client.post("/oai", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    tree = etree.fromstring(body)
    SCHEMA.assertValid(tree)
    for dc in tree.iterfind(".//oai_dc:dc", NS):
        assert_dublin_core(dc)
    for resource in tree.iterfind(".//odc:payload/dc4:resource", NS):
        assert_datacite(resource)
    return tree


def assert_dublin_core(dc: etree._Element) -> None:
    """What the oai_dc schema requires: only the fifteen DC elements, each plain text with at most xml:lang."""
    assert dc.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation").startswith(OAI_DC)
    for element in dc:
        namespace, local = element.tag[1:].split("}")
        assert namespace == DC and local in DC_ELEMENTS, element.tag
        assert set(element.attrib) <= {XML_LANG}
        assert len(element) == 0 and (element.text or "").strip()


def assert_datacite(resource: etree._Element) -> None:
    """The mandatory DataCite kernel-4 properties."""
    for path in ("dc4:identifier", "dc4:creators/dc4:creator/dc4:creatorName", "dc4:titles/dc4:title", "dc4:publisher"):
        assert resource.findtext(path, namespaces=NS).strip(), path
    assert resource.find("dc4:identifier", NS).get("identifierType") in {"DOI", "URL"}
    assert len(resource.findtext("dc4:publicationYear", namespaces=NS)) == 4
    assert resource.find("dc4:resourceType", NS).get("resourceTypeGeneral")


def error_codes(tree: etree._Element) -> list[str]:
    return [e.get("code") for e in tree.iterfind("oai:error", NS)]


def identifiers(tree: etree._Element) -> list[str]:
    return [h.findtext("oai:identifier", namespaces=NS) for h in tree.iterfind(".//oai:header", NS)]


def oai_id(record: Record) -> str:
    return f"oai:127.0.0.1:{record.reference}"


# --- the six verbs -------------------------------------------------------------------------------------------------


def test_identify(registry: dict[str, Record]) -> None:
    tree = oai(verb="Identify")
    identify = tree.find("oai:Identify", NS)
    assert identify.findtext("oai:baseURL", namespaces=NS) == "http://127.0.0.1:8000/oai"
    assert identify.findtext("oai:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("oai:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("oai:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    earliest = min(r.updated_at for r in records_visible(user=AnonymousUser()))
    assert identify.findtext("oai:earliestDatestamp", namespaces=NS) == earliest.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert tree.find("oai:request", NS).get("verb") == "Identify"


def test_identify_by_post() -> None:
    tree = oai("post", verb="Identify")
    assert tree.find("oai:Identify", NS) is not None


def test_list_metadata_formats(registry: dict[str, Record]) -> None:
    tree = oai(verb="ListMetadataFormats")
    assert [p.text for p in tree.iterfind(".//oai:metadataPrefix", NS)] == ["oai_dc", "oai_datacite"]
    tree = oai(verb="ListMetadataFormats", identifier=oai_id(registry["withdrawn"]))
    assert len(tree.findall(".//oai:metadataFormat", NS)) == 2


def test_list_sets(registry: dict[str, Record]) -> None:
    tree = oai(verb="ListSets")
    specs = [s.text for s in tree.iterfind(".//oai:setSpec", NS)]
    assert {"type", "party", "subject", "type:publication", "type:dataset", "subject:bone-loss"} <= set(specs)
    # Parties appear as sets once they own a harvestable record (nasa: the withdrawn report's tombstone).
    assert {"party:cnsa", "party:ibmp", "party:nasa"} <= set(specs)
    titles = tree.xpath("//oai:set[oai:setSpec='subject:bone-loss']//dc:title", namespaces=NS)
    assert {t.get(XML_LANG): t.text for t in titles}["zh"] == "骨质流失"


def test_list_sets_of_a_party_with_nothing_public(officers: dict[str, Any]) -> None:
    share(officers["us"], title={"en": "Owner only"}, level="owner")
    specs = [s.text for s in oai(verb="ListSets").iterfind(".//oai:setSpec", NS)]
    assert "party:nasa" not in specs and "type:publication" in specs


def test_get_record_oai_dc(registry: dict[str, Record]) -> None:
    record = registry["trilingual"]
    tree = oai(verb="GetRecord", identifier=oai_id(record), metadataPrefix="oai_dc")
    header = tree.find(".//oai:header", NS)
    assert header.get("status") is None
    assert header.findtext("oai:identifier", namespaces=NS) == oai_id(record)
    assert header.findtext("oai:datestamp", namespaces=NS) == record.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert {s.text for s in header.iterfind("oai:setSpec", NS)} == {
        "type:publication",
        "party:cnsa",
        "subject:bone-loss",
    }
    dc = tree.find(".//oai_dc:dc", NS)
    titles = {t.get(XML_LANG): t.text for t in dc.iterfind("dc:title", NS)}
    assert titles == {"zh": "失重环境下的骨质流失", "en": "Bone loss in weightlessness", "ru": "Потеря костной массы"}
    assert dc.find("dc:title", NS).get(XML_LANG) == "zh"  # the original language first
    assert [c.text for c in dc.iterfind("dc:creator", NS)] == ["Yang Liwei"]
    assert [c.text for c in dc.iterfind("dc:contributor", NS)] == ["Editor One"]
    subjects = {(s.get(XML_LANG), s.text) for s in dc.iterfind("dc:subject", NS)}
    assert {("ru", "Потеря костной массы"), ("zh", "骨"), ("en", "bone")} <= subjects
    assert {d.get(XML_LANG) for d in dc.iterfind("dc:description", NS)} == {"en", "zh"}
    identifiers_ = [i.text for i in dc.iterfind("dc:identifier", NS)]
    assert "info:doi/10.1000/xyz123" in identifiers_
    assert any(i.endswith(record.reference + "/") for i in identifiers_)
    assert "https://spdx.org/licenses/CC-BY-4.0.html" in [r.text for r in dc.iterfind("dc:rights", NS)]
    assert dc.findtext("dc:language", namespaces=NS) == "zh"


def test_get_record_oai_datacite(registry: dict[str, Record]) -> None:
    record = registry["trilingual"]
    tree = oai(verb="GetRecord", identifier=oai_id(record), metadataPrefix="oai_datacite")
    envelope = tree.find(".//odc:oai_datacite", NS)
    assert envelope.findtext("odc:schemaVersion", namespaces=NS) == "4"
    resource = envelope.find("odc:payload/dc4:resource", NS)
    identifier = resource.find("dc4:identifier", NS)
    assert (identifier.get("identifierType"), identifier.text) == ("DOI", "10.1000/xyz123")
    titles = resource.findall("dc4:titles/dc4:title", NS)
    assert [(t.get(XML_LANG), t.get("titleType")) for t in titles] == [
        ("zh", None), ("en", "TranslatedTitle"), ("ru", "TranslatedTitle"),
    ]  # fmt: skip
    assert resource.findtext("dc4:creators/dc4:creator/dc4:creatorName", namespaces=NS) == "Yang Liwei"
    assert resource.find("dc4:contributors/dc4:contributor", NS).get("contributorType") == "Editor"
    assert resource.find("dc4:resourceType", NS).get("resourceTypeGeneral") == "JournalArticle"
    assert resource.find("dc4:rightsList/dc4:rights", NS).get("rightsIdentifier") == "CC-BY-4.0"
    assert {d.get(XML_LANG) for d in resource.iterfind("dc4:descriptions/dc4:description", NS)} == {"en", "zh"}
    assert resource.find("dc4:subjects/dc4:subject[@classificationCode='bone-loss']", NS) is not None


def test_datacite_without_doi_or_authors(registry: dict[str, Record]) -> None:
    tree = oai(verb="GetRecord", identifier=oai_id(registry["dataset"]), metadataPrefix="oai_datacite")
    resource = tree.find(".//dc4:resource", NS)
    assert resource.find("dc4:identifier", NS).get("identifierType") == "URL"
    assert resource.findtext("dc4:creators/dc4:creator/dc4:creatorName", namespaces=NS) == ":unav"
    assert resource.findtext("dc4:publicationYear", namespaces=NS) == str(registry["dataset"].first_published_at.year)
    assert resource.find("dc4:resourceType", NS).get("resourceTypeGeneral") == "Dataset"


def test_get_record_of_a_withdrawn_record_is_a_deleted_header(registry: dict[str, Record]) -> None:
    tree = oai(verb="GetRecord", identifier=oai_id(registry["withdrawn"]), metadataPrefix="oai_dc")
    record = tree.find(".//oai:record", NS)
    assert record.find("oai:header", NS).get("status") == "deleted"
    assert record.find("oai:metadata", NS) is None


def test_unpublished_changes_never_reach_a_harvester(registry: dict[str, Record], officers: dict[str, Any]) -> None:
    record = registry["dataset"]
    record_update(record=record, by=officers["ru"], title={"ru": "Черновик нового названия"})
    tree = oai(verb="GetRecord", identifier=oai_id(record), metadataPrefix="oai_dc")
    assert [t.text for t in tree.iterfind(".//dc:title", NS)] == ["Набор данных Бион-М1"]


@pytest.mark.parametrize("verb", ["ListIdentifiers", "ListRecords"])
def test_lists_hold_public_records_and_tombstones_only(registry: dict[str, Record], verb: str) -> None:
    tree = oai(verb=verb, metadataPrefix="oai_dc")
    public = ["trilingual", "dataset", "withdrawn"]
    assert sorted(identifiers(tree)) == sorted(oai_id(registry[name]) for name in public)
    deleted = [h.findtext("oai:identifier", namespaces=NS) for h in tree.iterfind(".//oai:header[@status]", NS)]
    assert deleted == [oai_id(registry["withdrawn"])]
    assert tree.find(".//oai:resumptionToken", NS) is None  # one page: no token at all
    if verb == "ListRecords":
        assert len(tree.findall(".//oai:metadata", NS)) == 2
        assert len(tree.findall(".//oai_dc:dc", NS)) == 2


@pytest.mark.parametrize("name", ["delegation", "owner_only", "draft"])
def test_records_not_public_do_not_exist_for_a_harvester(registry: dict[str, Record], name: str) -> None:
    record = registry[name]
    for prefix in ("oai_dc", "oai_datacite"):
        tree = oai(verb="GetRecord", identifier=oai_id(record), metadataPrefix=prefix)
        assert error_codes(tree) == ["idDoesNotExist"]
        assert record.reference not in etree.tostring(tree, encoding="unicode").replace(
            tree.find("oai:request", NS).get("identifier", ""), ""
        )
    assert error_codes(oai(verb="ListMetadataFormats", identifier=oai_id(record))) == ["idDoesNotExist"]
    for verb in ("ListIdentifiers", "ListRecords"):
        assert oai_id(record) not in identifiers(oai(verb=verb, metadataPrefix="oai_dc"))
    for set_spec in ("party:nasa", "type:publication"):
        assert oai_id(record) not in identifiers(oai(verb="ListIdentifiers", metadataPrefix="oai_dc", set=set_spec))


def test_post_carries_the_same_arguments(registry: dict[str, Record]) -> None:
    tree = oai("post", verb="ListIdentifiers", metadataPrefix="oai_datacite", set="type:dataset")
    assert identifiers(tree) == [oai_id(registry["dataset"])]


# --- sets and dates ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("set_spec", "expected"),
    [
        ("type:dataset", ["dataset"]),
        ("type:report", ["withdrawn"]),
        ("party:cnsa", ["trilingual"]),
        ("party:ibmp", ["dataset"]),
        ("subject:bone-loss", ["trilingual"]),
        ("subject", ["trilingual"]),
        ("type", ["trilingual", "dataset", "withdrawn"]),
    ],
)
def test_sets(registry: dict[str, Record], set_spec: str, expected: list[str]) -> None:
    tree = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", set=set_spec)
    assert sorted(identifiers(tree)) == sorted(oai_id(registry[name]) for name in expected)
    assert tree.find("oai:request", NS).get("set") == set_spec


@pytest.mark.parametrize("set_spec", ["type:nothing", "party:unknown", "subject:nothing", "colour:red"])
def test_a_set_that_holds_nothing_matches_no_records(registry: dict[str, Record], set_spec: str) -> None:
    assert error_codes(oai(verb="ListRecords", metadataPrefix="oai_dc", set=set_spec)) == ["noRecordsMatch"]


@pytest.fixture
def dated(registry: dict[str, Record]) -> dict[str, Record]:
    """The three public records changed on three known moments."""
    set_datestamp(registry["dataset"], datetime(2024, 3, 1, 23, 59, 59, 500000, tzinfo=UTC))
    set_datestamp(registry["trilingual"], datetime(2024, 3, 2, 0, 0, 0, tzinfo=UTC))
    set_datestamp(registry["withdrawn"], datetime(2024, 3, 2, 12, 30, 15, 250000, tzinfo=UTC))
    return registry


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"from": "2024-03-02"}, ["trilingual", "withdrawn"]),
        ({"until": "2024-03-01"}, ["dataset"]),  # a day until is the whole day
        ({"from": "2024-03-01", "until": "2024-03-01"}, ["dataset"]),
        ({"until": "2024-03-01T23:59:59Z"}, ["dataset"]),  # a second until is the whole second
        ({"from": "2024-03-02T00:00:00Z", "until": "2024-03-02T00:00:00Z"}, ["trilingual"]),
        ({"from": "2024-03-02T12:30:15Z"}, ["withdrawn"]),
        ({"from": "2024-03-02T00:00:01Z", "until": "2024-03-02T12:30:15Z"}, ["withdrawn"]),
        ({"from": "2000-01-01", "until": "2099-12-31"}, ["dataset", "trilingual", "withdrawn"]),
    ],
)
def test_from_and_until(dated: dict[str, Record], arguments: dict[str, str], expected: list[str]) -> None:
    tree = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", **arguments)
    assert identifiers(tree) == [oai_id(dated[name]) for name in expected]  # in datestamp order
    for name, value in arguments.items():
        assert tree.find("oai:request", NS).get(name) == value


@pytest.mark.parametrize(
    "arguments",
    [
        {"from": "2024-03-03"},
        {"until": "2024-02-29"},
        {"from": "2024-03-02T12:30:16Z", "until": "2024-03-02T23:00:00Z"},
    ],
)
def test_dates_that_select_nothing(dated: dict[str, Record], arguments: dict[str, str]) -> None:
    tree = oai(verb="ListRecords", metadataPrefix="oai_datacite", **arguments)
    assert error_codes(tree) == ["noRecordsMatch"]
    assert tree.find("oai:request", NS).get("metadataPrefix") == "oai_datacite"


# --- every error code ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "ListEverything"}, "badVerb"),
        ({"verb": ["Identify", "Identify"]}, "badVerb"),
        ({"verb": "Identify", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListIdentifiers", "from": "2024-01-01"}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "GetRecord", "identifier": "oai:127.0.0.1:SB-2026-000001"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_datacite"]}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-13-01"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-01-01T00:00:00.5Z"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "2024-01-01T00:00:00+08:00"}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-02-01", "until": "2024-01-01"},
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-01-01", "until": "2024-02-01T00:00:00Z"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "type dataset"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": ""}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"}, "badArgument"),
        ({"verb": "ListSets", "set": "type"}, "badArgument"),
        ({"verb": "ListRecords", "resumptionToken": "garbage"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "anything"}, "badResumptionToken"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21", "from": "soon", "set": "a b"}, "badArgument"),
        (
            {"verb": "ListIdentifiers", "metadataPrefix": "marc21", "from": "2024-01-01", "set": "type"},
            "cannotDisseminateFormat",
        ),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai dc", "identifier": "oai:127.0.0.1:SB-1"},
            "cannotDisseminateFormat",
        ),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:127.0.0.1:SB-2026-999999"},
            "idDoesNotExist",
        ),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:elsewhere.org:SB-2026-000001"},
            "idDoesNotExist",
        ),
        ({"verb": "ListMetadataFormats", "identifier": "not an identifier"}, "idDoesNotExist"),
        ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}, "noRecordsMatch"),
    ],
)
def test_error_codes(params: dict[str, Any], code: str) -> None:
    for method in ("get", "post"):
        tree = oai(method, **params)
        assert error_codes(tree) == [code]
        request = tree.find("oai:request", NS)
        assert request.text == "http://127.0.0.1:8000/oai"
        if code in ("badVerb", "badArgument"):
            assert dict(request.attrib) == {}  # the base URL only (section 3.2)
        else:
            assert request.get("verb") == params["verb"]


def test_a_token_of_another_list_is_refused(registry: dict[str, Record], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("spacebridge.records.oai_selectors.PAGE_SIZE", 1)
    token = oai(verb="ListIdentifiers", metadataPrefix="oai_dc").findtext(".//oai:resumptionToken", namespaces=NS)
    assert token
    assert error_codes(oai(verb="ListRecords", resumptionToken=token)) == ["badResumptionToken"]
    assert error_codes(oai(verb="ListIdentifiers", resumptionToken=token[:-2] + "xx")) == ["badResumptionToken"]
    assert error_codes(oai(verb="ListIdentifiers", resumptionToken=token, set="type")) == ["badArgument"]
    assert len(identifiers(oai(verb="ListIdentifiers", resumptionToken=token))) == 1


def test_wrong_methods_are_refused() -> None:
    assert Client().put("/oai?verb=Identify").status_code == 405


def test_xml_forbidden_characters_are_dropped(officers: dict[str, Any]) -> None:
    record = share(officers["cn"], title={"en": "Control\x0bcharacters\x1f pasted from a PDF"})
    tree = oai(verb="GetRecord", identifier=oai_id(record), metadataPrefix="oai_dc")
    assert tree.findtext(".//dc:title", namespaces=NS) == "Controlcharacters pasted from a PDF"


def test_datestamps_are_utc_seconds(dated: dict[str, Record]) -> None:
    tree = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
    stamps = [d.text for d in tree.iterfind(".//oai:datestamp", NS)]
    assert stamps == ["2024-03-01T23:59:59Z", "2024-03-02T00:00:00Z", "2024-03-02T12:30:15Z"]
    response_date = datetime.strptime(tree.findtext("oai:responseDate", namespaces=NS), "%Y-%m-%dT%H:%M:%SZ")
    assert abs(response_date.replace(tzinfo=UTC) - datetime.now(UTC)) < timedelta(minutes=1)


def test_a_related_record_is_named_only_when_public(registry: dict[str, Record], officers: dict[str, Any]) -> None:
    cn = officers["cn"]
    hidden = share(cn, title={"en": "Released to Russia only"}, level="parties", countries=("RU",))
    shown = registry["trilingual"]
    record = share(cn, title={"en": "Follow-up"}, related=[("cites", hidden), ("supplements", shown)])
    for prefix in ("oai_dc", "oai_datacite"):
        tree = oai(verb="GetRecord", identifier=oai_id(record), metadataPrefix=prefix)
        text = etree.tostring(tree, encoding="unicode")
        assert hidden.reference not in text and shown.reference in text


def test_embargoed_controlled_and_unapproved_dual_use_records_stay_out(officers: dict[str, Any]) -> None:
    """Public in name but held back: an embargo not yet over, a dual-use release the export officer has not
    approved, a controlled marking. Once the export officer approves, the dual-use record is harvested."""
    from datetime import timedelta

    from django.utils import timezone

    from spacebridge.parties.tests.factories import member_of
    from spacebridge.records.services import record_approve_export

    us = officers["us"]
    party = us.person.affiliations.get().party
    embargoed = share(us, title={"en": "Embargoed"}, level="owner")
    record_release(record=embargoed, by=us, level="public", embargo_until=timezone.now() + timedelta(days=30))
    dual_use = share(us, title={"en": "Dual-use"}, level="owner")
    record_release(record=dual_use, by=us, level="public", marking="dual-use", legal_basis="EAR 9E515")
    controlled = share(us, title={"en": "Controlled"}, level="owner")
    record_release(record=controlled, by=us, level="owner", marking="controlled", legal_basis="ITAR")
    for record in (embargoed, dual_use, controlled):
        tree = oai(verb="GetRecord", identifier=oai_id(record), metadataPrefix="oai_dc")
        assert error_codes(tree) == ["idDoesNotExist"]
    assert error_codes(oai(verb="ListIdentifiers", metadataPrefix="oai_dc")) == ["noRecordsMatch"]
    record_approve_export(record=dual_use, by=member_of(party, role="export_officer"))
    assert identifiers(oai(verb="ListIdentifiers", metadataPrefix="oai_dc")) == [oai_id(dual_use)]


def test_a_signed_in_harvester_still_sees_only_public_records(
    registry: dict[str, Record], officers: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(officers["us"])  # the owner party of the restricted records
    body = b"".join(client.get("/oai", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}).streaming_content)
    found = identifiers(etree.fromstring(body))
    assert sorted(found) == sorted(oai_id(registry[n]) for n in ("trilingual", "dataset", "withdrawn"))


def test_a_list_is_never_counted_and_its_size_comes_with_the_last_page(
    registry: dict[str, Record], monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr("spacebridge.records.oai_selectors.PAGE_SIZE", 2)
    with CaptureQueriesContext(connection) as queries:
        first = oai(verb="ListRecords", metadataPrefix="oai_dc")
    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    token = first.find(".//oai:resumptionToken", NS)
    assert (token.get("cursor"), token.get("completeListSize")) == ("0", None)
    second = oai(verb="ListRecords", resumptionToken=token.text)
    last = second.find(".//oai:resumptionToken", NS)
    # Two public records and the tombstone: the last, empty token says three were delivered.
    assert (last.get("cursor"), last.get("completeListSize"), last.text) == ("2", "3", None)
    assert len(identifiers(first)) + len(identifiers(second)) == 3
