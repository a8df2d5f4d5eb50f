"""The `spacebridge` command: gathers what the parts offer."""

from __future__ import annotations

import os

import click


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spacebridge.settings")
    import django

    django.setup()


_setup()

from spacebridge.agreements.cli import agreements  # noqa: E402
from spacebridge.audit.cli import audit  # noqa: E402
from spacebridge.core.cli import COMMANDS, run_migrations, serve_wsgi  # noqa: E402
from spacebridge.events.cli import events  # noqa: E402
from spacebridge.groups.cli import groups  # noqa: E402
from spacebridge.liaison.cli import liaison  # noqa: E402
from spacebridge.outreach.cli import news  # noqa: E402
from spacebridge.parties.cli import parties  # noqa: E402
from spacebridge.projects.cli import projects  # noqa: E402
from spacebridge.records.cli import records  # noqa: E402
from spacebridge.search.cli import search  # noqa: E402


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Spacebridge: the cooperation and exchange platform for space technology in health, medicine and the life
    sciences. Settings come from environment variables (docs/settings.md)."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--no-serve", is_flag=True, help="Prepare the demo and exit without serving.")
def demo(host: str, port: int, no_serve: bool) -> None:
    """Create the data folder and database, load the demo content once, and serve it."""
    from django.conf import settings

    from spacebridge.demo import DEMO_PASSWORD, DEMO_USERNAME, demo_load

    if "SPACEBRIDGE_TASKS" not in os.environ:
        # A demo is one process: background work (e-mails, embeddings) runs inside the requests, no worker needed.
        settings.TASKS = {"default": {"BACKEND": settings.TASK_BACKENDS["immediate"]}}
    run_migrations()
    loaded = demo_load()
    click.echo(("Demo content loaded" if loaded else "Existing data kept") + f" in {settings.DATA_DIR}")
    click.echo(f"\n  Open   http://{host}:{port}/\n  Login  {DEMO_USERNAME} / {DEMO_PASSWORD}\n")
    if not no_serve:
        serve_wsgi(host=host, port=port, workers=2, threads=4)


for command in COMMANDS:
    main.add_command(command)
main.add_command(audit)
main.add_command(parties)
main.add_command(records)
for _group in (search, groups, liaison, agreements, projects, events, news):
    if _group.commands:  # a part offers its group once it has a command
        main.add_command(_group)
