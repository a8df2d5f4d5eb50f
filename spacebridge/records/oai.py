"""The OAI-PMH 2.0 provider at ``/oai``: six verbs, ``oai_dc`` and ``oai_datacite``, sets by type, owner party and
subject, persistent deleted records, and resumption tokens that stay correct while the registry changes.

Errors are found before the first byte is sent; a list page is then streamed record by record, so the memory a
response takes does not grow with the page or the repository. See docs/oai-pmh.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from itertools import islice
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree

from spacebridge.core.multilingual import MultilingualText
from spacebridge.records.formats.exported import exported_records
from spacebridge.records.oai_metadata import DC, FORMATS, OAI_DC, XML_LANG, XSI, oai_datacite, oai_dc
from spacebridge.records.oai_request import (
    METADATA_PREFIX,
    OaiError,
    OaiRequest,
    Selection,
    format_datestamp,
    next_selection,
    parse_request,
    token_encode,
)
from spacebridge.records.oai_selectors import (
    Harvested,
    oai_earliest_datestamp,
    oai_identifier,
    oai_page,
    oai_record_get,
    oai_records,
    oai_sets,
    repository_host,
)

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_IDENTIFIER = "http://www.openarchives.org/OAI/2.0/oai-identifier"
CONTENT_TYPE = "text/xml; charset=utf-8"
METADATA_CHUNK = 50  # records whose published metadata is read at once

Body = Iterable[str]


def base_url() -> str:
    return f"{settings.BASE_URL}/oai"


@csrf_exempt
@require_http_methods(["GET", "POST"])
def oai_endpoint(request: HttpRequest) -> HttpResponse:
    """Load → check → answer, the OAI way: every protocol error is a 200 with an ``<error>`` element."""
    params = request.GET if request.method == "GET" else request.POST
    now = timezone.now()
    oai_request: OaiRequest | None = None
    try:
        oai_request = parse_request(params, now=now)
        body = VERBS[oai_request.verb](oai_request, now)
    except OaiError as error:
        # After badVerb or badArgument the <request> element carries the base URL only (section 3.2).
        echo = oai_request if oai_request and error.code not in ("badVerb", "badArgument") else None
        if echo is None and error.code in ("badResumptionToken", "cannotDisseminateFormat"):
            echo = OaiRequest(params.get("verb", ""), {k: params.get(k, "") for k in params if k != "verb"})
        return HttpResponse("".join(_envelope(now, echo, None, _error(error))), content_type=CONTENT_TYPE)
    return StreamingHttpResponse(_envelope(now, oai_request, oai_request.verb, body), content_type=CONTENT_TYPE)


def _envelope(now: datetime, echo: OaiRequest | None, verb: str | None, body: Body) -> Iterator[str]:
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield (
        f'<OAI-PMH xmlns="{OAI}" xmlns:xsi="{XSI}" '
        f'xsi:schemaLocation="{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">\n'
    )
    yield f"<responseDate>{format_datestamp(now)}</responseDate>\n"
    yield f"<request{_request_attributes(echo)}>{escape(base_url())}</request>\n"
    if verb:
        yield f"<{verb}>\n"
    yield from body
    if verb:
        yield f"</{verb}>\n"
    yield "</OAI-PMH>\n"


def _request_attributes(echo: OaiRequest | None) -> str:
    """The request's arguments, those whose values the schema admits (an unknown prefix may hold anything)."""
    if echo is None:
        return ""
    attributes = {"verb": echo.verb, **echo.arguments}
    if "metadataPrefix" in attributes and not METADATA_PREFIX.match(attributes["metadataPrefix"]):
        del attributes["metadataPrefix"]
    if any(c.isspace() for c in attributes.get("identifier", "")):
        del attributes["identifier"]
    return "".join(f" {name}={quoteattr(value)}" for name, value in attributes.items())


def _error(error: OaiError) -> Body:
    return [f"<error code={quoteattr(error.code)}>{escape(error.message)}</error>\n"]


def _serialise(element: etree._Element) -> str:
    return etree.tostring(element, encoding="unicode") + "\n"


def _oai(tag: str) -> str:
    return f"{{{OAI}}}{tag}"


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, _oai(tag))
    if text is not None:
        element.text = text
    return element


# --- the six verbs: each checks everything first, then returns the body to stream ------------------------------------


def identify(oai_request: OaiRequest, now: datetime) -> Body:
    earliest = oai_earliest_datestamp() or now
    root = etree.Element(_oai("Identify"), nsmap={None: OAI})
    _sub(root, "repositoryName", "Spacebridge exchange registry")
    _sub(root, "baseURL", base_url())
    _sub(root, "protocolVersion", "2.0")
    _sub(root, "adminEmail", _admin_email())
    _sub(root, "earliestDatestamp", format_datestamp(earliest))
    _sub(root, "deletedRecord", "persistent")
    _sub(root, "granularity", "YYYY-MM-DDThh:mm:ssZ")
    description = _sub(root, "description")
    identifier = etree.SubElement(description, f"{{{OAI_IDENTIFIER}}}oai-identifier", nsmap={None: OAI_IDENTIFIER})
    identifier.set(f"{{{XSI}}}schemaLocation", f"{OAI_IDENTIFIER} {OAI_IDENTIFIER}.xsd")
    for tag, text in [
        ("scheme", "oai"),
        ("repositoryIdentifier", repository_host()),
        ("delimiter", ":"),
        ("sampleIdentifier", oai_identifier("SB-2026-000123")),
    ]:
        etree.SubElement(identifier, f"{{{OAI_IDENTIFIER}}}{tag}").text = text
    return [_serialise(child) for child in root]


def _admin_email() -> str:
    """The platform's sender address, without a display name."""
    address = settings.DEFAULT_FROM_EMAIL
    return address.rsplit("<", 1)[-1].rstrip(">").strip() if "<" in address else address


def list_metadata_formats(oai_request: OaiRequest, now: datetime) -> Body:
    if oai_request.identifier and oai_record_get(identifier=oai_request.identifier) is None:
        raise OaiError("idDoesNotExist", "No record has this identifier.")
    parts = []
    for prefix, (schema, namespace) in FORMATS.items():
        parts.append(
            f"<metadataFormat><metadataPrefix>{prefix}</metadataPrefix><schema>{escape(schema)}</schema>"
            f"<metadataNamespace>{escape(namespace)}</metadataNamespace></metadataFormat>\n"
        )
    return parts


def list_sets(oai_request: OaiRequest, now: datetime) -> Body:
    parts = []
    for oai_set in oai_sets():
        element = etree.Element(_oai("set"), nsmap={None: OAI})
        _sub(element, "setSpec", oai_set.spec)
        name = oai_set.name
        _sub(element, "setName", name.get("en") if isinstance(name, MultilingualText) else name)
        if isinstance(name, MultilingualText) and len(name.text) > 1:
            # The name in every language, as Dublin Core titles.
            description = _sub(element, "setDescription")
            dc = etree.SubElement(description, f"{{{OAI_DC}}}dc", nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI})
            dc.set(f"{{{XSI}}}schemaLocation", f"{OAI_DC} {FORMATS['oai_dc'][0]}")
            for language, text in name.text.items():
                title = etree.SubElement(dc, f"{{{DC}}}title")
                title.set(XML_LANG, language)
                title.text = text
        parts.append(_serialise(element))
    return parts


def get_record(oai_request: OaiRequest, now: datetime) -> Body:
    record = oai_record_get(identifier=oai_request.identifier)
    if record is None:
        raise OaiError("idDoesNotExist", "No record has this identifier.")
    harvested = list(oai_records(ids=[record.pk]))
    if not harvested:
        raise OaiError("idDoesNotExist", "No record has this identifier.")
    return _records_body(harvested, oai_request.metadata_prefix, with_metadata=True)


def list_identifiers(oai_request: OaiRequest, now: datetime) -> Body:
    return _list(oai_request, with_metadata=False)


def list_records(oai_request: OaiRequest, now: datetime) -> Body:
    return _list(oai_request, with_metadata=True)


def _list(oai_request: OaiRequest, *, with_metadata: bool) -> Body:
    selection = oai_request.selection
    assert selection is not None
    page = oai_page(selection=selection)
    if not page.keys:
        # Also when every record left on a frozen list has gone out of public view since the last page: the
        # schema has no empty list, and what remains of the list is indeed empty.
        raise OaiError("noRecordsMatch", "No records match these arguments.")
    ids = [pk for _at, pk in page.keys]
    harvested = oai_records(ids=ids)
    token = _resumption_token(oai_request, selection, page.keys, page.has_more)
    return _chain(_records_body(harvested, selection.metadata_prefix, with_metadata=with_metadata), token)


def _resumption_token(
    oai_request: OaiRequest, selection: Selection, keys: list[tuple[datetime, int]], has_more: bool
) -> list[str]:
    """The token for the next page; an empty one ends a sequence that used tokens (section 3.5). The size of the
    list is known for certain only at its end, free: the last token carries ``completeListSize``; the others only
    the ``cursor`` (counting a million records would cost every first page more than a second)."""
    if not has_more and selection.after is None:
        return []
    if not has_more:
        size = selection.cursor + len(keys)
        return [f'<resumptionToken completeListSize="{size}" cursor="{selection.cursor}"/>\n']
    following = next_selection(selection, last=keys[-1], delivered=len(keys))
    token = escape(token_encode(following, verb=oai_request.verb))
    return [f'<resumptionToken cursor="{selection.cursor}">{token}</resumptionToken>\n']


def _chain(*bodies: Body) -> Iterator[str]:
    for body in bodies:
        yield from body


def _batched(items: Iterable[Harvested], size: int) -> Iterator[list[Harvested]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _records_body(harvested: Iterable[Harvested], prefix: str, *, with_metadata: bool) -> Iterator[str]:
    for chunk in _batched(harvested, METADATA_CHUNK):
        exported = {}
        if with_metadata:
            published = [item.record for item in chunk if not item.deleted]
            exported = {e.reference: e for e in exported_records(published)}
        for item in chunk:
            header = _header(item)
            if not with_metadata:
                yield _serialise(header)
                continue
            record = etree.Element(_oai("record"), nsmap={None: OAI})
            record.append(header)
            if not item.deleted:
                metadata = exported[item.record.reference]
                payload = oai_dc(metadata) if prefix == "oai_dc" else oai_datacite(metadata, year=item.year)
                _sub(record, "metadata").append(payload)
            yield _serialise(record)


def _header(item: Harvested) -> etree._Element:
    header = etree.Element(_oai("header"), nsmap={None: OAI})
    if item.deleted:
        header.set("status", "deleted")
    _sub(header, "identifier", oai_identifier(item.record.reference))
    _sub(header, "datestamp", format_datestamp(item.record.updated_at))
    for spec in item.set_specs:
        _sub(header, "setSpec", spec)
    return header


VERBS: dict[str, Callable[[OaiRequest, datetime], Body]] = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}
