"""`spacebridge liaison …`: liaison series, meetings, minutes, decisions and actions (docs/liaison.md)."""

from __future__ import annotations

import click


@click.group(name="liaison")
def liaison() -> None:
    """Liaison meetings."""
