"""Access requests: asked by reference, answered by the owner party, and every one of them on the transparency page.

A record a member may not see stays a 404 for them. They ask with the reference the owner party gave them, and the
answer page is the same whether or not such a record exists."""

from __future__ import annotations

from statistics import median
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from spacebridge.access.principals import principal_for
from spacebridge.core.forms import apply_validation_error
from spacebridge.parties.models import Party
from spacebridge.records import selectors, services
from spacebridge.records.forms import REFERENCE, AccessDecisionForm, AccessRequestForm
from spacebridge.records.models import AccessRequest, Record
from spacebridge.records.permissions import can_decide_release
from spacebridge.records.views.records import keyset_page


def _own_parties(user: Any) -> Any:
    return Party.objects.filter(pk__in=principal_for(user).own_party_ids).order_by("short_name")


@login_required
def access_request_create(request: HttpRequest) -> HttpResponse:
    parties = _own_parties(request.user)
    if not parties:
        raise PermissionDenied(_("Access is asked for on behalf of a party, and you belong to none."))
    initial = {"reference": request.GET.get("reference", "")[:20]}
    form = AccessRequestForm(request.POST or None, parties=parties, initial=initial)
    if request.method != "POST":
        return render(request, "records/access_request_form.html", {"form": form})
    if form.is_valid():
        reference = form.cleaned_data["reference"]
        if selectors.records_visible(user=request.user).filter(reference=reference).exists():
            messages.info(request, _("You can already see %(reference)s.") % {"reference": reference})
            return redirect("records:detail", reference=reference)
        try:
            services.access_request_submit(
                reference=reference,
                by=request.user,
                party=form.cleaned_data["party"],
                justification=form.cleaned_data["justification"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect(reverse("records:access_request_sent") + "?" + urlencode({"reference": reference}))
    return render(request, "records/access_request_form.html", {"form": form}, status=400)


@login_required
def access_request_sent(request: HttpRequest) -> HttpResponse:
    """The same page whether or not the record exists: asking reveals nothing."""
    reference = request.GET.get("reference", "").upper()[:20]
    return render(
        request, "records/access_request_sent.html", {"reference": reference if REFERENCE.match(reference) else ""}
    )


def _with_visibility(requests: list[AccessRequest], user: Any) -> list[AccessRequest]:
    """Mark each request with whether the viewer may see its record: only then are its reference and title shown."""
    ids = {r.record_id for r in requests}
    visible = set(
        selectors.records_visible(user=user, queryset=Record.objects.filter(pk__in=ids)).values_list("pk", flat=True)
    )
    for item in requests:
        item.record_visible = item.record_id in visible  # type: ignore[attr-defined]
    return requests


@login_required
def access_requests(request: HttpRequest) -> HttpResponse:
    """ "My access requests" and "requests to my party" (for the owner party's members)."""
    own = principal_for(request.user).own_party_ids
    made = _with_visibility(list(selectors.access_requests_made(party_ids=own)[:200]), request.user)
    received = list(selectors.access_requests_received(party_ids=own)[:200])
    for item in received:
        item.can_answer = item.status == AccessRequest.Status.PENDING and can_decide_release(  # type: ignore[attr-defined]
            request.user, item.record
        )
    return render(request, "records/access_requests.html", {"made": made, "received": received})


def _request_for_owner(request: HttpRequest, pk: int) -> AccessRequest:
    """A request for a record of one of the viewer's own parties; any other is a 404."""
    item = selectors.access_requests_received(party_ids=principal_for(request.user).own_party_ids).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


@login_required
def access_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One request to the viewer's party, with the decision form for its liaison officers."""
    item = _request_for_owner(request, pk)
    can_answer = item.status == AccessRequest.Status.PENDING and can_decide_release(request.user, item.record)
    form = AccessDecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_answer:
            raise PermissionDenied(_("Only the owner party's liaison officers answer pending access requests."))
        status = 400
        if form.is_valid():
            try:
                services.access_request_answer(
                    request=item,
                    by=request.user,
                    grant=form.cleaned_data["decision"] == "grant",
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                granted = form.cleaned_data["decision"] == "grant"
                messages.success(
                    request,
                    _("Access granted to %(party)s.") % {"party": item.requester_party.short_name}
                    if granted
                    else _("Request refused; %(party)s is told why.") % {"party": item.requester_party.short_name},
                )
                return redirect("records:access_requests")
    context = {"item": item, "form": form, "can_answer": can_answer}
    return render(request, "records/access_request_detail.html", context, status=status)


@login_required
def transparency(request: HttpRequest) -> HttpResponse:
    """Every access request and decision, with figures per owner party and per requesting party, for every member."""
    page = keyset_page(selectors.access_requests_all(user=request.user), request)
    own = principal_for(request.user).own_party_ids
    rows = _with_visibility(page.object_list, request.user)
    for item in rows:
        # The justification and the reason speak about the record: only those who may see it, or the two sides.
        item.show_texts = item.record_visible or item.requester_party_id in own  # type: ignore[attr-defined]
        item.time_to_decision = (item.decided_at - item.created_at) if item.decided_at else None  # type: ignore[attr-defined]
    owners = selectors.access_request_figures(side="owner", user=request.user)
    context = {
        "page": page,
        "rows": rows,
        "by_owner": owners,
        "by_requester": selectors.access_request_figures(side="requester", user=request.user),
        "totals": {
            **{key: sum(getattr(f, key) for f in owners) for key in ("received", "granted", "refused", "pending")},
            "median": median(durations) if (durations := [d for f in owners for d in f.durations]) else None,
        },
    }
    return render(request, "records/transparency.html", context)
