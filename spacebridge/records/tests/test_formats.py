"""Export formats: every one round-trips through its reader, escapes what its syntax needs, and writes what the
reader of a published record may see (the published version, in every language the format allows)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

import bibtexparser
import pytest
from lxml import etree

from spacebridge.core.multilingual import MultilingualText
from spacebridge.parties.tests.factories import PartyFactory
from spacebridge.records.formats import EXPORT_FORMATS, export_records, format_for_media_type, read_entries
from spacebridge.records.formats.bibtex import escape, unescape
from spacebridge.records.importing import import_records
from spacebridge.records.metadata import record_metadata
from spacebridge.records.models import Record
from spacebridge.records.services import record_update
from spacebridge.records.tests.factories import ConceptFactory, shared_record

pytestmark = pytest.mark.django_db

# The reader of each export format, and the contributor roles the format carries.
ROUND_TRIPS = {
    "bibtex": ("bibtex", {"author", "editor", "investigator"}),
    "ris": ("ris", {"author", "editor", "investigator"}),
    "csl-json": ("csl-json", {"author", "editor", "investigator"}),
    "datacite-json": ("datacite", {"author", "editor", "investigator"}),
    "dc-xml": ("dc-xml", {"author"}),
    "csv": ("csv", {"author", "editor", "investigator"}),
    "jsonl": ("jsonl", {"author", "editor", "investigator"}),
}
CONTRIBUTORS = [
    {"name": "Zhang, Wei", "role": "author"},
    {"name": "Иванова, Мария", "role": "author"},
    {"name": "杨利伟", "role": "author"},
    {"name": "Smith, John", "role": "editor"},
    {"name": "Petrov, Oleg", "role": "investigator"},
]
TRICKY = 'Bone & "muscle" <loss>: 50% {Ca2+} $5 #1 a_b ~x ^2 back\\slash -- dash'


def rich_record(roles: set[str], *, title_en: str = "Bone loss in long-duration spaceflight", **extra: Any) -> Record:
    bone = ConceptFactory(
        code="bone-loss", pref=MultilingualText({"en": "bone loss", "zh": "骨丢失", "ru": "потеря костной массы"}, "en")
    )
    muscle = ConceptFactory(code="muscle-atrophy", pref=MultilingualText({"en": "muscle atrophy"}, "en"))
    fields: dict[str, Any] = {
        "title": MultilingualText(
            {"zh": "长期航天飞行中的骨丢失", "en": title_en, "ru": "Потеря костной массы в длительном полёте"}, "zh"
        ),
        "abstract": MultilingualText(
            {
                "zh": "十名航天员的骨密度在飞行前后测量。",
                "en": "Bone density of ten astronauts was measured.",
                "ru": "Плотность костей десяти космонавтов измерена до и после полёта.",
            },
            "zh",
        ),
        "keywords": {"zh": ["骨密度", "微重力"], "en": ["bone density", "entry, descent"], "ru": ["невесомость"]},
        "contributors": [c for c in CONTRIBUTORS if c["role"] in roles],
        "identifiers": [
            {"scheme": "doi", "value": "10.1038/s41526-019-0075-2"},
            {"scheme": "pmid", "value": "31000001"},
            {"scheme": "url", "value": "https://example.org/bone?study=1&x=2"},
        ],
        "published_on": date(2019, 5, 1),
        "licence": "CC-BY-4.0",
        "subjects": [bone, muscle],
        **extra,
    }
    return shared_record(owner_party=PartyFactory(code="acc", country="CN"), level="public", **fields)


def comparable(metadata: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in metadata.items() if k not in {"reference", "files"}}


@pytest.mark.parametrize("name", sorted(ROUND_TRIPS))
def test_export_then_import_gives_the_same_metadata(name: str) -> None:
    reader, roles = ROUND_TRIPS[name]
    record = rich_record(roles, title_en=TRICKY)
    before = comparable(record_metadata(record))
    text = export_records([record], name)

    again = import_records(text=text, format_name=reader, owner_party=record.owner_party, by="tests")
    assert again.ok and again.unchanged == [record.reference] and not again.created, again

    Record.objects.filter(pk=record.pk).delete()
    fresh = import_records(text=text, format_name=reader, owner_party=record.owner_party, by="tests")
    assert fresh.ok and len(fresh.created) == 1, fresh
    imported = Record.objects.get(reference=fresh.created[0])
    assert comparable(record_metadata(imported)) == before


def test_every_export_format_answers_its_media_type() -> None:
    assert {f.media_type for f in EXPORT_FORMATS.values()} >= {
        "application/x-bibtex",
        "application/x-research-info-systems",
        "application/vnd.citationstyles.csl+json",
        "application/vnd.datacite.datacite+json",
        "application/x-dc+xml",
        "text/csv",
    }
    assert format_for_media_type("application/x-bibtex").name == "bibtex"  # type: ignore[union-attr]


def test_an_export_shows_the_published_version_not_the_working_copy() -> None:
    record = rich_record({"author"})
    record_update(record=record, by=None, check_permission=False, title={"en": "Unpublished edit"})
    for name in EXPORT_FORMATS:
        text = export_records([record], name)
        assert "Unpublished edit" not in text, name
        assert "Bone loss in long-duration spaceflight" in text, name


def test_bibtex_escapes_latex_and_keeps_the_original_language_first() -> None:
    record = rich_record({"author"}, title_en=TRICKY)
    text = export_records([record], "bibtex")
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    fields = library.entries[0].fields_dict
    assert fields["title"].value == "长期航天飞行中的骨丢失"
    assert fields["langid"].value == "chinese"
    assert unescape(fields["title_en"].value) == TRICKY
    assert r"\&" in fields["title_en"].value and r"\{Ca2+\}" in fields["title_en"].value
    assert r"50\%" in fields["title_en"].value and r"\textbackslash{}" in fields["title_en"].value
    assert fields["author"].value == "Zhang, Wei and Иванова, Мария and 杨利伟"


@pytest.mark.parametrize("text", ["{", "}", "\\", "a}b{c", "\\{}", "%&$#_~^", "{\\textbackslash{}}", "100 %"])
def test_bibtex_escape_round_trips_any_text(text: str) -> None:
    assert unescape(escape(text)) == text
    assert escape(text).count("{") - escape(text).count("\\{") == escape(text).count("}") - escape(text).count("\\}")


def test_bibtex_reads_latex_written_by_other_tools() -> None:
    source = '@article{x, title = {M{\\"u}ller and the {ISS}}, author = {M{\\"u}ller, J{\\"o}rg and {NASA and Friends}}, year = 2020}'
    entry = next(iter(read_entries(source, "bibtex"))).entry
    assert entry["title"] == {"en": "Müller and the ISS"}
    assert [c["name"] for c in entry["contributors"]] == ["Müller, Jörg", "NASA and Friends"]
    assert entry["published"] == "2020"


def test_dublin_core_is_valid_xml_with_a_language_on_every_multilingual_element() -> None:
    record = rich_record({"author"}, title_en=TRICKY)
    root = etree.fromstring(export_records([record], "dc-xml").encode())
    ns = {"dc": "http://purl.org/dc/elements/1.1/"}
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    titles = {t.get(lang): t.text for t in root.iterfind(".//dc:title", ns)}
    assert titles == {"zh": "长期航天飞行中的骨丢失", "en": TRICKY, "ru": "Потеря костной массы в длительном полёте"}
    assert {d.get(lang) for d in root.iterfind(".//dc:description", ns)} == {"zh", "en", "ru"}
    assert "骨丢失" in [s.text for s in root.iterfind(".//dc:subject", ns) if s.get(lang) == "zh"]


def test_datacite_has_one_title_and_description_per_language_and_spdx_rights() -> None:
    record = rich_record({"author", "editor"})
    attributes = json.loads(export_records([record], "datacite-json"))
    assert attributes["titles"][0] == {"title": "长期航天飞行中的骨丢失", "lang": "zh"}
    assert {t["lang"]: t.get("titleType") for t in attributes["titles"]} == {
        "zh": None,
        "en": "TranslatedTitle",
        "ru": "TranslatedTitle",
    }
    assert {d["lang"] for d in attributes["descriptions"]} == {"zh", "en", "ru"}
    assert attributes["types"] == {"resourceTypeGeneral": "JournalArticle", "resourceType": "publication"}
    assert attributes["rightsList"][0]["rightsIdentifier"] == "CC-BY-4.0"
    assert attributes["rightsList"][0]["rightsIdentifierScheme"] == "SPDX"
    assert attributes["publicationYear"] == 2019 and attributes["doi"] == "10.1038/s41526-019-0075-2"
    assert {"subject": "骨丢失", "lang": "zh"}.items() <= next(
        s for s in attributes["subjects"] if s.get("classificationCode") == "bone-loss" and s["lang"] == "zh"
    ).items()
    assert attributes["contributors"] == [
        {
            "name": "Smith, John",
            "nameType": "Personal",
            "givenName": "John",
            "familyName": "Smith",
            "contributorType": "Editor",
        }
    ]
    two = json.loads(export_records([record, rich_record_other()], "datacite-json"))
    assert isinstance(two, list) and len(two) == 2


def rich_record_other() -> Record:
    return shared_record(owner_party=PartyFactory(), title=MultilingualText({"ru": "Второй"}, "ru"))


def test_csv_guards_formulas_and_reads_them_back() -> None:
    record = rich_record({"author"}, title_en='=HYPERLINK("http://evil")')
    text = export_records([record], "csv")
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["title_en"].startswith("'=")
    entry = next(iter(read_entries(text, "csv"))).entry
    assert entry["title"]["en"] == '=HYPERLINK("http://evil")'


def test_ris_tags_only_translations_whose_script_does_not_tell_their_language() -> None:
    record = shared_record(
        owner_party=PartyFactory(),
        title=MultilingualText({"en": "Bone loss", "fr": "Perte osseuse", "zh": "骨丢失"}, "en"),
    )
    text = export_records([record], "ris")
    assert "TT  - [fr] Perte osseuse" in text and "TT  - 骨丢失" in text
    entry = next(iter(read_entries(text, "ris"))).entry
    assert entry["title"] == {"en": "Bone loss", "fr": "Perte osseuse", "zh": "骨丢失"}


def test_related_records_appear_only_when_the_target_is_public() -> None:
    party = PartyFactory()
    public = shared_record(owner_party=party, title=MultilingualText({"en": "Public target"}, "en"))
    hidden = shared_record(owner_party=party, level="owner", title=MultilingualText({"en": "Hidden target"}, "en"))
    record = shared_record(
        owner_party=party,
        title=MultilingualText({"en": "Source"}, "en"),
        related=[("cites", public), ("supplements", hidden)],
    )
    for name in ("jsonl", "datacite-json", "csv", "dc-xml"):
        text = export_records([record], name)
        assert public.reference in text and hidden.reference not in text, name


# --- every export path: the published version to everyone but the owner party ----------------------------------------

SECRET = "Unpublished working copy"


@pytest.fixture
def edited() -> dict[str, Any]:
    """A public record, published once, then edited by its owner party without publishing: a new title, abstract,
    keywords, identifier, contributor and subject that only the owner party may read."""
    from spacebridge.parties.tests.factories import member_of

    party = PartyFactory(code="ibmp-x", country="RU")
    officer = member_of(party, role="liaison_officer")
    record = shared_record(
        owner_party=party,
        by=officer,
        title=MultilingualText({"en": "Published title"}, "en"),
        abstract=MultilingualText({"en": "Published abstract."}, "en"),
        identifiers=[{"scheme": "doi", "value": "10.5555/published"}],
        contributors=[{"name": "Published, Author", "role": "author"}],
    )
    secret_subject = ConceptFactory(code="secret-subject", pref=MultilingualText({"en": f"{SECRET} subject"}, "en"))
    record_update(
        record=record,
        by=officer,
        title={"en": f"{SECRET} title"},
        abstract={"en": f"{SECRET} abstract."},
        keywords={"en": [f"{SECRET} keyword"]},
        identifiers=[{"scheme": "doi", "value": "10.5555/unpublished-working-copy"}],
        contributors=[{"name": f"{SECRET}, Author", "role": "author"}],
        subjects=[secret_subject],
    )
    other = PartyFactory(code="nasa-x", country="US")
    return {"record": record, "officer": officer, "outsider": member_of(other), "other": other}


def _body(response) -> str:  # type: ignore[no-untyped-def]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def _assert_published(text: str, where: str) -> None:
    assert "Published title" in text, where
    for leak in (SECRET, "unpublished-working-copy", "secret-subject"):
        assert leak.lower() not in text.lower(), (where, leak)


@pytest.mark.parametrize("viewer", ["anonymous", "outsider"])
def test_every_export_path_shows_others_the_published_version(edited: dict[str, Any], viewer: str) -> None:
    from django.test import Client

    client = Client()
    if viewer == "outsider":
        client.force_login(edited["outsider"])
    record = edited["record"]
    ref = record.reference
    paths = {}
    for name, export_format in EXPORT_FORMATS.items():
        paths[f"page ?format={name}"] = client.get(f"/records/{ref}/", {"format": name})
        paths[f"Accept {export_format.media_type}"] = client.get(f"/records/{ref}/", HTTP_ACCEPT=export_format.media_type)
        paths[f"list ?format={name}"] = client.get("/records/", {"format": name})
        paths[f"API export {name}"] = client.get(f"/api/v1/records/{ref}/export/{name}")
        paths[f"API list export {name}"] = client.get(f"/api/v1/records/export/{name}")
    paths["record page"] = client.get(f"/records/{ref}/")
    paths["API record"] = client.get(f"/api/v1/records/{ref}")
    paths["API list"] = client.get("/api/v1/records/")
    paths["Atom feed"] = client.get("/records/feed/en.atom")
    for prefix in ("oai_dc", "oai_datacite"):
        paths[f"OAI ListRecords {prefix}"] = client.get("/oai", {"verb": "ListRecords", "metadataPrefix": prefix})
        paths[f"OAI GetRecord {prefix}"] = client.get(
            "/oai", {"verb": "GetRecord", "metadataPrefix": prefix, "identifier": f"oai:127.0.0.1:{ref}"}
        )
    for where, response in paths.items():
        assert response.status_code == 200, where
        _assert_published(_body(response), where)


@pytest.mark.parametrize("viewer", ["anonymous", "outsider"])
def test_list_rows_show_others_the_published_version(edited: dict[str, Any], viewer: str) -> None:
    from django.contrib.auth.models import AnonymousUser

    from spacebridge.records.selectors import record_list, records_as_published

    user = edited["outsider"] if viewer == "outsider" else AnonymousUser()
    rows = records_as_published(user=user, records=list(record_list(user=user)))
    assert [r.title.get("en") for r in rows] == ["Published title"]
    assert rows[0].abstract.get("en") == "Published abstract." and rows[0].keywords == {}
    own = records_as_published(user=edited["officer"], records=list(record_list(user=edited["officer"])))
    assert [r.title.get("en") for r in own] == [f"{SECRET} title"]


def test_list_filters_read_the_published_version_of_others_records(edited: dict[str, Any]) -> None:
    from django.contrib.auth.models import AnonymousUser

    from spacebridge.records.models import RecordType
    from spacebridge.records.selectors import record_list

    record, officer = edited["record"], edited["officer"]
    record_update(
        record=record,
        by=officer,
        type=RecordType.objects.get(code="dataset"),
        published_on=date(2019, 5, 1),
        title={"en": f"{SECRET} title", "ru": "Черновик"},
    )
    working_copy = {"subject": "secret-subject", "type": "dataset", "year": 2019, "language": "ru"}
    for viewer in (AnonymousUser(), edited["outsider"]):
        for name, value in working_copy.items():
            assert not record_list(user=viewer, **{name: value}).exists(), name
        assert list(record_list(user=viewer, type="publication", language="en")) == [record]
    for name, value in working_copy.items():  # the owner party filters its working copy
        assert list(record_list(user=officer, **{name: value})) == [record], name
    assert not record_list(user=officer, type="publication").exists()


def test_the_list_page_shows_others_the_published_title(edited: dict[str, Any]) -> None:
    from django.test import Client

    _assert_published(_body(Client().get("/records/")), "list page")


def test_the_owner_party_exports_what_is_published_and_reads_its_working_copy_on_the_page(
    edited: dict[str, Any],
) -> None:
    from django.test import Client

    client = Client()
    client.force_login(edited["officer"])
    ref = edited["record"].reference
    for name in EXPORT_FORMATS:
        _assert_published(_body(client.get(f"/api/v1/records/{ref}/export/{name}")), name)
    assert f"{SECRET} title" in _body(client.get(f"/records/{ref}/"))
