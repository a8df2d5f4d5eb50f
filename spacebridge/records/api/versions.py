"""A record's published versions, the difference between two of them, and its files."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from spacebridge.access.explain import explain
from spacebridge.core.api import PROBLEMS
from spacebridge.core.errors import NotFound
from spacebridge.records import selectors
from spacebridge.records.api.records import GONE, page_url, person_name, record_for, tombstone
from spacebridge.records.metadata import metadata_diff
from spacebridge.records.models import Record, RecordVersion
from spacebridge.records.schemas import BIGGEST_ID, DiffFilters, FileList, VersionDiff, VersionList, VersionOut

router = Router()


def _version_summary(version: RecordVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "note": version.note,
        "published_at": version.published_at,
        "published_by": person_name(version.published_by),
    }


def _without_hidden_related(request: HttpRequest, *frozen: dict[str, Any]) -> None:
    """Leave out of frozen metadata the related records the viewer may not see (a reference is information)."""
    references = {link["reference"] for metadata in frozen for link in metadata.get("related", [])}
    if not references:
        return
    seen = set(
        selectors.records_visible(user=request.auth)
        .filter(reference__in=references)
        .values_list("reference", flat=True)
    )
    for metadata in frozen:
        metadata["related"] = [link for link in metadata.get("related", []) if link["reference"] in seen]


@router.get("/{reference}/versions", response={200: VersionList, **GONE, **PROBLEMS}, summary="Published versions")
def version_list(request: HttpRequest, reference: str) -> Any:
    record = record_for(request, reference)
    if record.status == Record.Status.WITHDRAWN:
        return tombstone(request, record)
    versions = record.versions.select_related("published_by__person").order_by("-number")
    return {
        "reference": record.reference,
        "items": [_version_summary(v) for v in versions],
        "who_can_see": explain(record, request.auth),
    }


@router.get("/{reference}/versions/{int:number}", response={200: VersionOut, **GONE, **PROBLEMS}, summary="One version")
def version_detail(request: HttpRequest, reference: str, number: int) -> Any:
    record = record_for(request, reference)
    if record.status == Record.Status.WITHDRAWN:
        return tombstone(request, record)
    version = record.versions.select_related("published_by__person").filter(number=min(number, BIGGEST_ID)).first()
    if version is None:
        raise NotFound(
            _("%(reference)s has no version %(number)d.") % {"reference": record.reference, "number": number}
        )
    _without_hidden_related(request, version.metadata)
    return {
        **_version_summary(version),
        "reference": record.reference,
        "metadata": version.metadata,
        "who_can_see": explain(record, request.auth),
    }


@router.get(
    "/{reference}/diff",
    response={200: VersionDiff, **GONE, **PROBLEMS},
    summary="What changed between two versions",
    description="`from=0` compares with nothing: every field of `to` is new.",
)
def version_diff(request: HttpRequest, reference: str, filters: Query[DiffFilters]) -> Any:
    record = record_for(request, reference)
    if record.status == Record.Status.WITHDRAWN:
        return tombstone(request, record)
    newest = filters.to_version if filters.to_version is not None else record.version
    oldest = filters.from_version if filters.from_version is not None else max(newest - 1, 0)
    if not 1 <= newest <= record.version:
        raise ValidationError(
            {"to": _("Choose a published version between 1 and %(last)d.") % {"last": record.version}}
        )
    if not 0 <= oldest < newest:
        raise ValidationError({"from": _("Choose a version before version %(to)d.") % {"to": newest}})
    frozen = dict(record.versions.filter(number__in=[oldest, newest]).values_list("number", "metadata"))
    old, new = frozen.get(oldest, {}), frozen[newest]
    _without_hidden_related(request, old, new)
    return {
        "reference": record.reference,
        "from_version": oldest,
        "to_version": newest,
        "changes": metadata_diff(old, new),
        "who_can_see": explain(record, request.auth),
    }


@router.get(
    "/{reference}/files",
    response={200: FileList, **GONE, **PROBLEMS},
    summary="A record's files",
    description="Metadata only; each file downloads from its `download_url` through the same access policy. The "
    "owner party sees the working copy's files, everyone else those of the last published version.",
)
def file_list(request: HttpRequest, reference: str) -> Any:
    record = record_for(request, reference)
    if record.status == Record.Status.WITHDRAWN:
        return tombstone(request, record)
    metadata, working = selectors.record_metadata_seen(user=request.auth, records=[record])[record.pk]
    published = {(f["name"], f["sha256"]) for f in metadata.get("files", [])}
    files = [f for f in record.files.order_by("name") if working or (f.name, f.sha256) in published]
    items = [
        {
            "name": f.name,
            "size": f.size,
            "media_type": f.media_type,
            "sha256": f.sha256,
            "uploaded_at": f.uploaded_at,
            "download_url": page_url(request, "file_download", record.reference, f.name),
        }
        for f in files
    ]
    return {"reference": record.reference, "items": items, "who_can_see": explain(record, request.auth)}
