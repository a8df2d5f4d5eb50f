from __future__ import annotations

from typing import Any

from django import template

from spacebridge.access.explain import explain

register = template.Library()


@register.inclusion_tag("access/_who_can_see.html", takes_context=True)
def who_can_see(context: template.Context, obj: Any) -> dict[str, Any]:
    """The "who can see this and why" panel of an object page."""
    return {"explanation": explain(obj, context["request"].user), "obj": obj}
