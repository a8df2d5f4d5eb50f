"""A group's members: adding a member party or a person, ending a membership, changing a person's role."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from spacebridge.core.forms import service_call
from spacebridge.groups import selectors, services
from spacebridge.groups.forms import MembershipEndForm, MembershipForm, RoleChangeForm
from spacebridge.groups.views.common import form_page
from spacebridge.parties.models import Party


def _back(group) -> str:  # type: ignore[no-untyped-def]
    return reverse("groups:detail", args=[group.acronym]) + "#members-h"


@login_required
def membership_add(request: HttpRequest, acronym: str) -> HttpResponse:
    group = selectors.group_get_for_manage(user=request.user, acronym=acronym)
    form = MembershipForm(request.POST or None, parties=Party.objects.order_by("short_name"),
                          people=selectors.people_for(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = service_call(form, lambda: services.group_membership_add(
            group=group, by=request.user, party=data["party"], person=data["person"], role=data["role"],
            start=data["start"], end=data["end"]))
        if done is not None:
            messages.success(request, _("%(who)s joins %(acronym)s as %(role)s.") % {
                "who": done.person.display_name() if done.person else done.party.short_name,
                "acronym": group.acronym, "role": done.get_role_display()})
            return redirect(_back(group))
    return form_page(request, {"form": form, "group": group, "title": _("New member of %(acronym)s") % {
        "acronym": group.acronym}, "submit": _("Add the member"), "back": _back(group)})


@login_required
def membership_end(request: HttpRequest, acronym: str, pk: int) -> HttpResponse:
    group = selectors.group_get_for_run(user=request.user, acronym=acronym)
    membership = selectors.membership_of(group=group, pk=pk)
    form = MembershipEndForm(request.POST or None, initial={"end": membership.end or date.today()})
    if request.method == "POST" and form.is_valid():
        done = service_call(form, lambda: services.group_membership_end(
            membership=membership, by=request.user, end=form.cleaned_data["end"]))
        if done is not None:
            messages.success(request, _("The membership ends on %(day)s.") % {"day": done.end.isoformat()})
            return redirect(_back(group))
    return form_page(request, {"form": form, "group": group, "membership": membership,
                               "title": _("End a membership of %(acronym)s") % {"acronym": group.acronym},
                               "submit": _("End the membership"), "back": _back(group)})


@login_required
def role_change(request: HttpRequest, acronym: str, pk: int) -> HttpResponse:
    group = selectors.group_get_for_run(user=request.user, acronym=acronym)
    membership = selectors.membership_of(group=group, pk=pk)
    form = RoleChangeForm(request.POST or None, initial={"on": date.today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = service_call(form, lambda: services.group_role_change(
            membership=membership, by=request.user, role=data["role"], on=data["on"]))
        if done is not None:
            messages.success(request, _("%(who)s is %(role)s from %(day)s.") % {
                "who": done.person.display_name(), "role": done.get_role_display(), "day": done.start.isoformat()})
            return redirect(_back(group))
    history = (group.memberships.filter(person_id=membership.person_id).select_related("party", "person")
               .order_by("start", "pk")) if membership.person_id else []
    return form_page(request, {"form": form, "group": group, "membership": membership, "history": list(history),
                               "title": _("Change a role in %(acronym)s") % {"acronym": group.acronym},
                               "submit": _("Change the role"), "back": _back(group)})
