from __future__ import annotations

import datetime

import pytest

from spacebridge.agreements.deadlines import agreements_daily, run_daily
from spacebridge.agreements.models import Agreement, ReminderSent, Status
from spacebridge.agreements.tests.factories import cast, drafted
from spacebridge.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _in_force(**fields):  # type: ignore[no-untyped-def]
    world = cast()
    agreement = drafted(world, texts={})
    Agreement.objects.filter(pk=agreement.pk).update(status=Status.IN_FORCE, **fields)
    agreement.refresh_from_db()
    return world, agreement


def test_expiry_without_renewal_expires_once() -> None:
    _world, agreement = _in_force(expires_on=datetime.date(2030, 6, 30))
    run_daily(today=datetime.date(2030, 7, 1))
    agreement.refresh_from_db()
    assert (agreement.status, agreement.terminated_on) == (Status.EXPIRED, datetime.date(2030, 6, 30))
    run_daily(today=datetime.date(2030, 7, 2))
    assert AuditEntry.objects.filter(verb="agreement.status_changed").count() == 1


def test_automatic_renewal_moves_the_expiry_on() -> None:
    _world, agreement = _in_force(
        expires_on=datetime.date(2030, 6, 30), automatic_renewal=True, renewal_term_months=60, notice_days=180
    )
    run_daily(today=datetime.date(2030, 7, 1))
    agreement.refresh_from_db()
    assert (agreement.status, agreement.expires_on) == (Status.IN_FORCE, datetime.date(2035, 6, 30))
    assert agreement.notice_deadline() == datetime.date(2035, 1, 1)


def test_renewal_and_notice_reminders_at_180_90_30_days(mailoutbox) -> None:  # type: ignore[no-untyped-def]
    _world, agreement = _in_force(
        expires_on=datetime.date(2031, 12, 31), automatic_renewal=True, renewal_term_months=12, notice_days=92
    )
    notice = agreement.notice_deadline()  # 2031-09-30
    for days in (200, 180, 179, 90, 30, 29, 0):
        run_daily(today=notice - datetime.timedelta(days=days))
    sent = sorted(ReminderSent.objects.filter(kind=ReminderSent.Kind.NOTICE).values_list("days_before", flat=True))
    assert sent == [30, 90, 180]
    notice_mails = [m for m in mailoutbox if m.subject.startswith("Notice deadline")]
    assert len(notice_mails) == 3
    assert ReminderSent.objects.filter(kind=ReminderSent.Kind.RENEWAL, days_before=180).exists()


def test_the_daily_task_runs_through_the_tasks_api(settings, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    _in_force(expires_on=datetime.date(2031, 1, 31))
    result = agreements_daily.enqueue("2030-12-01")
    assert result.return_value == {"reminders": 1}
    assert agreements_daily.enqueue("2030-12-01").return_value == {"reminders": 0}
    assert len(mailoutbox) == 1
