"""Shared fixtures of the search tests: the semantic model is switched off unless a test asks for it."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _lexical_by_default(settings):  # type: ignore[no-untyped-def]
    settings.SEARCH_EMBEDDER = ""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(params=["database", "tantivy"])
def each_engine(request, settings, tmp_path):  # type: ignore[no-untyped-def]
    """Run the test with each full-text engine: the database's own, and tantivy in a folder of the test's own."""
    settings.SEARCH_ENGINE = request.param
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    return request.param
