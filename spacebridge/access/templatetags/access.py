from __future__ import annotations

from typing import Any

from django import template

from spacebridge.access.explain import explain
from spacebridge.access.permissions import can_approve_export, can_decide_release
from spacebridge.access.registry import released

register = template.Library()


@register.inclusion_tag("access/_who_can_see.html", takes_context=True)
def who_can_see(context: template.Context, obj: Any) -> dict[str, Any]:
    """The "who can see this and why" panel of an object page."""
    user = context["request"].user
    release_url = released(type(obj)).release_url
    return {
        "explanation": explain(obj, user),
        "obj": obj,
        "kind": obj._meta.label_lower,
        "can_decide": can_decide_release(user, obj),
        "can_approve": can_approve_export(user, obj),
        "csrf_token": context.get("csrf_token"),
        # An object with its own release page (a record) is released and approved there.
        "own_release_page": release_url(obj) if release_url else "",
    }
