"""`spacebridge backup` then `spacebridge restore` into an empty installation gives the same data."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.core import management

EXPORTED = ["parties", "groups", "access", "audit", "auth.user"]


def export() -> list[dict[str, Any]]:
    """The cooperation's data as `dumpdata` sees it, in a stable order."""
    out = io.StringIO()
    management.call_command("dumpdata", *EXPORTED, natural_foreign=True, stdout=out, verbosity=0)
    # Django's JSON keeps times to the millisecond: a time 1–999 µs past a second dumps as ".000Z" and is restored
    # as a whole second, which dumps as "Z". The same instant to the precision a backup keeps.
    text = re.sub(r'(T\d\d:\d\d:\d\d)\.000(Z|[+-]\d\d:\d\d)"', r'\1\2"', out.getvalue())
    return sorted(json.loads(text), key=lambda row: (row["model"], str(row["pk"])))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_then_restore_into_an_empty_database_gives_the_same_data(demo_cast: Any, tmp_path: Path) -> None:
    from spacebridge.cli import main
    from spacebridge.parties.models import Party

    before = export()
    runner = CliRunner()
    backup = runner.invoke(main, ["backup", str(tmp_path / "backup")])
    assert backup.exit_code == 0, backup.output

    management.call_command("flush", interactive=False, verbosity=0)
    assert not Party.objects.exists()
    restore = runner.invoke(main, ["restore", str(tmp_path / "backup")])
    assert restore.exit_code == 0, restore.output

    after = export()
    assert len(after) == len(before)
    assert after == before
    ibmp = Party.objects.get(code="ibmp")
    assert ibmp.name.original == "ru" and ibmp.name.text["zh"] == "俄罗斯科学院生物医学问题研究所"
    verify = runner.invoke(main, ["audit", "verify"])
    assert verify.exit_code == 0 and "intact" in verify.output


# Backups run outside any transaction (on PostgreSQL the dump opens its own REPEATABLE READ transaction).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_damaged_backup_is_refused_and_changes_nothing(demo_cast: Any, tmp_path: Path) -> None:
    from spacebridge.cli import main

    runner = CliRunner()
    assert runner.invoke(main, ["backup", str(tmp_path / "backup")]).exit_code == 0
    dump = tmp_path / "backup" / "database.json"
    dump.write_text(dump.read_text(encoding="utf-8").replace("IBMP", "IBMX", 1), encoding="utf-8")
    before = export()
    restore = runner.invoke(main, ["restore", str(tmp_path / "backup")])
    assert restore.exit_code == 1
    assert "database.json is damaged" in restore.output
    assert export() == before
