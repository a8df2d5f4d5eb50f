"""`spacebridge records …`: import with a dry run and line numbers, export through the access policy, thesaurus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from spacebridge.audit.models import AuditEntry
from spacebridge.core.multilingual import MultilingualText
from spacebridge.parties.tests.factories import PartyFactory, member_of
from spacebridge.records.cli import records
from spacebridge.records.models import Concept, Record
from spacebridge.records.tests.factories import shared_record

pytestmark = pytest.mark.django_db


def run(*arguments: str) -> object:
    return CliRunner().invoke(records, list(arguments), catch_exceptions=False)


def test_import_dry_run_reports_lines_and_writes_nothing(tmp_path: Path) -> None:
    party = PartyFactory(code="ibmp", country="RU")
    source = tmp_path / "records.jsonl"
    good = {"type": "dataset", "title": {"ru": "Данные", "en": "Data"}, "language": "ru"}
    source.write_text(
        "\n".join([json.dumps(good, ensure_ascii=False), '{"type": "dataset"}', json.dumps(good | {"type": "x"})]),
        encoding="utf-8",
    )
    result = run("import", str(source), "--format", "jsonl", "--party", party.code, "--dry-run")
    assert result.exit_code == 1
    assert "records.jsonl: line 2: title:" in result.output and "records.jsonl: line 3: type:" in result.output
    assert "Dry run, nothing written. 3 entries read: 1 would be created" in result.output
    assert not Record.objects.exists() and not AuditEntry.objects.exists()


def test_import_then_again_changes_nothing(tmp_path: Path) -> None:
    PartyFactory(code="ibmp", country="RU")
    source = tmp_path / "records.csv"
    source.write_text("type,language,title_ru,title_en,doi\ndataset,ru,Данные,Data,10.1000/x\n", encoding="utf-8-sig")
    first = run("import", str(source), "--format", "csv", "--party", "ibmp", "--release", "parties:CN")
    assert first.exit_code == 0, first.output
    assert "1 were created" in first.output
    again = run("import", str(source), "--format", "csv", "--party", "ibmp", "--release", "parties:CN")
    assert "0 were created, 0 updated, 1 unchanged" in again.output
    record = Record.objects.get()
    assert record.title.original == "ru" and AuditEntry.objects.filter(object_id=str(record.pk)).count() == 1


def test_import_names_an_unknown_party_and_a_bad_release(tmp_path: Path) -> None:
    source = tmp_path / "r.jsonl"
    source.write_text('{"type": "dataset", "title": {"en": "x"}}\n', encoding="utf-8")
    assert "There is no party “nobody”" in run("import", str(source), "--format", "jsonl", "--party", "nobody").output
    PartyFactory(code="acc")
    bad = run("import", str(source), "--format", "jsonl", "--party", "acc", "--release", "friends")
    assert bad.exit_code == 1 and "release: Give public, platform" in bad.output


def test_export_shows_each_user_only_what_they_may_see(tmp_path: Path) -> None:
    ibmp, acc, nasa = PartyFactory(code="ibmp", country="RU"), PartyFactory(code="acc", country="CN"), PartyFactory(code="nasa", country="US")  # fmt: skip
    chinese, american = member_of(acc, username="chen"), member_of(nasa, username="mitchell")
    assert chinese and american
    title = MultilingualText({"ru": "Только для китайской делегации", "en": "For the Chinese delegation"}, "ru")
    restricted = shared_record(owner_party=ibmp, level="parties", countries=("CN",), title=title)
    public = shared_record(owner_party=ibmp, title=MultilingualText({"en": "Everyone"}, "en"))
    draft = shared_record(owner_party=ibmp, publish=False, level="owner", title=MultilingualText({"en": "Draft"}, "en"))
    output = tmp_path / "out.ris"
    for user, sees in (("chen", True), ("mitchell", False), ("", False)):
        arguments = ["export", "--format", "ris", "--output", str(output)] + (["--as", user] if user else [])
        assert run(*arguments).exit_code == 0
        text = output.read_text(encoding="utf-8")
        assert public.reference in text and draft.reference not in text
        assert (restricted.reference in text) is sees, user
    only_nasa = run("export", "--format", "jsonl", "--party", "nasa")
    assert only_nasa.exit_code == 0 and only_nasa.output == ""


def test_thesaurus_load_from_a_csv_file(tmp_path: Path) -> None:
    source = tmp_path / "terms.csv"
    source.write_text("id,pref_en,pref_zh,pref_ru,broader\nsm,space medicine,航天医学,космическая медицина,\n"
                      "bl,bone loss,骨质流失,потеря костной массы,sm\n", encoding="utf-8")  # fmt: skip
    first = run("thesaurus", "load", str(source))
    assert first.exit_code == 0 and "2 concepts: 2 added" in first.output
    assert "0 added, 0 changed, 2 unchanged" in run("thesaurus", "load", str(source)).output
    assert Concept.objects.get(code="bl").broader.get().code == "sm"
    broken = tmp_path / "broken.csv"
    broken.write_text("id,pref_en,broader\nbl,bone loss,nowhere\n", encoding="utf-8")
    result = run("thesaurus", "load", str(broken))
    assert result.exit_code == 1 and "unknown concepts nowhere" in result.output
