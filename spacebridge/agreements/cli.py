"""`spacebridge agreements …`: agreements, their texts and signatures (docs/agreements.md)."""

from __future__ import annotations

import click


@click.group(name="agreements")
def agreements() -> None:
    """Agreements."""
