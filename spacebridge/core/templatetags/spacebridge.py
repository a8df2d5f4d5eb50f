"""Template helpers shared by every page: multilingual text and datetimes in the viewer's zone and the capitals'."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from spacebridge.core.multilingual import CONTENT_LANGUAGES, MultilingualText

register = template.Library()

_STAMP = "%Y-%m-%d %H:%M"


@register.filter
def mt(value: object) -> SafeString:
    """Multilingual text in the interface language, marked with the language actually shown."""
    text = MultilingualText.from_json(value)
    lang, shown = text.resolve()
    if not shown:
        return mark_safe("")
    return format_html('<span lang="{}">{}</span>', "zh-Hans" if lang == "zh" else lang, shown)


@register.filter
def language_names(codes: list[str]) -> str:
    """Language codes as each language names itself: ``["zh", "en"]`` -> "中文, English"."""
    return ", ".join(CONTENT_LANGUAGES.get(code, code) for code in codes or [])


@register.filter
def mt_text(value: object) -> str:
    return MultilingualText.from_json(value).get()


def _stamp(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{local.strftime(_STAMP)} {local.tzname()}"


@register.simple_tag(takes_context=True)
def when(context: template.Context, moment: datetime | date | None) -> SafeString:
    """A datetime with its date and zone in the viewer's zone, and the three capitals' local times below."""
    if moment is None:
        return mark_safe("—")
    if not isinstance(moment, datetime):
        return format_html('<time datetime="{}">{}</time>', moment.isoformat(), moment.isoformat())
    if timezone.is_naive(moment):
        raise ValueError("naive datetime reached a page")  # every datetime is aware, stored in UTC
    viewer = ZoneInfo(context.get("viewer_time_zone") or timezone.get_current_timezone_name())
    capitals = format_html_join(
        " · ", "{} {}", ((str(city), _stamp(moment, ZoneInfo(zone))) for city, zone in settings.CAPITAL_TIME_ZONES)
    )
    return format_html(
        '<time datetime="{}" title="{}">{} <span class="zone">({})</span></time><small class="capitals">{}</small>',
        moment.astimezone(ZoneInfo("UTC")).isoformat(),
        capitals,
        moment.astimezone(viewer).strftime(_STAMP) + " " + (moment.astimezone(viewer).tzname() or ""),
        viewer.key,
        capitals,
    )
