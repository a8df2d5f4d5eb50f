"""Backup and restore as an administrator runs them: the `spacebridge` command in separate processes, each with
its own data folder on SQLite. The demo is loaded once for the module; every test restores its backup somewhere new."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db  # only for the shared test set-up; the commands use their own databases

DUMPDATA = [
    "dumpdata",
    "--natural-foreign",
    "--exclude",
    "contenttypes",
    "--exclude",
    "auth.permission",
    "--exclude",
    "sessions",
]


def _command() -> list[str]:
    script = Path(sys.executable).with_name("spacebridge")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from spacebridge.cli import main; main()"]


def run(data_dir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """One `spacebridge` command against the installation in ``data_dir``."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SPACEBRIDGE_TEST_POSTGRES", "SECRET_KEY"}}
    env.update(SPACEBRIDGE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="spacebridge.settings")
    if args and args[0] == "dumpdata":
        command = [sys.executable, "-m", "django", *args]
    else:
        command = [*_command(), *args]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, cwd=data_dir)
    if check:
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result


@dataclass(frozen=True)
class Installations:
    original: Path
    backup: Path
    original_dump: str
    restored: Path
    restored_dump: str


@pytest.fixture(scope="module")
def installations(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installations]:
    """Folder A with the demo, its backup, and folder B restored from it (restore needs an empty folder)."""
    root = tmp_path_factory.mktemp("backup")
    original, restored, backup = root / "a", root / "b", root / "backup-of-a"
    original.mkdir()
    restored.mkdir()
    run(original, "demo", "--no-serve")
    assert "Backup written to" in run(original, "backup", str(backup)).stdout
    assert "Restored" in run(restored, "restore", str(backup)).stdout
    yield Installations(
        original=original,
        backup=backup,
        original_dump=run(original, *DUMPDATA).stdout,
        restored=restored,
        restored_dump=run(restored, *DUMPDATA).stdout,
    )


def database_rows(folder: Path) -> dict[str, list[tuple]]:
    """Every row of every table of the installation's SQLite file, read directly (no process of its own)."""
    path = folder / "spacebridge.sqlite3"
    if not path.exists():
        return {}
    with closing(sqlite3.connect(path)) as database:
        tables = [name for (name,) in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        # Sorted in Python: some tables (the search index's full-text shadow tables) have no rowid to order by.
        return {table: sorted(database.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr) for table in tables}


def test_the_backup_has_a_manifest_of_every_file(installations):
    files = {str(path.relative_to(installations.backup)) for path in installations.backup.rglob("*") if path.is_file()}
    assert {"manifest.json", "database.json"} <= files


def differing_rows(original: str, restored: str) -> list[str]:
    """The rows that differ between two dumps, briefly, so a failure says what was lost or changed."""
    before = {(row["model"], json.dumps(row["pk"])): row for row in json.loads(original)}
    after = {(row["model"], json.dumps(row["pk"])): row for row in json.loads(restored)}
    return [
        f"{key}: {before.get(key)} -> {after.get(key)}"[:600]
        for key in sorted(before.keys() | after.keys())
        if before.get(key) != after.get(key)
    ][:10]


def to_the_millisecond(dump: str) -> str:
    """A backup keeps times to the millisecond, as Django's JSON does: a time 1–999 µs past a whole second dumps as
    ".000Z" before and as "Z" after the round trip. The same instant to the precision a backup keeps."""
    return re.sub(r'(T\d\d:\d\d:\d\d)\.000(Z|[+-]\d\d:\d\d)"', r'\1\2"', dump)


def test_restore_into_an_empty_folder_gives_the_same_data(installations):
    original, restored = to_the_millisecond(installations.original_dump), to_the_millisecond(installations.restored_dump)
    assert '"model": "parties.party"' in restored and "杨利伟" in restored
    assert not differing_rows(original, restored)
    assert restored == original  # byte for byte, in the same order


def test_the_restored_audit_chain_verifies(installations):
    entries = installations.original_dump.count('"model": "audit.auditentry"')
    assert entries > 0
    result = run(installations.restored, "audit", "verify")
    assert result.stdout.strip() == f"Audit chain intact: {entries} entries verified."


def test_a_backup_with_one_changed_byte_is_refused_and_nothing_is_restored(installations, tmp_path):
    damaged = tmp_path / "damaged"
    shutil.copytree(installations.backup, damaged)
    dump = damaged / "database.json"
    content = bytearray(dump.read_bytes())
    content[len(content) // 2] ^= 0x01
    dump.write_bytes(bytes(content))

    target = tmp_path / "c"
    target.mkdir()
    result = run(target, "restore", str(damaged), check=False)
    assert result.returncode == 1
    assert "Backup refused: database.json is damaged" in result.stderr
    assert not database_rows(target).get("parties_party")
    assert not database_rows(target).get("audit_auditentry")


def test_a_backup_is_not_restored_over_existing_data(installations):
    before = database_rows(installations.original)
    assert before["parties_party"]
    result = run(installations.original, "restore", str(installations.backup), check=False)
    assert result.returncode == 1
    assert "Backup refused: the database is not empty" in result.stderr
    assert database_rows(installations.original) == before
