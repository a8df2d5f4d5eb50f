"""`spacebridge events …`: symposia, workshops and registrations (docs/events.md)."""

from __future__ import annotations

import click


@click.group(name="events")
def events() -> None:
    """Events."""
