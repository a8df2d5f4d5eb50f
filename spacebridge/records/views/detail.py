"""The record page's context: what the viewer is shown, and what they may do with the record."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from spacebridge.access.policy import PREFETCHED_POLICY, awaiting_export_approval, policy_of, prefetch_policies
from spacebridge.records.formats import EXPORT_FORMATS, ExportFormat, bibtex, csl, export_records, ris
from spacebridge.records.formats.exported import _public_references, exported_record
from spacebridge.records.forms import ExportApprovalForm, FileUploadForm, PublishForm, WithdrawForm
from spacebridge.records.models import AccessRequest, Concept, Record, RecordVersion
from spacebridge.records.permissions import can_approve_export, can_decide_release, can_edit_record
from spacebridge.records.structured import record_ld
from spacebridge.records.views.display import ShownRecord, is_owner_member, shown_record

CITATION_FORMATS = ("bibtex", "ris", "csl-json")


def export_response(records: Any, export_format: ExportFormat, *, filename: str, attachment: bool) -> HttpResponse:
    """Records already passed through the access policy, in one registered format."""
    body = export_records(records, export_format.name)
    response = HttpResponse(body, content_type=f"{export_format.media_type}; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}.{export_format.extension.lstrip(".")}"'
    return response


def citations(record: Record, shown: ShownRecord, current: RecordVersion | None) -> list[tuple[ExportFormat, str]]:
    """The citation box: BibTeX, RIS and CSL-JSON, as the exports write them (the latest published version; a draft as
    it stands), rendered from one metadata dictionary that the page has read already."""
    if record.version and current is None:  # the page did not read the latest version: the exports' own way
        return [(EXPORT_FORMATS[name], export_records([record], name)) for name in CITATION_FORMATS]
    metadata = current.metadata if current is not None else shown.metadata  # a draft: its working copy
    concepts = {c.code: c for c in shown.subjects}
    if set(metadata.get("subjects") or []) - concepts.keys():
        concepts.update((c.code, c) for c in Concept.objects.filter(code__in=metadata["subjects"]))
    party_names = {record.owner_party.code: record.owner_party.name.get("en")}
    public = _public_references({link["reference"] for link in metadata.get("related") or []})
    exported = exported_record(record, metadata, concepts, party_names, public)
    return [
        (EXPORT_FORMATS["bibtex"], bibtex.entry_text(exported)),
        (
            EXPORT_FORMATS["ris"],
            "\r\n".join([*(f"{tag}  - {value}".rstrip() for tag, value in ris.record_lines(exported)), ""]),
        ),
        (EXPORT_FORMATS["csl-json"], json.dumps([csl.item_of(exported)], ensure_ascii=False, indent=2) + "\n"),
    ]


def detail_context(request: HttpRequest, record: Record, **forms: Any) -> dict[str, Any]:
    user = request.user
    if PREFETCHED_POLICY not in record.__dict__:  # read once: the actions below and "who can see this" share it
        prefetch_policies([record])
    versions = list(record.versions.select_related("published_by").order_by("-number")[:10])
    current = next((v for v in versions if v.number == record.version), None)
    shown = shown_record(record, user, current)
    owner = is_owner_member(user, record)
    policy = policy_of(record)
    shown_language, _title = shown.title.resolve()
    return {
        "record": record,
        "shown": shown,
        "shown_language": shown_language,
        "other_titles": [(lang, text) for lang, text in shown.title.text.items() if lang != shown_language],
        "is_owner": owner,
        "can_edit": can_edit_record(user, record),
        "can_decide": can_decide_release(user, record),
        "can_approve": bool(policy and awaiting_export_approval(policy) and can_approve_export(user, record)),
        "versions": versions,
        "citations": citations(record, shown, current),
        "structured_data": record_ld(record, shown, get_language()),
        "formats": list(EXPORT_FORMATS.values()),
        "decisions": record.release_decisions.select_related("decided_by", "decided_by__person"),
        "pending_requests": (
            record.access_requests.filter(status=AccessRequest.Status.PENDING).select_related(
                "requester_party", "requester"
            )
            if owner
            else []
        ),
        "publish_form": forms.get("publish_form") or PublishForm(),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
        "upload_form": forms.get("upload_form") or FileUploadForm(),
        "approval_form": ExportApprovalForm(),
        "upload_limit_mb": settings.MAX_UPLOAD_MB,
    }
