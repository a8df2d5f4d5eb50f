"""Action items: my actions, overdue lists per group and per party, one action's page."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from spacebridge.core.forms import service_call
from spacebridge.liaison import selectors, services_minutes
from spacebridge.liaison.forms import ActionUpdateForm
from spacebridge.liaison.permissions import can_update_action


@login_required
def my_actions(request: HttpRequest) -> HttpResponse:
    today = date.today()
    items = list(selectors.my_actions(request.user))
    overdue = list(selectors.overdue_actions(user=request.user, on=today).order_by("group__acronym", "due_on"))
    by_group: dict[str, list] = {}
    by_party: dict[str, list] = {}
    for item in overdue:
        by_group.setdefault(item.group.acronym if item.group else "SB", []).append(item)
        by_party.setdefault(item.owner_party.short_name, []).append(item)
    return render(request, "liaison/my_actions.html", {
        "items": items, "today": today, "by_group": sorted(by_group.items()), "by_party": sorted(by_party.items()),
    })


@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.action_get_for_user(user=request.user, pk=pk)
    may_update = can_update_action(request.user, item)
    form = ActionUpdateForm(request.POST or None, initial={"status": item.status, "evidence": item.evidence})
    status = 200
    if request.method == "POST":
        if not may_update:
            return render(request, "liaison/action_detail.html", {"item": item, "form": None}, status=403)
        if form.is_valid() and service_call(form, lambda: services_minutes.action_item_update(
                item=item, by=request.user, status=form.cleaned_data["status"],
                evidence=form.cleaned_data["evidence"])) is not None:
            messages.success(request, _("The action item is updated."))
            return redirect(item)
        status = 422
    return render(request, "liaison/action_detail.html", {
        "item": item, "form": form if may_update else None, "today": date.today(),
        "carried_to": list(item.carried_to.order_by("start")),
        "records": list(item.evidence_records.all()),
    }, status=status)
