"""RIS: the tagged format of reference managers (EndNote, Zotero, Mendeley).

The title and abstract are in the record's original language (``LA``); translations follow as ``TT`` (translated
title) and ``N1`` (notes) lines, and keywords of every language as ``KW`` lines. RIS has no language attribute: a
translation is told by its script, and one that its script does not tell (French beside English) carries a
``[fr]`` tag. Non-URL identifiers are ``AN`` lines (``pmid:31000000``), the record type ``M3``, the licence ``C1``
and the subject codes ``C2``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from spacebridge.records.formats import ExportFormat, ImportFormat, SourceEntry, register_export, register_import
from spacebridge.records.formats.crosswalk import creator_role, is_creator, tagged, untagged
from spacebridge.records.formats.exported import REFERENCE_PATTERN, ExportedRecord, exported_records
from spacebridge.records.models import Record

REFERENCE_TYPES = {
    "publication": "JOUR",
    "dataset": "DATA",
    "technology": "GEN",
    "patent": "PAT",
    "software": "COMP",
    "clinical_protocol": "GEN",
    "report": "RPRT",
    "presentation": "SLIDE",
}
RECORD_TYPES = {"DATA": "dataset", "DBASE": "dataset", "AGGR": "dataset", "PAT": "patent", "COMP": "software",
                "RPRT": "report", "GOVDOC": "report", "SLIDE": "presentation"}  # fmt: skip
SHIPPED_TYPES = set(REFERENCE_TYPES)
_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")


def _translation(language: str, text: str, original: str) -> str:
    """The text as it travels: tagged only when its script would not tell its language."""
    return text if untagged(text, original)[0] == language else tagged(language, text)


def _one_line(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text).strip()


def record_lines(record: ExportedRecord) -> list[tuple[str, str]]:
    language = record.language
    lines = [("TY", REFERENCE_TYPES.get(record.type, "GEN")), ("ID", record.reference)]
    lines.append(("TI", _one_line(record.title.text.get(language) or record.title.get(language))))
    lines += [
        ("TT", _translation(lang, _one_line(text), language))
        for lang, text in record.title.text.items()
        if lang != language
    ]
    for tag, roles in (("AU", None), ("A2", {"editor"}), ("A3", {"investigator"}), ("A4", {"contact", "other"})):
        for c in record.contributors:
            if (roles is None and is_creator(c.role, record.type)) or (roles and c.role in roles):
                lines.append((tag, c.name))
    if record.published_on:
        day = record.published_on
        lines += [("PY", str(day.year)), ("DA", f"{day.year:04d}/{day.month:02d}/{day.day:02d}")]
    for lang, text in record.abstract.text.items():
        if lang == language:
            lines.append(("AB", _one_line(text)))
        else:
            lines.append(("N1", _translation(lang, _one_line(text), language)))
    for lang, words in record.keywords.items():
        lines += [("KW", word if lang == language else _translation(lang, word, language)) for word in words]
    lines.append(("LA", language))
    for value in record.identifier_values("doi"):
        lines.append(("DO", value))
    urls = record.identifier_values("url")
    lines += [("UR", url) for url in urls or [record.url]]
    for scheme in ("pmid", "pmcid", "isbn", "patent"):
        lines += [("AN", f"{scheme}:{value}") for value in record.identifier_values(scheme)]
    lines += [("M3", record.type), ("PB", record.owner_party_name)]
    if record.licence:
        lines.append(("C1", record.licence))
    if record.subjects:
        lines.append(("C2", "; ".join(c.code for c in record.subjects)))
    lines.append(("ER", ""))
    return lines


def render(records: list[Record]) -> str:
    out = []
    for record in exported_records(records):
        out += [f"{tag}  - {value}".rstrip() for tag, value in record_lines(record)]
        out.append("")
    return "\r\n".join(out)


def _date(tags: dict[str, list[str]]) -> str:
    for tag in ("DA", "PY", "Y1"):
        for value in tags.get(tag, []):
            parts = [p for p in value.strip().split("/") if p.strip()]
            if parts and parts[0].isdigit():
                return "-".join(parts[:3])
    return ""


def entry_of(tags: dict[str, list[str]]) -> dict[str, Any]:
    """The JSON Lines entry of one RIS reference ({tag: [values in order]})."""
    first = {tag: values[0].strip() for tag, values in tags.items() if values}
    language = first.get("LA", "en").lower()[:3].strip() or "en"
    record_type = first.get("M3", "")
    if record_type not in SHIPPED_TYPES:
        record_type = RECORD_TYPES.get(first.get("TY", ""), "publication")
    entry: dict[str, Any] = {"type": record_type, "language": language}
    if REFERENCE_PATTERN.match(first.get("ID", "")):
        entry["reference"] = first["ID"]
    title = {language: first.get("TI") or first.get("T1", "")}
    for value in tags.get("TT", []):
        lang, text = untagged(value, language)
        title.setdefault(lang, text)
    entry["title"] = {k: v for k, v in title.items() if v}
    abstract = {language: first["AB"]} if first.get("AB") else {}
    for value in tags.get("N1", []) + tags.get("N2", []):
        lang, text = untagged(value, language)
        abstract.setdefault(lang, text)
    if abstract:
        entry["abstract"] = abstract
    keywords: dict[str, list[str]] = {}
    for value in tags.get("KW", []):
        lang, word = untagged(value, language)
        keywords.setdefault(lang, []).append(word)
    if keywords:
        entry["keywords"] = keywords
    roles = [("AU", creator_role(record_type)), ("A1", creator_role(record_type)), ("A2", "editor"),
             ("A3", "investigator"), ("A4", "other")]  # fmt: skip
    contributors = [{"name": name.strip(), "role": role} for tag, role in roles for name in tags.get(tag, [])]
    if contributors:
        entry["contributors"] = contributors
    identifiers = [{"scheme": "doi", "value": v.strip()} for v in tags.get("DO", [])]
    identifiers += [{"scheme": "url", "value": v.strip()} for v in tags.get("UR", [])]
    for value in tags.get("AN", []):
        scheme, _sep, rest = value.partition(":")
        if rest and scheme.strip().lower() in {"pmid", "pmcid", "isbn", "patent", "doi"}:
            identifiers.append({"scheme": scheme.strip().lower(), "value": rest.strip()})
    for value in tags.get("SN", []):
        if record_type != "patent" and re.sub(r"[\s-]", "", value).isdigit() and len(re.sub(r"\D", "", value)) >= 10:
            identifiers.append({"scheme": "isbn", "value": value.strip()})
    if identifiers:
        entry["identifiers"] = identifiers
    if published := _date(tags):
        entry["published"] = published
    if first.get("C1"):
        entry["licence"] = first["C1"]
    if first.get("C2"):
        entry["subjects"] = [s.strip() for s in first["C2"].split(";") if s.strip()]
    return entry


def read(text: str) -> Iterator[SourceEntry]:
    tags: dict[str, list[str]] = {}
    start = 0
    last_tag = ""
    for number, line in enumerate(text.splitlines(), start=1):
        match = _LINE.match(line.rstrip())
        if not match:
            if line.strip() and tags and last_tag:
                tags[last_tag][-1] += " " + line.strip()  # a wrapped value continues
            elif line.strip():
                yield SourceEntry(number, error=_("not an RIS line (expected “TY  - …”)"))
            continue
        tag, value = match.group(1), (match.group(2) or "")
        if tag == "TY":
            if tags:
                yield SourceEntry(start, error=_("the reference before this one has no “ER  -” line"))
            tags, start = {"TY": [value]}, number
        elif tag == "ER":
            if tags:
                yield SourceEntry(start, entry_of(tags))
            tags, last_tag = {}, ""
            continue
        elif not tags:
            yield SourceEntry(number, error=_("an RIS reference starts with “TY  - …”"))
            continue
        else:
            tags.setdefault(tag, []).append(value)
        last_tag = tag
    if tags:
        yield SourceEntry(start, error=_("the last reference has no “ER  -” line"))


register_export(
    ExportFormat(
        name="ris",
        label="RIS",
        media_type="application/x-research-info-systems",
        extension="ris",
        render=render,
    )
)
register_import(ImportFormat(name="ris", label="RIS", read=read))
