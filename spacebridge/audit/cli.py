from __future__ import annotations

import click


@click.group()
def audit() -> None:
    """The hash-chained audit log."""


@audit.command()
def verify() -> None:
    """Recompute the whole chain and name the first entry that was changed, removed or reordered."""
    from spacebridge.audit.selectors import audit_count, audit_verify
    from spacebridge.core.cli import progress_bar

    with progress_bar() as bar:
        task = bar.add_task("audit entries", total=audit_count())
        report = audit_verify(progress=lambda n: bar.advance(task, n))
    if not report.ok:
        entry = report.broken_entry
        raise click.ClickException(
            f"Audit chain broken at entry #{entry.id} ({entry.verb} {entry.object_ref}, {entry.at.isoformat()}): "
            f"{report.reason}. {report.checked} entries before it are intact."
        )
    click.echo(f"Audit chain intact: {report.checked} entries verified.")
