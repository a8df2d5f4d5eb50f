"""Shared fixtures of the search tests: the semantic model is switched off unless a test asks for it."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _lexical_by_default(settings):  # type: ignore[no-untyped-def]
    settings.SEARCH_EMBEDDER = ""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
