"""Domain-free pages: sign-in and out, password reset, language and time zone, health, errors."""

from __future__ import annotations

from zoneinfo import available_timezones

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from spacebridge.core.middleware import TIME_ZONE_COOKIE
from spacebridge.core.ratelimit import login_blocked, login_failed, login_succeeded


class RateLimitedAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "rate_limited": gettext_lazy("Too many failed sign-in attempts. Wait a few minutes and try again."),
    }

    def clean(self):  # type: ignore[no-untyped-def]
        username = self.data.get("username", "")
        if login_blocked(self.request, username):
            raise forms.ValidationError(self.error_messages["rate_limited"], code="rate_limited")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            login_failed(self.request, username)
            raise
        login_succeeded(self.request, username)
        return cleaned


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = RateLimitedAuthenticationForm
    redirect_authenticated_user = True

    def form_invalid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_invalid(form)
        if any(e.code == "rate_limited" for e in form.non_field_errors().as_data()):
            response.status_code = 429
        return response


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception as exc:  # the health check reports any database failure instead of raising
        return JsonResponse({"status": "error", "database": "error", "detail": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": database, "vendor": connection.vendor})


_ZONES = frozenset(available_timezones())


@require_POST
def set_time_zone(request: HttpRequest) -> HttpResponse:
    zone = request.POST.get("time_zone", "")
    target = request.POST.get("next", "") or reverse("home")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("home")
    response = HttpResponseRedirect(target)
    if zone in _ZONES:
        response.set_cookie(TIME_ZONE_COOKIE, zone, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    else:
        messages.error(request, _("“%(zone)s” is not a known time zone.") % {"zone": zone[:60]})
    return response


def _error_page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        from spacebridge.core.errors import problem_response

        return problem_response(status=status, title=title, detail=message, instance=request.path)
    return render(request, "core/error.html", {"status": status, "title": title, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(
        request,
        400,
        _("Bad request"),
        _("The request could not be understood. Check the address or the form and try again."),
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    detail = str(exception) if exception and str(exception) else _("You do not have permission to do this.")
    return _error_page(request, 403, _("Not allowed"), detail)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(
        request,
        404,
        _("Not found"),
        _("There is nothing here, or you may not see it. If you were given this link, sign in and try again."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error_page(
        request, 500, _("Server error"), _("Something went wrong on our side. The error has been logged.")
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error_page(
        request,
        403,
        _("Form expired"),
        _("The form was open too long or cookies are blocked. Reload the page and submit again."),
    )
