"""Writes of public outreach: news items and joint announcements. Each is one transaction with one audit entry.

A news item is written as a draft and scheduled for a publication time; the portal and the feeds show it from that
instant. A joint announcement is submitted to the parties involved instead: it is scheduled only when the liaison
officer of every one of them has approved it, and then goes out in all its languages at once — at the time asked
for, or at the last approval if that time has passed. Changing its text withdraws the approvals given."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from spacebridge.audit.services import audit_record
from spacebridge.core.multilingual import MultilingualText
from spacebridge.outreach.models import AnnouncementApproval, NewsItem
from spacebridge.outreach.permissions import can_approve_for, can_edit_news, can_write_news
from spacebridge.parties.models import Party

JOINT_LANGUAGES = ("en", "zh", "ru")
RESERVED_SLUGS = {"new", "manage", "feed", "transparency", "sitemap-xml"}  # the news pages' own addresses


def _snapshot(item: NewsItem) -> dict[str, Any]:
    return {
        "title": item.title.to_json(),
        "summary": item.summary.to_json(),
        "body": item.body.to_json(),
        "joint": item.joint,
        "issuing_party": item.issuing_party.code if item.issuing_party else None,
        "parties": sorted(a.party.code for a in item.approvals.all()) if item.pk else [],
        "status": item.status,
        "publish_at": item.publish_at.isoformat() if item.publish_at else None,
    }


def _check(item: NewsItem, parties: list[Party]) -> None:
    if set(item.title.languages()) != set(item.body.languages()):
        raise ValidationError({"body": _("Give the text in the same languages as the title.")})
    if item.summary and not set(item.summary.languages()) <= set(item.title.languages()):
        raise ValidationError({"summary": _("Give the summary only in the languages of the title.")})
    if item.joint:
        if len(parties) < 2:
            raise ValidationError({"parties": _("A joint announcement involves at least two parties.")})
        missing = [code for code in JOINT_LANGUAGES if code not in item.title.languages()]
        if missing:
            raise ValidationError(
                {"title": _("A joint announcement goes out in Chinese, English and Russian: add %(langs)s.")
                 % {"langs": ", ".join(missing)}}
            )


def _unique_slug(title: MultilingualText, wanted: str = "") -> str:
    base = slugify(wanted or title.text.get("en") or "")[:70] or "news"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or NewsItem.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _set_parties(item: NewsItem, parties: list[Party]) -> None:
    item.approvals.exclude(party__in=parties).delete()
    for party in parties:
        AnnouncementApproval.objects.get_or_create(news_item=item, party=party)


@transaction.atomic
def news_create(
    *,
    by: Any,
    title: MultilingualText,
    body: MultilingualText,
    summary: MultilingualText | None = None,
    joint: bool = False,
    issuing_party: Party | None = None,
    parties: list[Party] | None = None,
    publish_at: datetime | None = None,
    slug: str = "",
    check_permission: bool = True,
) -> NewsItem:
    """Write a news item as a draft. A joint announcement names the parties involved (two or more)."""
    parties = list(parties or [])
    if check_permission and not (can_write_news(by) or (issuing_party and can_write_news(by, issuing_party))
                                 or any(can_write_news(by, p) for p in parties)):
        raise PermissionDenied(_("Only the secretariat or a party's liaison officers write news."))
    if slug and (slugify(slug) in RESERVED_SLUGS or NewsItem.objects.filter(slug=slugify(slug)).exists()):
        raise ValidationError({"slug": _("Another news item already has this web address.")})
    item = NewsItem(
        slug=_unique_slug(title, slug), title=title, body=body, summary=summary or MultilingualText(), joint=joint,
        issuing_party=issuing_party, publish_at=publish_at,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    _check(item, parties)
    item.full_clean()
    item.save()
    _set_parties(item, parties)
    audit_record(actor=by, verb="news.created", obj=item, changes=_snapshot(item))
    return item


@transaction.atomic
def news_update(
    *, item: NewsItem, by: Any, parties: list[Party] | None = None, check_permission: bool = True, **fields: Any
) -> NewsItem:
    """Change a news item's text, parties or publication time. A joint announcement awaiting approval goes back to
    its parties: the approvals given were for the old text."""
    item = NewsItem.objects.select_for_update().get(pk=item.pk)
    if check_permission and not can_edit_news(by, item):
        raise PermissionDenied(_("Only the secretariat or the parties' liaison officers change this news item."))
    if item.status == NewsItem.Status.WITHDRAWN:
        raise ValidationError({"status": _("A withdrawn news item cannot be changed.")})
    if item.joint and item.status == NewsItem.Status.SCHEDULED and item.is_live:
        raise ValidationError({"status": _("A published joint announcement cannot be changed; withdraw it instead.")})
    before = _snapshot(item)
    for name in ("title", "body", "summary"):
        if name in fields:
            setattr(item, name, MultilingualText.from_json(fields[name]))
    if "publish_at" in fields:
        item.publish_at = fields["publish_at"]
    if "joint" in fields:
        item.joint = bool(fields["joint"])
    current = parties if parties is not None else [a.party for a in item.approvals.select_related("party")]
    _check(item, current)
    item.full_clean()
    if parties is not None:
        _set_parties(item, parties)
    after = _snapshot(item)
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if item.joint and changes and item.status in {NewsItem.Status.AWAITING_APPROVAL, NewsItem.Status.SCHEDULED}:
        item.approvals.update(approved_by=None, approved_at=None)
        item.status = NewsItem.Status.AWAITING_APPROVAL
        transaction.on_commit(lambda: _notify(item, "approval_requested"))
    item.save()
    if changes:
        audit_record(actor=by, verb="news.updated", obj=item, changes=changes)
    return item


def _notify(item: NewsItem, event: str) -> None:
    from spacebridge.outreach.tasks import announcement_notice

    announcement_notice.enqueue(news_item_id=item.pk, event=event)


@transaction.atomic
def news_publish(*, item: NewsItem, by: Any, publish_at: datetime | None = None, check_permission: bool = True) -> NewsItem:
    """Schedule a news item for ``publish_at`` (default: now). A joint announcement is submitted to its parties'
    liaison officers instead and scheduled when the last of them approves."""
    item = NewsItem.objects.select_for_update().get(pk=item.pk)
    if check_permission and not can_edit_news(by, item):
        raise PermissionDenied(_("Only the secretariat or the parties' liaison officers change this news item."))
    if item.status != NewsItem.Status.DRAFT:
        raise ValidationError({"status": _("Only a draft can be published or submitted for approval.")})
    if publish_at is not None and timezone.is_naive(publish_at):
        raise ValidationError({"publish_at": _("Give the publication time with its time zone.")})
    item.publish_at = publish_at or item.publish_at or timezone.now()
    if item.joint:
        item.approvals.update(approved_by=None, approved_at=None)
        item.status = NewsItem.Status.AWAITING_APPROVAL
        verb = "news.submitted"
        transaction.on_commit(lambda: _notify(item, "approval_requested"))
    else:
        item.status = NewsItem.Status.SCHEDULED
        verb = "news.scheduled"
    item.save(update_fields=["status", "publish_at", "updated_at"])
    audit_record(actor=by, verb=verb, obj=item, changes={"status": item.status, "publish_at": item.publish_at.isoformat()})
    return item


@transaction.atomic
def announcement_approve(*, item: NewsItem, by: Any, party: Party) -> NewsItem:
    """The liaison officer of ``party`` approves a joint announcement. The last approval schedules it."""
    item = NewsItem.objects.select_for_update().get(pk=item.pk)
    if not can_approve_for(by, party):
        raise PermissionDenied(_("Only the liaison officers of %(party)s approve for it.") % {"party": party.short_name})
    approval = item.approvals.filter(party=party).first()
    if not item.joint or approval is None:
        raise ValidationError({"party": _("%(party)s is not a party to this joint announcement.") % {"party": party.short_name}})
    if item.status != NewsItem.Status.AWAITING_APPROVAL:
        raise ValidationError({"status": _("This announcement is not awaiting approval.")})
    if approval.approved_at is not None:
        raise ValidationError({"party": _("%(party)s has already approved it.") % {"party": party.short_name}})
    now = timezone.now()
    approval.approved_by, approval.approved_at = by, now
    approval.save(update_fields=["approved_by", "approved_at"])
    audit_record(actor=by, verb="news.approved", obj=item, changes={"party": party.code})
    if not item.approvals.filter(approved_at__isnull=True).exists():
        item.status = NewsItem.Status.SCHEDULED
        item.publish_at = max(item.publish_at or now, now)
        item.save(update_fields=["status", "publish_at", "updated_at"])
        audit_record(actor=by, verb="news.scheduled", obj=item,
                     changes={"status": item.status, "publish_at": item.publish_at.isoformat()})
        transaction.on_commit(lambda: _notify(item, "scheduled"))
    return item


@transaction.atomic
def announcement_decline(*, item: NewsItem, by: Any, party: Party, reason: str) -> NewsItem:
    """The liaison officer of ``party`` sends a joint announcement back to draft, saying why."""
    item = NewsItem.objects.select_for_update().get(pk=item.pk)
    if not can_approve_for(by, party):
        raise PermissionDenied(_("Only the liaison officers of %(party)s approve for it.") % {"party": party.short_name})
    if not item.joint or not item.approvals.filter(party=party).exists():
        raise ValidationError({"party": _("%(party)s is not a party to this joint announcement.") % {"party": party.short_name}})
    if item.status != NewsItem.Status.AWAITING_APPROVAL:
        raise ValidationError({"status": _("This announcement is not awaiting approval.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say what should change.")})
    item.approvals.update(approved_by=None, approved_at=None)
    item.status = NewsItem.Status.DRAFT
    item.save(update_fields=["status", "updated_at"])
    audit_record(actor=by, verb="news.declined", obj=item, changes={"party": party.code, "reason": reason.strip()[:500]})
    return item


@transaction.atomic
def news_withdraw(*, item: NewsItem, by: Any, reason: str, check_permission: bool = True) -> NewsItem:
    item = NewsItem.objects.select_for_update().get(pk=item.pk)
    if check_permission and not can_edit_news(by, item):
        raise PermissionDenied(_("Only the secretariat or the parties' liaison officers change this news item."))
    if item.status == NewsItem.Status.WITHDRAWN:
        raise ValidationError({"status": _("This news item is already withdrawn.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the withdrawal.")})
    item.status, item.withdrawn_reason = NewsItem.Status.WITHDRAWN, reason.strip()[:500]
    item.save(update_fields=["status", "withdrawn_reason", "updated_at"])
    audit_record(actor=by, verb="news.withdrawn", obj=item, changes={"reason": item.withdrawn_reason})
    return item
