from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

# Offered in the footer's zone chooser; a person's profile accepts any IANA zone.
COMMON_TIME_ZONES = [
    "UTC",
    "Asia/Shanghai",
    "Europe/Moscow",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Asia/Dubai",
    "Australia/Sydney",
    "Asia/Novosibirsk",
    "Asia/Vladivostok",
    "Asia/Yekaterinburg",
]


def platform(request: HttpRequest) -> dict[str, Any]:
    return {
        "viewer_time_zone": getattr(request, "viewer_time_zone", settings.DISPLAY_TIME_ZONE),
        "interface_languages": settings.LANGUAGES,
        "csp_nonce": getattr(request, "csp_nonce", ""),
        "common_time_zones": COMMON_TIME_ZONES,
    }
