"""A group's work plan: adding a milestone or deliverable, and its progress, due date and evidence."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from spacebridge.core.forms import service_call
from spacebridge.groups import selectors, services
from spacebridge.groups.forms import PlanItemForm, PlanItemUpdateForm
from spacebridge.groups.views.common import form_page


def _back(group) -> str:  # type: ignore[no-untyped-def]
    return reverse("groups:detail", args=[group.acronym]) + "#plan-h"


@login_required
def plan_item_add(request: HttpRequest, acronym: str) -> HttpResponse:
    group = selectors.group_get_for_run(user=request.user, acronym=acronym)
    form = PlanItemForm(request.POST or None, parties=selectors.member_parties(group))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = service_call(form, lambda: services.work_plan_item_add(
            group=group, by=request.user, kind=data["kind"], title=data["title"], owner_party=data["owner_party"],
            due_on=data["due_on"]))
        if done is not None:
            messages.success(request, _("The work plan item is added."))
            return redirect(_back(group))
    return form_page(request, {"form": form, "group": group, "title": _("New work plan item of %(acronym)s") % {
        "acronym": group.acronym}, "submit": _("Add to the work plan"), "back": _back(group)})


@login_required
def plan_item_update(request: HttpRequest, acronym: str, pk: int) -> HttpResponse:
    group = selectors.group_get_for_run(user=request.user, acronym=acronym)
    item = selectors.plan_item_of(group=group, pk=pk)
    shown = selectors.records_seen(user=request.user, queryset=item.evidence.order_by("reference"))
    form = PlanItemUpdateForm(request.POST or None, initial={
        "status": item.status, "due_on": item.due_on, "evidence": "\n".join(r.reference for r in shown)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def update():  # type: ignore[no-untyped-def]
            chosen = selectors.records_by_reference(user=request.user,
                                                    references=selectors.split_references(data["evidence"]))
            return services.work_plan_item_update(
                item=item, by=request.user, status=data["status"], due_on=data["due_on"],
                evidence=selectors.evidence_keeping_hidden(user=request.user, item=item, chosen=chosen))

        if service_call(form, update) is not None:
            messages.success(request, _("The work plan item is updated."))
            return redirect(_back(group))
    return form_page(request, {"form": form, "group": group, "item": item, "records": shown,
                               "title": _("Work plan item of %(acronym)s") % {"acronym": group.acronym},
                               "submit": _("Update the item"), "back": _back(group)})
