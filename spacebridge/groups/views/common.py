from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def form_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    """The one template of the group's edit pages; a form with errors answers 422 and nothing was written."""
    return render(request, "groups/group_form.html", context, status=422 if context["form"].errors else 200)
