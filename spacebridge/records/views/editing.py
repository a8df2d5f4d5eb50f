"""Writing records: share (create), edit, publish a version, withdraw, and decide the release. Load → check access →
one service call → redirect, or the form again with its errors and status 400."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spacebridge.access.forms import ReleaseForm
from spacebridge.access.models import Level
from spacebridge.access.policy import policy_of
from spacebridge.access.principals import principal_for
from spacebridge.core.forms import apply_validation_error
from spacebridge.parties.models import Party
from spacebridge.records import selectors, services
from spacebridge.records.forms import ExportApprovalForm, PublishForm, RecordForm, WithdrawForm
from spacebridge.records.models import Record
from spacebridge.records.permissions import can_approve_export, can_decide_release, can_edit_record, can_submit_for
from spacebridge.records.views.detail import detail_context


def submit_parties(user: Any) -> list[Party]:
    """The user's own parties for which they may share records."""
    own = Party.objects.filter(pk__in=principal_for(user).own_party_ids).order_by("short_name")
    return [party for party in own if can_submit_for(user, party)]


def _form_page(request: HttpRequest, form: RecordForm, record: Record | None, status: int) -> HttpResponse:
    return render(request, "records/record_form.html", {"form": form, "record": record}, status=status)


@login_required
def record_create(request: HttpRequest) -> HttpResponse:
    parties = submit_parties(request.user)
    if not parties:
        raise PermissionDenied(_("You share records for a party you belong to, and you belong to none that may."))
    initial = {"owner_party": parties[0]} if len(parties) == 1 else {}
    form = RecordForm(
        request.POST or None,
        user=request.user,
        parties=Party.objects.filter(pk__in=[p.pk for p in parties]),
        initial=initial,
    )
    if request.method != "POST":
        return _form_page(request, form, None, 200)
    if form.is_valid():
        try:
            record = services.record_create(
                by=request.user, owner_party=form.cleaned_data["owner_party"], **form.service_fields()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Record %(reference)s saved as a draft: only your party sees it until you publish and release it.")
                % {"reference": record.reference},
            )
            return redirect(record.get_absolute_url())
    return _form_page(request, form, None, 400)


def _record_for_edit(request: HttpRequest, reference: str) -> Record:
    record = selectors.record_get_for_user(user=request.user, reference=reference)
    if not can_edit_record(request.user, record):
        raise PermissionDenied(_("Only the owner party edits this record."))
    if record.status == Record.Status.WITHDRAWN:
        raise PermissionDenied(_("A withdrawn record cannot be changed."))
    return record


@login_required
def record_edit(request: HttpRequest, reference: str) -> HttpResponse:
    record = _record_for_edit(request, reference)
    form = RecordForm(request.POST or None, user=request.user, record=record, initial=RecordForm.initial_for(record))
    if request.method != "POST":
        return _form_page(request, form, record, 200)
    if form.is_valid():
        try:
            services.record_update(record=record, by=request.user, **form.service_fields())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Changes saved. Publish a new version to show them beyond your party."))
            return redirect(record.get_absolute_url())
    return _form_page(request, form, record, 400)


def _detail_with(request: HttpRequest, record: Record, status: int, **forms: Any) -> HttpResponse:
    return render(request, "records/record_detail.html", detail_context(request, record, **forms), status=status)


@login_required
@require_POST
def record_publish(request: HttpRequest, reference: str) -> HttpResponse:
    record = _record_for_edit(request, reference)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            version = services.record_publish(record=record, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Version %(number)d published.") % {"number": version.number})
            return redirect(record.get_absolute_url())
    return _detail_with(request, record, 400, publish_form=form)


@login_required
@require_POST
def record_withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    record = _record_for_edit(request, reference)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.record_withdraw(record=record, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Record %(reference)s withdrawn.") % {"reference": record.reference})
            return redirect(record.get_absolute_url())
    return _detail_with(request, record, 400, withdraw_form=form)


def _release_initial(record: Record) -> dict[str, Any]:
    policy = policy_of(record)
    if policy is None:
        return {"level": Level.OWNER}
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
def record_release(request: HttpRequest, reference: str) -> HttpResponse:
    """The owner party's liaison officer decides who receives the record; the decision is kept on the record."""
    record = selectors.record_get_for_user(user=request.user, reference=reference)
    if not can_decide_release(request.user, record):
        raise PermissionDenied(_("Only the owner party's liaison officers decide who receives this record."))
    form = ReleaseForm(request.POST or None, initial=_release_initial(record))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_release(
                    record=record,
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
                messages.success(request, _("Release decided and recorded on the record."))
                return redirect(record.get_absolute_url())
    context = {
        "form": form,
        "record": record,
        "decisions": record.release_decisions.select_related("decided_by", "decided_by__person"),
        "draft": record.status == Record.Status.DRAFT,
    }
    return render(request, "records/record_release.html", context, status=status)


@login_required
@require_POST
def record_approve_export(request: HttpRequest, reference: str) -> HttpResponse:
    """The owner party's export officer approves the release of a dual-use record to its current audience."""
    record = selectors.record_get_for_user(user=request.user, reference=reference)
    if not can_approve_export(request.user, record):
        raise PermissionDenied(_("Only the owner party's export officer approves a dual-use release."))
    form = ExportApprovalForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.record_approve_export(record=record, by=request.user, note=note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Dual-use release approved."))
    return redirect(record.get_absolute_url())
