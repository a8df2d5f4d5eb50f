"""Reads of the parties app. Callers pass the result through the access policy (``access.policy.visible``)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from spacebridge.parties.models import Affiliation, Party, Person, fold_name


def party_list(*, query: str = "", country: str = "", kind: str = "", status: str = "") -> QuerySet[Party]:
    parties = Party.objects.select_related("parent")
    if folded := fold_name(query):
        parties = parties.filter(name_index__contains=folded)
    if country:
        parties = parties.filter(country=country.upper())
    if kind:
        parties = parties.filter(kind=kind)
    if status:
        parties = parties.filter(status=status)
    return parties


def party_countries() -> list[str]:
    """The countries that have at least one party: the delegations."""
    return list(Party.objects.order_by("country").values_list("country", flat=True).distinct())


def delegation_parties(*, country: str) -> QuerySet[Party]:
    return Party.objects.filter(country=country.upper()).select_related("parent")


def delegation_summary() -> list[dict[str, object]]:
    rows = (
        Party.objects.values("country")
        .annotate(parties=Count("id"), members=Count("id", filter=Q(status=Party.Status.MEMBER)))
        .order_by("country")
    )
    return list(rows)


def person_list(*, query: str = "", party: Party | None = None, current_only: bool = False) -> QuerySet[Person]:
    people = Person.objects.prefetch_related(
        Prefetch("affiliations", queryset=Affiliation.objects.select_related("party"))
    )
    if folded := fold_name(query):
        people = people.filter(name_index__contains=folded)
    if party is not None:
        affiliated = Affiliation.objects.filter(party=party)
        if current_only:
            today = date.today()
            affiliated = affiliated.filter(Q(end__isnull=True) | Q(end__gte=today))
        people = people.filter(pk__in=affiliated.values("person_id"))
    return people
