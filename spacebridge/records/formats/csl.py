"""CSL-JSON: the input of citation processors (citeproc-js, Pandoc, Zotero).

The title, abstract and keywords are in the record's original language (``language``); translations travel in the
CSL-M ``multi._keys`` object that multilingual citation processors read. What CSL has no variable for (the record
type, subjects, roles beside author and editor, further URLs) travels in ``custom.spacebridge``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from spacebridge.records.formats import ExportFormat, ImportFormat, SourceEntry, register_export, register_import
from spacebridge.records.formats.crosswalk import creator_role, is_creator, join_keywords, split_keywords, split_name
from spacebridge.records.formats.exported import REFERENCE_PATTERN, ExportedRecord, exported_records
from spacebridge.records.formats.json_items import json_items
from spacebridge.records.models import Record

CSL_TYPES = {
    "publication": "article-journal",
    "dataset": "dataset",
    "technology": "document",
    "patent": "patent",
    "software": "software",
    "clinical_protocol": "document",
    "report": "report",
    "presentation": "speech",
}
RECORD_TYPES = {"dataset": "dataset", "patent": "patent", "software": "software", "report": "report",
                "speech": "presentation", "presentation": "presentation"}  # fmt: skip
OTHER_ROLES = ("investigator", "contact", "other")


def csl_name(name: str) -> dict[str, str]:
    family, given = split_name(name)
    return {"family": family, "given": given} if given else {"literal": name}


def name_of(item: dict[str, Any]) -> str:
    if item.get("literal"):
        return str(item["literal"]).strip()
    family = " ".join(str(item.get(k, "")).strip() for k in ("non-dropping-particle", "family") if item.get(k))
    given = " ".join(str(item.get(k, "")).strip() for k in ("given", "dropping-particle") if item.get(k))
    return f"{family}, {given}" if family and given else (family or given)


def item_of(record: ExportedRecord) -> dict[str, Any]:
    language = record.language
    item: dict[str, Any] = {
        "id": record.reference,
        "type": CSL_TYPES.get(record.type, "document"),
        "language": language,
        "title": record.title.text.get(language) or record.title.get(language),
    }
    creators = [csl_name(c.name) for c in record.contributors if is_creator(c.role, record.type)]
    editors = [csl_name(c.name) for c in record.contributors if c.role == "editor"]
    if creators:
        item["author"] = creators
    if editors:
        item["editor"] = editors
    if record.published_on:
        day = record.published_on
        item["issued"] = {"date-parts": [[day.year, day.month, day.day]]}
    if language in record.abstract.text:
        item["abstract"] = record.abstract.text[language]
    if record.keywords.get(language):
        item["keyword"] = join_keywords(record.keywords[language])
    for scheme, variable in (("doi", "DOI"), ("pmid", "PMID"), ("pmcid", "PMCID"), ("isbn", "ISBN")):
        if values := record.identifier_values(scheme):
            item[variable] = values[0]
    if patents := record.identifier_values("patent"):
        item["number"] = patents[0]
    urls = record.identifier_values("url")
    item["URL"] = urls[0] if urls else record.url
    if record.licence:
        item["license"] = record.licence
    item["publisher"] = record.owner_party_name
    keys: dict[str, dict[str, str]] = {}
    for field, values in (("title", record.title.text), ("abstract", record.abstract.text)):
        translations = {lang: text for lang, text in values.items() if lang != language}
        if translations:
            keys[field] = translations
    keyword_translations = {lang: join_keywords(w) for lang, w in record.keywords.items() if lang != language}
    if keyword_translations:
        keys["keyword"] = keyword_translations
    if keys:
        item["multi"] = {"_keys": keys}
    custom: dict[str, Any] = {"type": record.type}
    if record.subjects:
        custom["subjects"] = [c.code for c in record.subjects]
    others = [{"name": c.name, "role": c.role} for c in record.contributors if c.role in OTHER_ROLES]
    if others:
        custom["contributors"] = others
    if len(urls) > 1:
        custom["urls"] = urls[1:]
    item["custom"] = {"spacebridge": custom}
    return item


def render(records: list[Record]) -> str:
    return json.dumps([item_of(r) for r in exported_records(records)], ensure_ascii=False, indent=2) + "\n"


def _issued(value: Any) -> str:
    if not isinstance(value, dict):
        return ""
    parts = (value.get("date-parts") or [[]])[0]
    if parts and all(str(p).isdigit() for p in parts):
        return "-".join(f"{int(p):04d}" if i == 0 else f"{int(p):02d}" for i, p in enumerate(parts[:3]))
    raw = str(value.get("raw") or value.get("literal") or "")
    try:
        return date.fromisoformat(raw[:10]).isoformat()
    except ValueError:
        return raw[:4] if raw[:4].isdigit() else ""


def _keywords(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return split_keywords(str(value or ""))


def entry_of(item: dict[str, Any]) -> dict[str, Any]:
    """The JSON Lines entry of one CSL-JSON item."""
    custom = (item.get("custom") or {}).get("spacebridge") or {}
    language = str(item.get("language") or "en").lower()[:2]
    record_type = custom.get("type") or RECORD_TYPES.get(str(item.get("type", "")), "publication")
    keys = (item.get("multi") or {}).get("_keys") or {}
    entry: dict[str, Any] = {"type": record_type, "language": language}
    if REFERENCE_PATTERN.match(str(item.get("id", ""))):
        entry["reference"] = item["id"]
    entry["title"] = {language: item.get("title") or "", **(keys.get("title") or {})}
    abstract = {**({language: item["abstract"]} if item.get("abstract") else {}), **(keys.get("abstract") or {})}
    if abstract:
        entry["abstract"] = abstract
    keywords = {language: _keywords(item.get("keyword"))} if item.get("keyword") else {}
    keywords |= {lang: _keywords(words) for lang, words in (keys.get("keyword") or {}).items()}
    if keywords:
        entry["keywords"] = keywords
    contributors = [{"name": name_of(n), "role": creator_role(record_type)} for n in item.get("author") or []]
    contributors += [{"name": name_of(n), "role": "editor"} for n in item.get("editor") or []]
    contributors += [dict(c) for c in custom.get("contributors") or []]
    if contributors:
        entry["contributors"] = contributors
    identifiers = [
        {"scheme": scheme, "value": str(item[variable])}
        for scheme, variable in (("doi", "DOI"), ("pmid", "PMID"), ("pmcid", "PMCID"), ("isbn", "ISBN"))
        if item.get(variable)
    ]
    if record_type == "patent" and item.get("number"):
        identifiers.append({"scheme": "patent", "value": str(item["number"])})
    urls = [u for u in [item.get("URL"), *(custom.get("urls") or [])] if u]
    identifiers += [{"scheme": "url", "value": str(u)} for u in urls]
    if identifiers:
        entry["identifiers"] = identifiers
    if published := _issued(item.get("issued")):
        entry["published"] = published
    if item.get("license"):
        entry["licence"] = item["license"]
    if custom.get("subjects"):
        entry["subjects"] = list(custom["subjects"])
    return entry


def read(text: str) -> Iterator[SourceEntry]:
    for line, item, error in json_items(text, wrapper="items"):
        if error:
            yield SourceEntry(line, error=error)
        elif not isinstance(item, dict):
            yield SourceEntry(line, error=_("a CSL-JSON item must be an object"))
        else:
            yield SourceEntry(line, entry_of(item))


register_export(
    ExportFormat(
        name="csl-json",
        label="CSL-JSON",
        media_type="application/vnd.citationstyles.csl+json",
        extension="json",
        render=render,
    )
)
register_import(ImportFormat(name="csl-json", label="CSL-JSON", read=read))
