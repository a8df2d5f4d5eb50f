"""Writes of the access app: release decisions and API tokens. Each is one transaction with one audit entry."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from spacebridge.access.models import ApiToken, Level, Marking, ReleaseGrant, ReleasePolicy
from spacebridge.access.registry import released
from spacebridge.audit.services import audit_record
from spacebridge.groups.models import WorkingGroup
from spacebridge.parties.models import Party
from spacebridge.parties.permissions import Perm, has_perm

TOKEN_PREFIX = "sb_"


def _snapshot(policy: ReleasePolicy) -> dict[str, Any]:
    return {
        "level": policy.level,
        "owner_party": policy.owner_party.code if policy.owner_party else None,
        "parties": sorted(g.party.code for g in policy.grants.all() if g.party),
        "delegations": sorted(g.country.code for g in policy.grants.all() if g.country),
        "group": policy.group.acronym if policy.group else None,
        "marking": policy.marking,
        "legal_basis": policy.legal_basis,
        "embargo_until": policy.embargo_until.isoformat() if policy.embargo_until else None,
        "export_approved": policy.export_approved_at is not None,
    }


def _validate_release(
    *,
    level: str,
    owner_party: Party | None,
    marking: str,
    legal_basis: str,
    parties: list[Party],
    countries: list[str],
    group: WorkingGroup | None,
) -> None:
    if level not in Level.values:
        raise ValidationError({"level": _("Choose a valid release level.")})
    if marking not in Marking.values:
        raise ValidationError({"marking": _("Choose a valid export-control marking.")})
    if marking == Marking.CONTROLLED and level != Level.OWNER:
        raise ValidationError(
            {"level": _("A controlled object is never released beyond its owner party; keep the release at “owner”.")}
        )
    if marking != Marking.NONE and not legal_basis.strip():
        raise ValidationError({"legal_basis": _("Give the legal basis of the export-control marking.")})
    if level == Level.PARTIES and not (parties or countries):
        raise ValidationError({"level": _("Name at least one party or delegation to release to.")})
    if level == Level.GROUP and group is None:
        raise ValidationError({"group": _("Choose the working group to release to.")})
    if level == Level.OWNER and owner_party is None:
        raise ValidationError({"owner_party": _("An object released to its owner only needs an owner party.")})


@transaction.atomic
def release_set(
    *,
    obj: models.Model,
    by: Any,
    level: str,
    owner_party: Party | None = None,
    parties: Iterable[Party] = (),
    countries: Iterable[str] = (),
    group: WorkingGroup | None = None,
    marking: str = Marking.NONE,
    legal_basis: str = "",
    embargo_until: datetime | None = None,
    reason: str = "",
    check_permission: bool = True,
) -> ReleasePolicy:
    """Decide who may see ``obj``. Only the owner party's liaison officers decide (a platform administrator for an
    object without an owner party); a changed audience of a dual-use object needs the export officer's approval
    again."""
    content_type = ContentType.objects.get_for_model(type(obj))
    policy = ReleasePolicy.objects.filter(content_type=content_type, object_id=obj.pk).first()
    before = _snapshot(policy) if policy else {}
    # The owner is settled once: an existing decision's owner, else the owner the object has by its nature (a
    # party owns its own entry), else the caller's; nobody can claim someone else's object by deciding first.
    entry = released(type(obj))
    owner = policy.owner_party if policy and policy.owner_party else None
    if owner is None and entry.default_owner is not None:
        owner = entry.default_owner(obj)
    owner = owner or owner_party
    if check_permission and not has_perm(by, Perm.RELEASE_DECIDE, owner):
        raise PermissionDenied(_("Only the owner party's liaison officers decide this object's release."))
    parties, countries = list(parties), sorted({c.upper() for c in countries})
    _validate_release(
        level=level,
        owner_party=owner,
        marking=marking,
        legal_basis=legal_basis,
        parties=parties,
        countries=countries,
        group=group,
    )
    if policy is None:
        policy = ReleasePolicy(content_type=content_type, object_id=obj.pk)
    level_changed = (before.get("level"), before.get("group")) != (level, group.acronym if group else None)
    policy.owner_party = owner
    policy.level, policy.group, policy.marking = level, group if level == Level.GROUP else None, marking
    policy.legal_basis, policy.embargo_until, policy.reason = legal_basis.strip(), embargo_until, reason.strip()
    policy.decided_by = by if getattr(by, "is_authenticated", False) else None
    policy.decided_at = timezone.now()
    if level_changed or before.get("marking") != marking:
        # A dual-use approval covers the audience it was given for, never a new one.
        policy.export_approved_at, policy.export_approved_by = None, None
    policy.save()
    _replace_grants(policy, parties=parties, countries=countries, marking_changed=before.get("marking") != marking)
    after = _snapshot(policy)
    audit_record(
        actor=by,
        verb="access.released",
        obj=obj,
        changes={k: [before.get(k), v] for k, v in after.items() if before.get(k) != v} | {"reason": reason},
    )
    return policy


def _replace_grants(
    policy: ReleasePolicy, *, parties: list[Party], countries: list[str], marking_changed: bool
) -> None:
    """Make the grants exactly these parties and delegations; a grant that stays keeps its history and approval."""
    existing = {(g.party_id, g.country.code if g.country else ""): g for g in policy.grants.all()}
    wanted = {(p.pk, ""): p for p in parties} | {(None, c): c for c in countries}
    policy.grants.filter(pk__in=[g.pk for key, g in existing.items() if key not in wanted]).delete()
    now = timezone.now()
    ReleaseGrant.objects.bulk_create(
        [
            ReleaseGrant(
                policy=policy,
                party=value if isinstance(value, Party) else None,
                country="" if isinstance(value, Party) else value,
                granted_at=now,
            )
            for key, value in wanted.items()
            if key not in existing
        ]
    )
    if marking_changed:
        policy.grants.update(export_approved_at=None, export_approved_by=None)


@transaction.atomic
def release_grant_add(*, obj: models.Model, by: Any, party: Party, reason: str) -> ReleaseGrant:
    """Let one more party see ``obj`` beside its release (a granted access request). Controlled objects refuse;
    on a dual-use object the grant waits for the export officer's approval."""
    content_type = ContentType.objects.get_for_model(type(obj))
    policy = ReleasePolicy.objects.select_for_update().filter(content_type=content_type, object_id=obj.pk).first()
    if policy is None:
        raise ValidationError(_("Decide the object's release before granting access to it."))
    if not has_perm(by, Perm.RELEASE_DECIDE, policy.owner_party):
        raise PermissionDenied(_("Only the owner party's liaison officers decide this object's release."))
    if policy.marking == Marking.CONTROLLED:
        raise ValidationError(_("A controlled object is never released beyond its owner party."))
    grant, _created = ReleaseGrant.objects.get_or_create(
        policy=policy, party=party, defaults={"granted_at": timezone.now(), "reason": reason[:500]}
    )
    audit_record(actor=by, verb="access.granted", obj=obj, changes={"party": party.code, "reason": reason[:500]})
    return grant


@transaction.atomic
def release_approve_export(*, obj: models.Model, by: Any, note: str = "") -> ReleasePolicy:
    """The owner party's export officer approves the release of a dual-use object to its current audience: its
    level and every grant still waiting."""
    content_type = ContentType.objects.get_for_model(type(obj))
    policy = ReleasePolicy.objects.select_for_update().filter(content_type=content_type, object_id=obj.pk).first()
    if policy is None or policy.marking != Marking.DUAL_USE:
        raise ValidationError(_("Only a dual-use object's release needs export approval."))
    if not has_perm(by, Perm.RELEASE_APPROVE_EXPORT, policy.owner_party):
        raise PermissionDenied(_("Only the owner party's export officer approves a dual-use release."))
    now = timezone.now()
    policy.export_approved_by, policy.export_approved_at = by, now
    policy.save(update_fields=["export_approved_by", "export_approved_at"])
    pending = policy.grants.filter(export_approved_at__isnull=True)
    approved = sorted(str(g) for g in pending)
    pending.update(export_approved_at=now, export_approved_by=by)
    audit_record(
        actor=by,
        verb="access.export_approved",
        obj=obj,
        changes={"level": policy.level, "grants": approved, "note": note},
    )
    return policy


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def token_create(*, user: Any, name: str, expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """A new personal token. The returned secret is shown once and never stored."""
    name = name.strip()
    if not name or len(name) > 100 or "\x00" in name:
        raise ValidationError({"name": _("Give the token a name of at most 100 characters.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        key_hash=_token_hash(secret),
        expires_at=expires_at,
    )
    audit_record(actor=user, verb="access.token_created", obj=token, changes={"name": name})
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken, by: Any) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=by, verb="access.token_revoked", obj=token, changes={"name": token.name})
    return token


def token_authenticate(secret: str) -> Any | None:
    """The user a token belongs to, or None for an unknown, revoked or expired token."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_token_hash(secret)).first()
    if token is None or not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # usage stamp, not a change: no audit entry
    return token.user
