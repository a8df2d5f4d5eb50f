"""Dublin Core XML: each record an ``oai_dc:dc`` element (the OAI-PMH ``oai_dc`` format) in a ``records`` document.

Titles, descriptions and keywords are one element per language with ``xml:lang``. A thesaurus subject is its concept
address followed by its label in each language; identifiers are URIs (``info:doi/…``, ``info:pmid/…``,
``urn:isbn:…``, ``pmcid:…``, ``patent:…`` and web addresses), the record's own address first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from lxml import etree

from spacebridge.records.formats import ExportFormat, ImportFormat, SourceEntry, register_export, register_import
from spacebridge.records.formats.crosswalk import creator_role, is_creator, licence_from_url, licence_name, licence_url
from spacebridge.records.formats.exported import (
    ExportedRecord,
    concept_url,
    exported_records,
    record_url,
    reference_from_url,
)
from spacebridge.records.models import Record

OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA_LOCATION = f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
NSMAP = {"oai_dc": OAI_DC, "dc": DC, "xsi": XSI}
DCMI_TYPES = {
    "publication": "Text",
    "dataset": "Dataset",
    "technology": "PhysicalObject",
    "patent": "Text",
    "software": "Software",
    "clinical_protocol": "Text",
    "report": "Text",
    "presentation": "Text",
}
RECORD_TYPES = {"Dataset": "dataset", "Software": "software"}
URI_SCHEMES = (("info:doi/", "doi"), ("doi:", "doi"), ("https://doi.org/", "doi"), ("info:pmid/", "pmid"),
               ("pmid:", "pmid"), ("urn:isbn:", "isbn"), ("pmcid:", "pmcid"), ("patent:", "patent"))  # fmt: skip
URI_PREFIXES = {"doi": "info:doi/", "pmid": "info:pmid/", "isbn": "urn:isbn:", "pmcid": "pmcid:", "patent": "patent:"}


def _add(parent: etree._Element, name: str, text: str, language: str | None = None) -> None:
    element = etree.SubElement(parent, f"{{{DC}}}{name}")
    element.text = text
    if language:
        element.set(XML_LANG, language)


def dublin_core_element(record: ExportedRecord) -> etree._Element:
    """One record as an ``oai_dc:dc`` element (also what the OAI-PMH provider serves as ``oai_dc``)."""
    dc = etree.Element(f"{{{OAI_DC}}}dc", nsmap=NSMAP)
    dc.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    language = record.language
    for lang, text in sorted(record.title.text.items(), key=lambda item: item[0] != language):
        _add(dc, "title", text, lang)
    for c in record.contributors:
        _add(dc, "creator" if is_creator(c.role, record.type) else "contributor", c.name)
    for lang, words in record.keywords.items():
        for word in words:
            _add(dc, "subject", word, lang)
    for concept in record.subjects:
        _add(dc, "subject", concept_url(concept.code))
        for lang, label in concept.pref.text.items():
            _add(dc, "subject", label, lang)
    for lang, text in record.abstract.text.items():
        _add(dc, "description", text, lang)
    _add(dc, "publisher", record.owner_party_name)
    if record.published_on:
        _add(dc, "date", record.published_on.isoformat())
    _add(dc, "type", DCMI_TYPES.get(record.type, "Text"))
    _add(dc, "type", record.type)
    _add(dc, "identifier", record.url)
    for scheme, value in record.identifiers:
        _add(dc, "identifier", value if scheme == "url" else URI_PREFIXES[scheme] + value)
    _add(dc, "language", language)
    for _relation, reference in record.related:
        _add(dc, "relation", record_url(reference))
    if record.licence:
        _add(dc, "rights", licence_name(record.licence))
        _add(dc, "rights", licence_url(record.licence))
    return dc


def render(records: list[Record]) -> str:
    root = etree.Element("records", nsmap=NSMAP)
    for record in exported_records(records):
        root.append(dublin_core_element(record))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode()


def _identifier(value: str) -> dict[str, str] | None:
    for prefix, scheme in URI_SCHEMES:
        if value.lower().startswith(prefix):
            return {"scheme": scheme, "value": value[len(prefix) :]}
    if re.match(r"^https?://", value):
        return {"scheme": "url", "value": value}
    return None


def entry_of(dc: etree._Element) -> dict[str, Any]:
    """The JSON Lines entry of one ``dc`` element."""
    values: list[tuple[str, str, str | None]] = [
        (etree.QName(child).localname, (child.text or "").strip(), child.get(XML_LANG))
        for child in dc
        if isinstance(child.tag, str) and etree.QName(child).namespace == DC and (child.text or "").strip()
    ]
    language = next((text for name, text, _lang in values if name == "language"), "en").lower()[:2]
    types = [text for name, text, _lang in values if name == "type"]
    record_type = next((t for t in types if t in DCMI_TYPES), "")
    record_type = record_type or next((RECORD_TYPES[t] for t in types if t in RECORD_TYPES), "publication")
    entry: dict[str, Any] = {"type": record_type, "language": language, "title": {}}
    keywords: dict[str, list[str]] = {}
    subjects: list[str] = []
    identifiers: list[dict[str, str]] = []
    contributors: list[dict[str, str]] = []
    concepts_prefix = concept_url("x").removesuffix("x/")
    for name, text, lang in values:
        lang = (lang or language).lower().split("-")[0]
        if name == "title":
            entry["title"].setdefault(lang, text)
        elif name == "description":
            entry.setdefault("abstract", {}).setdefault(lang, text)
        elif name == "subject" and text.startswith(concepts_prefix):
            subjects.append(text[len(concepts_prefix) :].strip("/"))
        elif name == "subject" and not subjects:  # labels after a concept address name that concept
            keywords.setdefault(lang, []).append(text)
        elif name in {"creator", "contributor"}:
            contributors.append({"name": text, "role": creator_role(record_type) if name == "creator" else "other"})
        elif name == "identifier":
            if reference := reference_from_url(text):
                entry["reference"] = reference
            elif identifier := _identifier(text):
                identifiers.append(identifier)
        elif name == "date":
            entry["published"] = text[:10]
        elif name == "rights" and licence_from_url(text):
            entry["licence"] = licence_from_url(text)
    for key, value in (("keywords", keywords), ("subjects", subjects), ("identifiers", identifiers),
                       ("contributors", contributors)):  # fmt: skip
        if value:
            entry[key] = value
    return entry


def read(text: str) -> Iterator[SourceEntry]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as error:
        yield SourceEntry(error.lineno or 1, error=_("not well-formed XML (%(problem)s)") % {"problem": error.msg})
        return
    records = root.iter(f"{{{OAI_DC}}}dc") if root.tag != f"{{{OAI_DC}}}dc" else [root]
    found = False
    for dc in records:
        found = True
        yield SourceEntry(dc.sourceline or 1, entry_of(dc))
    if not found:
        yield SourceEntry(root.sourceline or 1, error=_("no oai_dc:dc element holding Dublin Core found"))


register_export(
    ExportFormat(
        name="dc-xml",
        label="Dublin Core XML",
        media_type="application/x-dc+xml",
        extension="xml",
        render=render,
    )
)
register_import(ImportFormat(name="dc-xml", label="Dublin Core XML", read=read))
