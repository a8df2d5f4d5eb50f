"""Errors shared by every part: RFC 9457 problem details for the API, translated messages for pages."""

from __future__ import annotations

from typing import Any

from django.http import JsonResponse
from django.utils.translation import gettext as _


class ProblemError(Exception):
    """A client error with a status and a translated, human-readable detail."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, *, status: int | None = None, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if status is not None:
            self.status = status
        self.errors = errors or {}


class NotFound(ProblemError):
    status = 404
    title = "Not found"


class Conflict(ProblemError):
    status = 409
    title = "Conflict"


def problem_response(
    *, status: int, title: str, detail: str, instance: str = "", errors: dict[str, Any] | None = None
) -> JsonResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    return JsonResponse(
        body, status=status, content_type="application/problem+json", json_dumps_params={"ensure_ascii": False}
    )


def status_title(status: int) -> str:
    titles = {
        400: _("Bad request"),
        401: _("Authentication required"),
        403: _("Forbidden"),
        404: _("Not found"),
        405: _("Method not allowed"),
        409: _("Conflict"),
        413: _("Request too large"),
        422: _("Invalid input"),
        429: _("Too many requests"),
        500: _("Server error"),
    }
    return str(titles.get(status, _("Error")))


def validation_errors(exc: Any) -> dict[str, list[str]]:
    """Flatten a Django ValidationError into ``{field: [messages]}``."""
    if hasattr(exc, "message_dict"):
        return {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
    return {"__all__": [str(m) for m in getattr(exc, "messages", [str(exc)])]}
