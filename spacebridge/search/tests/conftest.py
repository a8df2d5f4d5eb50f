"""Shared fixtures of the search tests: the semantic model is switched off unless a test asks for it."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _lexical_by_default(settings):  # type: ignore[no-untyped-def]
    settings.SEARCH_EMBEDDER = ""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(params=["database", "tantivy", "tantivy-shards"])
def each_engine(request, settings, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """Run the test with each full-text engine: the database's own, and tantivy in a folder of the test's own — in
    one shard, and in two as a large index is built (every answer merged from both)."""
    from spacebridge.search import engine

    settings.SEARCH_ENGINE = request.param.split("-")[0]
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    if request.param == "tantivy-shards":
        monkeypatch.setattr(engine, "shard_count", lambda documents: 2)
    return settings.SEARCH_ENGINE
