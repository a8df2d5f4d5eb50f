"""The API's input as service arguments: codes and references become the objects they name, each problem named by
its field. Everything named must be something the caller may see."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries
from ninja import Schema

from spacebridge.access.policy import visible
from spacebridge.core.multilingual import MultilingualText, validate_multilingual
from spacebridge.groups.models import WorkingGroup
from spacebridge.parties.models import Party, Person
from spacebridge.records import selectors
from spacebridge.records.models import Concept, Record, RecordType, RelatedRecord


def unknown(field: str, message: str, value: str) -> ValidationError:
    return ValidationError({field: message % {"value": value[:60]}})


def party_named(code: str, request: HttpRequest, field: str = "party") -> Party:
    party = visible(Party.objects.all(), request.auth).filter(code=code).first()
    if party is None:
        raise unknown(field, _("There is no party with the code “%(value)s”."), code)
    return party


def parties_named(codes: list[str], request: HttpRequest, field: str) -> dict[str, Party]:
    found = {p.code: p for p in visible(Party.objects.all(), request.auth).filter(code__in=codes)}
    for code in codes:
        if code not in found:
            raise unknown(field, _("There is no party with the code “%(value)s”."), code)
    return found


def _record_type(code: str) -> RecordType:
    record_type = RecordType.objects.filter(code=code).first()
    if record_type is None:
        raise unknown("type", _("“%(value)s” is not a record type."), code)
    return record_type


def _concepts(codes: list[str], request: HttpRequest) -> list[Concept]:
    found = {c.code: c for c in selectors.concept_list(user=request.auth).filter(code__in=codes)}
    for code in codes:
        if code not in found:
            raise unknown("subjects", _("“%(value)s” is not a concept of the thesaurus."), code)
    return list(found.values())


def _related(items: list[Any], request: HttpRequest) -> list[tuple[str, Record]]:
    for item in items:
        if item.relation not in RelatedRecord.Relation.values:
            raise unknown(
                "related",
                _("“%(value)s” is not a relation: choose cites, is_version_of or supplements."),
                item.relation,
            )
    references = [item.reference.upper() for item in items]
    found = {r.reference: r for r in selectors.records_visible(user=request.auth).filter(reference__in=references)}
    for reference in references:
        if reference not in found:
            raise unknown("related", _("There is no record %(value)s that you may see."), reference)
    return [(item.relation, found[item.reference.upper()]) for item in items]


def _contributors(items: list[Any], request: HttpRequest) -> list[dict[str, Any]]:
    numbers = {item.person for item in items if item.person is not None}
    people = {p.pk: p for p in visible(Person.objects.all(), request.auth).filter(pk__in=numbers)}
    missing = sorted(numbers - set(people))
    if missing:
        raise unknown("contributors", _("There is no person with the number %(value)s."), str(missing[0]))
    parties = parties_named([item.party for item in items if item.party], request, "contributors")
    return [
        {
            "name": item.name,
            "role": item.role,
            "person": people.get(item.person) if item.person is not None else None,
            "party": parties[item.party] if item.party else None,
        }
        for item in items
    ]


def _multilingual(name: str, value: Any) -> MultilingualText:
    """The text, checked here so that a problem names its field."""
    text = MultilingualText(value.text, value.original) if value is not None else MultilingualText()
    try:
        validate_multilingual(text, required=name == "title", max_length=Record._meta.get_field(name).max_text_length)
    except ValidationError as error:
        raise ValidationError({name: error.messages}) from None
    return text


def record_fields(payload: Schema, request: HttpRequest, *, partial: bool) -> dict[str, Any]:
    """``record_create``/``record_update`` arguments; with ``partial``, only the fields sent."""
    given = payload.dict(exclude_unset=partial)
    for required in ("type", "title"):
        if required in given and given[required] is None:
            raise ValidationError({required: _("This field cannot be empty.")})
    fields: dict[str, Any] = {}
    if "type" in given:
        fields["type"] = _record_type(payload.type)
    for name in ("title", "abstract"):
        if name in given:
            fields[name] = _multilingual(name, getattr(payload, name))
    if "keywords" in given:
        fields["keywords"] = given["keywords"] or {}
    if "licence" in given:
        fields["licence"] = given["licence"] or ""
    if "published_on" in given:
        fields["published_on"] = given["published_on"]
    if "subjects" in given:
        fields["subjects"] = _concepts(payload.subjects or [], request)
    if "identifiers" in given:
        fields["identifiers"] = [{"scheme": i.scheme, "value": i.value} for i in payload.identifiers or []]
    if "contributors" in given:
        fields["contributors"] = _contributors(payload.contributors or [], request)
    if "related" in given:
        fields["related"] = _related(payload.related or [], request)
    return fields


def delegations(codes: list[str]) -> list[str]:
    for code in codes:
        if not countries.name(code.upper()):
            raise unknown("delegations", _("“%(value)s” is not a country code."), code)
    return [code.upper() for code in codes]


def working_group(acronym: str | None, request: HttpRequest) -> WorkingGroup | None:
    if not acronym:
        return None
    group = visible(WorkingGroup.objects.all(), request.auth).filter(acronym=acronym).first()
    if group is None:
        raise unknown("group", _("There is no working group “%(value)s”."), acronym)
    return group


def aware(moment: datetime | None) -> datetime | None:
    """A time without a zone is taken as UTC, as the API's times are."""
    return timezone.make_aware(moment, UTC) if moment is not None and timezone.is_naive(moment) else moment
