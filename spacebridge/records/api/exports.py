"""Exports: one record, or the records a list selects, in any registered export format."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router

from spacebridge.core.api import PROBLEMS, keyset_page
from spacebridge.core.errors import NotFound
from spacebridge.records.api.records import GONE, RecordFilters, limit_of, record_for, records_filtered, tombstone
from spacebridge.records.formats import EXPORT_FORMATS, ExportFormat, export_records
from spacebridge.records.models import Record
from spacebridge.records.schemas import ExportFormatOut

router = Router()

EXPORTED = {
    200: {
        "description": "The records in the named format, with that format's media type (`GET /records/export/`)",
        "content": {"text/plain": {"schema": {"type": "string"}}},
    }
}


def _export_format(name: str) -> ExportFormat:
    export_format = EXPORT_FORMATS.get(name)
    if export_format is None:
        raise NotFound(
            _("There is no export format “%(name)s”; choose one of: %(names)s.")
            % {"name": name[:40], "names": ", ".join(EXPORT_FORMATS)}
        )
    return export_format


def _exported(records: list[Record], export_format: ExportFormat, filename: str) -> HttpResponse:
    response = HttpResponse(export_records(records, export_format.name), content_type=export_format.media_type)
    response["Content-Disposition"] = f'inline; filename="{filename}.{export_format.extension}"'
    return response


@router.get("/export/", response={200: list[ExportFormatOut], **PROBLEMS}, summary="Export formats")
def export_format_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"name": f.name, "label": str(f.label), "media_type": f.media_type, "extension": f.extension}
        for f in EXPORT_FORMATS.values()
    ]


class ExportFilters(RecordFilters):
    limit: int = 100


@router.get(
    "/export/{format}",
    response=PROBLEMS,
    openapi_extra={"responses": EXPORTED},
    summary="Export a list of records",
    description="The records the list filters select, a page at a time (`limit` at most 1000); the `Link` header "
    "names the next page.",
)
def record_list_export(request: HttpRequest, format: str, filters: Query[ExportFilters]) -> HttpResponse:
    export_format = _export_format(format)
    records = records_filtered(filters, request)
    rows, next_cursor = keyset_page(records, cursor=filters.cursor, limit=limit_of(filters.limit, 1000))
    response = _exported(rows, export_format, "records")
    if next_cursor:
        query = {k: v for k, v in request.GET.items() if k != "cursor"} | {"cursor": next_cursor}
        response["Link"] = f'<{request.build_absolute_uri(request.path)}?{urlencode(query)}>; rel="next"'
    return response


@router.get(
    "/{reference}/export/{format}",
    response={**GONE, **PROBLEMS},
    openapi_extra={"responses": EXPORTED},
    summary="Export one record",
)
def record_export(request: HttpRequest, reference: str, format: str) -> HttpResponse:
    export_format = _export_format(format)
    record = record_for(request, reference)
    if record.status == Record.Status.WITHDRAWN:
        return tombstone(request, record)
    return _exported([record], export_format, record.reference)
