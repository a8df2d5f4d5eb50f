from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spacebridge.access import selectors, services
from spacebridge.access.forms import ReleaseForm, TokenForm
from spacebridge.access.models import Level
from spacebridge.access.permissions import can_approve_export, can_decide_release, owner_party_of
from spacebridge.access.policy import get_visible_or_404, policy_of
from spacebridge.access.registry import released, released_model
from spacebridge.core.forms import apply_validation_error


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    secret = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _token, secret = services.token_create(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
                status = 400
            else:
                form = TokenForm()
        else:
            status = 400
    context = {"tokens": selectors.token_list(user=request.user), "form": form, "secret": secret}
    response = render(request, "access/token_list.html", context, status=status)
    response["Cache-Control"] = "no-store"  # the new token is on this page once
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.token_get_for_user(user=request.user, pk=pk)
    services.token_revoke(token=token, by=request.user)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("access:token_list")


def _released_object(request: HttpRequest, kind: str, pk: int):  # type: ignore[no-untyped-def]
    model = released_model(kind)
    if model is None:
        raise Http404
    return get_visible_or_404(model._default_manager.all(), request.user, pk=pk)


def _own_release_page(obj) -> str | None:  # type: ignore[no-untyped-def]
    """Where ``obj`` is released when its model has a release page of its own (records log every decision there)."""
    release_url = released(type(obj)).release_url
    return release_url(obj) if release_url else None


def _initial(obj) -> dict:  # type: ignore[no-untyped-def]
    policy = policy_of(obj)
    if policy is None:
        return {"level": released(type(obj)).default_level}
    return {
        "level": policy.level,
        "marking": policy.marking,
        "legal_basis": policy.legal_basis,
        "embargo_until": policy.embargo_until,
        "group": policy.group,
        "reason": policy.reason,
        "parties": [g.party for g in policy.grants.all() if g.party],
        "countries": [g.country.code for g in policy.grants.all() if g.country],
    }


@login_required
def release_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Decide who may see an object: the owner party's liaison officer's form."""
    obj = _released_object(request, kind, pk)
    own_page = _own_release_page(obj)
    if own_page:  # never a write here that bypasses the object's own decision log
        return redirect(own_page)
    if not can_decide_release(request.user, obj):
        raise PermissionDenied(_("Only the owner party's liaison officers decide who may see this."))
    form = ReleaseForm(request.POST or None, initial=_initial(obj))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.release_set(
                    obj=obj,
                    by=request.user,
                    level=data["level"],
                    parties=data["parties"],
                    countries=data["countries"],
                    group=data["group"],
                    marking=data["marking"],
                    legal_basis=data["legal_basis"],
                    embargo_until=data["embargo_until"],
                    reason=data["reason"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Release decided."))
                return redirect(obj.get_absolute_url())
    context = {"form": form, "obj": obj, "owner": owner_party_of(obj), "levels": Level}
    return render(request, "access/release_form.html", context, status=status)


@login_required
@require_POST
def release_approve(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The owner party's export officer approves the release of a dual-use object."""
    obj = _released_object(request, kind, pk)
    own_page = _own_release_page(obj)
    if own_page:
        return redirect(own_page)
    if not can_approve_export(request.user, obj):
        raise PermissionDenied(_("Only the owner party's export officer approves a dual-use release."))
    services.release_approve_export(obj=obj, by=request.user, note=request.POST.get("note", "")[:300])
    messages.success(request, _("Dual-use release approved."))
    return redirect(obj.get_absolute_url())
