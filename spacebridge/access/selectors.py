from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from spacebridge.access.models import ApiToken


def token_list(*, user: Any) -> QuerySet[ApiToken]:
    """A user's own tokens: nobody else's are ever listed."""
    return ApiToken.objects.filter(user=user)


def token_get_for_user(*, user: Any, pk: int) -> ApiToken:
    token = token_list(user=user).filter(pk=pk).first()
    if token is None:
        raise Http404
    return token
