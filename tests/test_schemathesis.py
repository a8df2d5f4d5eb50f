"""schemathesis against the API, in-process through the WSGI application: no operation answers a server error,
and every status an operation answers is one its OpenAPI document declares.

Each operation runs twice, as the demo secretariat officer with a personal token and as an anonymous visitor,
over part of the demo content, with a bounded number of generated examples so the suite stays quick.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from spacebridge.wsgi import application

MAX_EXAMPLES = 25

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

HYPOTHESIS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure here is reproducible, not flaky
    suppress_health_check=list(HealthCheck),
    database=None,
)
CHECKS = [not_a_server_error, status_code_conformance]


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Calls go straight to the WSGI application, whose request signals would close the database connection that
    holds the test's transaction (on PostgreSQL); Django's own test client disconnects them in the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token_header(cast_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {cast_token}"}


@pytest.mark.django_db
@schema.parametrize()
@HYPOTHESIS
def test_api_as_a_signed_in_member(case: Any, token_header: dict[str, str]) -> None:
    case.call_and_validate(headers=token_header, checks=CHECKS)


@pytest.mark.django_db
@schema.parametrize()
@HYPOTHESIS
def test_api_as_an_anonymous_visitor(case: Any, demo_cast: Any) -> None:
    case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    case.call_and_validate(checks=CHECKS)
