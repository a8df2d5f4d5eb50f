"""`spacebridge worker` runs the background work queued in the database; the demo runs it inside the requests."""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from django.core import mail
from django.db import transaction
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from spacebridge.cli import main


@pytest.fixture
def _signal_handlers_kept() -> Iterator[None]:
    """The worker takes over SIGINT and SIGTERM while it runs and resets them to the defaults when it stops; the test
    process gets its own handlers back, so Ctrl-C and a timeout still stop the suite."""
    kept = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for number, handler in kept.items():
        signal.signal(number, handler)


@task()
def send_greeting(address: str) -> None:
    mail.send_mail("Greetings", "From the worker.", None, [address])


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_signal_handlers_kept")
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
