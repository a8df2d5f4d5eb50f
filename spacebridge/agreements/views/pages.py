"""The agreement itself: list, drafting, the agreement's page, its terms, parties, signatories and status."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spacebridge.agreements import permissions as perms
from spacebridge.agreements import selectors, services
from spacebridge.agreements.forms import (
    AgreementForm,
    PartyAddForm,
    RelatedForm,
    SignatoryForm,
    TermsForm,
    TransitionForm,
)
from spacebridge.agreements.models import Agreement, AgreementType, Status
from spacebridge.agreements.views.common import attempt, load
from spacebridge.parties.models import Party
from spacebridge.records.selectors import records_visible


def agreement_list(request: HttpRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "")[:40] for key in ("status", "type", "party", "q")}
    if filters["status"] not in Status.values:
        filters["status"] = ""
    if filters["type"] not in AgreementType.values:
        filters["type"] = ""
    agreements = selectors.agreement_list(
        user=request.user, status=filters["status"], type=filters["type"], party=filters["party"], query=filters["q"]
    )
    rows = [(a, selectors.implementation_status(a)) for a in agreements[:500]]
    context = {
        "rows": rows,
        "filters": filters,
        "statuses": Status.choices,
        "types": AgreementType.choices,
        "parties": Party.objects.order_by("code"),
        "can_draft": bool(selectors.officer_party_ids(request.user)) or perms.can_manage(request.user),
    }
    return render(request, "agreements/agreement_list.html", context)


@login_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    form = AgreementForm(request.POST or None, initial={"entry_into_force": "last_signature"})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            terms = {name: data[name] for name in services.TERM_FIELDS}
            amends = None
            if data["amends"]:
                amends = (
                    selectors.agreements_visible(user=request.user)
                    .filter(reference=data["amends"].strip().upper())
                    .first()
                )
                if amends is None:
                    form.add_error("amends", _("There is no agreement with this reference."))
                    return render(request, "agreements/agreement_form.html", {"form": form}, status=400)
            agreement, status = attempt(
                form,
                lambda: services.agreement_create(
                    by=request.user,
                    type=data["type"],
                    title=data["title"],
                    lead_party=data["lead_party"],
                    parties=list(data["parties"]),
                    amends=amends,
                    **terms,
                ),
            )
            if agreement is not None:
                messages.success(request, _("Agreement %(ref)s drafted.") % {"ref": agreement.reference})
                return redirect(agreement)
        else:
            status = 400
    return render(request, "agreements/agreement_form.html", {"form": form}, status=status)


def agreement_detail(request: HttpRequest, reference: str) -> HttpResponse:
    agreement = load(request, reference)
    can_negotiate = perms.can_negotiate(request.user, agreement)
    commitments = list(selectors.commitments_of(agreement))
    visible_records = set(
        records_visible(user=request.user)
        .filter(pk__in=[r.pk for c in commitments for r in c.records.all()])
        .values_list("pk", flat=True)
    )
    context = {
        "agreement": agreement,
        "can_negotiate": can_negotiate,
        "can_manage": perms.can_manage(request.user),
        "texts": selectors.text_states(agreement),
        "signatures": selectors.signature_state(agreement),
        "hash": selectors.agreement_hash(agreement) if agreement.texts.exists() else "",
        "commitments": [
            (
                c,
                selectors.commitment_status(c),
                [r for r in c.records.all() if r.pk in visible_records],
                _visible_links(c, request.user),
            )
            for c in commitments
        ],
        "implementation": selectors.implementation_status(agreement),
        "transitions": agreement.allowed_transitions(),
        "transition_form": TransitionForm(),
        "party_form": PartyAddForm(),
        "related_form": RelatedForm(),
        "amendments": selectors.agreements_visible(user=request.user, queryset=agreement.amendments.all()),
        "related": selectors.agreements_visible(user=request.user, queryset=agreement.related.all()),
    }
    return render(request, "agreements/agreement_detail.html", context)


def _visible_links(commitment, user) -> list:  # type: ignore[no-untyped-def]
    """A commitment's links the viewer may follow: addresses, and objects the access policy lets them see."""
    from spacebridge.access.policy import can_see

    links = []
    for link in commitment.links.all():
        target = link.target if link.content_type_id else None
        if link.url or (target is not None and can_see(user, target)):
            links.append((link, getattr(target, "get_absolute_url", lambda: "")() if target is not None else link.url))
    return links


@login_required
def agreement_terms(request: HttpRequest, reference: str) -> HttpResponse:
    agreement = load(request, reference)
    initial = {name: getattr(agreement, name) for name in services.TERM_FIELDS}
    form = TermsForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            changes = {k: v for k, v in form.cleaned_data.items() if v != initial[k]}
            done, status = attempt(
                form, lambda: services.agreement_update(agreement=agreement, by=request.user, **changes)
            )
            if done is not None:
                messages.success(request, _("Terms saved."))
                return redirect(agreement)
        else:
            status = 400
    return render(request, "agreements/terms_form.html", {"agreement": agreement, "form": form}, status=status)


@login_required
@require_POST
def agreement_transition(request: HttpRequest, reference: str) -> HttpResponse:
    agreement = load(request, reference)
    form = TransitionForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        superseded_by = None
        if data["superseded_by"]:
            superseded_by = Agreement.objects.filter(reference=data["superseded_by"].strip().upper()).first()
            if superseded_by is None:
                form.add_error("superseded_by", _("There is no agreement with this reference."))
        if not form.errors:
            done, status = attempt(
                form,
                lambda: services.agreement_transition(
                    agreement=agreement,
                    by=request.user,
                    to=data["status"],
                    on=data["on"],
                    reason=data["reason"],
                    superseded_by=superseded_by,
                ),
            )
            if done is not None:
                messages.success(request, _("Status: %(status)s.") % {"status": done.get_status_display()})
                return redirect(agreement)
    return render(request, "agreements/form_errors.html", {"agreement": agreement, "form": form}, status=status)


@login_required
@require_POST
def party_add(request: HttpRequest, reference: str) -> HttpResponse:
    agreement = load(request, reference)
    form = PartyAddForm(request.POST)
    status = 400
    if form.is_valid():
        done, status = attempt(
            form,
            lambda: services.agreement_party_add(
                agreement=agreement, by=request.user, party=form.cleaned_data["party"]
            ),
        )
        if done is not None:
            return redirect(agreement)
    return render(request, "agreements/form_errors.html", {"agreement": agreement, "form": form}, status=status)


@login_required
def signatory_add(request: HttpRequest, reference: str) -> HttpResponse:
    agreement = load(request, reference)
    form = SignatoryForm(request.POST or None, initial={"party": request.GET.get("party", "")[:40]})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            agreement_party = agreement.parties.filter(party__code=data["party"]).first()
            if agreement_party is None:
                form.add_error(None, _("Choose one of the agreement's parties."))
            else:
                done, status = attempt(
                    form,
                    lambda: services.signatory_add(
                        agreement_party=agreement_party,
                        by=request.user,
                        name=data["name"],
                        title=data["title"],
                        authority=data["authority"],
                    ),
                )
                if done is not None:
                    return redirect(agreement)
    return render(request, "agreements/signatory_form.html", {"agreement": agreement, "form": form}, status=status)


@login_required
@require_POST
def related_add(request: HttpRequest, reference: str) -> HttpResponse:
    agreement = load(request, reference)
    form = RelatedForm(request.POST)
    status = 400
    if form.is_valid():
        other = (
            selectors.agreements_visible(user=request.user)
            .filter(reference=form.cleaned_data["reference"].strip().upper())
            .first()
        )
        if other is None:
            form.add_error("reference", _("There is no agreement with this reference."))
        else:
            done, status = attempt(
                form, lambda: services.agreement_link(agreement=agreement, by=request.user, other=other) or True
            )
            if done is not None:
                messages.success(request, _("Agreements related."))
                return redirect(agreement)
    return render(request, "agreements/form_errors.html", {"agreement": agreement, "form": form}, status=status)
