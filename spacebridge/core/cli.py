"""Domain-free commands: serve, migrate, createadmin, check, backup, restore, worker."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click
from django.conf import settings
from django.core import management
from django.core.exceptions import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

console = Console(stderr=True)


def progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=not console.is_terminal,
    )


def run_migrations() -> None:
    management.call_command("migrate", interactive=False, verbosity=0)


def pending_migrations() -> list[str]:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def serve_wsgi(*, host: str, port: int, workers: int, threads: int) -> None:
    """Serve with gunicorn, a production WSGI server (never Django's runserver)."""
    from gunicorn.app.base import BaseApplication

    from spacebridge.wsgi import application

    class Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread" if threads > 1 else "sync")
            self.cfg.set("accesslog", "-")
            self.cfg.set("graceful_timeout", 10)

        def load(self):  # type: ignore[no-untyped-def]
            return application

    Server().run()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Worker processes.")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64), help="Threads per worker.")
def serve(host: str, port: int, workers: int, threads: int) -> None:
    """Serve the platform with a production WSGI server (gunicorn)."""
    pending = pending_migrations()
    if pending:
        raise click.ClickException(f"{len(pending)} migrations are not applied: run `spacebridge migrate` first.")
    click.echo(f"Spacebridge at http://{host}:{port}/  (data: {settings.DATA_DIR})")
    serve_wsgi(host=host, port=port, workers=workers, threads=threads)


@click.command()
def migrate() -> None:
    """Create or upgrade the database schema."""
    pending = pending_migrations()
    run_migrations()
    click.echo(f"Applied {len(pending)} migrations." if pending else "The database is up to date.")


@click.command()
@click.option("--username", prompt=True, help="User name of the new administrator.")
@click.option("--email", prompt=True, help="E-mail address (for password reset).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of a prompt.")
def createadmin(username: str, email: str, password_stdin: bool) -> None:
    """Create a platform administrator account."""
    from spacebridge.parties.models import Role
    from spacebridge.parties.services import account_create, role_assign

    password = sys.stdin.readline().rstrip("\n") if password_stdin else getpass.getpass("Password: ")
    try:
        user = account_create(username=username, email=email, password=password, superuser=True)
        role_assign(
            user=user, role=Role.objects.get(code="platform_admin"), party=None, by=user, check_permission=False
        )
    except ValidationError as error:
        raise click.ClickException("; ".join(error.messages)) from error
    click.echo(f"Administrator {username} created.")


@click.command()
@click.option("--deploy", is_flag=True, help="Also run Django's deployment checks (HTTPS, cookies, secret key).")
def check(deploy: bool) -> None:
    """Check the installation: configuration, database, migrations, and with --deploy the deployment settings."""
    from django.db import connection

    management.call_command("check", deploy=deploy, fail_level="ERROR")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    pending = pending_migrations()
    if pending:
        raise click.ClickException(f"{len(pending)} migrations are not applied: run `spacebridge migrate`.")
    click.echo(f"Database ({connection.vendor}) reachable; schema up to date; data folder {settings.DATA_DIR}.")


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
def backup(path: Path) -> None:
    """Write a consistent snapshot of the database and files to PATH (a new folder), with a SHA-256 manifest.
    Safe while the server runs."""
    from spacebridge.core.backup import BackupError, backup_create

    with progress_bar() as bar:
        task = bar.add_task("files", total=None)
        try:
            manifest = backup_create(path=path, progress=lambda n: bar.advance(task, n))
        except BackupError as error:
            raise click.ClickException(str(error)) from error
    click.echo(
        f"Backup written to {path}: {len(manifest['files'])} files, {sum(manifest['counts'].values())} database rows."
    )


@click.command()
@click.argument("path", type=click.Path(path_type=Path, exists=True, file_okay=False))
def restore(path: Path) -> None:
    """Restore the backup in PATH into this (empty) installation. The manifest is verified first; a damaged
    backup is refused and nothing is changed."""
    from spacebridge.core.backup import BackupError, backup_restore

    with progress_bar() as bar:
        task = bar.add_task("files", total=None)
        try:
            verified = backup_restore(path=path, progress=lambda n: bar.advance(task, n))
        except BackupError as error:
            raise click.ClickException(f"Backup refused: {error}") from error
    click.echo(f"Restored {verified.files} files from {path} (made {verified.manifest['created_at']}).")


@click.command()
@click.option("--batch", is_flag=True, help="Run what is queued now, then exit (for cron or a timer), instead of waiting.")
@click.option("--queue", "queues", multiple=True, help="Only this queue (repeatable); all queues by default.")
def worker(batch: bool, queues: tuple[str, ...]) -> None:
    """Run queued background work (e-mails, reminders, search embeddings) until stopped, or with --batch until the
    queue is empty. Needed when SPACEBRIDGE_TASKS is `database` (the default)."""
    backend = settings.TASKS["default"]["BACKEND"]
    if not backend.startswith("django_tasks_db."):
        raise click.ClickException(
            "Background work runs inside the requests here (SPACEBRIDGE_TASKS is not `database`): no worker is needed."
        )
    options: dict[str, object] = {"queue_name": ",".join(queues) if queues else "*", "verbosity": 1}
    if batch:
        options.update(batch=True, startup_delay=False)
    management.call_command("db_worker", **options)


COMMANDS = [serve, migrate, createadmin, check, backup, restore, worker]
