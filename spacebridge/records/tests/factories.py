"""Factories for the exchange registry; they write through the real database.

``RecordFactory`` makes a draft row directly (fast, no audit entry); ``shared_record`` makes a record the way a
party shares one — created, published and released through the services, audited — for tests about who sees what.
"""

from __future__ import annotations

from typing import Any

import factory
from django.db import transaction

from spacebridge.core.multilingual import MultilingualText
from spacebridge.parties.models import Party
from spacebridge.parties.tests.factories import PartyFactory
from spacebridge.records.models import Concept, Contributor, Identifier, Record, RecordType


def _next_reference() -> str:
    from django.utils import timezone

    from spacebridge.records.services import reference_next

    with transaction.atomic():
        return reference_next(year=timezone.now().year)


class RecordTypeFactory(factory.django.DjangoModelFactory):
    """The record types come with the migrations; the factory returns the existing one by code."""

    class Meta:
        model = RecordType
        django_get_or_create = ["code"]

    code = "publication"
    name = factory.LazyAttribute(lambda t: MultilingualText({"en": t.code.replace("_", " ").capitalize()}, "en"))


class ConceptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Concept
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"concept-{n}")
    pref = factory.LazyAttribute(
        lambda c: MultilingualText({"en": f"concept {c.code}", "zh": f"概念 {c.code}", "ru": f"понятие {c.code}"}, "en")
    )
    alt = factory.LazyFunction(dict)
    label_index = factory.LazyAttribute(lambda c: " ".join(c.pref.text.values()).lower())


class RecordFactory(factory.django.DjangoModelFactory):
    """A draft record of a party, written directly (no services, no audit entry)."""

    class Meta:
        model = Record

    reference = factory.LazyFunction(_next_reference)
    type = factory.SubFactory(RecordTypeFactory)
    owner_party = factory.SubFactory(PartyFactory)
    title = factory.Sequence(lambda n: MultilingualText({"en": f"Bone loss in microgravity, study {n}"}, "en"))
    abstract = factory.LazyFunction(lambda: MultilingualText({"en": "Bed-rest and flight data compared."}, "en"))
    keywords = factory.LazyFunction(lambda: {"en": ["bone loss", "microgravity"]})


class ContributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contributor

    record = factory.SubFactory(RecordFactory)
    position = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"Author {n}")
    role = Contributor.Role.AUTHOR


class IdentifierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Identifier

    record = factory.SubFactory(RecordFactory)
    scheme = Identifier.Scheme.DOI
    value = factory.Sequence(lambda n: f"10.5555/sb.{n}")


def shared_record(
    *,
    owner_party: Party | None = None,
    by: Any = None,
    type: str = "publication",
    publish: bool = True,
    level: str = "public",
    parties: tuple[Party, ...] = (),
    countries: tuple[str, ...] = (),
    marking: str = "none",
    legal_basis: str = "",
    **fields: Any,
) -> Record:
    """A record created, published (unless ``publish=False``) and released through the services, as its owner party
    would share it. At ``level="owner"`` without a marking no release decision is taken (the record's default).
    ``fields`` are record_create's (title, abstract, keywords, identifiers, contributors, subjects, …)."""
    from spacebridge.records.services import record_create, record_publish, record_release

    owner_party = owner_party or PartyFactory()
    fields.setdefault("title", MultilingualText({"en": f"Shared record of {owner_party.code}"}, "en"))
    record_type = RecordType.objects.get(code=type)
    record = record_create(by=by, owner_party=owner_party, check_permission=False, type=record_type, **fields)
    if publish:
        record_publish(record=record, by=by, check_permission=False)
    if level != "owner" or marking != "none":
        record_release(
            record=record,
            by=by,
            level=level,
            parties=parties,
            countries=countries,
            marking=marking,
            legal_basis=legal_basis or ("Export control regulation" if marking != "none" else ""),
            check_permission=False,
        )
    record.refresh_from_db()
    return record
