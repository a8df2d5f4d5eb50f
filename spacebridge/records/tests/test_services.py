"""Writes of the registry that pages and the API share: identifiers as (scheme, value) pairs, thesaurus saves."""

from __future__ import annotations

import pytest

from spacebridge.audit.models import AuditEntry
from spacebridge.records.models import Concept, Identifier
from spacebridge.records.services import concept_upsert, record_update
from spacebridge.records.tests.factories import shared_record

pytestmark = pytest.mark.django_db

# Both are valid ISBN-13s and valid PubMed identifiers: the same value under two schemes is two identifiers.
ONE, TWO = "9780306406157", "9783161484100"


def _pairs(record) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return set(Identifier.objects.filter(record=record).values_list("scheme", "value"))


def test_the_same_value_under_two_schemes_is_two_identifiers() -> None:
    record = shared_record(identifiers=[{"scheme": "isbn", "value": ONE}, {"scheme": "pmid", "value": ONE}])
    assert _pairs(record) == {("isbn", ONE), ("pmid", ONE)}
    record_update(record=record, by=None, check_permission=False, identifiers=[{"scheme": "isbn", "value": ONE}])
    assert _pairs(record) == {("isbn", ONE)}


def test_identifiers_that_swap_schemes_leave_no_stale_pair() -> None:
    record = shared_record(identifiers=[{"scheme": "isbn", "value": ONE}, {"scheme": "pmid", "value": TWO}])
    record_update(
        record=record,
        by=None,
        check_permission=False,
        identifiers=[{"scheme": "isbn", "value": TWO}, {"scheme": "pmid", "value": ONE}],
    )
    # Matching on the value alone kept (isbn, ONE) and (pmid, TWO): both values are still wanted, under other schemes.
    assert _pairs(record) == {("isbn", TWO), ("pmid", ONE)}


def test_an_unchanged_identifier_keeps_its_row() -> None:
    record = shared_record(identifiers=[{"scheme": "isbn", "value": ONE}, {"scheme": "pmid", "value": TWO}])
    kept = Identifier.objects.get(record=record, scheme="isbn").pk
    record_update(record=record, by=None, check_permission=False, identifiers=[{"scheme": "isbn", "value": ONE}])
    assert list(Identifier.objects.filter(record=record).values_list("pk", flat=True)) == [kept]


def _concept_entries(concept: Concept) -> list[str]:
    return list(AuditEntry.objects.filter(object_ref=concept.reference).values_list("verb", flat=True))


def test_saving_a_concept_unchanged_leaves_no_audit_entry() -> None:
    pref = {"en": "bone loss", "zh": "骨质流失", "ru": "потеря костной массы"}
    concept = concept_upsert(code="bone-loss", pref=pref, alt={"en": ["osteopenia"]}, source="tests")
    assert _concept_entries(concept) == ["concept.created"]
    concept_upsert(code="bone-loss", pref=dict(pref), alt={"en": ["osteopenia"]}, source="tests")
    assert _concept_entries(concept) == ["concept.created"]


def test_a_changed_concept_is_audited_with_what_changed() -> None:
    concept = concept_upsert(code="bone-loss", pref={"en": "bone loss"}, source="tests")
    changed = concept_upsert(code="bone-loss", pref={"en": "bone loss"}, alt={"ru": ["остеопения"]}, source="tests")
    assert changed.alt == {"ru": ["остеопения"]} and "остеопения" in changed.label_index
    entry = AuditEntry.objects.filter(object_ref=concept.reference, verb="concept.updated").get()
    assert entry.changes == {"alt": [{}, {"ru": ["остеопения"]}]}
