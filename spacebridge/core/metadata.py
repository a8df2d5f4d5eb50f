"""What a public page tells machines about itself: OpenGraph tags and schema.org JSON-LD. Every part's public pages
use these, so a page found through a search engine or shared in a chat reads the same everywhere."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

OG_LOCALES = {"en": "en_GB", "zh-hans": "zh_CN", "ru": "ru_RU"}


def absolute(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else f"{settings.BASE_URL}{path}"


def page_metadata(
    request: HttpRequest, *, title: str, description: str = "", kind: str = "website", path: str | None = None
) -> dict[str, Any]:
    """A page's description, canonical address (``path``, else the request's) and OpenGraph properties."""
    locale = OG_LOCALES.get(get_language() or "en", "en_GB")
    summary = " ".join(description.split())[:300]
    canonical = absolute(path or request.path)
    return {
        "description": summary,
        "canonical": canonical,
        "og": [
            ("og:title", title),
            ("og:description", summary),
            ("og:type", kind),
            ("og:url", canonical),
            ("og:site_name", "Spacebridge"),
            ("og:locale", locale),
        ],
    }


def json_ld(data: dict[str, Any] | list[dict[str, Any]]) -> SafeString:
    """A ``<script type="application/ld+json">`` block; ``<``, ``>`` and ``&`` are escaped so no text closes it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def organization_ld(party: Any, language: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@type": "Organization",
        "@id": absolute(party.get_absolute_url()),
        "name": party.name.get(language) or party.short_name,
        "alternateName": party.short_name,
        "url": absolute(party.get_absolute_url()),
        "address": {"@type": "PostalAddress", "addressCountry": party.country.code},
    }
    if party.website:
        data["sameAs"] = party.website
    return data
