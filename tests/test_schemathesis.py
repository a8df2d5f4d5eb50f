"""schemathesis against the API, in-process through the WSGI application: no operation answers a server error,
and every status an operation answers is one its OpenAPI document declares.

Each operation runs twice over the demo content (loaded once for the module): as the demo secretariat officer with
a personal token, through all of schemathesis's phases (the schema's examples, the coverage phase's boundary and
missing-value cases, and MAX_EXAMPLES fuzzed cases), and as an anonymous visitor, without the coverage phase (most
of its cases end at the same 401 or public list), so the suite stays quick.
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

member_schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
visitor_schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json",
    application,
    config=schemathesis.config.SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}}),
)

HYPOTHESIS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure here is reproducible, not flaky
    suppress_health_check=list(HealthCheck),
    database=None,
)
CHECKS = [not_a_server_error, status_code_conformance]
PAGE_SIZE = 10  # the largest page asked for; the invalid limits (0, 201 and beyond) stay as generated


def bounded(case: Any) -> Any:
    """Valid page sizes above PAGE_SIZE, and the default of 50, only cost time (each item carries its "who can see
    this" explanation): a page of 50 or 200 tests nothing that a page of 10 does not. test_openapi.py covers the
    default page size. (Done on the case, as the coverage phase does not pass through schemathesis's map hooks.)"""
    if "limit" not in {parameter.name for parameter in case.operation.query}:
        return case
    query = dict(case.query or {})
    limit = query.get("limit", PAGE_SIZE)
    # The coverage phase sends query values as strings ("50"), the fuzzing phase as numbers.
    if str(limit).isdigit() and PAGE_SIZE < int(limit) <= 200:
        limit = PAGE_SIZE
    query["limit"] = limit
    case.query = query
    return case


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
def token_header(module_demo_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {module_demo_token}"}


@pytest.mark.django_db
@member_schema.parametrize()
@HYPOTHESIS
def test_api_as_a_signed_in_member(case: Any, token_header: dict[str, str]) -> None:
    bounded(case).call_and_validate(headers=token_header, checks=CHECKS)


@pytest.mark.django_db
@visitor_schema.parametrize()
@HYPOTHESIS
def test_api_as_an_anonymous_visitor(case: Any, module_demo_token: str) -> None:
    case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    bounded(case).call_and_validate(checks=CHECKS)
