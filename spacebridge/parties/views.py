"""Pages of the parties app: parties, delegations and people. Load → check access → act → render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_countries import countries

from spacebridge.access.policy import can_see, get_visible_or_404, visible
from spacebridge.core.forms import apply_validation_error
from spacebridge.core.metadata import json_ld, organization_ld
from spacebridge.core.multilingual import MultilingualText
from spacebridge.core.rendering import render_page_or_partial
from spacebridge.parties import selectors, services
from spacebridge.parties.forms import (
    AffiliationForm,
    InviteForm,
    PartyForm,
    PersonCreateForm,
    PersonForm,
    RoleAssignForm,
)
from spacebridge.parties.models import Party, Person, RoleAssignment
from spacebridge.parties.permissions import Perm, can_edit_party, can_edit_person, has_perm, perms_of

PAGE_SIZE = 25


def _page(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def party_list(request: HttpRequest) -> HttpResponse:
    country = request.GET.get("country", "")[:2]
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    filters = {
        "query": request.GET.get("q", "")[:200],
        "country": country if country.upper() in countries else "",
        "kind": kind if kind in Party.Kind.values else "",
        "status": status if status in Party.Status.values else "",
    }
    parties = visible(selectors.party_list(**filters), request.user)
    context = {
        "page": _page(request, parties),
        "filters": filters,
        "countries": [(code, countries.name(code)) for code in selectors.party_countries()],
        "kinds": Party.Kind.choices,
        "statuses": Party.Status.choices,
        "can_create": has_perm(request.user, Perm.PARTY_CREATE),
    }
    return render_page_or_partial(request, "parties/party_list.html", "parties/_party_rows.html", context)


def party_detail(request: HttpRequest, code: str) -> HttpResponse:
    party = get_visible_or_404(Party.objects.select_related("parent"), request.user, code=code)
    context = {
        "party": party,
        "children": visible(party.children.all(), request.user),
        "people": visible(selectors.person_list(party=party, current_only=True), request.user),
        "can_edit": can_edit_party(request.user, party),
        "structured_data": _organization_ld(party),
    }
    return render(request, "parties/party_detail.html", context)


def _organization_ld(party: Party) -> str:
    """schema.org Organization JSON-LD for a party anyone may see; nothing for a party known to members only."""
    if not can_see(AnonymousUser(), party):
        return ""
    return json_ld({"@context": "https://schema.org", **organization_ld(party, get_language())})


def _party_form_page(request: HttpRequest, form: PartyForm, party: Party | None, status: int = 200) -> HttpResponse:
    return render(request, "parties/party_form.html", {"form": form, "party": party}, status=status)


@login_required
def party_create(request: HttpRequest) -> HttpResponse:
    if not has_perm(request.user, Perm.PARTY_CREATE):
        raise PermissionDenied(_("Only the secretariat registers parties."))
    form = PartyForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                party = services.party_create(
                    by=request.user, **{f: form.cleaned_data[f] for f in services.PARTY_FIELDS}
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Party %(name)s registered.") % {"name": party.short_name})
                return redirect("parties:detail", code=party.code)
        return _party_form_page(request, form, None, status=400)
    return _party_form_page(request, form, None)


@login_required
def party_edit(request: HttpRequest, code: str) -> HttpResponse:
    party = get_visible_or_404(Party.objects.all(), request.user, code=code)
    if not can_edit_party(request.user, party):
        raise PermissionDenied(_("You may not edit this party."))
    form = PartyForm(request.POST or None, instance=Party.objects.get(pk=party.pk))
    if request.method == "POST":
        if form.is_valid():
            try:
                party = services.party_update(
                    party=party, by=request.user, **{f: form.cleaned_data[f] for f in services.PARTY_FIELDS}
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("parties:detail", code=party.code)
        return _party_form_page(request, form, party, status=400)
    return _party_form_page(request, form, party)


def delegation_detail(request: HttpRequest, country: str) -> HttpResponse:
    code = country.upper()
    if code not in countries:
        raise Http404
    parties = visible(selectors.delegation_parties(country=code), request.user)
    if not parties.exists():
        raise Http404
    return render(
        request,
        "parties/delegation_detail.html",
        {"country": code, "country_name": countries.name(code), "parties": parties},
    )


def person_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    people = visible(selectors.person_list(query=query), request.user)
    context = {
        "page": _page(request, people),
        "query": query,
        "can_create": Perm.PERSON_CREATE.value in perms_of(request.user),
    }
    return render_page_or_partial(request, "parties/person_list.html", "parties/_person_rows.html", context)


def _person_context(request: HttpRequest, person: Person, **forms: Any) -> dict[str, Any]:
    can_assign = has_perm(request.user, Perm.ROLE_ASSIGN)
    return {
        "person": person,
        "affiliations": person.affiliations.select_related("party").order_by("-start"),
        "can_edit": can_edit_person(request.user, person),
        "can_assign": can_assign,
        "assignments": person.user.role_assignments.select_related("role", "party") if person.user else [],
        "affiliation_form": forms.get("affiliation_form") or AffiliationForm(),
        "invite_form": forms.get("invite_form") or InviteForm(),
        "role_form": forms.get("role_form") or RoleAssignForm(),
    }


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_or_404(selectors.person_list(), request.user, pk=pk)
    return render(request, "parties/person_detail.html", _person_context(request, person))


@login_required
@require_POST
def person_invite(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_or_404(Person.objects.all(), request.user, pk=pk)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            services.person_invite(person=person, username=form.cleaned_data["username"], by=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": person.email})
            return redirect("parties:person_detail", pk=pk)
    return render(request, "parties/person_detail.html", _person_context(request, person, invite_form=form), status=400)


@login_required
@require_POST
def role_assign(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_or_404(Person.objects.select_related("user"), request.user, pk=pk)
    form = RoleAssignForm(request.POST)
    if person.user is None:
        form.add_error(None, _("Invite this person to sign in before giving them a role."))
    elif form.is_valid():
        try:
            services.role_assign(user=person.user, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Role assigned."))
            return redirect("parties:person_detail", pk=pk)
    return render(request, "parties/person_detail.html", _person_context(request, person, role_form=form), status=400)


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    person = get_visible_or_404(Person.objects.select_related("user"), request.user, pk=pk)
    if person.user is None:
        raise Http404
    assignment = get_object_or_404(RoleAssignment, pk=assignment_pk, user=person.user)
    services.role_revoke(assignment=assignment, by=request.user)
    messages.success(request, _("Role revoked."))
    return redirect("parties:person_detail", pk=pk)


def _person_values(form: PersonForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "names": data["names"],
        "transliteration": data["transliteration"],
        "email": data.get("email", ""),
        "time_zone": data["time_zone"],
        "languages": data.get("languages", []),
    }


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    form = PersonCreateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            affiliation = {
                "party": form.cleaned_data["party"],
                "start": form.cleaned_data.get("since"),
                "role": MultilingualText({request.LANGUAGE_CODE[:2]: form.cleaned_data["position"]})
                if form.cleaned_data.get("position")
                else None,
            }
            try:
                person = services.person_create(by=request.user, affiliations=[affiliation], **_person_values(form))
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("%(name)s registered.") % {"name": person.display_name()})
                return redirect("parties:person_detail", pk=person.pk)
    return render(request, "parties/person_form.html", {"form": form, "person": None}, status=status)


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_or_404(Person.objects.all(), request.user, pk=pk)
    if not can_edit_person(request.user, person):
        raise PermissionDenied(_("You may not edit this person."))
    form = PersonForm(request.POST or None, initial=PersonForm.initial_for(person))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.person_update(person=person, by=request.user, **_person_values(form))
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("parties:person_detail", pk=person.pk)
    return render(request, "parties/person_form.html", {"form": form, "person": person}, status=status)


@login_required
def affiliation_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_or_404(Person.objects.all(), request.user, pk=pk)
    if request.method != "POST":
        return redirect("parties:person_detail", pk=pk)
    form = AffiliationForm(request.POST)
    if form.is_valid():
        try:
            services.affiliation_add(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Affiliation added."))
            return redirect("parties:person_detail", pk=pk)
    return render(
        request, "parties/person_detail.html", _person_context(request, person, affiliation_form=form), status=400
    )
