"""The viewer's time zone: their person's zone when signed in, else their chosen zone, else the default."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

TIME_ZONE_COOKIE = "sb_tz"
_ZONES = frozenset(available_timezones())


def viewer_time_zone_name(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        try:
            zone = user.person.time_zone  # type: ignore[union-attr]
        except (ObjectDoesNotExist, AttributeError):
            zone = ""
        if zone in _ZONES:
            return zone
    chosen = request.COOKIES.get(TIME_ZONE_COOKIE, "")
    if chosen in _ZONES:
        return chosen
    return settings.DISPLAY_TIME_ZONE


class ViewerTimeZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = viewer_time_zone_name(request)
        request.viewer_time_zone = name  # type: ignore[attr-defined]
        with timezone.override(ZoneInfo(name)):
            return self.get_response(request)
