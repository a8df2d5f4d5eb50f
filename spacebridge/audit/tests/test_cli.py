"""`spacebridge audit verify`: what an administrator or any party runs to check the log."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from django.db import connection

from spacebridge.audit.models import AuditEntry
from spacebridge.audit.services import audit_record
from spacebridge.cli import main
from spacebridge.parties.tests.factories import PartyFactory, UserFactory

pytestmark = pytest.mark.django_db

TABLE = AuditEntry._meta.db_table


@pytest.fixture
def entries():  # type: ignore[no-untyped-def]
    user = UserFactory(username="secretariat")
    party = PartyFactory(code="gctc")
    for status in ("member", "observer", "member", "former"):
        audit_record(actor=user, verb="party.updated", obj=party, changes={"status": [None, status]})
    return party


def _verify():  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["audit", "verify"])


def test_an_intact_chain_passes(entries):
    result = _verify()
    assert result.exit_code == 0, result.output
    assert "Audit chain intact: 4 entries verified." in result.stdout


def test_a_changed_entry_fails_and_is_named(entries):
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET actor_label = %s WHERE id = %s", ["nobody", 3])
    result = _verify()
    assert result.exit_code == 1
    assert "Audit chain broken at entry #3" in result.output
    assert "party.updated party:gctc" in result.output
    assert "its content was changed after it was written" in result.output
    assert "2 entries before it are intact" in result.output


def test_a_removed_entry_fails_and_names_the_entry_after_the_gap(entries):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [2])
    result = _verify()
    assert result.exit_code == 1
    assert "Audit chain broken at entry #3" in result.output
    assert "missing" in result.output
