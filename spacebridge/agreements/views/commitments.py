"""Commitments: marking a passage of an article, changing its status, linking evidence."""

from __future__ import annotations

import re

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spacebridge.access.registry import released_model
from spacebridge.agreements import commitments as service
from spacebridge.agreements import selectors
from spacebridge.agreements.forms import CommitmentForm, CommitmentLinkForm, CommitmentStateForm
from spacebridge.agreements.views.common import attempt, load
from spacebridge.core.multilingual import MultilingualText
from spacebridge.parties.models import Party
from spacebridge.records.selectors import records_visible


def _article_choices(agreement) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    choices: dict[str, str] = {}
    for version in selectors.current_versions(agreement):
        for article in version.articles.all():
            choices.setdefault(article.key, f"{article.label} {article.heading}".strip())
    return list(choices.items())


def _records(form: CommitmentForm, user) -> list | None:  # type: ignore[no-untyped-def]
    references = [r for r in re.split(r"[\s,;]+", form.cleaned_data.get("records") or "") if r][:50]
    found = list(records_visible(user=user).filter(reference__in=references))
    missing = sorted(set(references) - {r.reference for r in found})
    if missing:
        form.add_error("records", _("No record you can see has the reference %(refs)s.") % {"refs": ", ".join(missing)})
        return None
    return found


@login_required
def commitment_create(request: HttpRequest, reference: str) -> HttpResponse:
    agreement = load(request, reference)
    parties = Party.objects.filter(pk__in=agreement.parties.values("party_id")).order_by("code")
    article = request.GET.get("article", "")[:20]
    passage = request.GET.get("passage", "")[:5000]
    initial = {"article_key": article}
    if passage:
        initial["passage"] = MultilingualText({request.GET.get("language", "en")[:3]: passage})
    form = CommitmentForm(request.POST or None, articles=_article_choices(agreement), parties=parties, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            records = _records(form, request.user)
            if records is not None:
                data = form.cleaned_data
                done, status = attempt(
                    form,
                    lambda: service.commitment_create(
                        agreement=agreement,
                        by=request.user,
                        article_key=data["article_key"],
                        passage=data["passage"],
                        description=data["description"],
                        responsible_parties=list(data["responsible_parties"]),
                        due_on=data["due_on"],
                        recurrence=data["recurrence"] or "",
                        groups=list(data["groups"]),
                        records=records,
                    ),
                )
                if done is not None:
                    messages.success(request, _("Commitment marked."))
                    return redirect(f"{agreement.get_absolute_url()}#commitments")
    return render(request, "agreements/commitment_form.html", {"agreement": agreement, "form": form}, status=status)


@login_required
@require_POST
def commitment_state(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    agreement = load(request, reference)
    commitment = agreement.commitments.filter(pk=pk).first()
    if commitment is None:
        raise Http404
    form = CommitmentStateForm(request.POST)
    if form.is_valid():
        done, _status = attempt(
            form,
            lambda: service.commitment_set_state(
                commitment=commitment, by=request.user, state=form.cleaned_data["state"]
            ),
        )
        if done is not None:
            messages.success(request, _("Commitment status: %(state)s.") % {"state": done.get_state_display()})
            return redirect(f"{agreement.get_absolute_url()}#commitments")
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(f"{agreement.get_absolute_url()}#commitments")


@login_required
@require_POST
def commitment_link(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    agreement = load(request, reference)
    commitment = agreement.commitments.filter(pk=pk).first()
    if commitment is None:
        raise Http404
    form = CommitmentLinkForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        target = None
        if data["kind"]:
            model = released_model(data["kind"]) or _model(data["kind"])
            target = (
                model._default_manager.filter(pk=data["object_id"]).first() if model and data["object_id"] else None
            )
            if target is None:
                form.add_error("object_id", _("There is no such object, or you may not see it."))
        if not form.errors:
            done, _status = attempt(
                form,
                lambda: service.commitment_link_add(
                    commitment=commitment, by=request.user, label=data["label"], target=target, url=data["url"]
                ),
            )
            if done is not None:
                messages.success(request, _("Link added."))
                return redirect(f"{agreement.get_absolute_url()}#commitments")
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(f"{agreement.get_absolute_url()}#commitments")


def _model(label: str):  # type: ignore[no-untyped-def]
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None
