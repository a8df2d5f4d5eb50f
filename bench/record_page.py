"""Benchmark of the record page and the API's record detail with many records: p50, p95 and max in milliseconds.

    .venv/bin/python bench/record_page.py                      # 1 000 000 records, fresh SQLite data folder
    .venv/bin/python bench/record_page.py --records 200000 --requests 1000
    SPACEBRIDGE_DATA_DIR=/tmp/sb-bench .venv/bin/python bench/record_page.py --records 100000
    SPACEBRIDGE_DATA_DIR=/tmp/sb-bench .venv/bin/python bench/record_page.py --measure-only   # the same data again
    SPACEBRIDGE_DATA_DIR=/tmp/sb-bench nice .venv/bin/python bench/record_page.py --seed-only    # seed now, measure later

It seeds a fresh database with bulk SQL (records, their published versions, identifiers, contributors, subjects
and release policies in a realistic mix of levels and markings; SQLite indexes are rebuilt after the load), then
asks for random records that a signed-in member of another party may see: `GET /records/<reference>/` (the page)
and `GET /api/v1/records/<reference>` (the API), through Django's test client with a signed-in session. It prints
wall times and the CPU time the process spent per request: on a busy machine the wall times stretch, the CPU times
much less. Goal: p95 ≤ 30 ms at 1 000 000 records.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("SPACEBRIDGE_DATA_DIR", tempfile.mkdtemp(prefix="sb-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spacebridge.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from spacebridge.access.models import Level, Marking  # noqa: E402
from spacebridge.core.multilingual import MultilingualText  # noqa: E402
from spacebridge.groups.models import GroupMembership, WorkingGroup  # noqa: E402
from spacebridge.parties.models import Affiliation, Party, Person, Role, RoleAssignment  # noqa: E402
from spacebridge.records.models import (  # noqa: E402
    Concept,
    Contributor,
    Identifier,
    Record,
    RecordType,
    RecordVersion,
    ReferenceCounter,
)

CHUNK = 20_000
YEARS = range(2018, 2027)
# (level, marking, share): most achievements are public or for members; some go to named parties, a group or
# stay with the owner; a few are dual-use (half of them approved) or controlled.
MIX = [
    (Level.PUBLIC, Marking.NONE, 38),
    (Level.PLATFORM, Marking.NONE, 24),
    (Level.PARTIES, Marking.NONE, 14),
    (Level.GROUP, Marking.NONE, 5),
    (Level.OWNER, Marking.NONE, 9),
    (Level.PUBLIC, Marking.DUAL_USE, 3),
    (Level.PARTIES, Marking.DUAL_USE, 4),
    (Level.OWNER, Marking.CONTROLLED, 3),
]
WORDS = (
    "bone loss muscle atrophy radiation exposure telemedicine countermeasures microgravity cardiovascular "
    "deconditioning sleep circadian immune response vision intracranial pressure nutrition exercise bed rest "
    "hypoxia isolation confinement spaceflight analog crew health monitoring"
).split()


START = datetime(2018, 1, 1)  # naive: stored as UTC, as Django stores aware times


def _insert(table: str, columns: list[str], rows: list[tuple]) -> None:
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", rows)


def _base() -> dict:
    """Parties, a working group, the thesaurus and the people the benchmark signs in as, through the ORM."""
    countries = ["CN", "CN", "RU", "RU", "US", "US"]
    parties = [
        Party.objects.create(
            code=f"p{i}",
            short_name=f"P{i}",
            name=MultilingualText({"en": f"Party {i}"}, "en"),
            kind="research_institute",
            country=country,
            name_index=f"party{i}",
        )
        for i, country in enumerate(countries)
    ]
    group = WorkingGroup.objects.create(acronym="WG-MED", name=MultilingualText({"en": "Space medicine"}, "en"))
    GroupMembership.objects.create(group=group, party=parties[2], role=GroupMembership.Role.MEMBER_PARTY)
    concepts = Concept.objects.bulk_create(
        Concept(code=f"c{i}", pref=MultilingualText({"en": f"{WORDS[i % len(WORDS)]} {i}"}, "en"), label_index=f"c{i}")
        for i in range(300)
    )
    users = {}
    for name, party in (("viewer", parties[2]), ("owner", parties[0])):
        user = get_user_model().objects.create(username=f"bench-{name}")
        person = Person.objects.create(
            transliteration=f"Bench {name}", names=[{"language": "en", "text": f"Bench {name}"}], user=user
        )
        Affiliation.objects.create(person=person, party=party)
        RoleAssignment.objects.create(user=user, role=Role.objects.get(code="member"), party=party)
        users[name] = user
    return {"parties": parties, "group": group, "concepts": concepts, "users": users}


POOL = 1021  # distinct texts; records pick one each, so rows differ without a JSON dump per record


def _texts(rng: random.Random) -> list[tuple[str, str, str]]:
    """(title, abstract, keywords) as stored JSON, in POOL variants."""
    texts = []
    for _n in range(POOL):
        words = rng.sample(WORDS, 5)
        title = {"original": "en", "text": {"en": " ".join(words).capitalize(), "zh": "空间医学研究"}}
        abstract = {"original": "en", "text": {"en": " ".join(rng.choices(WORDS, k=60))}}
        texts.append((json.dumps(title, ensure_ascii=False), json.dumps(abstract), json.dumps({"en": words[:3]})))
    return texts


METADATA = (
    '{"reference": "%s", "type": "%s", "owner_party": "%s", "title": %s, "abstract": %s, "keywords": %s, '
    '"published_on": "%s", "licence": "CC-BY-4.0", "subjects": ["%s", "%s"], "contributors": ['
    '{"name": "Author One", "role": "author", "person": null, "party": "%s"}, '
    '{"name": "Author Two", "role": "author", "person": null, "party": null}], '
    '"identifiers": [{"scheme": "doi", "value": "%s"}], "related": [], "files": []}'
)
CUMULATIVE = [sum(share for _l, _m, share in MIX[: i + 1]) for i in range(len(MIX))]


@dataclass
class Batch:
    """The rows of one transaction, table by table."""

    records: list[tuple] = field(default_factory=list)
    versions: list[tuple] = field(default_factory=list)
    identifiers: list[tuple] = field(default_factory=list)
    contributors: list[tuple] = field(default_factory=list)
    subjects: list[tuple] = field(default_factory=list)
    policies: list[tuple] = field(default_factory=list)
    grants: list[tuple] = field(default_factory=list)

    def write(self) -> None:
        with transaction.atomic():
            _insert(Record._meta.db_table, [f.column for f in Record._meta.concrete_fields], self.records)
            _insert(RecordVersion._meta.db_table, ["record_id", "number", "metadata", "note", "published_at",
                                                   "published_by_id"], self.versions)  # fmt: skip
            _insert(Identifier._meta.db_table, ["record_id", "scheme", "value"], self.identifiers)
            _insert(Contributor._meta.db_table, ["record_id", "position", "name", "person_id", "party_id", "role"],
                    self.contributors)  # fmt: skip
            _insert(Record.subjects.through._meta.db_table, ["record_id", "concept_id"], self.subjects)
            _insert("access_releasepolicy", ["id", "content_type_id", "object_id", "owner_party_id", "level",
                    "group_id", "marking", "legal_basis", "embargo_until", "export_approved_by_id",
                    "export_approved_at", "decided_by_id", "decided_at", "reason"], self.policies)  # fmt: skip
            _insert("access_releasegrant", ["policy_id", "party_id", "country", "granted_at", "reason",
                    "export_approved_by_id", "export_approved_at"], self.grants)  # fmt: skip


class Seeder:
    """Generates ``count`` records at random in the mix and writes them a batch at a time."""

    def __init__(self, count: int, base: dict) -> None:
        self.rng = random.Random(2018)
        self.count, self.base = count, base
        self.per_year = -(-count // len(YEARS))
        self.parties = base["parties"]
        self.types = list(RecordType.objects.values_list("pk", "code"))
        self.concepts = [(c.pk, c.code) for c in base["concepts"]]
        self.texts = _texts(self.rng)
        self.content_type = ContentType.objects.get_for_model(Record).pk
        self.viewer_party = base["users"]["viewer"].person.affiliations.get().party
        self.visible: list[str] = []  # what the viewer may see: published and released to them

    def run(self) -> list[str]:
        started, batch = time.perf_counter(), Batch()
        for n in range(1, self.count + 1):
            self.add(batch, n)
            if n % CHUNK == 0 or n == self.count:
                batch.write()
                batch = Batch()
            if n % 100_000 == 0:
                print(f"  {n:>9,} records  {n / (time.perf_counter() - started):,.0f} records/s", flush=True)
        years = YEARS[: -(-self.count // self.per_year)]
        ReferenceCounter.objects.bulk_create(
            [
                ReferenceCounter(year=y, last=min(self.per_year, self.count - i * self.per_year))
                for i, y in enumerate(years)
            ]
        )
        return self.visible

    def add(self, batch: Batch, n: int) -> None:
        rng = self.rng
        level, marking, _share = MIX[bisect.bisect(CUMULATIVE, rng.random() * CUMULATIVE[-1])]
        year = YEARS[(n - 1) // self.per_year]
        reference = f"SB-{year}-{(n - 1) % self.per_year + 1:06d}"
        roll = rng.random()
        status = "published" if roll < 0.93 else ("draft" if roll < 0.97 else "withdrawn")
        type_id, type_code = self.types[n % len(self.types)]
        owner = self.parties[rng.randrange(len(self.parties))]
        approved = marking == Marking.DUAL_USE and rng.random() < 0.5
        grant = self.parties[2 + rng.randrange(len(self.parties) - 2)] if level == Level.PARTIES else None
        title, abstract, keywords = self.texts[rng.randrange(POOL)]
        day = rng.randrange(336)
        published_on = f"{year}-{day // 28 + 1:02d}-{day % 28 + 1:02d}"
        stamp = (START + timedelta(minutes=n)).isoformat(sep=" ")
        first = rng.randrange(len(self.concepts))
        subjects = sorted([self.concepts[first], self.concepts[(first + 1 + rng.randrange(299)) % 300]])
        doi = f"10.5555/sb.{reference.lower()}"
        published, withdrawn = status != "draft", status == "withdrawn"
        batch.records.append((n, reference, type_id, owner.pk, status, title, abstract, keywords, published_on,
                              "CC-BY-4.0", int(published), not published, None, stamp, stamp,
                              stamp if published else None, stamp if withdrawn else None,
                              "Superseded" if withdrawn else "", None))  # fmt: skip
        if published:
            metadata = METADATA % (reference, type_code, owner.code, title, abstract, keywords, published_on,
                                   subjects[0][1], subjects[1][1], owner.code, doi)  # fmt: skip
            batch.versions.append((n, 1, metadata, "", stamp, None))
        batch.identifiers.append((n, "doi", doi))
        batch.contributors += [
            (n, 0, "Author One", None, owner.pk, "author"),
            (n, 1, "Author Two", None, None, "author"),
        ]
        batch.subjects += [(n, subjects[0][0]), (n, subjects[1][0])]
        group = self.base["group"].pk if level == Level.GROUP else None
        basis = "Wassenaar Arrangement" if marking != Marking.NONE else ""
        approved_at = stamp if approved and level != Level.PARTIES else None
        batch.policies.append((n, self.content_type, n, owner.pk, level, group, marking, basis, None, None,
                               approved_at, None, stamp, ""))  # fmt: skip
        if grant is not None:
            batch.grants.append((n, grant.pk, "", stamp, "", None, stamp if approved else None))
        if status == "published" and self.viewer_sees(level, marking, approved, grant):
            self.visible.append(reference)

    def viewer_sees(self, level: str, marking: str, approved: bool, grant: Party | None) -> bool:
        if marking == Marking.CONTROLLED or (marking == Marking.DUAL_USE and not approved):
            return False
        if level in {Level.PUBLIC, Level.PLATFORM, Level.GROUP}:  # the viewer's party is the group's member
            return True
        return level == Level.PARTIES and grant == self.viewer_party


BULK_TABLES = [
    Record._meta.db_table,
    RecordVersion._meta.db_table,
    Identifier._meta.db_table,
    Contributor._meta.db_table,
    Record.subjects.through._meta.db_table,
    "access_releasepolicy",
    "access_releasegrant",
]


def _drop_sqlite_indexes() -> list[str]:
    """Drop the bulk tables' indexes (rebuilt after the load: one sort each instead of a million B-tree inserts)."""
    with connection.cursor() as cursor:
        tables = ", ".join(f"'{table}'" for table in BULK_TABLES)
        cursor.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({tables})"
        )
        indexes = cursor.fetchall()
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in indexes]


def seed(count: int, base: dict) -> list[str]:
    """Bulk-insert ``count`` records; returns the references the viewer may see."""
    indexes: list[str] = []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # a bulk load: the rows are consistent by construction
            cursor.execute("PRAGMA foreign_keys=OFF")
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-262144")
        indexes = _drop_sqlite_indexes()
    visible = Seeder(count, base).run()
    with connection.cursor() as cursor:
        for statement in indexes:
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            from django.core.management.color import no_style

            from spacebridge.access.models import ReleasePolicy

            for statement in connection.ops.sequence_reset_sql(no_style(), [Record, ReleasePolicy]):
                cursor.execute(statement)
        cursor.execute("ANALYZE")  # what a running installation's statistics would say
    connection.close()  # the next connection has the settings' pragmas again
    return visible


def visible_references(user: object, limit: int = 100_000) -> list[str]:
    """Published records ``user`` may see, through the access policy (for a database seeded earlier)."""
    from spacebridge.records.selectors import records_visible

    records = records_visible(user=user).filter(status=Record.Status.PUBLISHED).order_by("?")
    return list(records.values_list("reference", flat=True)[:limit])


def percentile(samples: list[float], share: float) -> float:
    return samples[max(0, int(len(samples) * share) - 1)]


def measure(client: Client, references: list[str], requests: int, rng: random.Random) -> None:
    """Time each target over the same random references: wall time, and the CPU time this process spent."""
    sample = [rng.choice(references) for _ in range(requests)]
    targets = {"page GET /records/<ref>/": lambda ref: reverse("records:detail", args=[ref]),
               "API GET /api/v1/records/<ref>": lambda ref: f"/api/v1/records/{ref}"}  # fmt: skip
    for label, path_of in targets.items():
        for reference in sample[:20]:  # warm up caches, templates, prepared statements
            client.get(path_of(reference))
        queries: list[str] = []

        def count(execute, sql, params, many, context, queries=queries):  # type: ignore[no-untyped-def]
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):  # outlives the connection each request opens and closes
            client.get(path_of(sample[0]))
        wall, cpu = [], []
        for reference in sample:
            started, started_cpu = time.perf_counter(), time.process_time()
            status = client.get(path_of(reference)).status_code
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            assert status == 200, f"{reference}: {status}"
        wall.sort(), cpu.sort()
        print(
            f"  {label:<30} n={len(wall)} {len(queries)} queries   wall p50 {statistics.median(wall):6.1f} ms  "
            f"p95 {percentile(wall, 0.95):6.1f} ms  max {wall[-1]:6.1f} ms   "
            f"CPU p50 {statistics.median(cpu):6.1f} ms  p95 {percentile(cpu, 0.95):6.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--measure-only", action="store_true", help="measure a database this benchmark seeded before")
    parser.add_argument("--seed-only", action="store_true", help="seed the database and stop (measure it later)")
    args = parser.parse_args()
    setup_test_environment()  # the test client's host name is allowed; mail stays in memory
    call_command("migrate", verbosity=0)
    viewer = get_user_model().objects.filter(username="bench-viewer").first()
    if args.measure_only:
        if viewer is None:
            sys.exit("--measure-only needs a database this benchmark seeded (the same SPACEBRIDGE_DATA_DIR)")
        visible = visible_references(viewer)
        print(f"{connection.vendor}: {Record.objects.count():,} records; measuring")
    else:
        if Record.objects.exists():
            sys.exit("the benchmark needs an empty database (a fresh SPACEBRIDGE_DATA_DIR or DATABASE_URL)")
        started = time.perf_counter()
        with transaction.atomic():
            base = _base()
        print(f"{connection.vendor}: seeding {args.records:,} records", flush=True)
        visible = seed(args.records, base)
        print(f"seeded in {time.perf_counter() - started:.0f} s; the viewer may see {len(visible):,} published records")
        viewer = base["users"]["viewer"]
        if args.seed_only:
            return
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} on {os.cpu_count()} CPUs: other work on the machine stretches wall times")
    client = Client()
    client.force_login(viewer)
    measure(client, visible, args.requests, random.Random(7))


if __name__ == "__main__":
    main()
