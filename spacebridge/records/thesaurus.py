"""Loading the trilingual space-medicine thesaurus: the shipped data file, SKOS RDF/XML or CSV.

A load is one transaction and idempotent: new concepts are added in one go (``concept_create_many``), a known concept
goes through ``concept_upsert`` only when its labels changed, and links through ``concept_links_set_many`` only when
they changed; loading the same file
twice changes nothing and writes no audit entry the second time. A file with a broken link or a duplicate
identifier is refused whole.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from lxml import etree

from spacebridge.core.multilingual import CONTENT_LANGUAGES, MultilingualText
from spacebridge.records.models import Concept
from spacebridge.records.services import concept_create_many, concept_links_set_many, concept_upsert

THESAURUS_FILE = Path(__file__).parent / "data" / "thesaurus.json"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,59}$")


@dataclass
class ConceptSpec:
    code: str
    pref: dict[str, str]
    alt: dict[str, list[str]] = field(default_factory=dict)
    broader: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    source: str = ""


@dataclass
class ThesaurusReport:
    concepts: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    links_changed: int = 0

    def summary(self) -> str:
        return (
            f"{self.concepts} concepts: {self.created} added, {self.updated} changed, {self.unchanged} unchanged; "
            f"links of {self.links_changed} concepts changed."
        )


def _language(tag: str | None) -> str:
    return (tag or "").lower().split("-")[0]


def _labels(values: dict[str, Any]) -> dict[str, str]:
    return {lang: text.strip() for lang, text in values.items() if lang in CONTENT_LANGUAGES and text and text.strip()}


def _alt(values: dict[str, Any]) -> dict[str, list[str]]:
    alt = {}
    for lang, labels in values.items():
        kept = list(dict.fromkeys(label.strip() for label in labels or [] if label and label.strip()))
        if lang in CONTENT_LANGUAGES and kept:
            alt[lang] = kept
    return alt


def read_json(text: str) -> list[ConceptSpec]:
    """The shipped format: ``{"concepts": [{"id", "pref": {en, zh, ru}, "alt": {lang: [..]}, "broader": [ids],
    "related": [ids], "nasa"}]}``."""
    document = json.loads(text)
    items = document.get("concepts") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise ValidationError("The thesaurus file holds no list of concepts.")
    return [
        ConceptSpec(
            code=str(item.get("id", "")).strip(),
            pref=_labels(item.get("pref") or {}),
            alt=_alt(item.get("alt") or {}),
            broader=[str(b) for b in item.get("broader") or []],
            related=[str(r) for r in item.get("related") or []],
            source=str(item.get("nasa") or item.get("source") or "")[:100],
        )
        for item in items
    ]


def _code_of(uri: str) -> str:
    return re.split(r"[/#]", uri.rstrip("/#"))[-1]


def read_skos(text: str) -> list[ConceptSpec]:
    """SKOS in RDF/XML: every ``skos:Concept`` (or resource typed as one) with its labels and links."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as error:
        raise ValidationError(f"Not well-formed RDF/XML (line {error.lineno}): {error.msg}") from None
    typed = f"{{{SKOS}}}Concept"
    specs = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        is_concept = element.tag == typed or any(
            t.get(f"{{{RDF}}}resource") == SKOS + "Concept" for t in element.findall(f"{{{RDF}}}type")
        )
        about = element.get(f"{{{RDF}}}about")
        if not is_concept or not about:
            continue
        pref: dict[str, str] = {}
        alt: dict[str, list[str]] = {}
        for label in element.findall(f"{{{SKOS}}}prefLabel"):
            pref.setdefault(_language(label.get(XML_LANG)) or "en", (label.text or "").strip())
        for label in element.findall(f"{{{SKOS}}}altLabel"):
            alt.setdefault(_language(label.get(XML_LANG)) or "en", []).append((label.text or "").strip())
        links = {
            name: [_code_of(link.get(f"{{{RDF}}}resource", "")) for link in element.findall(f"{{{SKOS}}}{name}")]
            for name in ("broader", "related")
        }
        specs.append(
            ConceptSpec(
                code=_code_of(about),
                pref=_labels(pref),
                alt=_alt(alt),
                broader=[c for c in links["broader"] if c],
                related=[c for c in links["related"] if c],
                source=about[:100],
            )
        )
    return specs


def _list(cell: str) -> list[str]:
    return [part.strip() for part in re.split(r"[|;]", cell or "") if part.strip()]


def read_csv(text: str) -> list[ConceptSpec]:
    """CSV with the columns id, pref_en, pref_zh, pref_ru, alt_en, alt_zh, alt_ru, broader (and optionally
    related, source); lists inside a cell are separated by ``|`` or ``;``."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = {name.strip().lower() for name in reader.fieldnames or []}
    if not {"id", "pref_en"} <= header and not {"id", "pref_zh"} <= header:
        raise ValidationError("The CSV needs at least the columns id and pref_en (or pref_zh).")
    specs = []
    for row in reader:
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        if not any(row.values()):
            continue
        languages = list(CONTENT_LANGUAGES)
        specs.append(
            ConceptSpec(
                code=row.get("id", ""),
                pref=_labels({lang: row.get(f"pref_{lang}", "") for lang in languages}),
                alt=_alt({lang: _list(row.get(f"alt_{lang}", "")) for lang in languages}),
                broader=_list(row.get("broader", "")),
                related=_list(row.get("related", "")),
                source=row.get("source", "")[:100],
            )
        )
    return specs


def thesaurus_read(text: str, *, name: str = "thesaurus.json") -> list[ConceptSpec]:
    """The concepts of a thesaurus file, told by its name (.json, .csv, else SKOS RDF/XML), validated whole."""
    suffix = Path(name).suffix.lower()
    try:
        specs = read_json(text) if suffix == ".json" else read_csv(text) if suffix == ".csv" else read_skos(text)
    except json.JSONDecodeError as error:
        raise ValidationError(f"Not valid JSON (line {error.lineno}): {error.msg}") from None
    _validate(specs)
    return specs


def _validate(specs: list[ConceptSpec]) -> None:
    problems = []
    codes = [s.code for s in specs]
    known = set(codes) | set(Concept.objects.values_list("code", flat=True))
    seen: set[str] = set()
    for number, spec in enumerate(specs, start=1):
        name = spec.code or f"concept {number}"
        if not _CODE.match(spec.code):
            problems.append(f"{name}: an identifier is 1–60 letters, digits, '.', '_', ':' or '-'.")
        if spec.code in seen:
            problems.append(f"{name}: the identifier appears twice.")
        seen.add(spec.code)
        if not spec.pref:
            problems.append(f"{name}: no preferred label in a supported language.")
        missing = [c for c in spec.broader + spec.related if c not in known]
        if missing:
            problems.append(f"{name}: links to unknown concepts {', '.join(missing)}.")
        if spec.code in spec.broader + spec.related:
            problems.append(f"{name}: links to itself.")
    if problems:
        raise ValidationError(problems)


def _unchanged(concept: Concept, spec: ConceptSpec) -> bool:
    label = MultilingualText(spec.pref, "en" if "en" in spec.pref else "")
    return (
        concept.pref.to_json() == label.to_json()
        and concept.alt == {k: list(v) for k, v in spec.alt.items()}
        and concept.source == spec.source
    )


@transaction.atomic
def thesaurus_load(*, text: str | None = None, name: str = "thesaurus.json", by: Any = None) -> ThesaurusReport:
    """Load a thesaurus file's concepts and links (default: the shipped data file). Idempotent."""
    if text is None:
        text, name = THESAURUS_FILE.read_text(encoding="utf-8"), THESAURUS_FILE.name
    specs = thesaurus_read(text.lstrip("\ufeff"), name=name)
    report = ThesaurusReport(concepts=len(specs))
    existing = {c.code: c for c in Concept.objects.all()}
    concepts: dict[str, Concept] = dict(existing)
    new = [spec for spec in specs if spec.code not in existing]
    created = concept_create_many(
        concepts=[{"code": s.code, "pref": s.pref, "alt": s.alt, "source": s.source} for s in new], by=by
    )
    concepts.update({concept.code: concept for concept in created})
    report.created = len(created)
    for spec in specs:
        current = existing.get(spec.code)
        if current is None:
            continue
        if _unchanged(current, spec):
            report.unchanged += 1
        else:
            concepts[spec.code] = concept_upsert(
                code=spec.code, pref=spec.pref, alt=spec.alt, source=spec.source, by=by
            )
            report.updated += 1
    links = [
        (concepts[spec.code], [concepts[c] for c in spec.broader], [concepts[c] for c in spec.related])
        for spec in specs
    ]
    report.links_changed = len(concept_links_set_many(links=links, by=by))
    return report
