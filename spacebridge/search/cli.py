"""`spacebridge search …`: query the platform-wide search and rebuild its index (docs/search.md)."""

from __future__ import annotations

import click


@click.group(name="search")
def search() -> None:
    """Search."""
