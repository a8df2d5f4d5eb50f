from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from spacebridge.agreements.models import Agreement
from spacebridge.agreements.selectors import agreement_get_for_user
from spacebridge.core.forms import apply_validation_error


def load(request: HttpRequest, reference: str) -> Agreement:
    """Fetch and authorise: a 404 for an agreement the viewer may not see."""
    return agreement_get_for_user(user=request.user, reference=reference)


def attempt(form: Any, action: Any) -> tuple[Any, int]:
    """Run a service call; a refusal shows on the form (400 for bad input, 403 for a missing permission)."""
    try:
        return action(), 200
    except ValidationError as error:
        apply_validation_error(form, error)
        return None, 400
    except PermissionDenied as error:
        form.add_error(None, str(error))
        return None, 403
