"""Page and partial rendering: one view, one context, two templates."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def is_partial_request(request: HttpRequest) -> bool:
    """A request for a fragment only (progressive enhancement asks with this header or ``?partial=1``)."""
    return request.headers.get("X-Partial") == "1" or request.GET.get("partial") == "1"


def render_page_or_partial(
    request: HttpRequest, page: str, partial: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    template = partial if is_partial_request(request) else page
    return render(request, template, context, status=status)
