"""DataCite JSON (metadata schema 4.x, the attributes of the DataCite REST API).

Titles, descriptions and keywords are one element per language with ``lang``; subjects from the thesaurus carry
their scheme, code and address in every language they have a label in; the licence is an SPDX ``rightsList`` entry.
One record renders as one object, several as an array; the reader takes either, and ``{"data": …}`` as the REST
API returns it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from spacebridge.records.formats import ExportFormat, ImportFormat, SourceEntry, register_export, register_import
from spacebridge.records.formats.crosswalk import (
    creator_role,
    is_creator,
    licence_from_url,
    licence_name,
    licence_url,
    split_name,
)
from spacebridge.records.formats.exported import (
    ExportedRecord,
    concept_url,
    exported_records,
    record_url,
    reference_from_url,
)
from spacebridge.records.formats.json_items import json_items
from spacebridge.records.models import Record

SCHEMA_VERSION = "http://datacite.org/schema/kernel-4"
SUBJECT_SCHEME = "Spacebridge space-medicine thesaurus"
RESOURCE_TYPES = {
    "publication": "JournalArticle",
    "dataset": "Dataset",
    "technology": "Other",
    "patent": "Text",
    "software": "Software",
    "clinical_protocol": "StudyRegistration",
    "report": "Report",
    "presentation": "Text",
}
RECORD_TYPES = {"JournalArticle": "publication", "Dataset": "dataset", "Software": "software", "Report": "report",
                "StudyRegistration": "clinical_protocol", "Preprint": "publication", "Text": "publication",
                "ConferencePaper": "publication", "Book": "publication", "BookChapter": "publication"}  # fmt: skip
CONTRIBUTOR_TYPES = {"editor": "Editor", "investigator": "ProjectLeader", "contact": "ContactPerson",
                     "developer": "Producer", "inventor": "Other", "other": "Other", "author": "Other"}  # fmt: skip
ROLES = {"Editor": "editor", "ProjectLeader": "investigator", "ContactPerson": "contact", "Producer": "developer"}
RELATIONS = {"cites": "Cites", "is_version_of": "IsVersionOf", "supplements": "IsSupplementTo"}
IDENTIFIER_TYPES = {"pmid": "PMID", "pmcid": "PMCID", "isbn": "ISBN", "patent": "Patent number", "url": "URL"}
SCHEMES = {label.lower(): scheme for scheme, label in IDENTIFIER_TYPES.items()} | {"doi": "doi"}


def _person(name: str) -> dict[str, Any]:
    family, given = split_name(name)
    if given:
        return {"name": name, "nameType": "Personal", "givenName": given, "familyName": family}
    return {"name": name}


def _subjects(record: ExportedRecord) -> list[dict[str, Any]]:
    subjects = [{"subject": w, "lang": lang} for lang, words in record.keywords.items() for w in words]
    for concept in record.subjects:
        for lang, label in concept.pref.text.items():
            subjects.append(
                {
                    "subject": label,
                    "lang": lang,
                    "subjectScheme": SUBJECT_SCHEME,
                    "schemeUri": concept_url(concept.code).removesuffix(f"{concept.code}/"),
                    "valueUri": concept_url(concept.code),
                    "classificationCode": concept.code,
                }
            )
    return subjects


def attributes_of(record: ExportedRecord) -> dict[str, Any]:
    """The DataCite attributes of one record."""
    language = record.language
    titles = [{"title": record.title.text[language], "lang": language}] if language in record.title.text else []
    titles += [
        {"title": text, "lang": lang, "titleType": "TranslatedTitle"}
        for lang, text in record.title.text.items()
        if lang != language
    ]
    creators = [_person(c.name) for c in record.contributors if is_creator(c.role, record.type)]
    contributors = [
        {**_person(c.name), "contributorType": CONTRIBUTOR_TYPES[c.role]}
        for c in record.contributors
        if not is_creator(c.role, record.type)
    ]
    attributes: dict[str, Any] = {}
    if dois := record.identifier_values("doi"):
        attributes["doi"] = dois[0]
    attributes |= {
        "identifiers": [
            {"identifier": value, "identifierType": IDENTIFIER_TYPES.get(scheme, scheme.upper())}
            for scheme, value in record.identifiers
            if scheme != "doi" or value != attributes.get("doi")
        ],
        "creators": creators or [{"name": ":unav"}],
        "titles": titles,
        "publisher": record.owner_party_name,
        "publicationYear": record.published_on.year if record.published_on else None,
        "subjects": _subjects(record),
        "contributors": contributors,
        "dates": [{"date": record.published_on.isoformat(), "dateType": "Issued"}] if record.published_on else [],
        "language": language,
        "types": {"resourceTypeGeneral": RESOURCE_TYPES.get(record.type, "Other"), "resourceType": record.type},
        "relatedIdentifiers": [
            {"relatedIdentifier": record_url(ref), "relatedIdentifierType": "URL", "relationType": RELATIONS[rel]}
            for rel, ref in record.related
        ],
        "rightsList": [
            {
                "rights": licence_name(record.licence),
                "rightsUri": licence_url(record.licence),
                "rightsIdentifier": record.licence,
                "rightsIdentifierScheme": "SPDX",
                "schemeUri": "https://spdx.org/licenses/",
            }
        ]
        if record.licence
        else [],
        "descriptions": [
            {"description": text, "descriptionType": "Abstract", "lang": lang}
            for lang, text in record.abstract.text.items()
        ],
        "url": record.url,
        "schemaVersion": SCHEMA_VERSION,
    }
    if attributes["publicationYear"] is None:
        del attributes["publicationYear"]
    return attributes


def render(records: list[Record]) -> str:
    items = [attributes_of(r) for r in exported_records(records)]
    return json.dumps(items[0] if len(items) == 1 else items, ensure_ascii=False, indent=2) + "\n"


def _lang(value: Any, default: str) -> str:
    return str(value or default).lower().split("-")[0]


def entry_of(attributes: dict[str, Any]) -> dict[str, Any]:
    """The JSON Lines entry of one DataCite attributes object."""
    language = _lang(attributes.get("language"), "en")
    types = attributes.get("types") or {}
    record_type = types.get("resourceType") or ""
    if record_type not in RESOURCE_TYPES:
        record_type = RECORD_TYPES.get(types.get("resourceTypeGeneral", ""), "publication")
    entry: dict[str, Any] = {"type": record_type, "language": language}
    title: dict[str, str] = {}
    for item in attributes.get("titles") or []:
        if item.get("titleType") in {None, "", "TranslatedTitle"} and item.get("title"):
            title.setdefault(_lang(item.get("lang"), language), item["title"])
    entry["title"] = title
    abstract: dict[str, str] = {}
    for item in attributes.get("descriptions") or []:
        if item.get("descriptionType", "Abstract") == "Abstract" and item.get("description"):
            abstract.setdefault(_lang(item.get("lang"), language), item["description"])
    if abstract:
        entry["abstract"] = abstract
    keywords: dict[str, list[str]] = {}
    subjects: list[str] = []
    for item in attributes.get("subjects") or []:
        if item.get("subjectScheme") == SUBJECT_SCHEME:
            code = item.get("classificationCode") or str(item.get("valueUri", "")).rstrip("/").rsplit("/", 1)[-1]
            if code and code not in subjects:
                subjects.append(code)
        elif item.get("subject"):
            keywords.setdefault(_lang(item.get("lang"), language), []).append(item["subject"])
    if keywords:
        entry["keywords"] = keywords
    if subjects:
        entry["subjects"] = subjects
    contributors = [
        {"name": c["name"], "role": creator_role(record_type)}
        for c in attributes.get("creators") or []
        if c.get("name") and c["name"] != ":unav"
    ]
    contributors += [
        {"name": c["name"], "role": ROLES.get(c.get("contributorType", ""), "other")}
        for c in attributes.get("contributors") or []
        if c.get("name")
    ]
    if contributors:
        entry["contributors"] = contributors
    identifiers = [{"scheme": "doi", "value": attributes["doi"]}] if attributes.get("doi") else []
    for item in [*(attributes.get("identifiers") or []), *(attributes.get("alternateIdentifiers") or [])]:
        value = item.get("identifier") or item.get("alternateIdentifier")
        kind = str(item.get("identifierType") or item.get("alternateIdentifierType") or "").lower()
        if value and kind in SCHEMES:
            identifiers.append({"scheme": SCHEMES[kind], "value": value})
    if identifiers:
        entry["identifiers"] = identifiers
    if attributes.get("url") and reference_from_url(attributes["url"]):
        entry["reference"] = reference_from_url(attributes["url"])
    issued = [d["date"] for d in attributes.get("dates") or [] if d.get("dateType") == "Issued" and d.get("date")]
    if issued:
        entry["published"] = str(issued[0])
    elif attributes.get("publicationYear"):
        entry["published"] = str(attributes["publicationYear"])
    for rights in attributes.get("rightsList") or []:
        spdx = rights.get("rightsIdentifier") if rights.get("rightsIdentifierScheme", "").upper() == "SPDX" else ""
        spdx = spdx or licence_from_url(rights.get("rightsUri", ""))
        if spdx:
            entry["licence"] = spdx
            break
    relations = {v: k for k, v in RELATIONS.items()}
    related = [
        {"relation": relations[r["relationType"]], "reference": reference_from_url(r.get("relatedIdentifier", ""))}
        for r in attributes.get("relatedIdentifiers") or []
        if r.get("relationType") in relations and reference_from_url(r.get("relatedIdentifier", ""))
    ]
    if related:
        entry["related"] = related
    return entry


def read(text: str) -> Iterator[SourceEntry]:
    for line, item, error in json_items(text, wrapper="data"):
        if error:
            yield SourceEntry(line, error=error)
            continue
        if isinstance(item, dict) and isinstance(item.get("data"), dict):
            item = item["data"]
        if isinstance(item, dict) and isinstance(item.get("attributes"), dict):
            item = item["attributes"]
        if not isinstance(item, dict):
            yield SourceEntry(line, error=_("a DataCite record must be an object"))
        else:
            yield SourceEntry(line, entry_of(item))


register_export(
    ExportFormat(
        name="datacite-json",
        label="DataCite JSON",
        media_type="application/vnd.datacite.datacite+json",
        extension="json",
        render=render,
    )
)
register_import(ImportFormat(name="datacite", label="DataCite JSON", read=read))
