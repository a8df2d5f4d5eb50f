"""`spacebridge projects …`: the joint projects portfolio (docs/projects.md)."""

from __future__ import annotations

import click


@click.group(name="projects")
def projects() -> None:
    """Joint projects."""
