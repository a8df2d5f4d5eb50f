"""Reading records: the list with its filters and downloads, the record page (and its other formats by content
negotiation), the tombstone of a withdrawn record and the version history. Load → check access → render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django_countries import countries

from spacebridge.access.policy import can_see, prefetch_policies
from spacebridge.access.principals import principal_for
from spacebridge.core.multilingual import CONTENT_LANGUAGES
from spacebridge.core.rendering import render_page_or_partial
from spacebridge.parties.models import Party
from spacebridge.records import selectors
from spacebridge.records.formats import EXPORT_FORMATS, ExportFormat, format_for_media_type
from spacebridge.records.forms import concept_lookup
from spacebridge.records.models import Record, RecordType
from spacebridge.records.permissions import can_submit_for
from spacebridge.records.views.detail import detail_context, export_response

PAGE_SIZE = 25
EXPORT_LIMIT = 5000  # records in one result-set download


@dataclass
class KeysetPage:
    """One page of a list ordered newest first, with cursors on the id instead of an offset."""

    object_list: list[Any]
    next_cursor: int | None
    previous_cursor: int | None

    @property
    def has_other_pages(self) -> bool:
        return self.next_cursor is not None or self.previous_cursor is not None


def _cursor(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 19 else None


def keyset_page(queryset: QuerySet[Any], request: HttpRequest, size: int = PAGE_SIZE) -> KeysetPage:
    after, before = _cursor(request.GET.get("after")), _cursor(request.GET.get("before"))
    if before is not None:
        rows = list(queryset.filter(pk__gt=before).order_by("pk")[: size + 1])
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        more_older = bool(rows) and queryset.filter(pk__lt=rows[-1].pk).exists()
    else:
        newest_first = queryset.order_by("-pk")
        rows = list((newest_first.filter(pk__lt=after) if after is not None else newest_first)[: size + 1])
        more_older = len(rows) > size
        rows = rows[:size]
        more_newer = after is not None and bool(rows) and queryset.filter(pk__gt=rows[0].pk).exists()
    return KeysetPage(
        object_list=rows,
        next_cursor=rows[-1].pk if rows and more_older else None,
        previous_cursor=rows[0].pk if rows and more_newer else None,
    )


def _filters(request: HttpRequest) -> tuple[dict[str, Any], str]:
    get = request.GET
    year = get.get("year", "").strip()
    status = get.get("status", "")
    filters = {
        "type": get.get("type", "")[:40],
        "party": get.get("party", "")[:40],
        "country": get.get("country", "")[:2].upper() if get.get("country", "")[:2].upper() in countries else "",
        "subject": "",
        "year": int(year) if year.isdigit() and 1000 <= int(year) <= 9999 else None,
        "language": get.get("language", "") if get.get("language", "") in CONTENT_LANGUAGES else "",
        "status": status if status in Record.Status.values else "",
    }
    problem = ""
    if subject := get.get("subject", "").strip()[:200]:
        try:
            filters["subject"] = concept_lookup(subject).code
        except ValidationError as error:
            problem = error.messages[0]
    return filters, problem


def record_list(request: HttpRequest) -> HttpResponse:
    filters, problem = _filters(request)
    records = selectors.record_list(user=request.user, **filters)
    if problem:
        records = records.none()
    export_format = EXPORT_FORMATS.get(request.GET.get("format", ""))
    if export_format is not None:
        chosen = records.order_by("-pk")[:EXPORT_LIMIT]
        return export_response(chosen, export_format, filename="spacebridge-records", attachment=True)
    principal = principal_for(request.user)
    parties = list(Party.objects.order_by("country", "short_name"))  # the filter, its delegations, "may share"
    page = keyset_page(records, request)
    # Other parties' records show their last published version, never the working copy their owners are editing.
    page.object_list = selectors.records_as_published(user=request.user, records=page.object_list)
    context = {
        "page": page,
        "count": records.count(),
        "filters": filters,
        "subject_query": request.GET.get("subject", "")[:200],
        "problem": problem,
        "types": RecordType.objects.all(),
        "parties": parties,
        "countries": [(code, countries.name(code)) for code in dict.fromkeys(p.country.code for p in parties)],
        "content_languages": list(CONTENT_LANGUAGES.items()),
        "statuses": Record.Status.choices if principal.own_party_ids else [],
        "formats": list(EXPORT_FORMATS.values()),
        "export_limit": EXPORT_LIMIT,
        "can_share": any(can_submit_for(request.user, p) for p in parties if p.pk in principal.own_party_ids),
    }
    return render_page_or_partial(request, "records/record_list.html", "records/_record_rows.html", context)


def _negotiated(request: HttpRequest) -> ExportFormat | bool | None:
    """The export format the client asks for with ``Accept``; None for the page; False when nothing fits (406)."""
    if not request.headers.get("Accept"):
        return None
    offered = ["text/html", "application/xhtml+xml", *(f.media_type for f in EXPORT_FORMATS.values())]
    preferred = request.get_preferred_type(offered)
    if preferred is None:
        return False
    if preferred in {"text/html", "application/xhtml+xml"}:
        return None
    return format_for_media_type(preferred)


def tombstone(request: HttpRequest, record: Record) -> HttpResponse:
    """A withdrawn record answers 410 Gone, with its reference, title, date and reason, to those who could see it."""
    response = render(request, "records/record_tombstone.html", {"record": record}, status=410)
    patch_vary_headers(response, ["Accept"])
    return response


def record_for_page(user: Any, reference: str) -> Record:
    """The record of the page, or 404: the same records as ``records_visible`` (the owner party's own, drafts
    included; others' published or withdrawn records their release lets the user see), found by its reference and
    checked with the access policy's object check on its release policy — read once, and kept for the page's
    "who can see this" panel and actions. Cheaper than the list filter for one row; tests hold both to the same
    answers for every release level and marking."""
    record = (
        Record.objects.select_related("type", "owner_party", "created_by")
        .filter(reference=reference.upper()[:20])
        .first()
    )
    if record is None:
        raise Http404
    if record.owner_party_id in principal_for(user).own_party_ids:
        return record
    prefetch_policies([record])
    if record.status == Record.Status.DRAFT or not can_see(user, record):
        raise Http404
    return record


def record_detail(request: HttpRequest, reference: str) -> HttpResponse:
    record = record_for_page(request.user, reference)
    if record.status == Record.Status.WITHDRAWN:
        return tombstone(request, record)
    asked = request.GET.get("format", "")
    if asked:
        export_format = EXPORT_FORMATS.get(asked)
        if export_format is None:
            return render(request, "core/error.html", _bad_format(asked), status=404)
        return export_response([record], export_format, filename=record.reference, attachment=True)
    negotiated = _negotiated(request)
    if negotiated is False:
        response = HttpResponse(
            _("Not acceptable. This record is available as: %(types)s")
            % {"types": ", ".join(["text/html", *(f.media_type for f in EXPORT_FORMATS.values())])},
            status=406,
            content_type="text/plain; charset=utf-8",
        )
    elif negotiated is not None:
        response = export_response([record], negotiated, filename=record.reference, attachment=False)
    else:
        response = render(request, "records/record_detail.html", detail_context(request, record))
    patch_vary_headers(response, ["Accept"])
    return response


def _bad_format(name: str) -> dict[str, Any]:
    return {
        "status": 404,
        "title": _("Not found"),
        "message": _("There is no export format “%(name)s”.") % {"name": name[:40]},
    }
