"""Factories for parties, people, accounts and roles; they write through the real database."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from spacebridge.core.multilingual import MultilingualText
from spacebridge.parties.models import Affiliation, Party, Person, Role, RoleAssignment, fold_name

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(PASSWORD)


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"party-{n}")
    short_name = factory.LazyAttribute(lambda p: p.code.upper()[:40])
    name = factory.LazyAttribute(lambda p: MultilingualText({"en": f"Party {p.code}"}, "en"))
    kind = Party.Kind.RESEARCH_INSTITUTE
    country = "CN"
    status = Party.Status.MEMBER
    name_index = factory.LazyAttribute(lambda p: " ".join([fold_name(p.short_name), fold_name(p.code),
                                                            *(fold_name(t) for t in p.name.text.values())]))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    transliteration = factory.Sequence(lambda n: f"Person {n}")
    names = factory.LazyAttribute(lambda p: [{"language": "en", "text": p.transliteration}])
    email = factory.LazyAttribute(lambda p: f"{fold_name(p.transliteration)}@example.org")
    time_zone = "Asia/Shanghai"
    languages = ["en"]
    name_index = factory.LazyAttribute(lambda p: " ".join(fold_name(n["text"]) for n in p.names)
                                       + " " + fold_name(p.transliteration))


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory)
    party = factory.SubFactory(PartyFactory)


def member_of(party: Party, *, role: str | None = "member", username: str | None = None, **person_fields):  # type: ignore[no-untyped-def]
    """A signed-in user who is a person affiliated with ``party``, holding ``role`` for it."""
    user = UserFactory(**({"username": username} if username else {}))
    person = PersonFactory(user=user, **person_fields)
    AffiliationFactory(person=person, party=party)
    if role:
        RoleAssignment.objects.create(user=user, role=Role.objects.get(code=role), party=party)
    return user


def secretariat_user(username: str = "secretariat") -> object:
    user = UserFactory(username=username)
    RoleAssignment.objects.create(user=user, role=Role.objects.get(code="secretariat"), party=None)
    return user
