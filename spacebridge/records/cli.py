"""`spacebridge records …`: import and export records, load the thesaurus (docs/cli.md, docs/records-import.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from spacebridge.records.formats import EXPORT_FORMATS, IMPORT_FORMATS

IMPORT_ORDER = ["jsonl", "csv", "bibtex", "ris", "datacite", "csl-json", "dc-xml", "nasa-csv", "techport"]
EXPORT_ORDER = ["bibtex", "ris", "csl-json", "datacite-json", "dc-xml", "csv", "jsonl"]


def _names(order: list[str], registry: dict[str, Any]) -> list[str]:
    return [name for name in order if name in registry] + sorted(set(registry) - set(order))


def _user(username: str) -> Any:
    from django.contrib.auth import get_user_model

    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise click.ClickException(f"There is no user “{username}”.")
    return user


def _party(code: str) -> Any:
    from spacebridge.parties.models import Party

    party = Party.objects.filter(code=code.strip().lower()).first()
    if party is None:
        raise click.ClickException(f"There is no party “{code}” (see `spacebridge parties list`).")
    return party


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise click.ClickException(f"{path} is not UTF-8 text ({error.reason} at byte {error.start}).") from None


@click.group()
def records() -> None:
    """The exchange registry: import and export records, load the thesaurus."""


@records.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "format_name",
    required=True,
    type=click.Choice(_names(IMPORT_ORDER, IMPORT_FORMATS)),
    help="Format of the file (docs/records-import.md).",
)
@click.option("--party", required=True, help="Code of the owner party the records are shared by.")
@click.option(
    "--release",
    default=None,
    help="Who may see the records: public, platform, owner, parties:CN,RU,ibmp or group:WG-MED. "
    "New records default to owner; existing records keep their release unless this is given.",
)
@click.option("--draft", is_flag=True, help="Leave new records as drafts instead of publishing them.")
@click.option("--dry-run", is_flag=True, help="Validate and match every entry, report, and write nothing.")
@click.option(
    "--as",
    "username",
    default="",
    help="Act as this user: their permissions are checked and the audit log names them. "
    "Default: the command line, unchecked.",
)
@click.option(
    "--batch-size", default=2000, show_default=True, type=click.IntRange(1, 10000), help="Records per transaction."
)
def import_command(
    path: Path,
    format_name: str,
    party: str,
    release: str | None,
    draft: bool,
    dry_run: bool,
    username: str,
    batch_size: int,
) -> None:
    """Import the records in PATH for a party. Each invalid entry is reported with its line and reason; a re-import
    updates the records it matches by identifier and never duplicates. Exit status 1 when any entry was invalid."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from spacebridge.core.cli import progress_bar
    from spacebridge.records.importing import entry_count, import_records, problem_text

    text = _read(path)
    owner_party, user = _party(party), _user(username)
    with progress_bar() as bar:
        task = bar.add_task("dry run" if dry_run else "import", total=entry_count(text, format_name))
        try:
            report = import_records(
                text=text,
                format_name=format_name,
                owner_party=owner_party,
                by=user or "command line",
                release=release,
                publish=not draft,
                dry_run=dry_run,
                batch_size=batch_size,
                progress=lambda n: bar.advance(task, n),
            )
        except ValidationError as error:
            raise click.ClickException(problem_text(error)) from None
        except PermissionDenied as error:
            raise click.ClickException(str(error)) from None
    for problem in report.skipped:
        click.echo(f"{path.name}: {problem}", err=True)
    for problem in report.errors:
        click.echo(f"{path.name}: {problem}", err=True)
    click.echo(("Dry run, nothing written. " if dry_run else "") + report.summary())
    if report.errors:
        sys.exit(1)


@records.command("export")
@click.option(
    "--format",
    "format_name",
    required=True,
    type=click.Choice(_names(EXPORT_ORDER, EXPORT_FORMATS)),
    help="Export format.",
)
@click.option("--party", default="", help="Only the records this party owns.")
@click.option(
    "--as",
    "username",
    default="",
    help="Export what this user may see. Default: an anonymous visitor, who sees public records only.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Write to this file instead of standard output.",
)
def export_command(format_name: str, party: str, username: str, output: Path | None) -> None:
    """Export the published records a user may see (through the access policy), oldest first."""
    from spacebridge.records.formats import export_records
    from spacebridge.records.models import Record
    from spacebridge.records.selectors import records_visible

    user = _user(username)
    visible = records_visible(user=user).filter(status=Record.Status.PUBLISHED)
    if party:
        visible = visible.filter(owner_party=_party(party))
    text = export_records(visible.select_related("type", "owner_party").order_by("id"), format_name)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {EXPORT_FORMATS[format_name].label} to {output}.", err=True)


@records.group()
def thesaurus() -> None:
    """The trilingual space-medicine thesaurus."""


@thesaurus.command("load")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def thesaurus_load_command(path: Path | None) -> None:
    """Load the thesaurus from PATH: the shipped format (.json), CSV (.csv: id, pref_en, pref_zh, pref_ru, alt_en,
    alt_zh, alt_ru, broader) or SKOS RDF/XML (any other name). Without PATH, the thesaurus shipped with Spacebridge.
    Loading again changes only what changed."""
    from django.core.exceptions import ValidationError

    from spacebridge.records.thesaurus import thesaurus_load

    try:
        if path is None:
            report = thesaurus_load(by="command line")
        else:
            report = thesaurus_load(text=_read(path), name=path.name, by="command line")
    except ValidationError as error:
        raise click.ClickException("; ".join(error.messages[:20])) from None
    click.echo(report.summary())
