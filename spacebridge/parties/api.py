"""JSON endpoints of the parties app: the same selectors, services and access policy as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from spacebridge.access.explain import explain
from spacebridge.access.policy import get_visible_or_404, prefetch_policies, visible
from spacebridge.core.api import PROBLEMS, keyset_page, require_member
from spacebridge.core.multilingual import MultilingualText
from spacebridge.parties import selectors, services
from spacebridge.parties.models import Party, Person
from spacebridge.parties.schemas import (
    PartyIn,
    PartyOut,
    PartyPage,
    PartyPatch,
    PersonIn,
    PersonOut,
    PersonPage,
    PersonPatch,
)

router = Router(tags=["parties"])


class PartyFilters(Schema):
    q: str = ""
    country: str = ""
    kind: str = ""
    status: str = ""
    cursor: str | None = None
    limit: int = 50


def _limit(value: int) -> int:
    if not 1 <= value <= 200:
        raise ValidationError({"limit": _("Ask for between 1 and 200 items.")})
    return value


def _party_out(party: Party, request: HttpRequest) -> dict[str, Any]:
    return {
        "code": party.code,
        "name": party.name.to_json(),
        "short_name": party.short_name,
        "kind": party.kind,
        "country": str(party.country),
        "parent": party.parent.code if party.parent else None,
        "website": party.website,
        "status": party.status,
        "url": request.build_absolute_uri(reverse("parties:detail", args=[party.code])),
        "who_can_see": explain(party, request.auth),
    }


def _party_ref(code: str | None, request: HttpRequest, *, field: str = "parent") -> Party | None:
    if code is None:
        return None
    party = visible(Party.objects.all(), request.auth).filter(code=code).first()
    if party is None:
        raise ValidationError({field: _("There is no party with the code “%(code)s”.") % {"code": code[:40]}})
    return party


@router.get("/", response={200: PartyPage, **PROBLEMS}, summary="List parties")
def party_list(request: HttpRequest, filters: Query[PartyFilters]) -> dict[str, Any]:
    parties = visible(
        selectors.party_list(
            query=filters.q[:200], country=filters.country[:2], kind=filters.kind[:30], status=filters.status[:10]
        ),
        request.auth,
    )
    rows, next_cursor = keyset_page(parties, cursor=filters.cursor, limit=_limit(filters.limit))
    return {"items": [_party_out(p, request) for p in prefetch_policies(rows)], "next_cursor": next_cursor}


@router.post("/", response={201: PartyOut, **PROBLEMS}, summary="Register a party")
def party_create(request: HttpRequest, payload: PartyIn) -> Status:
    user = require_member(request)
    fields = payload.dict()
    fields["name"] = MultilingualText(payload.name.text, payload.name.original)
    fields["parent"] = _party_ref(payload.parent, request)
    fields["country"] = payload.country.upper()
    party = services.party_create(by=user, **fields)
    return Status(201, _party_out(party, request))


class PersonFilters(Schema):
    q: str = ""
    party: str | None = None
    cursor: str | None = None
    limit: int = 50


def _person_out(person: Person, request: HttpRequest) -> dict[str, Any]:
    return {
        "id": person.pk,
        "names": person.names,
        "transliteration": person.transliteration,
        "email": person.email,
        "time_zone": person.time_zone,
        "languages": person.languages,
        "affiliations": [
            {"party": a.party.code, "role": a.role.to_json(), "start": a.start, "end": a.end}
            for a in person.affiliations.all()
        ],
        "url": request.build_absolute_uri(reverse("parties:person_detail", args=[person.pk])),
        "who_can_see": explain(person, request.auth),
    }


@router.get("/people/", response={200: PersonPage, **PROBLEMS}, summary="List and search people")
def person_list(request: HttpRequest, filters: Query[PersonFilters]) -> dict[str, Any]:
    party = _party_ref(filters.party, request, field="party") if filters.party else None
    people = visible(selectors.person_list(query=filters.q[:200], party=party), request.auth)
    rows, next_cursor = keyset_page(
        people.prefetch_related("affiliations__party"), cursor=filters.cursor, limit=_limit(filters.limit)
    )
    return {"items": [_person_out(p, request) for p in prefetch_policies(rows)], "next_cursor": next_cursor}


@router.post("/people/", response={201: PersonOut, **PROBLEMS}, summary="Register a person")
def person_create(request: HttpRequest, payload: PersonIn) -> Status:
    user = require_member(request)
    affiliations = []
    for affiliation in payload.affiliations:
        party = _party_ref(affiliation.party, request, field="affiliations")
        role = MultilingualText(affiliation.role.text, affiliation.role.original) if affiliation.role else None
        affiliations.append({"party": party, "role": role, "start": affiliation.start, "end": affiliation.end})
    person = services.person_create(
        by=user,
        names=[n.dict() for n in payload.names],
        transliteration=payload.transliteration,
        email=payload.email,
        time_zone=payload.time_zone,
        languages=payload.languages,
        affiliations=affiliations,
    )
    return Status(201, _person_out(person, request))


@router.get("/people/{int:person_id}", response={200: PersonOut, **PROBLEMS}, summary="One person")
def person_detail(request: HttpRequest, person_id: int) -> dict[str, Any]:
    return _person_out(get_visible_or_404(selectors.person_list(), request.auth, pk=person_id), request)


@router.patch("/people/{int:person_id}", response={200: PersonOut, **PROBLEMS}, summary="Change a person")
def person_update(request: HttpRequest, person_id: int, payload: PersonPatch) -> dict[str, Any]:
    user = require_member(request)
    person = get_visible_or_404(Person.objects.all(), user, pk=person_id)
    fields = payload.dict(exclude_unset=True)
    if "names" in fields and fields["names"] is not None:
        fields["names"] = [dict(n) for n in fields["names"]]
    fields = {k: v for k, v in fields.items() if v is not None}
    person = services.person_update(person=person, by=user, **fields)
    return _person_out(get_visible_or_404(selectors.person_list(), user, pk=person.pk), request)


@router.get("/{code}", response={200: PartyOut, **PROBLEMS}, summary="One party")
def party_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    return _party_out(get_visible_or_404(Party.objects.select_related("parent"), request.auth, code=code), request)


@router.patch("/{code}", response={200: PartyOut, **PROBLEMS}, summary="Change a party")
def party_update(request: HttpRequest, code: str, payload: PartyPatch) -> dict[str, Any]:
    user = require_member(request)
    party = get_visible_or_404(Party.objects.all(), user, code=code)
    fields = {k: v for k, v in payload.dict(exclude_unset=True).items()}
    if "name" in fields:
        if payload.name is None:
            raise ValidationError({"name": _("A party needs a name.")})
        fields["name"] = MultilingualText(payload.name.text, payload.name.original)
    if "parent" in fields:
        fields["parent"] = _party_ref(payload.parent, request)
    for required in ("short_name", "kind", "country", "status", "website"):
        if required in fields and fields[required] is None:
            raise ValidationError({required: _("This field cannot be empty.")})
    if "country" in fields:
        fields["country"] = fields["country"].upper()
    return _party_out(services.party_update(party=party, by=user, **fields), request)


__all__ = ["Http404", "router"]
