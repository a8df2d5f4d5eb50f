from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from spacebridge.liaison.permissions import can_run


def require_run(user: Any, group: Any) -> None:
    if not can_run(user, group):
        raise PermissionDenied


def int_or_404(value: str) -> int:
    if not value.isdigit() or len(value) > 18:
        raise Http404
    return int(value)
