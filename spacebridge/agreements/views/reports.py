"""The implementation report (page and PDF) and the iCalendar feed of deadlines."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header

from spacebridge.agreements import selectors
from spacebridge.agreements.ical import agreements_calendar
from spacebridge.agreements.report import report_pdf, report_rows


def report(request: HttpRequest) -> HttpResponse:
    rows = report_rows(user=request.user)
    context = {"rows": rows, "today": timezone.localdate(), "generated": timezone.now()}
    if request.GET.get("format") == "pdf":
        response = HttpResponse(report_pdf(rows=rows, context=context), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(False, "agreements-report.pdf")
        return response
    return render(request, "agreements/report.html", context)


def calendar(request: HttpRequest) -> HttpResponse:
    return _calendar_response(request.user)


def personal_calendar(request: HttpRequest, secret: str) -> HttpResponse:
    """The same feed behind the person's secret calendar address (the one their liaison calendar uses), for
    calendar programs that cannot sign in."""
    from spacebridge.liaison.services_calendar import calendar_token_user

    user = calendar_token_user(secret)
    if user is None:
        raise Http404
    return _calendar_response(user)


def _calendar_response(user) -> HttpResponse:  # type: ignore[no-untyped-def]
    agreements = selectors.agreement_list(user=user).filter(status__in=["signed", "in_force"])
    response = HttpResponse(agreements_calendar(agreements), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(False, "agreements.ics")
    return response
