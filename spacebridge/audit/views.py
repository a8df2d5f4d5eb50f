"""The audit log's own page: the state of the chain and its head, which any party can note down and compare later.
Entries themselves appear only in the history panel of objects the viewer may see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from spacebridge.audit.selectors import audit_head, audit_verify


@login_required
def chain(request: HttpRequest) -> HttpResponse:
    report = audit_verify() if request.GET.get("verify") == "1" else None
    return render(request, "audit/chain.html", {"head": audit_head(), "report": report})
