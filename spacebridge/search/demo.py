"""The search index of the demo content: built once the other parts' demo content is loaded."""

from __future__ import annotations

from spacebridge.search.index import reindex


def search_demo_load() -> int:
    """Index every searchable document of the demo (its embeddings are computed in the background)."""
    return reindex()
