"""`spacebridge search …`: query the platform-wide search and rebuild its index (docs/search.md).

``spacebridge search "QUERY"`` is short for ``spacebridge search query "QUERY"``: the group treats a first word
that is not one of its commands as the query."""

from __future__ import annotations

import json
from typing import Any

import click


class QueryOrCommand(click.Group):
    """A group whose first argument is either one of its commands or the query of the ``query`` command."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in {"-h", "--help"}:
            args = ["query", *args]
        return super().parse_args(ctx, args)


def _user(username: str) -> Any:
    from django.contrib.auth import get_user_model

    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise click.ClickException(f"There is no user “{username}”.")
    return user


@click.group(name="search", cls=QueryOrCommand)
def search() -> None:
    """Search every document, in Chinese, English and Russian; rebuild the search index."""


@search.command("query")
@click.argument("query")
@click.option(
    "--mode",
    type=click.Choice(["lexical", "hybrid"]),
    default=None,
    help="Words only, or words and meaning (default: SPACEBRIDGE_SEARCH_MODE).",
)
@click.option("--limit", type=click.IntRange(1, 100), default=20, show_default=True, help="Hits to show.")
@click.option(
    "--as", "username", default="", help="Search as this user (default: an anonymous visitor, public documents only)."
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print a JSON object whose `results` hold each hit's ref, type and title."
)
def query_command(query: str, mode: str | None, limit: int, username: str, as_json: bool) -> None:
    """Search for QUERY, as the search page and the API do."""
    from spacebridge.search.schemas import result_out
    from spacebridge.search.selectors import search as run_search

    result = run_search(user=_user(username), query=query, mode=mode or "", size=limit, with_facets=as_json)
    if as_json:
        click.echo(json.dumps(result_out(result), ensure_ascii=False, default=str, indent=2))
        return
    for code, labels in result.also_searched:
        click.echo(f"also searched ({code}): " + ", ".join(labels.values()))
    for number, hit in enumerate(result.hits, start=1):
        click.echo(f"{number:>3}  {hit.ref}  [{hit.type}]  {hit.title}")
    click.echo(f"{result.total} result{'s' if result.total != 1 else ''} ({result.mode}).")


@search.command("reindex")
@click.option("--kind", default="", help="Rebuild one kind of document only (e.g. record).")
@click.option("--no-embeddings", is_flag=True, help="Skip the semantic embeddings (lexical index only).")
def reindex_command(kind: str, no_embeddings: bool) -> None:
    """Rebuild the search index from the documents as they are now, with a progress bar."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from spacebridge.search import engine
    from spacebridge.search.index import reindex, reindex_size
    from spacebridge.search.models import SearchDocument
    from spacebridge.search.registry import kinds
    from spacebridge.search.semantic import EMBED_BATCH, embedder, embeddings_compute, embeddings_missing

    if kind and kind not in kinds():
        raise click.ClickException(f"There is no kind of document “{kind}” (known: {', '.join(sorted(kinds()))}).")
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=False) as progress:
        task = progress.add_task("Indexing", total=reindex_size(kind))
        total = reindex(kind=kind, progress=lambda n: progress.advance(task, n))
        if engine.enabled():
            task = progress.add_task("Building the tantivy index", total=SearchDocument.objects.count())
            engine.the_index().rebuild(progress=lambda n: progress.advance(task, n))
        embedded = 0
        if not no_embeddings and embedder() is not None:
            missing = embeddings_missing()
            task = progress.add_task("Embedding", total=len(missing))
            for start in range(0, len(missing), EMBED_BATCH * 4):
                chunk = missing[start : start + EMBED_BATCH * 4]
                embedded += embeddings_compute(chunk)
                progress.advance(task, len(chunk))
    click.echo(f"{total} documents indexed, {embedded} embeddings computed.")
