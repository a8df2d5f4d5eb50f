"""Fixtures of the top-level tests (docs, API contract, schemathesis, browser): the demo content and its people."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture
def demo(db: Any) -> Any:
    """The demo content of `spacebridge demo` (Wenchang 2018); returns its secretariat officer."""
    from spacebridge.demo import demo_load

    assert demo_load()
    return demo_secretariat()


def demo_secretariat() -> Any:
    from django.contrib.auth import get_user_model

    from spacebridge.demo import DEMO_USERNAME

    return get_user_model().objects.get(username=DEMO_USERNAME)


@pytest.fixture
def demo_cast(db: Any) -> Any:
    """A quicker part of the demo for tests that run many times: the secretariat officer, every party and the first
    few people (Yang Liwei among them, with their accounts and roles), without the working groups."""
    import json

    from spacebridge import demo as demo_module
    from spacebridge.parties.models import Role
    from spacebridge.parties.services import account_create, role_assign

    spec = json.loads(demo_module.DEMO_FILE.read_text(encoding="utf-8"))
    secretariat = account_create(
        username=demo_module.DEMO_USERNAME,
        email="secretariat@example.org",
        password=demo_module.DEMO_PASSWORD,
        staff=True,
    )
    role_assign(
        user=secretariat, role=Role.objects.get(code="secretariat"), party=None, by=secretariat, check_permission=False
    )
    parties = demo_module._load_parties(spec, secretariat)
    demo_module._load_people({**spec, "people": spec["people"][:4]}, parties, secretariat)
    return secretariat


@pytest.fixture
def cast_token(demo_cast: Any) -> str:
    """A personal API token of the secretariat officer of ``demo_cast``."""
    from spacebridge.access.services import token_create

    _token, secret = token_create(user=demo_cast, name="tests", expires_at=None)
    return secret


@pytest.fixture(scope="module")
def module_demo_token(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """The whole demo, loaded once for a module, and a personal API token of its secretariat officer.

    The data lives in a transaction that is rolled back when the module is done; each test of the module (marked
    ``django_db``) runs in a savepoint inside it, so a test's writes never reach the next test."""
    from django.db import transaction
    from django.test import override_settings

    from spacebridge.access.services import token_create
    from spacebridge.demo import demo_load

    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            assert demo_load()
        _token, secret = token_create(user=demo_secretariat(), name="tests", expires_at=None)
        yield secret
        transaction.set_rollback(True)
