"""API in/out schemas of public outreach."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from spacebridge.core.api import CursorPage
from spacebridge.outreach.models import NewsItem
from spacebridge.parties.schemas import MultilingualIn
from spacebridge.records.schemas import MultilingualOut


class NewsApprovalOut(Schema):
    party: str = Field(..., description="The party's code")
    approved_at: datetime | None = Field(None, description="When its liaison officer approved (joint announcements)")


class NewsOut(Schema):
    slug: str
    url: str
    title: MultilingualOut
    summary: MultilingualOut
    body: MultilingualOut
    languages: list[str]
    joint: bool
    issuing_party: str | None = None
    status: str = Field(..., json_schema_extra={"enum": NewsItem.Status.values})
    publish_at: datetime | None = None
    parties: list[NewsApprovalOut]


class NewsPage(CursorPage):
    items: list[NewsOut]


class NewsIn(Schema):
    title: MultilingualIn
    body: MultilingualIn
    summary: MultilingualIn | None = None
    joint: bool = False
    parties: list[str] = Field(default_factory=list, max_length=50, description="Codes of the parties involved")
    issuing_party: str | None = Field(None, max_length=40)
    slug: str = Field("", max_length=80)


class NewsPublishIn(Schema):
    publish_at: datetime | None = Field(None, description="With its zone; default now")


class ApproveIn(Schema):
    party: str = Field(..., max_length=40, description="The party approving; you must be its liaison officer")


class NewsWithdrawIn(Schema):
    reason: str = Field(..., min_length=1, max_length=500)
