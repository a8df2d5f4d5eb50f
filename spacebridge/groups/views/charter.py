"""Setting up a working group, and its charter: name, mandate, scope, subjects, status."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from spacebridge.core.forms import service_call
from spacebridge.groups import selectors, services
from spacebridge.groups.forms import CharterForm, GroupCreateForm
from spacebridge.groups.views.common import form_page
from spacebridge.parties.permissions import Perm, has_perm


@login_required
def group_create(request: HttpRequest) -> HttpResponse:
    if not has_perm(request.user, Perm.GROUP_MANAGE):
        raise PermissionDenied(_("Only the secretariat sets up working groups."))
    form = GroupCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        group = service_call(form, lambda: services.group_create(
            by=request.user, acronym=data["acronym"], name=data["name"], status=data["status"]))
        if group is not None:
            messages.success(request, _("The working group %(acronym)s is set up.") % {"acronym": group.acronym})
            return redirect("groups:detail", group.acronym)
    return form_page(request, {"form": form, "title": _("New working group"), "submit": _("Set up the group"),
                               "back": reverse("groups:list")})


@login_required
def charter_edit(request: HttpRequest, acronym: str) -> HttpResponse:
    group = selectors.group_get_for_run(user=request.user, acronym=acronym)
    subjects = group.subjects.order_by("code")
    form = CharterForm(request.POST or None, initial={
        "name": group.name, "mandate": group.mandate, "scope": group.scope, "status": group.status,
        "subjects": "\n".join(f"{c.code} — {c.pref.get()}" for c in subjects),
    })
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = service_call(form, lambda: services.group_charter_update(
            group=group, by=request.user, name=data["name"], mandate=data["mandate"], scope=data["scope"],
            status=data["status"], subjects=selectors.concepts_by_code(codes=data["subjects"])))
        if done is not None:
            messages.success(request, _("The charter is saved."))
            return redirect("groups:detail", group.acronym)
    return form_page(request, {"form": form, "group": group, "title": _("Charter of %(acronym)s") % {
        "acronym": group.acronym}, "submit": _("Save the charter"), "back": reverse("groups:detail",
                                                                                 args=[group.acronym])})
