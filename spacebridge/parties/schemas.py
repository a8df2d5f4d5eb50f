from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Field, Schema

from spacebridge.core.api import CursorPage


class MultilingualIn(Schema):
    original: str = Field(..., description="BCP 47 code of the language the text was written in", max_length=12)
    text: dict[str, str] = Field(..., description="{language: text}")


class WhoCanSee(Schema):
    level: str
    lines: list[str]
    viewer: str


class PartyOut(Schema):
    code: str
    name: dict[str, Any]
    short_name: str
    kind: str
    country: str
    parent: str | None
    website: str
    status: str
    url: str
    who_can_see: WhoCanSee


class PartyIn(Schema):
    code: str = Field(..., max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")
    name: MultilingualIn
    short_name: str = Field(..., min_length=1, max_length=40)
    kind: str
    country: str = Field(..., min_length=2, max_length=2)
    parent: str | None = None
    website: str = Field("", max_length=200)
    status: str = "member"


class PartyPatch(Schema):
    name: MultilingualIn | None = None
    short_name: str | None = Field(None, min_length=1, max_length=40)
    kind: str | None = None
    country: str | None = Field(None, min_length=2, max_length=2)
    parent: str | None = None
    website: str | None = Field(None, max_length=200)
    status: str | None = None


class PartyPage(CursorPage):
    items: list[PartyOut]


class NameIn(Schema):
    language: str = Field(..., max_length=12)
    text: str = Field(..., min_length=1, max_length=200)


class AffiliationOut(Schema):
    party: str
    role: dict[str, Any]
    start: date | None
    end: date | None


class AffiliationIn(Schema):
    party: str
    role: MultilingualIn | None = None
    start: date | None = None
    end: date | None = None


class PersonOut(Schema):
    id: int
    names: list[dict[str, str]]
    transliteration: str
    email: str
    time_zone: str
    languages: list[str]
    affiliations: list[AffiliationOut]
    url: str
    who_can_see: WhoCanSee


class PersonIn(Schema):
    names: list[NameIn] = Field(..., min_length=1, max_length=6)
    transliteration: str = Field(..., min_length=1, max_length=200)
    email: str = Field("", max_length=254)
    time_zone: str = Field("UTC", max_length=64)
    languages: list[str] = Field(default_factory=list, max_length=6)
    affiliations: list[AffiliationIn] = Field(default_factory=list, max_length=20)


class PersonPatch(Schema):
    names: list[NameIn] | None = Field(None, min_length=1, max_length=6)
    transliteration: str | None = Field(None, min_length=1, max_length=200)
    email: str | None = Field(None, max_length=254)
    time_zone: str | None = Field(None, max_length=64)
    languages: list[str] | None = Field(None, max_length=6)


class PersonPage(CursorPage):
    items: list[PersonOut]
