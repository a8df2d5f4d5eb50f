"""The two metadata formats OAI-PMH disseminates: ``oai_dc`` (simple Dublin Core) and ``oai_datacite``
(a DataCite kernel-4 resource inside the oai_datacite 1.1 envelope).

Both are written from a published version's frozen metadata (:func:`spacebridge.records.metadata.record_metadata`),
never from the working copy, so an unpublished edit never reaches a harvester. Each multilingual field becomes one
element per language, with ``xml:lang``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from lxml import etree

from spacebridge.core.multilingual import MultilingualText
from spacebridge.parties.models import Party
from spacebridge.records.models import Concept, Record, RecordType

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
OAI_DATACITE = "http://schema.datacite.org/oai/oai-1.1/"
DATACITE = "http://datacite.org/schema/kernel-4"

# prefix -> (schema, namespace), as ListMetadataFormats announces them.
FORMATS = {
    "oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC),
    "oai_datacite": ("http://schema.datacite.org/oai/oai-1.1/oai.xsd", OAI_DATACITE),
}

# Record type -> (DCMI type, DataCite resourceTypeGeneral of the kernel-4.0 vocabulary).
TYPE_GENERAL = {
    "publication": ("Text", "Text"),
    "dataset": ("Dataset", "Dataset"),
    "technology": ("PhysicalObject", "Other"),
    "patent": ("Text", "Text"),
    "software": ("Software", "Software"),
    "clinical_protocol": ("Text", "Text"),
    "report": ("Text", "Text"),
    "presentation": ("Text", "Text"),
}
CREATOR_ROLES = {"author", "inventor", "developer", "investigator"}
DATACITE_CONTRIBUTOR_TYPE = {
    "editor": "Editor",
    "investigator": "ProjectLeader",
    "contact": "ContactPerson",
    "developer": "Other",
    "inventor": "Other",
    "other": "Other",
}
RELATION_TYPE = {"cites": "Cites", "is_version_of": "IsVersionOf", "supplements": "IsSupplementTo"}
ALTERNATE_SCHEME = {"pmid": "PMID", "pmcid": "PMCID", "patent": "Patent number", "isbn": "ISBN", "url": "URL"}

# XML 1.0 forbids most control characters; stored text may still hold some (pasted from PDFs).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: Any) -> str:
    return _NOT_XML.sub("", str(value))


_PLACEHOLDER = "SB-0000-000000"


def record_url(reference: str) -> str:
    """The record's stable public address."""
    try:
        path = reverse("records:detail", args=[reference])
    except NoReverseMatch:  # the record pages are mounted by the records URL map, which may be absent
        path = f"/records/{reference}/"
    return f"{settings.BASE_URL}{path}"


def identifier_url(scheme: str, value: str) -> str:
    return {
        "doi": f"https://doi.org/{value}",
        "pmid": f"https://pubmed.ncbi.nlm.nih.gov/{value}/",
        "pmcid": f"https://www.ncbi.nlm.nih.gov/pmc/articles/{value}/",
    }.get(scheme, value)


@dataclass
class Labels:
    """The names a page of records refers to by code (types, parties, concepts), loaded once per page."""

    types: dict[str, MultilingualText] = field(default_factory=dict)
    parties: dict[str, MultilingualText] = field(default_factory=dict)
    concepts: dict[str, MultilingualText] = field(default_factory=dict)
    public: set[str] = field(default_factory=set)  # related references a harvester may see
    url_pattern: str = ""

    def record_url(self, reference: str) -> str:
        """The record's address; the URL map is asked once per response, not once per record."""
        if not self.url_pattern:
            self.url_pattern = record_url(_PLACEHOLDER)
        return self.url_pattern.replace(_PLACEHOLDER, reference)

    def load(self, versions: Iterable[dict[str, Any]]) -> None:
        """Look up the names the given metadata refer to and that are not known yet."""
        party_codes: set[str] = set()
        concept_codes: set[str] = set()
        related: set[str] = set()
        for metadata in versions:
            related.update(r["reference"] for r in metadata.get("related", []))
            party_codes.add(metadata.get("owner_party") or "")
            party_codes.update(c.get("party") or "" for c in metadata.get("contributors", []))
            concept_codes.update(metadata.get("subjects", []))
        if not self.types:
            self.types = {t.code: t.name for t in RecordType.objects.only("code", "name")}
        if party_codes := party_codes - set(self.parties) - {""}:
            self.parties.update(Party.objects.filter(code__in=party_codes).values_list("code", "name"))
        if concept_codes := concept_codes - set(self.concepts):
            self.concepts.update(Concept.objects.filter(code__in=concept_codes).values_list("code", "pref"))
        if related:
            from spacebridge.records.oai_selectors import harvestable_records

            public = harvestable_records().filter(reference__in=related, status=Record.Status.PUBLISHED)
            self.public.update(public.values_list("reference", flat=True))

    def related(self, metadata: dict[str, Any]) -> list[dict[str, str]]:
        """The related records a harvester may see: naming any other would reveal it."""
        return [item for item in metadata.get("related", []) if item["reference"] in self.public]


def _texts(value: Any) -> list[tuple[str, str]]:
    """(language, text) of a stored multilingual value, the original language first."""
    text = MultilingualText.from_json(value)
    ordered = sorted(text.text.items(), key=lambda item: item[0] != text.original)
    return [(language, xml_text(body)) for language, body in ordered if xml_text(body).strip()]


def _multilingual(value: Any) -> MultilingualText:
    return value if isinstance(value, MultilingualText) else MultilingualText.from_json(value)


def _add(parent: etree._Element, tag: str, text: str | None = None, lang: str = "", **attributes: str) -> Any:
    element = etree.SubElement(parent, tag, attributes)
    if lang:
        element.set(XML_LANG, lang)
    if text is not None:
        element.text = xml_text(text)
    return element


def oai_dc(metadata: dict[str, Any], labels: Labels) -> etree._Element:
    """Simple Dublin Core: the fifteen elements, repeated per language."""
    root = etree.Element(f"{{{OAI_DC}}}dc", nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI_DC} {FORMATS['oai_dc'][0]}")

    def dc(tag: str, text: str, lang: str = "") -> None:
        _add(root, f"{{{DC}}}{tag}", text, lang)

    for language, text in _texts(metadata["title"]):
        dc("title", text, language)
    for contributor in metadata.get("contributors", []):
        dc("creator" if contributor["role"] in CREATOR_ROLES else "contributor", contributor["name"])
    for code in metadata.get("subjects", []):
        for language, text in _texts(labels.concepts.get(code, MultilingualText({"en": code}))):
            dc("subject", text, language)
    for language, words in sorted((metadata.get("keywords") or {}).items()):
        for word in words:
            dc("subject", word, language)
    for language, text in _texts(metadata.get("abstract")):
        dc("description", text, language)
    for language, text in _texts(labels.parties.get(metadata["owner_party"], MultilingualText())):
        dc("publisher", text, language)
    if metadata.get("published_on"):
        dc("date", metadata["published_on"])
    dc("type", TYPE_GENERAL.get(metadata["type"], ("Text", "Text"))[0])
    for language, text in _texts(labels.types.get(metadata["type"], MultilingualText({"en": metadata["type"]}))):
        dc("type", text, language)
    dc("identifier", labels.record_url(metadata["reference"]))
    for identifier in metadata.get("identifiers", []):
        dc("identifier", identifier_url(identifier["scheme"], identifier["value"]))
    original = _multilingual(metadata["title"]).original
    if original:
        dc("language", original)
    for related in labels.related(metadata):
        dc("relation", labels.record_url(related["reference"]))
    if metadata.get("licence"):
        dc("rights", f"https://spdx.org/licenses/{metadata['licence']}")
    return root


def oai_datacite(metadata: dict[str, Any], labels: Labels, *, version: int, year: int) -> etree._Element:
    """The oai_datacite 1.1 envelope around a DataCite kernel-4 ``resource``."""
    envelope = etree.Element(f"{{{OAI_DATACITE}}}oai_datacite", nsmap={None: OAI_DATACITE, "xsi": XSI})
    envelope.set(f"{{{XSI}}}schemaLocation", f"{OAI_DATACITE} {FORMATS['oai_datacite'][0]}")
    _add(envelope, f"{{{OAI_DATACITE}}}schemaVersion", "4")
    _add(envelope, f"{{{OAI_DATACITE}}}datacentreSymbol", "SPACEBRIDGE")
    payload = _add(envelope, f"{{{OAI_DATACITE}}}payload")
    payload.append(datacite_resource(metadata, labels, version=version, year=year))
    return envelope


def datacite_resource(metadata: dict[str, Any], labels: Labels, *, version: int, year: int) -> etree._Element:
    """A DataCite kernel-4 resource; ``year`` (of the first publication) stands in for a work without a date."""
    resource = etree.Element(f"{{{DATACITE}}}resource", nsmap={None: DATACITE, "xsi": XSI})
    resource.set(f"{{{XSI}}}schemaLocation", f"{DATACITE} http://schema.datacite.org/meta/kernel-4/metadata.xsd")

    def el(parent: etree._Element, tag: str, text: str | None = None, lang: str = "", **attributes: str) -> Any:
        return _add(parent, f"{{{DATACITE}}}{tag}", text, lang, **attributes)

    identifiers = metadata.get("identifiers", [])
    doi = next((i["value"] for i in identifiers if i["scheme"] == "doi"), "")
    if doi:
        el(resource, "identifier", doi, identifierType="DOI")
    else:  # no DOI registered: the record's stable address stands in
        el(resource, "identifier", labels.record_url(metadata["reference"]), identifierType="URL")
    _creators(resource, metadata, labels, el)
    titles = el(resource, "titles")
    original = _multilingual(metadata["title"]).original
    for language, text in _texts(metadata["title"]):
        extra = {} if language == original else {"titleType": "TranslatedTitle"}
        el(titles, "title", text, language, **extra)
    owner = labels.parties.get(metadata["owner_party"], MultilingualText({"en": metadata["owner_party"]}))
    el(resource, "publisher", _multilingual(owner).get("en"))
    published_on = metadata.get("published_on") or ""
    el(resource, "publicationYear", published_on[:4] or str(year))
    _subjects(resource, metadata, labels, el)
    _contributors(resource, metadata, el)
    if published_on:
        el(el(resource, "dates"), "date", published_on, dateType="Issued")
    if original:
        el(resource, "language", original)
    general = TYPE_GENERAL.get(metadata["type"], ("Text", "Text"))[1]
    type_name = labels.types.get(metadata["type"], MultilingualText({"en": metadata["type"]}))
    el(resource, "resourceType", _multilingual(type_name).get("en"), resourceTypeGeneral=general)
    alternates = el(resource, "alternateIdentifiers")
    el(alternates, "alternateIdentifier", metadata["reference"], alternateIdentifierType="Spacebridge")
    for identifier in identifiers:
        if identifier["scheme"] != "doi":
            scheme = ALTERNATE_SCHEME.get(identifier["scheme"], identifier["scheme"])
            el(alternates, "alternateIdentifier", identifier["value"], alternateIdentifierType=scheme)
    if labels.related(metadata):
        related = el(resource, "relatedIdentifiers")
        for item in labels.related(metadata):
            el(
                related,
                "relatedIdentifier",
                labels.record_url(item["reference"]),
                relatedIdentifierType="URL",
                relationType=RELATION_TYPE.get(item["relation"], "References"),
            )
    el(resource, "version", str(version))
    if metadata.get("licence"):
        rights = el(
            el(resource, "rightsList"),
            "rights",
            metadata["licence"],
            rightsURI=f"https://spdx.org/licenses/{metadata['licence']}",
        )
        rights.set("rightsIdentifier", metadata["licence"])
        rights.set("rightsIdentifierScheme", "SPDX")
    abstracts = _texts(metadata.get("abstract"))
    if abstracts:
        descriptions = el(resource, "descriptions")
        for language, text in abstracts:
            el(descriptions, "description", text, language, descriptionType="Abstract")
    return resource


def _creators(resource: etree._Element, metadata: dict[str, Any], labels: Labels, el: Any) -> None:
    creators = el(resource, "creators")
    authors = [c for c in metadata.get("contributors", []) if c["role"] in CREATOR_ROLES]
    for contributor in authors:
        creator = el(creators, "creator")
        kind = "Organizational" if contributor.get("party") and not contributor.get("person") else "Personal"
        el(creator, "creatorName", contributor["name"], nameType=kind)
    if not authors:  # a record shared without named authors is the owner party's work
        owner = labels.parties.get(metadata["owner_party"], MultilingualText({"en": metadata["owner_party"]}))
        el(el(creators, "creator"), "creatorName", _multilingual(owner).get("en"), nameType="Organizational")


def _subjects(resource: etree._Element, metadata: dict[str, Any], labels: Labels, el: Any) -> None:
    codes = metadata.get("subjects", [])
    keywords = sorted((metadata.get("keywords") or {}).items())
    if not codes and not keywords:
        return
    subjects = el(resource, "subjects")
    for code in codes:
        for language, text in _texts(labels.concepts.get(code, MultilingualText({"en": code}))):
            el(subjects, "subject", text, language, subjectScheme="Spacebridge thesaurus")
    for language, words in keywords:
        for word in words:
            el(subjects, "subject", word, language)


def _contributors(resource: etree._Element, metadata: dict[str, Any], el: Any) -> None:
    others = [c for c in metadata.get("contributors", []) if c["role"] not in CREATOR_ROLES]
    if not others:
        return
    contributors = el(resource, "contributors")
    for contributor in others:
        item = el(
            contributors, "contributor", contributorType=DATACITE_CONTRIBUTOR_TYPE.get(contributor["role"], "Other")
        )
        el(item, "contributorName", contributor["name"])
