"""`spacebridge groups …`: joint working groups, members and work plans (docs/groups.md)."""

from __future__ import annotations

import click


@click.group(name="groups")
def groups() -> None:
    """Joint working groups."""
