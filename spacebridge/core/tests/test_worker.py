"""`spacebridge worker` runs the background work queued in the database; the demo runs it inside the requests."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from django.core import mail
from django.db import transaction
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from spacebridge.cli import main


@task()
def send_greeting(address: str) -> None:
    mail.send_mail("Greetings", "From the worker.", None, [address])


@pytest.mark.django_db(transaction=True)
def test_worker_batch_runs_what_is_queued_then_exits(settings, mailoutbox) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with transaction.atomic():
        send_greeting.enqueue("li.xue@example.org")
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert mailoutbox == []

    result = CliRunner().invoke(main, ["worker", "--batch"])

    assert result.exit_code == 0, result.output
    assert [message.to for message in mailoutbox] == [["li.xue@example.org"]]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db
def test_worker_refuses_when_work_runs_in_the_requests(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    result = CliRunner().invoke(main, ["worker", "--batch"])

    assert result.exit_code == 1
    assert "no worker is needed" in result.output
