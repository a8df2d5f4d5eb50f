"""Appending to the hash chain: every entry commits to the one before it, inside the write's transaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest
from django.db import transaction

from spacebridge.audit.models import AuditEntry
from spacebridge.audit.selectors import audit_verify
from spacebridge.audit.services import GENESIS, audit_record, audit_record_many, diff, entry_digest, object_identity
from spacebridge.parties.tests.factories import PartyFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def _recomputed(entry: AuditEntry) -> str:
    return entry_digest(
        prev_hash=entry.prev_hash,
        entry_id=entry.id,
        at=entry.at,
        actor_id=entry.actor_id,
        actor_label=entry.actor_label,
        verb=entry.verb,
        object_type=entry.object_type,
        object_id=entry.object_id,
        object_ref=entry.object_ref,
        changes=entry.changes,
    )


def test_entries_link_each_to_the_one_before():
    user = UserFactory(username="liaison")
    party = PartyFactory(code="ibmp")
    first = audit_record(actor=user, verb="party.updated", obj=party, changes={"website": ["", "https://imbp.ru"]})
    second = audit_record(actor=user, verb="party.updated", obj=party, changes={"status": ["member", "observer"]})
    third = audit_record(actor=None, verb="party.updated", obj=party)

    assert [first.id, second.id, third.id] == [1, 2, 3]
    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3


def test_the_stored_entry_hashes_to_its_hash():
    """What is read back from the database, not what was passed in, is what the hash covers."""
    person = PersonFactory(transliteration="Yang Liwei")
    changes = {
        "names": [None, [{"language": "zh", "text": "杨利伟"}]],
        "born": date(1965, 6, 21),
        "score": Decimal("1.50"),
        "tags": ("a", "b"),
    }
    entry = audit_record(actor=UserFactory(), verb="person.created", obj=person, changes=changes)

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.changes == {
        "names": [None, [{"language": "zh", "text": "杨利伟"}]],
        "born": "1965-06-21",
        "score": "1.50",
        "tags": ["a", "b"],
    }
    assert _recomputed(stored) == stored.hash
    assert stored.at.microsecond % 1000 == 0  # milliseconds: what every database and the backup keep exactly


def test_the_entry_names_the_actor_and_the_object():
    user = UserFactory(username="secretariat")
    party = PartyFactory(code="cmsa")
    entry = audit_record(actor=user, verb="party.created", obj=party)
    assert (entry.actor, entry.actor_label) == (user, "secretariat")
    assert (entry.object_type, entry.object_id, entry.object_ref) == ("parties.party", str(party.pk), "party:cmsa")
    assert object_identity(party) == ("parties.party", str(party.pk), "party:cmsa")


@pytest.mark.parametrize(("actor", "label"), [(None, "system"), ("demo loader", "demo loader")])
def test_an_actor_without_an_account_is_named_in_words(actor, label):
    entry = audit_record(actor=actor, verb="party.created", obj=PartyFactory())
    assert entry.actor is None
    assert entry.actor_label == label


def test_an_entry_of_a_rolled_back_write_disappears_without_a_gap():
    party = PartyFactory()
    audit_record(actor=None, verb="party.created", obj=party)
    with pytest.raises(ValueError, match="the write failed"), transaction.atomic():
        audit_record(actor=None, verb="party.updated", obj=party)
        raise ValueError("the write failed")
    after = audit_record(actor=None, verb="party.updated", obj=party)

    assert list(AuditEntry.objects.values_list("id", flat=True)) == [1, 2]
    assert after.prev_hash == AuditEntry.objects.get(pk=1).hash
    assert audit_verify().ok


def test_a_bulk_append_continues_the_chain_entry_by_entry():
    user = UserFactory(username="importer")
    first = audit_record(actor=user, verb="import.started", obj=PartyFactory(code="nasa"))
    people = [PersonFactory(transliteration=f"Author {n}") for n in range(3)]
    written = audit_record_many(
        actor=user,
        verb="person.created",
        entries=[(person, {"n": n}) for n, person in enumerate(people)]
        + [(("records.record", "77", "SB-2026-000077"), None)],
    )
    last = audit_record(actor=user, verb="import.finished", obj=PartyFactory(code="jaxa"))

    assert written == 4
    entries = list(AuditEntry.objects.order_by("id"))
    assert [entry.id for entry in entries] == [1, 2, 3, 4, 5, 6]
    assert [entry.object_ref for entry in entries[1:5]] == [p.reference for p in people] + ["SB-2026-000077"]
    assert entries[1].prev_hash == first.hash
    assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(entries))
    assert all(_recomputed(entry) == entry.hash for entry in entries)
    assert last.prev_hash == entries[4].hash
    assert audit_verify().ok and audit_verify().checked == 6


def test_a_bulk_append_of_nothing_writes_nothing():
    assert audit_record_many(actor=None, verb="person.created", entries=[]) == 0
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_appending_outside_a_transaction_raises_and_writes_nothing():
    party = PartyFactory()
    with pytest.raises(RuntimeError, match="inside the write's transaction"):
        audit_record(actor=None, verb="party.created", obj=party)
    with pytest.raises(RuntimeError, match="inside the write's transaction"):
        audit_record_many(actor=None, verb="party.created", entries=[(party, None)])
    assert not AuditEntry.objects.exists()


def test_diff_lists_only_what_changed():
    before = {"short_name": "IBMP", "website": "", "status": "member"}
    after = {"short_name": "IBMP", "website": "https://imbp.ru", "status": "observer"}
    assert diff(before, after) == {"website": ["", "https://imbp.ru"], "status": ["member", "observer"]}
    assert diff(after, after) == {}
