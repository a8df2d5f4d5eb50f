"""CSV: one record per row, for spreadsheets. The same columns export and import (docs/records-import.md).

Languages are columns (``title_en``, ``title_zh``, …); lists are joined with ``"; "`` (keywords, contributors,
subjects, related records) or ``" | "`` (identifier values). A cell that a spreadsheet would run as a formula is
written with a leading apostrophe, which the reader removes again.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from spacebridge.core.multilingual import CONTENT_LANGUAGES
from spacebridge.records.formats import ExportFormat, ImportFormat, SourceEntry, register_export, register_import
from spacebridge.records.formats.exported import ExportedRecord, exported_records
from spacebridge.records.identifiers import SCHEMES
from spacebridge.records.models import Record

BASE_LANGUAGES = ("en", "zh", "ru")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ROLE = re.compile(r"^(?P<name>.*?)\s*\[(?P<role>[a-z_]+)(?:,\s*(?P<party>[a-z0-9_-]+))?\]$")


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _uncell(value: str) -> str:
    value = value.strip()
    return value[1:] if value.startswith("'") and value[1:].startswith(_FORMULA_START) else value


def _contributor(name: str, role: str, party: str | None) -> str:
    if role == "author" and not party:
        return name
    return f"{name} [{role}{', ' + party if party else ''}]"


def columns_for(languages: list[str]) -> list[str]:
    text_columns = [f"{field}_{lang}" for field in ("title", "abstract", "keywords") for lang in languages]
    return [
        "reference",
        "type",
        "language",
        *text_columns,
        "contributors",
        "subjects",
        *SCHEMES,
        "published",
        "licence",
        "related",
        "owner_party",
        "record_url",
    ]


def row_of(record: ExportedRecord, languages: list[str]) -> dict[str, str]:
    row: dict[str, str] = {
        "reference": record.reference,
        "type": record.type,
        "language": record.language,
        "contributors": "; ".join(_contributor(c.name, c.role, c.party) for c in record.contributors),
        "subjects": "; ".join(concept.code for concept in record.subjects),
        "published": record.published_on.isoformat() if record.published_on else "",
        "licence": record.licence,
        "related": "; ".join(f"{relation} {ref}" for relation, ref in record.related),
        "owner_party": record.owner_party,
        "record_url": record.url,
    }
    for lang in languages:
        row[f"title_{lang}"] = record.title.text.get(lang, "")
        row[f"abstract_{lang}"] = record.abstract.text.get(lang, "")
        row[f"keywords_{lang}"] = "; ".join(record.keywords.get(lang, []))
    for scheme in SCHEMES:
        row[scheme] = " | ".join(record.identifier_values(scheme))
    return {key: _cell(value) for key, value in row.items()}


def render(records: list[Record]) -> str:
    exported = exported_records(records)
    used = {lang for r in exported for lang in r.languages()}
    languages = [*BASE_LANGUAGES, *(lang for lang in CONTENT_LANGUAGES if lang in used and lang not in BASE_LANGUAGES)]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns_for(languages), lineterminator="\r\n")
    writer.writeheader()
    for record in exported:
        writer.writerow(row_of(record, languages))
    return out.getvalue()


def _split(value: str, separator: str = ";") -> list[str]:
    return [part.strip() for part in value.split(separator) if part.strip()]


def _by_language(row: dict[str, str], field: str, language: str) -> dict[str, str]:
    found = {}
    for key, value in row.items():
        if key.startswith(field + "_") and value:
            found[key[len(field) + 1 :]] = value
    if row.get(field):
        found.setdefault(language, row[field])
    return found


def entry_of(row: dict[str, str]) -> dict[str, Any]:
    """The JSON Lines entry of one CSV row (column names already lower-cased, cells cleaned)."""
    language = row.get("language") or "en"
    entry: dict[str, Any] = {"type": row.get("type", ""), "language": language}
    if row.get("reference"):
        entry["reference"] = row["reference"]
    entry["title"] = _by_language(row, "title", language)
    if abstract := _by_language(row, "abstract", language):
        entry["abstract"] = abstract
    keywords = {lang: _split(words) for lang, words in _by_language(row, "keywords", language).items()}
    if keywords:
        entry["keywords"] = keywords
    contributors = []
    for item in _split(row.get("contributors", "")):
        match = _ROLE.match(item)
        if match:
            contributor = {"name": match["name"], "role": match["role"]}
            if match["party"]:
                contributor["party"] = match["party"]
            contributors.append(contributor)
        else:
            contributors.append({"name": item, "role": "author"})
    if contributors:
        entry["contributors"] = contributors
    if row.get("subjects"):
        entry["subjects"] = _split(row["subjects"])
    identifiers = [
        {"scheme": scheme, "value": value} for scheme in SCHEMES for value in _split(row.get(scheme, ""), "|")
    ]
    for item in _split(row.get("identifiers", ""), "|"):  # "doi:10.1/x | https://…" in one column also reads
        if item.lower().startswith(("http://", "https://")):
            identifiers.append({"scheme": "url", "value": item})
        else:
            scheme, _sep, value = item.partition(":")
            identifiers.append({"scheme": scheme.strip().lower(), "value": value.strip()})
    if identifiers:
        entry["identifiers"] = identifiers
    published = row.get("published") or row.get("date") or row.get("year")
    if published:
        entry["published"] = published
    if licence := row.get("licence") or row.get("license"):
        entry["licence"] = licence
    related = [item.split(None, 1) for item in _split(row.get("related", ""))]
    if related:
        entry["related"] = [{"relation": r[0], "reference": r[1] if len(r) > 1 else ""} for r in related]
    for passthrough in ("release", "marking", "legal_basis", "status"):
        if row.get(passthrough):
            entry[passthrough] = row[passthrough]
    return entry


def read_rows(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line the row starts on, {lower-cased column: cleaned cell}) for every non-empty row after the header."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    line = 1
    for cells in reader:
        start, line = line, reader.line_num + 1
        if header is None:
            header = [cell.strip().lower() for cell in cells]
            continue
        if not any(cell.strip() for cell in cells):
            continue
        yield start, {key: _uncell(value) for key, value in zip(header, cells, strict=False) if key}


def read(text: str) -> Iterator[SourceEntry]:
    rows = read_rows(text)
    last = 1
    while True:
        try:
            line, row = next(rows)
        except StopIteration:
            return
        except csv.Error as error:  # the rest of the file cannot be split into cells
            yield SourceEntry(last + 1, error=_("not valid CSV: %(problem)s") % {"problem": error})
            return
        last = line
        yield SourceEntry(line, entry_of(row))


register_export(ExportFormat(name="csv", label="CSV", media_type="text/csv", extension="csv", render=render))
register_import(ImportFormat(name="csv", label="CSV", read=read, line_based=True))
