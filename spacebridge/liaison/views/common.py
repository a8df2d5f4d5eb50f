from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from spacebridge.core.forms import apply_validation_error
from spacebridge.liaison.permissions import can_run


def require_run(user: Any, group: Any) -> None:
    if not can_run(user, group):
        raise PermissionDenied


def service_call(form: Any, call: Any) -> Any:
    """Run a service; its ValidationError lands on the form, and the call's result (or None) comes back."""
    try:
        return call()
    except ValidationError as exc:
        apply_validation_error(form, exc)
        return None


def int_or_404(value: str) -> int:
    if not value.isdigit() or len(value) > 18:
        raise Http404
    return int(value)
