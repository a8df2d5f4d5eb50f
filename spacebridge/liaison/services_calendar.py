"""Writes around calendars: secret calendar addresses, .ics imports and reminder settings."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from spacebridge.audit.services import audit_record
from spacebridge.core.multilingual import MultilingualText
from spacebridge.groups.models import WorkingGroup
from spacebridge.liaison import ical
from spacebridge.liaison.models import CalendarToken, Meeting, ReminderSetting
from spacebridge.liaison.services import _require_run, meeting_create

TOKEN_PREFIX = "cal_"


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def calendar_token_create(*, user: Any) -> tuple[CalendarToken, str]:
    """A new secret calendar address for ``user``; the secret is shown once and only its hash is kept."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(24)
    token = CalendarToken.objects.create(user=user, key_hash=token_hash(secret), prefix=secret[:10])
    audit_record(actor=user, verb="liaison.calendar_address_created", obj=token, changes={"prefix": token.prefix})
    return token, secret


@transaction.atomic
def calendar_token_revoke(*, token: CalendarToken, by: Any) -> CalendarToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=by, verb="liaison.calendar_address_revoked", obj=token, changes={"prefix": token.prefix})
    return token


def calendar_token_user(secret: str) -> Any | None:
    """The user behind a calendar address, or None when it is unknown or revoked."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = CalendarToken.objects.select_related("user").filter(key_hash=token_hash(secret)).first()
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    CalendarToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


@transaction.atomic
def ics_import(
    *, by: Any, group: WorkingGroup | None, data: bytes, filename: str = "", default_zone: str = "UTC",
    check_permission: bool = True,
) -> list[Meeting]:
    """Each event of an .ics file becomes a one-off meeting; a broken file changes nothing and says why."""
    _require_run(by, group, check_permission)
    events = ical.parse_ics(data, default_zone=default_zone)
    meetings = []
    for event in events:
        meetings.append(meeting_create(
            by=by, group=group, title=MultilingualText({"en": event.title}, "en"), start=event.start, end=event.end,
            time_zone=event.zone, place=event.place, online_link=event.link, imported_from=filename or "import.ics",
            check_permission=False,
        ))
    return meetings


@transaction.atomic
def reminder_setting_set(*, user: Any, daily_digest: bool) -> ReminderSetting:
    setting, _created = ReminderSetting.objects.get_or_create(user=user)
    before = setting.daily_digest
    setting.daily_digest = daily_digest
    setting.save(update_fields=["daily_digest"])
    audit_record(actor=user, verb="liaison.reminders_changed", obj=setting,
                 changes={"daily_digest": [before, daily_digest]})
    return setting
