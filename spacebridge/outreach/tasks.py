"""E-mail notices of joint announcements: a request for approval to the liaison officers still to approve, and the
scheduled publication to those of every party involved. Each in the recipient's language."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from spacebridge.outreach.models import NewsItem
from spacebridge.outreach.permissions import NewsPerm
from spacebridge.parties.models import RoleAssignment

logger = logging.getLogger(__name__)


def _officers(party_ids: set[int]) -> list[Any]:
    from spacebridge.parties.models import Party

    ids = set(party_ids)
    for party in Party.objects.filter(pk__in=party_ids):
        ids |= {p.pk for p in party.ancestors()}
    assignments = RoleAssignment.objects.filter(party_id__in=ids, user__is_active=True).select_related("role", "user")
    users = {a.user.pk: a.user for a in assignments if NewsPerm.ANNOUNCEMENT_APPROVE.value in (a.role.permissions or [])}
    return list(users.values())


def _language(user: Any) -> str:
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    for code in getattr(person, "languages", None) or []:
        if code in {"en", "ru"}:
            return code
        if code == "zh":
            return "zh-hans"
    return "en"


@task()
def announcement_notice(*, news_item_id: int, event: str) -> int:
    """Send the notices of ``event`` (``approval_requested`` or ``scheduled``); returns the number sent."""
    item = NewsItem.objects.filter(pk=news_item_id).first()
    if item is None:
        return 0
    approvals = list(item.approvals.select_related("party"))
    pending = {a.party_id for a in approvals if a.approved_at is None}
    recipients = _officers(pending if event == "approval_requested" else {a.party_id for a in approvals})
    link = settings.BASE_URL + (reverse("outreach:approvals") if event == "approval_requested" else item.get_absolute_url())
    sent = 0
    for user in recipients:
        address = user.email or getattr(getattr(user, "person", None), "email", "")
        if not address:
            continue
        with translation.override(_language(user)):
            context = {"item": item, "event": event, "link": link, "parties": [a.party for a in approvals]}
            subject = render_to_string("outreach/email/announcement_subject.txt", context).strip()
            body = render_to_string("outreach/email/announcement.txt", context)
        try:
            send_mail(subject, body, None, [address])
            sent += 1
        except OSError:
            logger.exception("announcement notice to %s failed", address)
    return sent
