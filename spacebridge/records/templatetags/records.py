"""Template helpers of the exchange registry's pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

from spacebridge.access.explain import explain
from spacebridge.access.models import Level, Marking
from spacebridge.core.multilingual import CONTENT_LANGUAGES

register = template.Library()


@register.inclusion_tag("access/_who_can_see.html", takes_context=True)
def record_who_can_see(context: template.Context, record: Any) -> dict[str, Any]:
    """The access app's "who can see this and why" panel, with the record's own release page instead of the generic
    one: a record's release goes through ``record_release`` so that the decision is kept on the record."""
    return {
        "explanation": explain(record, context["request"].user),
        "obj": record,
        "kind": record._meta.label_lower,
        "can_decide": False,
        "can_approve": False,
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def language_name(code: str) -> str:
    return CONTENT_LANGUAGES.get(code, code)


@register.filter
def html_lang(code: str) -> str:
    return "zh-Hans" if code == "zh" else code


@register.filter
def duration(value: timedelta | None) -> str:
    """A time to decision, rounded for people: minutes, hours or days."""
    if value is None:
        return "—"
    hours = value.total_seconds() / 3600
    if hours < 1:
        minutes = max(round(hours * 60), 1)
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    if hours < 48:
        count = round(hours)
        return ngettext("%(count)d hour", "%(count)d hours", count) % {"count": count}
    days = round(hours / 24)
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


@register.filter
def party_names(codes: list[str]) -> str:
    from spacebridge.parties.models import Party

    short = dict(Party.objects.filter(code__in=codes or []).values_list("code", "short_name"))
    return ", ".join(short.get(code, code) for code in codes or [])


@register.filter
def audience_text(audience: dict[str, Any]) -> str:
    """A release decision's audience in words."""
    level = audience.get("level", "")
    # A release to named parties is exactly those names; any other level may have parties let in beside it.
    parts = [] if level == Level.PARTIES else [str(Level(level).label) if level in Level.values else level]
    from spacebridge.parties.models import Party

    codes = list(audience.get("parties") or [])
    short = dict(Party.objects.filter(code__in=codes).values_list("code", "short_name"))
    names = [short.get(code, code) for code in codes]
    names += [
        _("delegation of %(country)s") % {"country": countries.name(c) or c} for c in audience.get("delegations") or []
    ]
    if names:
        parts.append(", ".join(names) if level == Level.PARTIES else _("and: %(names)s") % {"names": ", ".join(names)})
    if audience.get("group"):
        parts.append(_("working group %(group)s") % {"group": audience["group"]})
    marking = audience.get("marking")
    if marking and marking != Marking.NONE:
        parts.append(
            _("marked %(marking)s (%(basis)s)")
            % {
                "marking": Marking(marking).label if marking in Marking.values else marking,
                "basis": audience.get("legal_basis") or "—",
            }
        )
    if audience.get("embargo_until"):
        parts.append(_("embargo until %(date)s") % {"date": audience["embargo_until"][:10]})
    return "; ".join(str(p) for p in parts)


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: Any) -> str:
    """The current query string with some parameters changed (None or "" removes one)."""
    query = context["request"].GET.copy()
    for key in ("after", "before", "partial"):
        query.pop(key, None)
    for key, value in changes.items():
        query.pop(key, None)
        if value not in (None, ""):
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"
