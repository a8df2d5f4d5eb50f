from __future__ import annotations

import click


@click.group()
def parties() -> None:
    """Parties, delegations and people."""


@parties.command("list")
@click.option("--country", default="", help="Only the parties of this delegation (ISO 3166-1 code).")
@click.option("--query", "-q", default="", help="A name in any script.")
def party_list(country: str, query: str) -> None:
    """List the parties."""
    from spacebridge.parties.selectors import party_list as select

    for party in select(query=query, country=country):
        click.echo(f"{party.code:<16} {party.country.code:<3} {party.kind:<20} {party.status:<9} {party.short_name}")


@parties.command("people")
@click.option("--query", "-q", default="", help="A name in any script, e.g. 杨利伟, Yang Liwei or Ян Ливэй.")
def person_list(query: str) -> None:
    """List or search the people."""
    from spacebridge.parties.selectors import person_list as select

    for person in select(query=query):
        names = " / ".join(n["text"] for n in person.names)
        click.echo(f"{person.pk:>5}  {names}")
