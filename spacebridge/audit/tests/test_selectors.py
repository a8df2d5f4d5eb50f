"""Verifying the chain: an intact log verifies; any change made behind the platform's back names its entry."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection

from spacebridge.audit.models import AuditEntry
from spacebridge.audit.selectors import audit_count, audit_head, audit_history_for, audit_verify
from spacebridge.audit.services import entry_digest
from spacebridge.core.multilingual import MultilingualText
from spacebridge.parties import services as party_services
from spacebridge.parties.models import Party
from spacebridge.parties.tests.factories import secretariat_user

pytestmark = pytest.mark.django_db

TABLE = AuditEntry._meta.db_table


@pytest.fixture
def chain():  # type: ignore[no-untyped-def]
    """Five entries written by real services: the secretariat registers and edits two parties."""
    officer = secretariat_user()
    parties = []
    for code, country in (("cmsa", "CN"), ("ibmp", "RU")):
        parties.append(
            party_services.party_create(
                by=officer,
                code=code,
                name=MultilingualText({"en": f"Party {code}"}, "en"),
                short_name=code.upper(),
                kind=Party.Kind.SPACE_AGENCY,
                country=country,
                parent=None,
                website="",
                status=Party.Status.MEMBER,
            )
        )
    party_services.party_update(party=parties[0], by=officer, website="https://www.cmse.gov.cn")
    party_services.party_update(party=parties[1], by=officer, status=Party.Status.OBSERVER)
    party_services.party_update(party=parties[0], by=officer, status=Party.Status.OBSERVER)
    assert audit_count() == 5
    return parties


def _update(entry_id: int, column: str, value: object) -> None:
    """Change a row by hand, the way someone with database access and no platform account would."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET {column} = %s WHERE id = %s", [value, entry_id])


def test_an_intact_chain_verifies(chain):
    report = audit_verify()
    assert report.ok
    assert report.checked == 5
    assert report.broken_entry is None


def test_an_empty_log_verifies():
    report = audit_verify()
    assert report.ok and report.checked == 0


def test_progress_is_reported_per_entry(chain):
    ticks = []
    audit_verify(progress=ticks.append)
    assert ticks == [1] * 5


def _later(entry_id: int) -> object:
    moment = AuditEntry.objects.get(pk=entry_id).at + timedelta(hours=1)
    return connection.ops.adapt_datetimefield_value(moment)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("changes", lambda entry_id: json.dumps({"website": ["", "https://evil.example"]})),
        ("verb", lambda entry_id: "party.deleted"),
        ("actor_label", lambda entry_id: "someone-else"),
        ("at", _later),
        ("object_ref", lambda entry_id: "party:nasa"),
    ],
    ids=["changes", "verb", "actor_label", "at", "object_ref"],
)
def test_editing_a_row_by_hand_breaks_the_chain_at_that_entry(chain, column, value):
    _update(3, column, value(3))
    report = audit_verify()
    assert not report.ok
    assert report.broken_entry.id == 3
    assert report.checked == 2
    assert "changed" in report.reason


def test_deleting_a_row_in_the_middle_names_the_entry_after_the_gap(chain):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [3])
    report = audit_verify()
    assert not report.ok
    assert report.broken_entry.id == 4
    assert "missing" in report.reason and "3" in report.reason


def test_deleting_the_first_row_is_noticed(chain):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [1])
    report = audit_verify()
    assert not report.ok
    assert report.broken_entry.id == 2


def test_rewriting_an_entry_with_a_fresh_hash_breaks_the_link_of_the_next(chain):
    """A forger who also recomputes the changed entry's own hash is caught by the entry after it."""
    entry = AuditEntry.objects.get(pk=3)
    forged = {"website": ["", "https://evil.example"]}
    digest = entry_digest(
        prev_hash=entry.prev_hash,
        entry_id=entry.id,
        at=entry.at,
        actor_id=entry.actor_id,
        actor_label=entry.actor_label,
        verb=entry.verb,
        object_type=entry.object_type,
        object_id=entry.object_id,
        object_ref=entry.object_ref,
        changes=forged,
    )
    _update(3, "changes", json.dumps(forged))
    _update(3, "hash", digest)
    report = audit_verify()
    assert not report.ok
    assert report.broken_entry.id == 4
    assert "link" in report.reason


def test_history_of_an_object_is_its_own_entries_newest_first(chain):
    cmsa, ibmp = chain
    history = list(audit_history_for(obj=cmsa))
    assert [entry.verb for entry in history] == ["party.updated", "party.updated", "party.created"]
    assert all(entry.object_ref == "party:cmsa" for entry in history)
    assert [entry.id for entry in audit_history_for(obj=ibmp)] == [4, 2]


def test_the_head_is_the_newest_entry(chain):
    head = audit_head()
    assert head.id == 5
    assert head.hash == AuditEntry.objects.order_by("id").last().hash
