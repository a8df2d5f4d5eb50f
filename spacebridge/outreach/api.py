"""News and joint announcements: published news for everyone; writing, publishing, approving and withdrawing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from spacebridge.access.policy import visible
from spacebridge.core.api import PROBLEMS, keyset_page, require_member
from spacebridge.core.multilingual import MultilingualText, validate_multilingual
from spacebridge.outreach import selectors, services
from spacebridge.outreach.models import NewsItem
from spacebridge.outreach.schemas import ApproveIn, NewsIn, NewsOut, NewsPage, NewsPublishIn, NewsWithdrawIn
from spacebridge.parties.models import Party

router = Router(tags=["outreach"])


def news_out(item: NewsItem, request: HttpRequest) -> dict[str, Any]:
    return {
        "slug": item.slug,
        "url": request.build_absolute_uri(item.get_absolute_url()),
        "title": item.title.to_json(),
        "summary": item.summary.to_json(),
        "body": item.body.to_json(),
        "languages": item.languages(),
        "joint": item.joint,
        "issuing_party": item.issuing_party.code if item.issuing_party else None,
        "status": item.status,
        "publish_at": item.publish_at,
        "parties": [{"party": a.party.code, "approved_at": a.approved_at} for a in item.approvals.all()],
    }


def _text(value: Any, field: str, required: bool = True) -> MultilingualText:
    text = MultilingualText(dict(value.text), value.original) if value is not None else MultilingualText()
    try:
        validate_multilingual(text, required=required, max_length=20000)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error
    return text


def _party(code: str, request: HttpRequest, field: str) -> Party:
    party = visible(Party.objects.all(), request.auth).filter(code=code).first()  # type: ignore[attr-defined]
    if party is None:
        raise ValidationError({field: _("There is no party with the code “%(value)s”.") % {"value": code[:60]}})
    return party


def _item(request: HttpRequest, slug: str) -> NewsItem:
    return selectors.news_get_for_user(user=request.auth, slug=slug)  # type: ignore[attr-defined]


class NewsFilters(Schema):
    language: str = ""
    cursor: str | None = None
    limit: int = 50


@router.get("/", response={200: NewsPage, **PROBLEMS}, summary="Published news, newest first")
def news_list(request: HttpRequest, filters: Query[NewsFilters]) -> dict[str, Any]:
    if not 1 <= filters.limit <= 200:
        raise ValidationError({"limit": _("Ask for between 1 and %(most)d items.") % {"most": 200}})
    items = selectors.news_live(user=request.auth, language=filters.language[:3])  # type: ignore[attr-defined]
    rows, next_cursor = keyset_page(items, cursor=filters.cursor, limit=filters.limit)
    return {"items": [news_out(item, request) for item in rows], "next_cursor": next_cursor}


@router.post("/", response={201: NewsOut, **PROBLEMS}, summary="Write a news item (a draft)")
def news_create(request: HttpRequest, payload: NewsIn) -> Status:
    user = require_member(request)
    item = services.news_create(
        by=user, title=_text(payload.title, "title"), body=_text(payload.body, "body"),
        summary=_text(payload.summary, "summary", required=False), joint=payload.joint,
        parties=[_party(code, request, "parties") for code in payload.parties],
        issuing_party=_party(payload.issuing_party, request, "issuing_party") if payload.issuing_party else None,
        slug=payload.slug,
    )
    return Status(201, news_out(_item(request, item.slug), request))


@router.get("/{slug}", response={200: NewsOut, **PROBLEMS}, summary="One news item")
def news_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    return news_out(_item(request, slug), request)


@router.post("/{slug}/publish", response={200: NewsOut, **PROBLEMS}, summary="Schedule a draft, or submit a joint announcement for approval")
def news_publish(request: HttpRequest, slug: str, payload: NewsPublishIn) -> dict[str, Any]:
    user = require_member(request)
    services.news_publish(item=_item(request, slug), by=user, publish_at=payload.publish_at)
    return news_out(_item(request, slug), request)


@router.post("/{slug}/approve", response={200: NewsOut, **PROBLEMS}, summary="Approve a joint announcement for your party")
def news_approve(request: HttpRequest, slug: str, payload: ApproveIn) -> dict[str, Any]:
    user = require_member(request)
    services.announcement_approve(item=_item(request, slug), by=user, party=_party(payload.party, request, "party"))
    return news_out(_item(request, slug), request)


@router.post("/{slug}/withdraw", response={200: NewsOut, **PROBLEMS}, summary="Withdraw a news item")
def news_withdraw(request: HttpRequest, slug: str, payload: NewsWithdrawIn) -> dict[str, Any]:
    user = require_member(request)
    services.news_withdraw(item=_item(request, slug), by=user, reason=payload.reason)
    return news_out(_item(request, slug), request)
