"""Reject NUL characters at the door: PostgreSQL text cannot hold them and SQLite can, so without this guard
the same request would fail on one database and pass on the other."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from spacebridge.core.errors import problem_response


def _contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(v) for v in value)
    return False


def request_has_nul(request: HttpRequest) -> bool:
    if "\x00" in unquote(request.path) or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
        return True
    content_type = request.content_type or ""
    if request.method in {"POST", "PUT", "PATCH"}:
        if content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}:
            return any("\x00" in v for values in request.POST.lists() for v in values[1])
        # The API reads a body as JSON whatever type it declares (text/plain, merge-patch+json, none): check it as JSON.
        if content_type == "application/json" or request.path.startswith("/api/"):
            try:
                return _contains_nul(json.loads(request.body or b"null"))
            except (ValueError, UnicodeDecodeError):
                return False  # malformed JSON is the API's to report
    return False


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request_has_nul(request):
            message = _("The request contains a NUL character, which no text field accepts.")
            if request.path.startswith("/api/"):
                return problem_response(status=400, title=_("Bad request"), detail=message, instance=request.path)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
