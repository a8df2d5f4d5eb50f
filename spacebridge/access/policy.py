"""The access policy: one queryset filter, one object check, one explanation. Every read goes through here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from spacebridge.access.models import Level, Marking, ReleaseGrant, ReleasePolicy
from spacebridge.access.principals import Principal, principal_for
from spacebridge.access.registry import released

M = TypeVar("M", bound=models.Model)


def _held_back(now) -> Q:  # type: ignore[no-untyped-def]
    """Policies whose release beyond the owner party is not (yet) in effect."""
    return (
        Q(embargo_until__gt=now)
        | Q(marking=Marking.CONTROLLED)
        | Q(marking=Marking.DUAL_USE, export_approved_at__isnull=True)
    )


def _policy_q(principal: Principal) -> Q:
    """The policies under which ``principal`` may see the object."""
    owner = Q(owner_party_id__in=principal.own_party_ids)
    opened = Q(level=Level.PUBLIC)
    if principal.authenticated:
        granted = ReleaseGrant.objects.filter(policy=OuterRef("pk")).filter(
            Q(party_id__in=principal.party_ids) | Q(country__in=principal.countries)
        )
        opened |= Q(level=Level.PLATFORM)
        opened |= Q(level=Level.PARTIES) & Exists(granted)
        opened |= Q(level=Level.GROUP, group_id__in=principal.group_ids)
    return owner | (opened & ~_held_back(timezone.now()))


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


def policy_of(obj: models.Model) -> ReleasePolicy | None:
    return (
        ReleasePolicy.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)
        .select_related("owner_party", "group", "decided_by", "export_approved_by")
        .prefetch_related("grants__party")
        .first()
    )


def _is_held_back(policy: ReleasePolicy) -> bool:
    return bool(
        (policy.embargo_until and policy.embargo_until > timezone.now())
        or policy.marking == Marking.CONTROLLED
        or (policy.marking == Marking.DUAL_USE and policy.export_approved_at is None)
    )


def _policy_allows(policy: ReleasePolicy, principal: Principal) -> bool:
    if policy.owner_party_id in principal.own_party_ids:
        return True
    if _is_held_back(policy):
        return False
    if policy.level == Level.PUBLIC:
        return True
    if not principal.authenticated:
        return False
    if policy.level == Level.PLATFORM:
        return True
    if policy.level == Level.GROUP:
        return policy.group_id in principal.group_ids
    if policy.level == Level.PARTIES:
        return any(
            grant.party_id in principal.party_ids or (grant.country and grant.country.code in principal.countries)
            for grant in policy.grants.all()
        )
    return False


def can_see(user: Any, obj: models.Model) -> bool:
    """The one object check."""
    principal = principal_for(user)
    policy = policy_of(obj)
    if policy is None:
        return _default_visible(type(obj), principal)
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
        return Audience(
            None, released(type(obj)).default_level, True, False, _default_visible(type(obj), principal), False
        )
    return Audience(
        policy,
        policy.level,
        False,
        _is_held_back(policy),
        _policy_allows(policy, principal),
        policy.owner_party_id in principal.own_party_ids,
    )
