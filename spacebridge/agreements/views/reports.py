"""The implementation report (page and PDF) and the iCalendar feed of deadlines."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
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
    agreements = selectors.agreement_list(user=request.user).filter(status__in=["signed", "in_force"])
    response = HttpResponse(agreements_calendar(agreements), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(False, "agreements.ics")
    return response
