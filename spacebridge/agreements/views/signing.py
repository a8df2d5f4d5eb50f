"""Signing: the page where each party signs (digitally or on paper), its keys, the scans and the export bundle."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spacebridge.agreements import permissions as perms
from spacebridge.agreements import selectors, signatures
from spacebridge.agreements.bundles import bundle_write
from spacebridge.agreements.forms import DigitalSignatureForm, KeyForm, WetInkForm
from spacebridge.agreements.models import PartyKey
from spacebridge.agreements.views.common import attempt, load
from spacebridge.parties.models import Party


def _signable_parties(request: HttpRequest, agreement):  # type: ignore[no-untyped-def]
    return [ap for ap in agreement.parties.all() if perms.can_record_signature(request.user, ap.party)]


@login_required
def sign_page(request: HttpRequest, reference: str) -> HttpResponse:
    agreement = load(request, reference)
    mine = _signable_parties(request, agreement)
    digital = (
        DigitalSignatureForm(request.POST or None, prefix="digital")
        if request.POST.get("form") == "digital"
        else DigitalSignatureForm(prefix="digital")
    )
    wet = (
        WetInkForm(request.POST or None, request.FILES or None, prefix="wet")
        if request.POST.get("form") == "wet"
        else WetInkForm(prefix="wet")
    )
    status = 200
    if request.method == "POST":
        form = digital if request.POST.get("form") == "digital" else wet
        status = 400
        if form.is_valid():
            agreement_party = next((ap for ap in mine if ap.party.code == form.cleaned_data["party"]), None)
            if agreement_party is None:
                form.add_error(None, _("You may not sign for this party."))
                status = 403
            else:
                done, status = attempt(form, lambda: _sign(request, form, agreement, agreement_party))
                if done is not None:
                    messages.success(
                        request, _("Signature recorded for %(party)s.") % {"party": agreement_party.party.short_name}
                    )
                    return redirect(agreement)
    context = {
        "agreement": agreement,
        "mine": mine,
        "hash": selectors.agreement_hash(agreement) if agreement.texts.exists() else "",
        "digital": digital,
        "wet": wet,
        "signatures": selectors.signature_state(agreement),
        "keys": {ap.party.code: list(selectors.party_keys(party=ap.party)) for ap in mine},
    }
    return render(request, "agreements/sign.html", context, status=status)


def _sign(request: HttpRequest, form, agreement, agreement_party):  # type: ignore[no-untyped-def]
    data = form.cleaned_data
    if isinstance(form, DigitalSignatureForm):
        return signatures.signature_add_digital(
            agreement_party=agreement_party, by=request.user, signature=data["signature"], place=data["place"]
        )
    with transaction.atomic():
        scan = signatures.scan_add(agreement=agreement, by=request.user, content=data["scan"]) if data["scan"] else None
        return signatures.signature_record_wet_ink(
            agreement_party=agreement_party,
            by=request.user,
            signed_by=data["signed_by"],
            signed_at=data["signed_at"],
            place=data["place"],
            scan=scan,
        )


@login_required
def keys(request: HttpRequest) -> HttpResponse:
    parties = Party.objects.filter(
        pk__in=[p.pk for p in Party.objects.all() if perms.can_sign_for(request.user, p)]
    ).order_by("code")
    form = KeyForm(request.POST or None, parties=parties)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            key, status = attempt(
                form,
                lambda: signatures.party_key_register(
                    party=data["party"], by=request.user, public_key=data["public_key"], label=data["label"]
                ),
            )
            if key is not None:
                messages.success(request, _("Key %(fingerprint)s registered.") % {"fingerprint": key.fingerprint})
                return redirect("agreements:keys")
    context = {
        "form": form,
        "keys": PartyKey.objects.filter(party__in=parties).select_related("party"),
        "parties": parties,
    }
    return render(request, "agreements/keys.html", context, status=status)


@login_required
@require_POST
def key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    key = PartyKey.objects.filter(pk=pk).select_related("party").first()
    if key is None or not perms.can_sign_for(request.user, key.party):
        raise Http404
    try:
        signatures.party_key_revoke(key=key, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Key revoked."))
    return redirect("agreements:keys")


def scan_download(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    from spacebridge.records import files

    agreement = load(request, reference)
    scan = agreement.scans.filter(pk=pk).first()
    if scan is None:
        raise Http404
    return files.file_response(request, name=scan.name, sha256=scan.sha256, size=scan.size, media_type=scan.media_type)


def bundle_download(request: HttpRequest, reference: str) -> HttpResponse:
    agreement = load(request, reference)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{agreement.reference}.zip"
        bundle_write(agreement=agreement, path=path)
        response = HttpResponse(path.read_bytes(), content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(True, f"{agreement.reference}.zip")
    return response
