"""Test set-up shared by every app: the database choice, and factories' common fixtures.

The suite runs on SQLite by default. With SPACEBRIDGE_TEST_POSTGRES=1 it runs on PostgreSQL (DATABASE_URL, or
127.0.0.1:5432); where no server is reachable every test is skipped with the reason, instead of failing.
"""

from __future__ import annotations

import os

import pytest

_POSTGRES_PROBLEM: str | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _POSTGRES_PROBLEM
    if os.environ.get("SPACEBRIDGE_TEST_POSTGRES", "") not in {"1", "true", "yes", "on"}:
        return
    from django.conf import settings

    database = settings.DATABASES["default"]
    try:
        import psycopg

        psycopg.connect(
            host=database.get("HOST") or "127.0.0.1", port=database.get("PORT") or 5432,
            user=database.get("USER") or "postgres", password=database.get("PASSWORD") or None,
            dbname=database.get("NAME") or "postgres", connect_timeout=3,
        ).close()
    except Exception as exc:  # any failure to connect means: skip, and say why
        _POSTGRES_PROBLEM = f"PostgreSQL run requested but no server is reachable: {exc}".strip()


def pytest_report_header(config: pytest.Config) -> str:
    from django.conf import settings

    return f"spacebridge database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # A transactional test empties every table when it ends, the rows the data migrations wrote (roles, permissions,
    # content types) included; the next test in the same process would find them missing, or re-created under other
    # ids. So every transactional test restores the database as the migrations left it.
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is not None and marker.kwargs.get("transaction") and "serialized_rollback" not in marker.kwargs:
            item.add_marker(pytest.mark.django_db(*marker.args, **marker.kwargs, serialized_rollback=True), append=False)
    if _POSTGRES_PROBLEM:
        skip = pytest.mark.skip(reason=_POSTGRES_PROBLEM)
        for item in items:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _english_and_clean_cache(settings):  # type: ignore[no-untyped-def]
    """Each test starts in English with an empty cache (rate-limit counters live there)."""
    from django.core.cache import cache
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    # Argon2 is deliberately slow; tests that are not about hashing use a fast hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher",
                                 "django.contrib.auth.hashers.Argon2PasswordHasher"]
    cache.clear()
    with translation.override("en"):
        yield
