"""``{% load event_times %}``: event times in the event's zone and the viewer's, each with its date and zone."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils.html import format_html

from spacebridge.events.display import in_zone, span_in_zone

register = template.Library()


@register.simple_tag
def event_time(moment: datetime, zone: str, viewer_zone: str = "") -> str:
    """A ``<time>`` in ``zone``; a second line in the viewer's zone when it differs."""
    if moment is None:
        return ""
    main = format_html('<time datetime="{}">{}</time>', moment.isoformat(), in_zone(moment, zone))
    if viewer_zone and viewer_zone != zone:
        return format_html('{}<br><span class="viewer-time">{}</span>', main, in_zone(moment, viewer_zone))
    return main


@register.simple_tag
def event_span(starts: datetime, ends: datetime, zone: str, viewer_zone: str = "") -> str:
    main = format_html(
        '<time datetime="{}">{}</time>', starts.isoformat(), span_in_zone(starts, ends, zone)
    )
    if viewer_zone and viewer_zone != zone:
        return format_html('{}<br><span class="viewer-time">{}</span>', main, span_in_zone(starts, ends, viewer_zone))
    return main


@register.simple_tag
def zoned(moment: datetime, zone: str) -> str:
    """Plain text (e-mails, feeds)."""
    return in_zone(moment, zone) if moment else ""


@register.simple_tag
def zoned_span(starts: datetime, ends: datetime, zone: str) -> str:
    return span_in_zone(starts, ends, zone)


@register.simple_tag
def ml(text, language: str = "") -> str:  # type: ignore[no-untyped-def]
    """A multilingual text in ``language`` (else its original)."""
    return text.get(language or None) if text else ""


_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def jsonld(value: object) -> str:
    """JSON for a ``<script type="application/ld+json">`` block, safe against ``</script>`` in the data."""
    import json

    from django.utils.safestring import mark_safe

    return mark_safe(json.dumps(value, ensure_ascii=False, default=str).translate(_JSON_ESCAPES))
