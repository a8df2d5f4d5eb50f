"""Domain-free API pieces: authentication, RFC 9457 problem details, cursor pagination."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.operation import PathView
from ninja.security import HttpBearer

from spacebridge.core.errors import ProblemError, problem_response, status_title, validation_errors

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class Problem(Schema):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: dict[str, Any] | None = None


# Every operation may answer these; each operation adds its own.
PROBLEMS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem, 429: Problem}


class TokenOrSession(HttpBearer):
    """A personal token in ``Authorization: Bearer``; else the browser session (writes then need the CSRF token);
    else an anonymous visitor, who sees only what is public."""

    def __init__(self, authenticate_token: Callable[[str], Any]) -> None:
        super().__init__()
        self.authenticate_token = authenticate_token

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _sep, secret = header.partition(" ")
            user = self.authenticate_token(secret.strip()) if scheme.lower() == "bearer" else None
            if user is None:
                raise AuthenticationError(401, _("The API token is unknown, revoked or expired."))
            request.user = user
            return user
        user = getattr(request, "user", None) or AnonymousUser()
        if user.is_authenticated and request.method not in SAFE_METHODS:
            reason = CsrfViewMiddleware(lambda r: HttpResponse()).process_view(request, lambda r: None, (), {})
            if reason is not None:
                raise AuthenticationError(403, _("Session-authenticated writes need the CSRF token."))
        return user

    def authenticate(self, request: HttpRequest, token: str) -> Any:  # pragma: no cover - __call__ handles all
        return self.authenticate_token(token)


def require_member(request: HttpRequest) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    if not getattr(user, "is_authenticated", False):
        raise AuthenticationError(401, _("Sign in or send an API token to do this."))
    return user


def install_problem_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, detail: str, errors: Any = None) -> HttpResponse:
        return problem_response(
            status=status, title=status_title(status), detail=detail, instance=request.path, errors=errors
        )

    @api.exception_handler(NinjaValidationError)
    def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            location = ".".join(str(part) for part in error.get("loc", []) if part not in {"body", "payload"})
            errors.setdefault(location or "__all__", []).append(str(error.get("msg", "")))
        return respond(request, 422, _("The request does not match the expected format."), errors)

    @api.exception_handler(DjangoValidationError)
    def _rejected(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        errors = validation_errors(exc)
        first = next(iter(errors.values()), [_("Invalid input.")])[0]
        return respond(request, 422, first, errors)

    @api.exception_handler(ProblemError)
    def _problem(request: HttpRequest, exc: ProblemError) -> HttpResponse:
        return respond(request, exc.status, exc.detail, exc.errors or None)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        status = getattr(exc, "status_code", 401)
        detail = str(exc.message) if getattr(exc, "message", None) else _("Sign in or send an API token to do this.")
        return respond(request, status, detail)

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, str(exc) or _("You do not have permission to do this."))

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, _("There is no such object, or you may not see it."))

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, exc.status_code, str(exc))

    PathView._not_allowed = _method_not_allowed  # type: ignore[method-assign]


def _method_not_allowed(self: PathView) -> HttpResponse:
    """django-ninja answers a method an address does not take outside the exception handlers, in plain text; this
    is its answer as a problem, with the ``Allow`` header it must carry (RFC 9110)."""
    allowed = sorted({method for operation in self.operations for method in operation.methods})
    response = problem_response(
        status=405,
        title=status_title(405),
        detail=f"{status_title(405)}: {', '.join(allowed)}",  # the methods it takes, in the catalogue's words
    )
    response["Allow"] = ", ".join(allowed)
    return response


class CursorPage(Schema):
    next_cursor: str | None = None


def encode_cursor(value: int) -> str:
    return base64.urlsafe_b64encode(f"k{value}".encode()).decode().rstrip("=")


# The largest key a database column holds (a signed 64-bit integer): a cursor past it is past every row.
MAX_KEY = 2**63 - 1


def decode_cursor(cursor: str | None) -> int | None:
    """The key a cursor carries: ``k`` and the decimal digits of a key ``encode_cursor`` wrote (never negative)."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        digits = raw[1:]
        # int() would also take signs, spaces, underscores and other scripts' digits: none of those is a cursor.
        if not raw.startswith("k") or not digits.isascii() or not digits.isdigit() or len(digits) > 40:
            raise ValueError
        return int(digits)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ProblemError(_("The cursor is not valid; start again from the first page.")) from exc


def keyset_page(queryset: QuerySet[Any], *, cursor: str | None, limit: int) -> tuple[list[Any], str | None]:
    """One page in primary-key order after ``cursor``, and the cursor of the next page."""
    after = decode_cursor(cursor)
    if after is not None and after >= MAX_KEY:
        # Past every row, whatever the database: never a number it cannot hold (SQLite overflows, not filters).
        return [], None
    ordered = queryset.order_by("pk")
    if after is not None:
        ordered = ordered.filter(pk__gt=after)
    rows = list(ordered[: limit + 1])
    next_cursor = encode_cursor(rows[limit - 1].pk) if len(rows) > limit else None
    return rows[:limit], next_cursor
