"""Writes of signing: the signed scan, wet-ink signatures, the parties' public keys and digital signatures. When the
last party has signed, the agreement is signed, and enters into force on the last signature or on its date."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from spacebridge.agreements import permissions as perms
from spacebridge.agreements import selectors
from spacebridge.agreements import signing as crypto
from spacebridge.agreements.models import (
    Agreement,
    AgreementParty,
    PartyKey,
    Signatory,
    Signature,
    SignedScan,
    Status,
)
from spacebridge.agreements.services import _transition_check, enter_into_force_if_due
from spacebridge.audit.services import audit_record
from spacebridge.parties.models import Party


@transaction.atomic
def scan_add(*, agreement: Agreement, by: Any, content: Any, name: str = "") -> SignedScan:
    """Attach the scan of a signed original, stored under its SHA-256 like the registry's files."""
    from spacebridge.records import files

    if not (perms.can_negotiate(by, agreement) or perms.can_manage(by)):
        raise PermissionDenied(_("Only the secretariat or the parties' officers attach signed scans."))
    name = files.safe_file_name(name or getattr(content, "name", "") or "scan.pdf")
    limit = files.upload_limit_bytes()
    if getattr(content, "size", 0) > limit:
        raise ValidationError({"file": _("The file is larger than %(limit)d MB.") % {"limit": limit // (1024 * 1024)}})
    sha256, size, head = files.content_digest(content)
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size > limit:
        raise ValidationError({"file": _("The file is larger than %(limit)d MB.") % {"limit": limit // (1024 * 1024)}})
    media_type = files.sniff_media_type(head, name)
    stored = files.store(content, sha256)
    scan = SignedScan.objects.create(
        agreement=agreement,
        file=stored,
        name=name,
        size=size,
        media_type=media_type,
        sha256=sha256,
        uploaded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit_record(
        actor=by, verb="agreement.scan_added", obj=agreement, changes={"name": name, "size": size, "sha256": sha256}
    )
    return scan


def _signable(agreement_party: AgreementParty, kind: str) -> Agreement:
    agreement = Agreement.objects.select_for_update().get(pk=agreement_party.agreement_id)
    if agreement.status != Status.NEGOTIATION:
        raise ValidationError(_("Only an agreement in negotiation can be signed."))
    states = selectors.text_states(agreement)
    if not states:
        raise ValidationError(_("The agreement has no text to sign."))
    if any(s.out_of_step for s in states):
        raise ValidationError(_("Some languages are out of step with the others: confirm or update them first."))
    if agreement_party.signatures.filter(kind=kind).exists():
        raise ValidationError(_("This party has already signed the agreement this way."))
    return agreement


def _after_signature(
    agreement: Agreement, agreement_party: AgreementParty, *, by: Any, on: datetime, place: str
) -> None:
    agreement_party.signed_on = agreement_party.signed_on or timezone.localdate(on)
    agreement_party.signed_place = agreement_party.signed_place or place
    agreement_party.save(update_fields=["signed_on", "signed_place"])
    if not agreement.parties.filter(signatures__isnull=True).exists():
        from spacebridge.agreements.services import _set_status

        _transition_check(agreement, Status.SIGNED, None)
        last = max(ap.signed_on for ap in agreement.parties.all())
        _set_status(agreement, by=by, target=Status.SIGNED, on=last)
        enter_into_force_if_due(agreement=agreement, by=by)


def _signatory_of(agreement_party: AgreementParty, signatory: Signatory | None) -> Signatory | None:
    if signatory is not None and signatory.agreement_party_id != agreement_party.pk:
        raise ValidationError({"signatory": _("The signatory must be one of this party's signatories.")})
    return signatory


@transaction.atomic
def signature_record_wet_ink(
    *,
    agreement_party: AgreementParty,
    by: Any,
    signed_at: datetime,
    place: str,
    signed_by: str = "",
    signatory: Signatory | None = None,
    scan: SignedScan | None = None,
) -> Signature:
    """Record that the party signed on paper: who, when, where, and the scan."""
    if not perms.can_record_signature(by, agreement_party.party):
        raise PermissionDenied(_("Only the secretariat or the party's officers record its signature."))
    agreement = _signable(agreement_party, Signature.Kind.WET_INK)
    signatory = _signatory_of(agreement_party, signatory)
    signed_by = (signed_by or (signatory.name if signatory else "")).strip()
    if not signed_by:
        raise ValidationError({"signed_by": _("Say who signed.")})
    if not place.strip():
        raise ValidationError({"place": _("Say where the agreement was signed.")})
    if signed_at > timezone.now():
        raise ValidationError({"signed_at": _("A signature cannot be in the future.")})
    if scan is not None and scan.agreement_id != agreement.pk:
        raise ValidationError({"scan": _("The scan must belong to this agreement.")})
    signature = Signature.objects.create(
        agreement_party=agreement_party,
        kind=Signature.Kind.WET_INK,
        signatory=signatory,
        signed_by=signed_by[:200],
        signed_at=signed_at,
        place=place.strip()[:200],
        scan=scan,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit_record(
        actor=by,
        verb="agreement.signed",
        obj=agreement,
        changes={
            "party": agreement_party.party.code,
            "kind": "wet_ink",
            "signed_by": signed_by,
            "place": place,
            "signed_at": signed_at.isoformat(),
            "scan_sha256": scan.sha256 if scan else None,
        },
    )
    _after_signature(agreement, agreement_party, by=by, on=signed_at, place=place.strip())
    return signature


@transaction.atomic
def party_key_register(*, party: Party, by: Any, public_key: str | bytes, label: str = "") -> PartyKey:
    """Register a party's Ed25519 public key (PEM, hexadecimal or base64). Only the public half is ever sent."""
    if not (perms.can_sign_for(by, party) or perms.can_manage(by)):
        raise PermissionDenied(_("Only the party's officers register its keys."))
    try:
        raw = crypto.parse_public_key(public_key)
    except crypto.UnreadableKey as exc:
        raise ValidationError({"public_key": _("This is not an Ed25519 public key: %(reason)s.") % {"reason": exc}})
    fingerprint = crypto.fingerprint(raw)
    if PartyKey.objects.filter(fingerprint=fingerprint).exists():
        raise ValidationError({"public_key": _("This key is already registered.")})
    key = PartyKey.objects.create(
        party=party,
        public_key=raw.hex(),
        fingerprint=fingerprint,
        label=label.strip()[:200],
        registered_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit_record(
        actor=by,
        verb="agreement.key_registered",
        obj=key,
        changes={"party": party.code, "fingerprint": fingerprint, "label": key.label},
    )
    return key


@transaction.atomic
def party_key_revoke(*, key: PartyKey, by: Any) -> PartyKey:
    if not (perms.can_sign_for(by, key.party) or perms.can_manage(by)):
        raise PermissionDenied(_("Only the party's officers revoke its keys."))
    if key.revoked_at is not None:
        raise ValidationError(_("This key is already revoked."))
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    audit_record(actor=by, verb="agreement.key_revoked", obj=key, changes={"fingerprint": key.fingerprint})
    return key


@transaction.atomic
def signature_add_digital(
    *,
    agreement_party: AgreementParty,
    by: Any,
    signature: str,
    signatory: Signatory | None = None,
    place: str = "",
) -> Signature:
    """Accept a party's detached Ed25519 signature of the canonical hash, if it verifies with one of the party's
    registered keys; otherwise refuse it and say why."""
    if not (perms.can_sign_for(by, agreement_party.party) or perms.can_manage(by)):
        raise PermissionDenied(_("Only the party's officers sign for it."))
    agreement = _signable(agreement_party, Signature.Kind.DIGITAL)
    signatory = _signatory_of(agreement_party, signatory)
    try:
        crypto.parse_signature(signature)
    except crypto.UnreadableKey:
        raise ValidationError({"signature": _("The signature must be 64 bytes in base64.")})
    digest = selectors.agreement_hash(agreement)
    keys = list(selectors.party_keys(party=agreement_party.party))
    if not keys:
        raise ValidationError({"signature": _("The party has no registered public key yet.")})
    key = next((k for k in keys if crypto.verify_digest(bytes.fromhex(k.public_key), digest, signature)), None)
    if key is None:
        raise ValidationError(
            {
                "signature": _("The signature does not verify with the party's keys against the texts' hash %(hash)s.")
                % {"hash": digest}
            }
        )
    now = timezone.now()
    created = Signature.objects.create(
        agreement_party=agreement_party,
        kind=Signature.Kind.DIGITAL,
        signatory=signatory,
        signed_by=signatory.name if signatory else "",
        signed_at=now,
        place=place.strip()[:200],
        key=key,
        digest=digest,
        value=signature.strip(),
        verified=True,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit_record(
        actor=by,
        verb="agreement.signed",
        obj=agreement,
        changes={
            "party": agreement_party.party.code,
            "kind": "digital",
            "hash": digest,
            "key": key.fingerprint,
            "signature": created.value,
        },
    )
    _after_signature(agreement, agreement_party, by=by, on=now, place=place.strip())
    return created
