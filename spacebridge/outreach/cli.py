"""`spacebridge news …`: news, joint announcements and the public portal (docs/outreach.md)."""

from __future__ import annotations

import click


@click.group(name="news")
def news() -> None:
    """Public outreach."""
