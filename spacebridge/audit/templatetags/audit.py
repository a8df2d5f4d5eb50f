from __future__ import annotations

from typing import Any

from django import template

from spacebridge.audit.selectors import audit_history_for
from spacebridge.audit.verbs import verb_label

register = template.Library()


@register.inclusion_tag("audit/_history.html", takes_context=True)
def history(context: template.Context, obj: Any, limit: int = 20) -> dict[str, Any]:
    """The history panel of an object page. The page itself has already passed the access check."""
    entries = list(audit_history_for(obj=obj)[: limit + 1])
    return {
        "entries": entries[:limit],
        "more": len(entries) > limit,
        "request": context.get("request"),
        "viewer_time_zone": context.get("viewer_time_zone"),
    }


@register.filter(name="verb_label")
def verb_label_filter(verb: str) -> str:
    return verb_label(verb)
