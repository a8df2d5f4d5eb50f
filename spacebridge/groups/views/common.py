from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from spacebridge.core.forms import apply_validation_error


def service_call(form: Any, call: Any) -> Any:
    """Run a service (and the look-ups it needs); a ValidationError lands on the form, and None comes back."""
    try:
        return call()
    except ValidationError as exc:
        apply_validation_error(form, exc)
        return None


def form_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    """The one template of the group's edit pages; a form with errors answers 422 and nothing was written."""
    return render(request, "groups/group_form.html", context, status=422 if context["form"].errors else 200)
