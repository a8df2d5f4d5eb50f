"""Backup and restore: a consistent snapshot of the database and the files, with a manifest of SHA-256 sums.

The database goes into a portable JSON dump (natural keys for content types, primary keys kept), so a backup made on SQLite restores on PostgreSQL
and back. The dump is taken inside one transaction (REPEATABLE READ on PostgreSQL; on SQLite the transaction
holds the write lock, so writers wait a moment instead of changing data under the dump) while the server runs.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import management
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "spacebridge-backup/1"
MANIFEST = "manifest.json"
DATABASE_DUMP = "database.json"
FILES_DIR = "files"
# Derived or short-lived data that a restore rebuilds or does not need.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


class BackupError(Exception):
    """A backup that cannot be written or a damaged backup that must not be restored; the message says why."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _dump_database(target: Path) -> dict[str, int]:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        with target.open("w", encoding="utf-8") as handle:
            management.call_command("dumpdata", natural_foreign=True, exclude=EXCLUDED, stdout=handle, verbosity=0)
        counts = {}
        for model in apps.get_models():
            label = model._meta.label_lower
            if (
                model._meta.managed
                and not model._meta.proxy
                and model._meta.app_label not in {"contenttypes", "sessions"}
            ):
                counts[label] = model._default_manager.count()
    return counts


def _copy_files(target: Path, progress: Callable[[int], None] | None) -> None:
    source = Path(settings.MEDIA_ROOT)
    target.mkdir(parents=True, exist_ok=True)
    if not source.exists():
        return
    for path in sorted(source.rglob("*")):
        if path.is_file():
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)
            if progress:
                progress(1)


def backup_create(*, path: Path, progress: Callable[[int], None] | None = None) -> dict:
    path = path.resolve()
    if path.exists() and any(path.iterdir()):
        raise BackupError(f"{path} is not empty: choose a new folder for the backup")
    path.mkdir(parents=True, exist_ok=True)
    counts = _dump_database(path / DATABASE_DUMP)
    _copy_files(path / FILES_DIR, progress)
    files = {str(p.relative_to(path)): _sha256(p) for p in sorted(path.rglob("*")) if p.is_file()}
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "database_vendor": connection.vendor,
        "counts": counts,
        "files": files,
    }
    manifest["migrations"] = sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())
    (path / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    return manifest


@dataclass(frozen=True)
class Verified:
    manifest: dict
    files: int


def backup_verify(*, path: Path) -> Verified:
    """Check the manifest against every file; raise BackupError naming the first problem."""
    manifest_path = path / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{path} has no {MANIFEST}: it is not a Spacebridge backup")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"{MANIFEST} is damaged: {exc}") from exc
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or not isinstance(manifest.get("files"), dict)
    ):
        raise BackupError(f"{MANIFEST} is not a {FORMAT} manifest")
    listed = manifest["files"]
    if DATABASE_DUMP not in listed:
        raise BackupError(f"the manifest lists no {DATABASE_DUMP}")
    present = {str(p.relative_to(path)) for p in path.rglob("*") if p.is_file()} - {MANIFEST}
    for name in sorted(set(listed) - present):
        raise BackupError(f"{name} is listed in the manifest but missing from the backup")
    for name in sorted(present - set(listed)):
        raise BackupError(f"{name} is in the backup but not in the manifest")
    for name, expected in sorted(listed.items()):
        if _sha256(path / name) != expected:
            raise BackupError(f"{name} is damaged: its SHA-256 does not match the manifest")
    return Verified(manifest, len(listed))


def _database_is_empty() -> bool:
    from spacebridge.audit.models import AuditEntry

    return not AuditEntry.objects.exists() and not apps.get_model("auth", "User").objects.exists()


def backup_restore(*, path: Path, progress: Callable[[int], None] | None = None) -> Verified:
    """Restore into an empty installation: verify first, then load the data in one transaction, then the files."""
    path = path.resolve()
    verified = backup_verify(path=path)
    management.call_command("migrate", interactive=False, verbosity=0)
    if not _database_is_empty():
        raise BackupError("the database is not empty: restore into a new data folder or an empty database")
    with transaction.atomic():
        management.call_command("loaddata", str(path / DATABASE_DUMP), verbosity=0, stdout=io.StringIO())
    from spacebridge.search.engine import the_index

    the_index().forget()  # a tantivy index beside the database holds other data now: rebuilt on the next search
    target = Path(settings.MEDIA_ROOT)
    source = path / FILES_DIR
    if source.exists():
        for file in sorted(source.rglob("*")):
            if file.is_file():
                destination = target / file.relative_to(source)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(file, destination)
                if progress:
                    progress(1)
    return verified
