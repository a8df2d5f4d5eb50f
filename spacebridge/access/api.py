from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from spacebridge.access import selectors, services
from spacebridge.access.models import ApiToken
from spacebridge.access.schemas import TokenCreated, TokenIn, TokenOut
from spacebridge.core.api import PROBLEMS, require_member

router = Router(tags=["access"])


def _token_out(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
        "active": token.is_active,
    }


@router.get("/tokens/", response={200: list[TokenOut], **PROBLEMS}, summary="Your API tokens")
def token_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = require_member(request)
    return [_token_out(t) for t in selectors.token_list(user=user)]


@router.post("/tokens/", response={201: TokenCreated, **PROBLEMS}, summary="Create an API token")
def token_create(request: HttpRequest, payload: TokenIn) -> Status:
    user = require_member(request)
    token, secret = services.token_create(user=user, name=payload.name, expires_at=payload.expires_at)
    return Status(201, {**_token_out(token), "token": secret})


@router.delete("/tokens/{int:token_id}", response={200: TokenOut, **PROBLEMS}, summary="Revoke an API token")
def token_revoke(request: HttpRequest, token_id: int) -> dict[str, Any]:
    user = require_member(request)
    token = selectors.token_get_for_user(user=user, pk=token_id)
    return _token_out(services.token_revoke(token=token, by=user))
