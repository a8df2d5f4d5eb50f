"""The daily run: agreements enter into force on their date, expire or renew at the end of their term, and the
parties' officers and the secretariat get e-mails 180, 90 and 30 days before an expiry, a notice deadline or a
renewal. Running it twice on a day changes nothing the second time (each reminder is recorded once sent)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from spacebridge.agreements import permissions as perms
from spacebridge.agreements.models import Agreement, ReminderSent, Status
from spacebridge.agreements.services import _set_status, enter_into_force_if_due
from spacebridge.audit.services import audit_record
from spacebridge.parties.models import RoleAssignment

REMINDER_DAYS = (180, 90, 30)
SYSTEM = "agreements-daily"


@dataclass(frozen=True)
class Deadline:
    agreement: Agreement
    kind: str  # ReminderSent.Kind
    on: date


def deadlines_of(agreement: Agreement) -> list[Deadline]:
    """The coming deadlines of a signed or in-force agreement: its notice deadline and its expiry (or renewal)."""
    if agreement.status not in {Status.SIGNED, Status.IN_FORCE}:
        return []
    found = []
    if agreement.status == Status.SIGNED and agreement.entry_into_force_on:
        found.append(Deadline(agreement, "entry", agreement.entry_into_force_on))
    if agreement.expires_on:
        kind = ReminderSent.Kind.RENEWAL if agreement.automatic_renewal else ReminderSent.Kind.EXPIRY
        found.append(Deadline(agreement, kind, agreement.expires_on))
        notice = agreement.notice_deadline()
        if notice:
            found.append(Deadline(agreement, ReminderSent.Kind.NOTICE, notice))
    return found


def _advance(agreement: Agreement, today: date) -> None:
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.status == Status.SIGNED:
            enter_into_force_if_due(agreement=agreement, by=SYSTEM, today=today)
            return
        if agreement.status != Status.IN_FORCE or not agreement.expires_on or agreement.expires_on >= today:
            return
        if agreement.automatic_renewal:
            months = agreement.renewal_term_months or agreement.term_months or 12
            before = agreement.expires_on
            while agreement.expires_on < today:
                agreement.expires_on = agreement.expires_on + relativedelta(months=months)
            agreement.save(update_fields=["expires_on", "updated_at"])
            audit_record(
                actor=SYSTEM,
                verb="agreement.renewed",
                obj=agreement,
                changes={"expires_on": [before.isoformat(), agreement.expires_on.isoformat()]},
            )
        else:
            _set_status(agreement, by=SYSTEM, target=Status.EXPIRED, on=agreement.expires_on)


def recipients(agreement: Agreement) -> list[str]:
    """E-mail addresses of the parties' officers and of the secretariat."""
    addresses: set[str] = set()
    party_ids = set(agreement.parties.values_list("party_id", flat=True))
    for assignment in RoleAssignment.objects.select_related("user", "role"):
        permissions = set(assignment.role.permissions)
        officer = perms.AgreementPerm.NEGOTIATE.value in permissions and assignment.party_id in party_ids
        secretariat = perms.AgreementPerm.MANAGE.value in permissions and assignment.party_id is None
        if (officer or secretariat) and assignment.user.email and assignment.user.is_active:
            addresses.add(assignment.user.email)
    return sorted(addresses)


def _remind(deadline: Deadline, days: int, today: date) -> bool:
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                agreement=deadline.agreement, kind=deadline.kind, deadline=deadline.on, days_before=days
            )
            audit_record(
                actor=SYSTEM,
                verb="agreement.reminder_sent",
                obj=deadline.agreement,
                changes={"kind": deadline.kind, "deadline": deadline.on.isoformat(), "days_before": days},
            )
    except IntegrityError:  # another run sent it meanwhile
        return False
    context = {
        "agreement": deadline.agreement,
        "kind": deadline.kind,
        "deadline": deadline.on,
        "days": (deadline.on - today).days,
        "base_url": getattr(settings, "BASE_URL", ""),
    }
    with translation.override("en"):
        subject = render_to_string("agreements/email/deadline_subject.txt", context).strip()
        body = render_to_string("agreements/email/deadline.txt", context)
    addresses = recipients(deadline.agreement)
    if addresses:
        send_mail(subject, body, None, addresses)
    return True


def reminders_due(deadline: Deadline, today: date) -> list[int]:
    """The thresholds (180, 90, 30 days) already reached for a deadline that has not passed."""
    left = (deadline.on - today).days
    if left < 0:
        return []
    return [days for days in REMINDER_DAYS if left <= days]


def run_daily(*, today: date | None = None) -> dict[str, int]:
    """Advance statuses, then send the reminders that are due and not yet sent. Idempotent."""
    today = today or timezone.localdate()
    for agreement in Agreement.objects.filter(status__in=[Status.SIGNED, Status.IN_FORCE]):
        _advance(agreement, today)
    sent = 0
    for agreement in Agreement.objects.filter(status__in=[Status.SIGNED, Status.IN_FORCE]):
        for deadline in deadlines_of(agreement):
            if deadline.kind == "entry":
                continue
            due = reminders_due(deadline, today)
            already = set(
                ReminderSent.objects.filter(agreement=agreement, kind=deadline.kind, deadline=deadline.on).values_list(
                    "days_before", flat=True
                )
            )
            pending = [d for d in due if d not in already]
            if not pending:
                continue
            # Only the nearest reminder goes out; the earlier thresholds it passed are recorded as covered.
            nearest = min(pending)
            if _remind(deadline, nearest, today):
                sent += 1
            for days in pending:
                if days != nearest:
                    ReminderSent.objects.get_or_create(
                        agreement=agreement, kind=deadline.kind, deadline=deadline.on, days_before=days
                    )
    return {"reminders": sent}


@task()
def agreements_daily(today: str | None = None) -> dict[str, int]:
    """The daily background task (schedule it once a day; `spacebridge agreements remind` enqueues it)."""
    return run_daily(today=date.fromisoformat(today) if today else None)
