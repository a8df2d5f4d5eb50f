"""The web face of `spacebridge records import`: upload a file for a party, dry run first, then import. The import
itself (validation, matching, batches, audit) is ``spacebridge.records.importing``; this page only feeds it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from spacebridge.parties.models import Party
from spacebridge.records.forms import ImportForm
from spacebridge.records.permissions import can_submit_for


def import_parties(user: Any) -> Any:
    """The parties the user may import records for: those they may share records for."""
    return Party.objects.filter(pk__in=[p.pk for p in Party.objects.all() if can_submit_for(user, p)])


def _text(form: ImportForm) -> str | None:
    upload = form.cleaned_data["file"]
    try:
        return b"".join(upload.chunks()).decode("utf-8")
    except UnicodeDecodeError:
        form.add_error("file", _("The file is not UTF-8 text."))
        return None


@login_required
def record_import(request: HttpRequest) -> HttpResponse:
    from spacebridge.records.importing import import_records

    parties = import_parties(request.user)
    if not parties.exists():
        raise PermissionDenied(_("You import records for a party you may share records for, and there is none."))
    form = ImportForm(request.POST or None, request.FILES or None, parties=parties)
    report, status = None, 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and (text := _text(form)) is not None:
            data = form.cleaned_data
            try:
                report = import_records(
                    text=text,
                    format_name=data["format"],
                    owner_party=data["party"],
                    by=request.user,
                    release=data["release"] or None,
                    dry_run=data["dry_run"],
                )
            except ValidationError as error:
                form.add_error("release" if hasattr(error, "error_dict") else None, error.messages)
            except PermissionDenied as error:
                form.add_error(None, str(error))
                status = 403
            else:
                status = 200
    return render(request, "records/record_import.html", {"form": form, "report": report}, status=status)
