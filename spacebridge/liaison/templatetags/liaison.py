"""Template helpers of liaison: times in several zones, and minutes rendered from Markdown and sanitised."""

from __future__ import annotations

from datetime import datetime

import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

from spacebridge.liaison import timing

register = template.Library()
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "code", "pre", "blockquote",
         "a", "table", "thead", "tbody", "tr", "th", "td", "hr", "br"}


def render_markdown(text: str) -> str:
    """Markdown to HTML that can be trusted on a page: raw HTML is not rendered, and the result is sanitised."""
    html = _MARKDOWN.render(text or "")
    return nh3.clean(html, tags=_TAGS, attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow")


@register.filter
def markdown(text: str) -> SafeString:
    return mark_safe(render_markdown(text))


@register.simple_tag
def zone_stamp(moment: datetime, zone: str) -> str:
    return timing.stamp(moment, zone)


@register.simple_tag
def capital_stamps(moment: datetime) -> str:
    """“Beijing 2026-03-10 22:00 CST · Moscow … · Washington … · UTC …” in one call: a list of meetings renders one
    tag per row, not one per zone."""
    return " · ".join(f"{label} {timing.stamp(moment, zone)}" for label, zone in timing.capitals_and_utc())


@register.simple_tag(takes_context=True)
def meeting_times(context: template.Context, start: datetime, end: datetime, zone: str) -> list[timing.ZoneTime]:
    viewer = context.get("viewer_time_zone") or "UTC"
    return timing.meeting_times(start, end, meeting_zone=zone, viewer_zone=viewer)


@register.simple_tag
def capital_zones() -> list[tuple[str, str]]:
    return timing.capitals()
