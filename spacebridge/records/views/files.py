"""A record's files: upload on the record page, removal, and downloads through the access policy (with ranges)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe

from spacebridge.core.forms import apply_validation_error
from spacebridge.records import files, selectors, services
from spacebridge.records.forms import FileUploadForm
from spacebridge.records.models import Record, RecordFile
from spacebridge.records.permissions import can_edit_record
from spacebridge.records.views.detail import detail_context
from spacebridge.records.views.display import shown_file
from spacebridge.records.views.records import tombstone


def _too_big(request: HttpRequest, record: Record) -> HttpResponse:
    form = FileUploadForm({}, {})
    form.errors["file"] = form.error_class(
        [_("The file is larger than %(limit)d MB.") % {"limit": files.upload_limit_bytes() // 2**20}]
    )
    context = detail_context(request, record, upload_form=form)
    return render(request, "records/record_detail.html", context, status=413)


@csrf_exempt  # the CSRF check runs in the inner view, after an oversized upload has been answered with 413
@login_required
@require_POST
def file_upload(request: HttpRequest, reference: str) -> HttpResponse:
    if files.upload_exceeded(request):
        record = selectors.record_get_for_user(user=request.user, reference=reference)
        return _too_big(request, record)  # nothing was kept of the body, so there is no CSRF token to check either
    return _file_upload(request, reference)


@csrf_protect
def _file_upload(request: HttpRequest, reference: str) -> HttpResponse:
    record = selectors.record_get_for_user(user=request.user, reference=reference)
    if not can_edit_record(request.user, record):
        raise PermissionDenied(_("Only the owner party adds files to this record."))
    if record.status == Record.Status.WITHDRAWN:
        return tombstone(request, record)
    form = FileUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            added = services.record_file_add(record=record, by=request.user, content=form.cleaned_data["file"])
        except ValidationError as error:
            if getattr(error, "code", None) == "too_big" or _has_code(error, "too_big"):
                return _too_big(request, record)
            apply_validation_error(form, error)
        else:
            messages.success(
                request, _("File %(name)s added; publish a new version to share it.") % {"name": added.name}
            )
            return redirect(record.get_absolute_url() + "#files")
    return render(request, "records/record_detail.html", detail_context(request, record, upload_form=form), status=400)


def _has_code(error: ValidationError, code: str) -> bool:
    items = error.error_dict.values() if hasattr(error, "error_dict") else [error.error_list]
    return any(getattr(e, "code", None) == code for group in items for e in group)


@login_required
@require_POST
def file_remove(request: HttpRequest, reference: str, name: str) -> HttpResponse:
    record = selectors.record_get_for_user(user=request.user, reference=reference)
    if not can_edit_record(request.user, record):
        raise PermissionDenied(_("Only the owner party removes files of this record."))
    record_file = get_object_or_404(RecordFile, record=record, name=name)
    try:
        services.record_file_remove(record_file=record_file, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("File %(name)s removed.") % {"name": name})
    return redirect(record.get_absolute_url() + "#files")


@require_safe
def file_download(request: HttpRequest, reference: str, name: str) -> Any:
    """Only through the access policy: a record or file the viewer may not see is a 404 like a missing one. The
    owner party downloads its working copy's files; everyone else those of the latest published version."""
    record = selectors.record_get_for_user(user=request.user, reference=reference)
    if record.status == Record.Status.WITHDRAWN:
        return tombstone(request, record)
    entry = shown_file(record, request.user, name)
    if entry is None:
        raise Http404
    return files.file_response(
        request, name=entry["name"], sha256=entry["sha256"], size=entry["size"], media_type=entry["media_type"]
    )
