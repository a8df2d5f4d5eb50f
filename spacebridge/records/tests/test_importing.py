"""Importing: dry runs that name every bad line and write nothing, idempotent re-imports, batches that never leave
half a record, the NASA sources, and the audit chain after a bulk import."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import IntegrityError, connection

from spacebridge.access.models import Level, Marking, ReleasePolicy
from spacebridge.access.policy import can_see, policy_of
from spacebridge.audit.models import AuditEntry
from spacebridge.audit.selectors import audit_verify
from spacebridge.parties.tests.factories import PartyFactory, member_of
from spacebridge.records.importing import import_records, importer
from spacebridge.records.metadata import record_metadata
from spacebridge.records.models import Contributor, Identifier, Record, RecordVersion, ReleaseDecision
from spacebridge.records.tests.factories import ConceptFactory

pytestmark = pytest.mark.django_db

DATA = Path("/work/shared/data/space_metadata")
DEMO = Path(__file__).resolve().parents[1] / "demo"
ROOT = Path(__file__).resolve().parents[3]


def nasa_publications() -> str:
    for folder in (DEMO, DATA):
        if (folder / "nasa_space_biology_608_publications_PMC.csv").exists():
            return (folder / "nasa_space_biology_608_publications_PMC.csv").read_text(encoding="utf-8-sig")
    pytest.skip("the NASA publication list is not available")


def techport_projects() -> str:
    for folder in (DEMO, DATA):
        if (folder / "nasa_techport_projects_sample.json").exists():
            return (folder / "nasa_techport_projects_sample.json").read_text(encoding="utf-8")
    pytest.skip("the TechPort sample is not available")


def line(**entry: Any) -> str:
    base = {"type": "publication", "title": {"en": "Bone loss"}}
    return json.dumps(base | entry, ensure_ascii=False)


def lines(*entries: str) -> str:
    return "\n".join(entries) + "\n"


@pytest.fixture
def nasa() -> Any:
    return PartyFactory(code="nasa", country="US")


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Record, Identifier, Contributor, RecordVersion, ReleasePolicy, AuditEntry))


def test_the_documented_json_lines_example_imports() -> None:
    party = PartyFactory()
    example = (
        '{"type": "publication", "title": {"en": "Bone loss in microgravity", "zh": "微重力下的骨丢失"}, '
        '"abstract": {"en": "Ten astronauts."}, "keywords": {"en": ["bone loss"]}, '
        '"identifiers": [{"scheme": "url", "value": "https://example.org/1"}], '
        '"published": "2019-05-01", "licence": "CC-BY-4.0"}'
    )
    report = import_records(text=example, format_name="jsonl", owner_party=party, by="tests", release="public")
    assert report.ok and len(report.created) == 1
    record = Record.objects.get(reference=report.created[0])
    assert record.status == Record.Status.PUBLISHED and record.version == 1
    assert record.title.text == {"en": "Bone loss in microgravity", "zh": "微重力下的骨丢失"}
    assert record.published_on.isoformat() == "2019-05-01" and record.licence == "CC-BY-4.0"
    assert policy_of(record).level == Level.PUBLIC and can_see(None, record)


def test_a_dry_run_names_every_invalid_line_and_writes_nothing() -> None:
    party = PartyFactory()
    text = lines(
        line(identifiers=[{"scheme": "doi", "value": "10.1000/ok.1"}]),
        line(title={}),
        "{not json",
        "",
        line(type="poem"),
        line(identifiers=[{"scheme": "doi", "value": "not-a-doi"}]),
        line(published="May 2019", title={"en": "Other"}),
        line(keywords={"xx": ["a"]}, title={"en": "Third"}),
        line(identifiers=[{"scheme": "doi", "value": "10.1000/ok.2"}], title={"en": "Fine"}),
        '["a list"]',
        line(colour="blue", title={"en": "Fourth"}),
    )
    before = counts()
    report = import_records(text=text, format_name="jsonl", owner_party=party, by="tests", dry_run=True)
    assert counts() == before
    assert [(p.line, p.message.split(":")[0]) for p in report.errors] == [
        (2, "title"),
        (3, "not valid JSON (Expecting property name enclosed in double quotes, column 2)"),
        (5, "type"),
        (6, "identifiers"),
        (7, "published"),
        (8, "keywords"),
        (10, "each line must hold one JSON object"),
        (11, "Unknown fields"),
    ]
    assert "“not-a-doi” is not a valid DOI" in report.errors[3].message
    assert report.created == ["line 1", "line 9"]
    assert not report.ok


def test_a_real_import_writes_the_valid_entries_and_names_the_others() -> None:
    party = PartyFactory()
    text = lines(line(title={"en": "Good one"}), line(title={"en": "Bad one"}, published="never"))
    report = import_records(text=text, format_name="jsonl", owner_party=party, by="tests")
    assert [p.line for p in report.errors] == [2] and len(report.created) == 1
    assert not Record.objects.filter(title__text__en="Bad one").exists()


def test_re_import_updates_by_identifier_and_never_duplicates() -> None:
    party = PartyFactory()
    first = lines(
        line(title={"en": "A"}, identifiers=[{"scheme": "doi", "value": "10.1000/A"}]),
        line(title={"en": "B"}, identifiers=[{"scheme": "pmid", "value": "123"}]),
        line(title={"en": "No identifiers"}),
    )
    created = import_records(text=first, format_name="jsonl", owner_party=party, by="tests", release="public")
    assert len(created.created) == 3
    entries_before = AuditEntry.objects.count()
    again = import_records(text=first, format_name="jsonl", owner_party=party, by="tests", release="public")
    assert again.ok and not again.created and not again.updated and len(again.unchanged) == 3
    assert AuditEntry.objects.count() == entries_before

    changed = lines(
        # the same record by another identifier it now also has: found by its DOI (case differs), updated
        line(
            title={"en": "A, revised"},
            identifiers=[{"scheme": "doi", "value": "10.1000/a"}, {"scheme": "url", "value": "https://example.org/a"}],
        ),
        line(title={"en": "B"}, identifiers=[{"scheme": "pmid", "value": "PMID: 123"}]),
    )
    report = import_records(text=changed, format_name="jsonl", owner_party=party, by="tests")
    assert report.ok and len(report.updated) == 1 and len(report.unchanged) == 1 and not report.created
    record = Record.objects.get(identifiers__value="10.1000/a")
    assert record.title.get("en") == "A, revised" and record.version == 2
    assert sorted(record.identifiers.values_list("scheme", flat=True)) == ["doi", "url"]
    assert Record.objects.filter(owner_party=party).count() == 3


def test_an_identifier_of_another_partys_record_is_refused() -> None:
    text = line(identifiers=[{"scheme": "doi", "value": "10.1000/shared"}])
    import_records(text=text, format_name="jsonl", owner_party=PartyFactory(), by="tests")
    report = import_records(text=text, format_name="jsonl", owner_party=PartyFactory(), by="tests")
    assert [p.message for p in report.errors] == ["DOI 10.1000/shared is already registered by another party."]
    assert Record.objects.count() == 1


def test_a_later_line_with_the_same_identifier_is_skipped() -> None:
    text = lines(
        line(title={"en": "First"}, identifiers=[{"scheme": "pmcid", "value": "PMC1"}]),
        line(title={"en": "Second"}, identifiers=[{"scheme": "pmcid", "value": "pmc1"}]),
    )
    report = import_records(text=text, format_name="jsonl", owner_party=PartyFactory(), by="tests", batch_size=1)
    assert [str(p) for p in report.skipped] == ["line 2: same PMCID PMC1 as line 1; skipped"]
    assert Record.objects.get().title.get("en") == "First"


def test_a_batch_the_database_refuses_is_written_entry_by_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    party = PartyFactory()
    real = importer.record_create_many

    def refusing(**kwargs: Any) -> Any:
        if any(item.fields.title.get("en") == "boom" for item in kwargs["items"]):
            real(**kwargs)  # writes everything, then the database refuses: all of it must roll back
            raise IntegrityError("simulated refusal")
        return real(**kwargs)

    monkeypatch.setattr(importer, "record_create_many", refusing)
    text = lines(*(line(title={"en": t}) for t in ("one", "two", "boom", "four")))
    report = import_records(text=text, format_name="jsonl", owner_party=party, by="tests", release="public")
    assert [(p.line, p.message) for p in report.errors] == [(3, "simulated refusal")]
    assert sorted(r.title.get("en") for r in Record.objects.all()) == ["four", "one", "two"]
    for record in Record.objects.all():
        assert record.versions.count() == 1 and policy_of(record) is not None
        assert AuditEntry.objects.filter(object_id=str(record.pk), verb="record.imported").count() == 1
    assert audit_verify().ok


def test_bulk_import_leaves_what_the_services_would_and_the_audit_chain_verifies() -> None:
    party = PartyFactory(code="ibmp", country="RU")
    china = PartyFactory(code="acc", country="CN")
    concept = ConceptFactory(code="bed-rest")
    text = lines(
        line(
            title={"ru": "Антиортостатическая гипокинезия", "en": "Head-down bed rest"},
            language="ru",
            keywords={"ru": ["гипокинезия"]},
            contributors=["Орлов, Михаил", {"name": "IBMP", "role": "developer", "party": "ibmp"}],
            subjects=["bed-rest"],
            identifiers=[{"scheme": "doi", "value": "10.1000/bedrest"}],
            release="parties:CN,acc",
        ),
        line(
            title={"en": "Dual use"},
            type="technology",
            release="platform",
            marking="dual-use",
            legal_basis="Wassenaar Arrangement 1.A",
        ),
        line(title={"en": "Draft"}, status="draft"),
    )
    report = import_records(text=text, format_name="jsonl", owner_party=party, by="tests", batch_size=10)
    assert report.ok, report.errors
    bed_rest, dual_use, draft = (Record.objects.get(reference=r) for r in report.created)
    version = bed_rest.versions.get()
    assert version.metadata == record_metadata(bed_rest)
    entry = AuditEntry.objects.get(object_id=str(bed_rest.pk), verb="record.imported")
    assert entry.changes["metadata"][1] == record_metadata(bed_rest)
    assert entry.changes["release"]["delegations"] == ["CN"] and entry.changes["release"]["parties"] == ["acc"]
    assert list(bed_rest.subjects.all()) == [concept]
    assert bed_rest.title.original == "ru" and bed_rest.contributors.get(position=1).party == party
    assert bed_rest.release_decisions.get().audience["level"] == Level.PARTIES
    chinese = member_of(china)
    assert can_see(chinese, bed_rest) and not can_see(member_of(PartyFactory(country="US")), bed_rest)
    assert policy_of(dual_use).marking == Marking.DUAL_USE and not can_see(chinese, dual_use)
    assert draft.status == Record.Status.DRAFT and draft.version == 0 and not draft.versions.exists()
    assert ReleaseDecision.objects.count() == 2
    assert audit_verify().ok


def test_the_nasa_publication_list_imports_cleanly_and_again_changes_nothing(nasa: Any) -> None:
    text = nasa_publications()
    report = import_records(text=text, format_name="nasa-csv", owner_party=nasa, by="tests", release="public")
    # 607 rows; 35 repeat an earlier row's PubMed Central link (the source's own duplicates) and are skipped.
    assert report.entries == 607 and report.ok
    assert len(report.created) == 572 and len(report.skipped) == 35
    record = Record.objects.get(identifiers__scheme="pmcid", identifiers__value="PMC4136787")
    assert record.title.get() == "Mice in Bion-M 1 space mission: training and selection"
    assert sorted(record.identifiers.values_list("scheme", "value")) == [
        ("pmcid", "PMC4136787"),
        ("url", "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC4136787/"),
    ]
    again = import_records(text=text, format_name="nasa-csv", owner_party=nasa, by="tests", release="public")
    assert len(again.unchanged) == 572 and not again.created and not again.updated
    assert Record.objects.count() == 572


def test_the_techport_projects_import_cleanly(nasa: Any) -> None:
    report = import_records(text=techport_projects(), format_name="techport", owner_party=nasa, by="tests")
    assert report.entries == 25 and report.ok and len(report.created) == 25
    record = Record.objects.get(identifiers__value="https://techport.nasa.gov/view/90693")
    assert record.type.code == "technology"
    assert record.title.get() == "Demonstration of a Nano-Enabled Space Power System"
    assert record.published_on.isoformat() == "2018-08-01"  # a completed project: when it ended
    assert "TRL 5" in record.keywords["en"]
    assert [(c.name, c.role) for c in record.contributors.all()] == [
        ("Rochester Institute of Technology", "developer"),
        ("Ryne Raffaelle", "investigator"),
    ]


def test_a_line_with_a_nul_character_is_refused() -> None:
    report = import_records(
        text=line(title={"en": "bad\u0000title"}), format_name="jsonl", owner_party=PartyFactory(), by="tests"
    )
    assert report.errors[0].line == 1 and "NUL" in report.errors[0].message


def test_release_levels_are_checked() -> None:
    party = PartyFactory()
    with pytest.raises(Exception, match="neither a delegation"):
        import_records(text=line(), format_name="jsonl", owner_party=party, by="tests", release="parties:nobody")
    report = import_records(
        text=line(release="platform", marking="controlled", legal_basis="x"),
        format_name="jsonl",
        owner_party=party,
        by="tests",
    )
    assert "never released beyond its owner party" in report.errors[0].message


def test_a_user_imports_only_for_their_own_party() -> None:
    from django.core.exceptions import PermissionDenied

    party, other = PartyFactory(), PartyFactory()
    member = member_of(party, role="member")
    report = import_records(text=line(), format_name="jsonl", owner_party=party, by=member)
    assert len(report.created) == 1 and Record.objects.get().created_by == member
    with pytest.raises(PermissionDenied):
        import_records(text=line(), format_name="jsonl", owner_party=other, by=member)
    with pytest.raises(PermissionDenied):  # a member shares records, only a liaison officer releases them
        import_records(
            text=line(title={"en": "x"}), format_name="jsonl", owner_party=party, by=member, release="public"
        )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the kill test runs the command on its own SQLite folder")
def test_kill_9_leaves_no_half_written_record_and_a_re_run_completes(tmp_path: Path) -> None:
    source = tmp_path / "many.jsonl"
    total = 3000
    source.write_text(
        lines(
            *(
                line(title={"en": f"Record {n}"}, identifiers=[{"scheme": "doi", "value": f"10.1000/k{n}"}])
                for n in range(total)
            )
        ),
        encoding="utf-8",
    )
    env = {**os.environ, "SPACEBRIDGE_DATA_DIR": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)
    command = [str(Path(sys.executable).parent / "spacebridge")]
    run = {"env": env, "cwd": ROOT, "capture_output": True, "text": True, "timeout": 300}
    subprocess.run([*command, "migrate"], check=True, **run)  # type: ignore[call-overload]
    code = "from spacebridge.parties.models import Party; Party.objects.create(code='nasa', short_name='NASA', kind='space_agency', country='US', name={'original': 'en', 'text': {'en': 'NASA'}})"
    subprocess.run([sys.executable, "-c", f"import spacebridge.cli; {code}"], check=True, **run)  # type: ignore[call-overload]
    database = tmp_path / "data" / "spacebridge.sqlite3"
    arguments = [
        *command,
        "records",
        "import",
        str(source),
        "--format",
        "jsonl",
        "--party",
        "nasa",
        "--batch-size",
        "100",
        "--release",
        "public",
    ]
    process = subprocess.Popen(arguments, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    written = 0
    deadline = time.monotonic() + 120
    while written < 300 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
        with sqlite3.connect(database) as db:
            written = db.execute("SELECT COUNT(*) FROM records_record").fetchone()[0]
    process.send_signal(signal.SIGKILL)
    process.wait()
    with sqlite3.connect(database) as db:
        records = db.execute("SELECT COUNT(*) FROM records_record").fetchone()[0]
        whole = db.execute(
            "SELECT COUNT(*) FROM records_record r WHERE EXISTS (SELECT 1 FROM records_identifier i WHERE i.record_id = r.id)"
            " AND EXISTS (SELECT 1 FROM records_recordversion v WHERE v.record_id = r.id)"
            " AND EXISTS (SELECT 1 FROM audit_auditentry a WHERE a.object_id = CAST(r.id AS TEXT) AND a.verb = 'record.imported')"
        ).fetchone()[0]
        orphans = db.execute(
            "SELECT COUNT(*) FROM records_identifier WHERE record_id NOT IN (SELECT id FROM records_record)"
        ).fetchone()[0]
    assert 0 < records < total and records == whole and orphans == 0
    assert records % 100 == 0  # whole batches only
    finished = subprocess.run(arguments, **run)  # type: ignore[call-overload]
    assert finished.returncode == 0, finished.stderr
    assert f"{total - records} were created" in finished.stdout and f"{records} unchanged" in finished.stdout
    verified = subprocess.run([*command, "audit", "verify"], **run)  # type: ignore[call-overload]
    assert verified.returncode == 0, verified.stderr


def test_a_re_import_keeps_linked_people_and_leaves_unpublished_edits_alone() -> None:
    from spacebridge.parties.tests.factories import PersonFactory
    from spacebridge.records.services import record_update

    party = PartyFactory()
    doi = [{"scheme": "doi", "value": "10.1000/people"}]
    import_records(text=line(identifiers=doi, contributors=["Chen, Jing"]), format_name="jsonl", owner_party=party)
    record = Record.objects.get()
    person = PersonFactory()
    Contributor.objects.filter(record=record).update(person=person)
    record_update(record=record, by=None, check_permission=False, abstract={"en": "An edit not yet published."})

    same = import_records(
        text=line(identifiers=doi, contributors=["Chen, Jing"]), format_name="jsonl", owner_party=party
    )
    record.refresh_from_db()
    assert same.unchanged == [record.reference] and record.version == 1 and record.has_unpublished_changes

    more = line(identifiers=doi, contributors=["Chen, Jing", "Orlov, Mikhail"])
    assert import_records(text=more, format_name="jsonl", owner_party=party).updated == [record.reference]
    assert [(c.name, c.person) for c in record.contributors.all()] == [("Chen, Jing", person), ("Orlov, Mikhail", None)]
    record.refresh_from_db()
    assert record.version == 2 and record.versions.get(number=2).metadata["abstract"]["text"]["en"].startswith(
        "An edit"
    )
