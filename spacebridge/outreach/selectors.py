"""Reads of public outreach; every one goes through the access policy. A news item is seen by the public only from
its publication time; before that only those who write it and the liaison officers who approve it see it."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from spacebridge.access.policy import visible
from spacebridge.access.principals import principal_for
from spacebridge.outreach.models import AnnouncementApproval, NewsItem
from spacebridge.outreach.permissions import NewsPerm, can_edit_news
from spacebridge.parties.models import RoleAssignment
from spacebridge.parties.permissions import has_perm

FEED_SIZE = 50


def _prefetched(items: QuerySet[NewsItem]) -> QuerySet[NewsItem]:
    return items.select_related("issuing_party").prefetch_related(
        Prefetch("approvals", queryset=AnnouncementApproval.objects.select_related("party", "approved_by"))
    )


def news_live(*, user: Any, language: str = "") -> QuerySet[NewsItem]:
    """Published news ``user`` may see, newest first; with ``language``, only items written in it."""
    items = visible(NewsItem.objects.filter(status=NewsItem.Status.SCHEDULED, publish_at__lte=timezone.now()), user)
    if language:
        items = items.filter(title__text__has_key=language)
    return _prefetched(items).order_by("-publish_at", "-pk")


def approvable_party_ids(user: Any) -> set[int]:
    """The parties ``user`` approves joint announcements for (as their liaison officer), sub-parties included."""
    if not getattr(user, "is_authenticated", False):
        return set()
    held = {
        party_id
        for party_id, permissions in RoleAssignment.objects.filter(user=user, party__isnull=False).values_list(
            "party_id", "role__permissions"
        )
        if NewsPerm.ANNOUNCEMENT_APPROVE.value in (permissions or [])
    }
    from spacebridge.parties.models import Party

    found, frontier = set(held), set(held)
    while frontier:
        frontier = set(Party.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
        found |= frontier
    return found


def news_in_preparation(*, user: Any) -> QuerySet[NewsItem]:
    """Drafts, announcements awaiting approval and scheduled items ``user`` writes or approves."""
    if not getattr(user, "is_authenticated", False):
        return NewsItem.objects.none()
    items = NewsItem.objects.exclude(status=NewsItem.Status.WITHDRAWN).exclude(
        status=NewsItem.Status.SCHEDULED, publish_at__lte=timezone.now()
    )
    if not has_perm(user, NewsPerm.NEWS_EDIT):  # type: ignore[arg-type]
        principal = principal_for(user)
        parties = approvable_party_ids(user) | set(principal.own_party_ids)
        items = items.filter(Q(issuing_party_id__in=parties) | Q(approvals__party_id__in=parties)).distinct()
    return _prefetched(items).order_by("-pk")


def awaiting_approval(*, user: Any) -> list[tuple[NewsItem, list[AnnouncementApproval]]]:
    """Joint announcements waiting for ``user``'s approval, with the parties they approve for."""
    parties = approvable_party_ids(user)
    if not parties:
        return []
    items = _prefetched(
        NewsItem.objects.filter(status=NewsItem.Status.AWAITING_APPROVAL, joint=True,
                                approvals__party_id__in=parties, approvals__approved_at__isnull=True).distinct()
    )
    return [(item, [a for a in item.approvals.all() if a.party_id in parties and a.approved_at is None]) for item in items]


def news_get_for_user(*, user: Any, slug: str) -> NewsItem:
    """A published item, or one in preparation its writer or approver may see; anything else is a 404."""
    item = news_live(user=user).filter(slug=slug[:80]).first()
    if item is None and getattr(user, "is_authenticated", False):
        item = _prefetched(NewsItem.objects.filter(slug=slug[:80])).first()
        if item is not None and not _may_prepare(user, item):
            item = None
    if item is None:
        raise Http404
    return item


def _may_prepare(user: Any, item: NewsItem) -> bool:
    if can_edit_news(user, item):
        return True
    return bool(approvable_party_ids(user) & {a.party_id for a in item.approvals.all()})
