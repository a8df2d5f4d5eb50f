"""The registrants' e-mails through the queue the production deployment uses: nothing is sent by the request, the
worker sends it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from spacebridge.events.services import registration_submit
from spacebridge.events.tests.factories import event_of
from spacebridge.parties.tests.factories import PartyFactory, member_of

pytestmark = pytest.mark.django_db


def test_the_worker_sends_the_confirmation(settings: Any, mailoutbox: list, monkeypatch: Any,
                                           django_capture_on_commit_callbacks: Any) -> None:
    # The worker closes stale connections between tasks; here that one connection holds the test's transaction.
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    event = event_of(registration_open=True, capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        registration_submit(event=event, by=member_of(PartyFactory()))
    assert mailoutbox == []
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert [m.subject for m in mailoutbox] == ["Registration confirmed: Symposium on space medicine"]
    assert mailoutbox[0].attachments[0][0] == "symposium-2027.ics"
