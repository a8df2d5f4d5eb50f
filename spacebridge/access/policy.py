"""The access policy: one queryset filter, one object check, one explanation. Every read goes through here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from spacebridge.access.models import Level, Marking, ReleaseGrant, ReleasePolicy
from spacebridge.access.principals import Principal, principal_for
from spacebridge.access.registry import released

M = TypeVar("M", bound=models.Model)


def _held_back(now) -> Q:  # type: ignore[no-untyped-def]
    """Policies that release nothing beyond the owner party now: embargoed, or controlled."""
    return Q(embargo_until__gt=now) | Q(marking=Marking.CONTROLLED)


def _policy_q(principal: Principal) -> Q:
    """The policies under which ``principal`` may see the object."""
    owner = Q(owner_party_id__in=principal.own_party_ids)
    by_level = Q(level=Level.PUBLIC)
    opened = Q(pk__in=[])
    if principal.authenticated:
        by_level |= Q(level=Level.PLATFORM) | Q(level=Level.GROUP, group_id__in=principal.group_ids)
        # A dual-use object's grant counts only once the export officer approved it.
        granted = (
            ReleaseGrant.objects.filter(policy=OuterRef("pk"))
            .filter(Q(party_id__in=principal.party_ids) | Q(country__in=principal.countries))
            .filter(Q(export_approved_at__isnull=False) | ~Q(policy__marking=Marking.DUAL_USE))
        )
        opened = Exists(granted)
    level_approved = ~Q(marking=Marking.DUAL_USE) | Q(export_approved_at__isnull=False)
    return owner | (((by_level & level_approved) | opened) & ~_held_back(timezone.now()))


def _default_visible(model: type[models.Model], principal: Principal) -> bool:
    level = released(model).default_level
    return level == Level.PUBLIC or (level == Level.PLATFORM and principal.authenticated)


def visible(queryset: models.QuerySet[M], user: Any) -> models.QuerySet[M]:
    """The objects of ``queryset`` that ``user`` may see. The one filter: lists, search, feeds, exports, API."""
    principal = principal_for(user)
    model = queryset.model
    # Correlated EXISTS: the database checks each candidate row's policy and can stop at a page's worth.
    policies = ReleasePolicy.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=OuterRef("pk")
    )
    allowed = Exists(policies.filter(_policy_q(principal)))
    if _default_visible(model, principal):
        allowed |= ~Exists(policies)
    return queryset.filter(allowed)


PREFETCHED_POLICY = "_sb_release_policy"  # set on an object by ``prefetch_policies``


def _policies(model: type[models.Model], pks: list[Any]) -> models.QuerySet[ReleasePolicy]:
    return (
        ReleasePolicy.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id__in=pks)
        .select_related("owner_party", "group", "decided_by", "export_approved_by")
        .prefetch_related(Prefetch("grants", queryset=ReleaseGrant.objects.select_related("party")))
    )


def policies_by_object(model: type[models.Model], pks: list[Any]) -> dict[int, ReleasePolicy]:
    """The release policies (with their grants) of the objects ``pks`` of ``model``, by object id: two queries."""
    return {int(policy.object_id): policy for policy in _policies(model, pks)}


def policy_of(obj: models.Model) -> ReleasePolicy | None:
    if PREFETCHED_POLICY in obj.__dict__:
        return obj.__dict__[PREFETCHED_POLICY]
    return _policies(type(obj), [obj.pk]).first()


def prefetch_policies(objs: list[M]) -> list[M]:
    """Read the release policies of ``objs`` (with their grants) in two queries and keep each on its object, so
    that ``policy_of``, ``audience_of`` and ``explain`` on a page or a list ask the database no more. For reads only:
    an object whose policy is about to change must not be prefetched."""
    by_model: dict[type[models.Model], list[M]] = {}
    for obj in objs:
        by_model.setdefault(type(obj), []).append(obj)
    for model, group in by_model.items():
        found = {int(p.object_id): p for p in _policies(model, [o.pk for o in group])}
        for obj in group:
            obj.__dict__[PREFETCHED_POLICY] = found.get(obj.pk)
    return objs


def _is_held_back(policy: ReleasePolicy) -> bool:
    """Nothing beyond the owner party: embargoed or controlled."""
    return bool(
        (policy.embargo_until and policy.embargo_until > timezone.now()) or policy.marking == Marking.CONTROLLED
    )


def awaiting_export_approval(policy: ReleasePolicy) -> bool:
    """A dual-use object whose level or some grant the export officer has not approved yet."""
    if policy.marking != Marking.DUAL_USE:
        return False
    level_pending = policy.level not in {Level.OWNER, Level.PARTIES} and policy.export_approved_at is None
    return level_pending or any(grant.export_approved_at is None for grant in policy.grants.all())


def _grant_matches(grant: ReleaseGrant, principal: Principal) -> bool:
    return grant.party_id in principal.party_ids or bool(grant.country and grant.country.code in principal.countries)


def _policy_allows(policy: ReleasePolicy, principal: Principal) -> bool:
    """The object check, in Python; it must agree with ``_policy_q`` (tested for every case)."""
    if policy.owner_party_id in principal.own_party_ids:
        return True
    if _is_held_back(policy):
        return False
    level_approved = policy.marking != Marking.DUAL_USE or policy.export_approved_at is not None
    if policy.level == Level.PUBLIC and level_approved:
        return True
    if not principal.authenticated:
        return False
    if level_approved and (
        policy.level == Level.PLATFORM or (policy.level == Level.GROUP and policy.group_id in principal.group_ids)
    ):
        return True
    return any(
        _grant_matches(grant, principal)
        and (policy.marking != Marking.DUAL_USE or grant.export_approved_at is not None)
        for grant in policy.grants.all()
    )


def default_owner_of(obj: models.Model) -> Any:
    """The party that owns ``obj`` before any release decision (the registry's ``default_owner``), or None."""
    default_owner = released(type(obj)).default_owner
    return default_owner(obj) if default_owner is not None else None


def _owns_undecided(obj: models.Model, principal: Principal) -> bool:
    """An object without a policy is its default owner's: that party's members see it, as the registry's lists do."""
    if not principal.own_party_ids:
        return False
    owner = default_owner_of(obj)
    return owner is not None and owner.pk in principal.own_party_ids


def can_see(user: Any, obj: models.Model) -> bool:
    """The one object check."""
    principal = principal_for(user)
    policy = policy_of(obj)
    if policy is None:
        return _default_visible(type(obj), principal) or _owns_undecided(obj, principal)
    return _policy_allows(policy, principal)


def get_visible_or_404(queryset: models.QuerySet[M], user: Any, **lookup: Any) -> M:
    """Fetch and authorise in one call: an object the user may not see is indistinguishable from a missing one."""
    try:
        return visible(queryset, user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class Audience:
    """The effective audience of an object, for the "who can see this and why" panel and the API."""

    policy: ReleasePolicy | None
    level: str
    default: bool
    held_back: bool
    viewer_can_see: bool
    viewer_is_owner: bool


def audience_of(obj: models.Model, user: Any) -> Audience:
    principal = principal_for(user)
    policy = policy_of(obj)
    if policy is None:
        owner = _owns_undecided(obj, principal)
        return Audience(
            None,
            released(type(obj)).default_level,
            True,
            False,
            owner or _default_visible(type(obj), principal),
            owner,
        )
    return Audience(
        policy,
        policy.level,
        False,
        _is_held_back(policy),
        _policy_allows(policy, principal),
        policy.owner_party_id in principal.own_party_ids,
    )
