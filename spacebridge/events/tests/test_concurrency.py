"""Two people taking the last place at the same instant: the event's row lock lets exactly one of them in."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from spacebridge.events.models import Registration
from spacebridge.events.services import registration_submit
from spacebridge.events.tests.factories import event_of
from spacebridge.parties.tests.factories import PartyFactory, member_of

pytestmark = [
    # Other threads see only committed rows; the data migrations' rows (roles) are restored afterwards.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)"),
]


def test_the_last_place_goes_to_one_of_two_simultaneous_registrations(settings: Any) -> None:
    event = event_of(registration_open=True, capacity=1)
    users = [member_of(PartyFactory()) for _ in range(4)]
    start = threading.Barrier(len(users))
    errors: list[BaseException] = []

    def register(user: Any) -> None:
        try:
            start.wait()
            registration_submit(event=event, by=user)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    statuses = sorted(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses == ["confirmed", "waitlisted", "waitlisted", "waitlisted"]
