"""The two metadata formats OAI-PMH disseminates, written by the registry's export writers (one writer per format):

- ``oai_dc`` is the Dublin Core element of :mod:`spacebridge.records.formats.dublin_core`;
- ``oai_datacite`` is the oai_datacite 1.1 envelope around a DataCite kernel-4 ``resource``, written in XML from the
  DataCite attributes of :mod:`spacebridge.records.formats.datacite` (the same mapping as the DataCite JSON export).

Both start from :func:`~spacebridge.records.formats.exported.exported_records`: a record's latest published version,
never a working copy, and related records only when they are public. Each multilingual field is one element per
language, with ``xml:lang``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from lxml import etree

from spacebridge.core.multilingual import MultilingualText
from spacebridge.records.formats.datacite import attributes_of
from spacebridge.records.formats.dublin_core import dublin_core_element
from spacebridge.records.formats.exported import ExportedRecord

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

# XML 1.0 forbids most control characters; stored text may still hold some (pasted from PDFs).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# DataCite JSON property -> kernel-4 XML attribute, where the spelling differs.
_XML_ATTRIBUTES = {"rightsUri": "rightsURI", "schemeUri": "schemeURI", "valueUri": "valueURI"}


def xml_text(value: Any) -> str:
    return _NOT_XML.sub("", str(value))


def xml_safe(record: ExportedRecord) -> ExportedRecord:
    """The record without the characters an XML document cannot carry, so that one bad character never breaks a
    harvest in the middle of a streamed page."""

    def clean(text: MultilingualText) -> MultilingualText:
        return MultilingualText({language: xml_text(body) for language, body in text.text.items()}, text.original)

    return replace(
        record,
        title=clean(record.title),
        abstract=clean(record.abstract),
        keywords={language: [xml_text(w) for w in words] for language, words in record.keywords.items()},
        contributors=[replace(c, name=xml_text(c.name)) for c in record.contributors],
        identifiers=[(scheme, xml_text(value)) for scheme, value in record.identifiers],
        owner_party_name=xml_text(record.owner_party_name),
    )


def oai_dc(record: ExportedRecord) -> etree._Element:
    return dublin_core_element(xml_safe(record))


def oai_datacite(record: ExportedRecord, *, year: int) -> etree._Element:
    """``year`` (of the first publication) stands in for the publication year of a work without a date."""
    envelope = etree.Element(f"{{{OAI_DATACITE}}}oai_datacite", nsmap={None: OAI_DATACITE, "xsi": XSI})
    envelope.set(f"{{{XSI}}}schemaLocation", f"{OAI_DATACITE} {FORMATS['oai_datacite'][0]}")
    etree.SubElement(envelope, f"{{{OAI_DATACITE}}}schemaVersion").text = "4"
    etree.SubElement(envelope, f"{{{OAI_DATACITE}}}datacentreSymbol").text = "SPACEBRIDGE"
    payload = etree.SubElement(envelope, f"{{{OAI_DATACITE}}}payload")
    payload.append(datacite_resource(attributes_of(xml_safe(record)), year=year))
    return envelope


def _el(parent: etree._Element, tag: str, text: Any = None, item: dict[str, Any] | None = None, *keys: str) -> Any:
    """A kernel-4 element; ``keys`` name the properties of ``item`` that become its attributes."""
    element = etree.SubElement(parent, f"{{{DATACITE}}}{tag}")
    if text is not None:
        element.text = str(text)
    for key in keys:
        value = (item or {}).get(key)
        if value not in (None, ""):
            element.set(XML_LANG if key == "lang" else _XML_ATTRIBUTES.get(key, key), str(value))
    return element


def _names(parent: etree._Element, tag: str, people: list[dict[str, Any]], *keys: str) -> None:
    """Creators or contributors: the name with its type, then given and family names where known."""
    for person in people:
        element = _el(parent, tag, None, person, *keys)
        _el(element, f"{tag}Name", person["name"], person, "nameType")
        for part in ("givenName", "familyName"):
            if person.get(part):
                _el(element, part, person[part])


def datacite_resource(attributes: dict[str, Any], *, year: int) -> etree._Element:
    """DataCite attributes (the JSON of the REST API) as a kernel-4 XML ``resource``."""
    resource = etree.Element(f"{{{DATACITE}}}resource", nsmap={None: DATACITE, "xsi": XSI})
    resource.set(f"{{{XSI}}}schemaLocation", f"{DATACITE} http://schema.datacite.org/meta/kernel-4/metadata.xsd")
    if attributes.get("doi"):
        _el(resource, "identifier", attributes["doi"], {"identifierType": "DOI"}, "identifierType")
    else:  # no DOI registered: the record's stable address stands in
        _el(resource, "identifier", attributes["url"], {"identifierType": "URL"}, "identifierType")
    _names(_el(resource, "creators"), "creator", attributes["creators"])
    titles = _el(resource, "titles")
    for title in attributes["titles"]:
        _el(titles, "title", title["title"], title, "lang", "titleType")
    _el(resource, "publisher", attributes["publisher"])
    _el(resource, "publicationYear", attributes.get("publicationYear") or year)
    _list(resource, "subjects", "subject", attributes["subjects"], "subject",
          "lang", "subjectScheme", "schemeUri", "valueUri", "classificationCode")  # fmt: skip
    if attributes["contributors"]:
        _names(_el(resource, "contributors"), "contributor", attributes["contributors"], "contributorType")
    _list(resource, "dates", "date", attributes["dates"], "date", "dateType")
    _el(resource, "language", attributes["language"])
    types = attributes["types"]
    _el(resource, "resourceType", types["resourceType"], types, "resourceTypeGeneral")
    _list(resource, "alternateIdentifiers", "alternateIdentifier",
          [{"alternateIdentifier": i["identifier"], "alternateIdentifierType": i["identifierType"]}
           for i in attributes["identifiers"]], "alternateIdentifier", "alternateIdentifierType")  # fmt: skip
    _list(resource, "relatedIdentifiers", "relatedIdentifier", attributes["relatedIdentifiers"],
          "relatedIdentifier", "relatedIdentifierType", "relationType")  # fmt: skip
    _list(resource, "rightsList", "rights", attributes["rightsList"], "rights",
          "rightsUri", "rightsIdentifier", "rightsIdentifierScheme", "schemeUri")  # fmt: skip
    _list(resource, "descriptions", "description", attributes["descriptions"], "description",
          "lang", "descriptionType")  # fmt: skip
    return resource


def _list(resource: etree._Element, wrapper: str, tag: str, items: list[dict[str, Any]], text: str, *keys: str) -> None:
    if items:
        parent = _el(resource, wrapper)
        for item in items:
            _el(parent, tag, item[text], item, *keys)
