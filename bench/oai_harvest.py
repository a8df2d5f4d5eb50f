"""Benchmark of a full OAI-PMH harvest: ListRecords over every public record, page after page, as a harvester does.

    .venv/bin/python bench/oai_harvest.py --records 200000
    .venv/bin/python bench/oai_harvest.py                      # 1 000 000 records
    SPACEBRIDGE_BENCH_DIR=/tmp/sb-oai .venv/bin/python bench/oai_harvest.py --harvest-only --pages 2000   # again

It seeds a fresh SQLite data folder with N records (bulk SQL: 94 % public, 5 % released to their owner party only,
1 % withdrawn public tombstones), each with a published version, release policy and subject, then follows every
resumption token through the Django test client. It prints the time of each page (p50, p95, max; the first page
also counts the list once for completeListSize) and the process's resident memory (VmRSS) at the start, every 100
pages and at the end. Goals: memory flat (under 150 MB), each page within 200 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["SPACEBRIDGE_DATA_DIR"] = os.environ.get("SPACEBRIDGE_BENCH_DIR") or tempfile.mkdtemp(prefix="sb-oai-")
os.environ.pop("DATABASE_URL", None)  # a fresh SQLite file in the data folder, always
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spacebridge.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from lxml import etree  # noqa: E402

from spacebridge.access.models import Level  # noqa: E402
from spacebridge.core.multilingual import MultilingualText  # noqa: E402
from spacebridge.parties.models import Party  # noqa: E402
from spacebridge.records.models import Concept, Record, RecordType  # noqa: E402

BATCH = 20_000
OAI = "{http://www.openarchives.org/OAI/2.0/}"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _texts(n: int) -> tuple[dict, dict, dict]:
    title = {
        "original": "en",
        "text": {
            "en": f"Bone density after {n % 400} days in orbit, cohort {n}",
            "zh": f"在轨 {n % 400} 天后的骨密度，队列 {n}",
            "ru": f"Плотность костей после {n % 400} суток на орбите, когорта {n}",
        },
    }
    abstract = {
        "original": "en",
        "text": {
            "en": "Crew members of long-duration missions lost bone mineral density "
            "at the hip and spine; resistance exercise reduced the loss. " * 2
        },
    }
    keywords = {"en": ["bone loss", "microgravity"], "zh": ["骨质流失"], "ru": ["потеря костной массы"]}
    return title, abstract, keywords


def seed(total: int) -> int:
    """Insert ``total`` records with bulk SQL; return how many a harvester may see."""
    rng = random.Random(11)
    parties = [
        Party.objects.create(code=code, short_name=code.upper(), name=MultilingualText({"en": name}),
                             kind="research_institute", country=country)
        for code, name, country in [("cnsa", "China National Space Administration", "CN"),
                                    ("ibmp", "Institute of Biomedical Problems", "RU"),
                                    ("nasa", "NASA", "US")]
    ]  # fmt: skip
    concepts = [Concept.objects.create(code=f"c{i}", pref=MultilingualText({"en": f"Concept {i}", "zh": f"概念{i}"}))
                for i in range(50)]  # fmt: skip
    types = list(RecordType.objects.values_list("id", "code"))
    record_type = ContentType.objects.get_for_model(Record).pk
    dt = connection.ops.adapt_datetimefield_value
    start = datetime(2020, 1, 1, tzinfo=UTC)
    harvestable = 0
    with connection.cursor() as cursor:
        for first in range(0, total, BATCH):
            records, versions, policies, subjects = [], [], [], []
            for n in range(first, min(first + BATCH, total)):
                pk = n + 1
                party, (type_id, type_code), concept = parties[n % 3], types[n % len(types)], concepts[n % 50]
                title, abstract, keywords = _texts(n)
                changed = start + timedelta(seconds=n * 60 + rng.random())
                withdrawn = n % 100 == 0
                level = Level.OWNER if n % 20 == 7 else Level.PUBLIC
                harvestable += level == Level.PUBLIC
                metadata = {"reference": f"SB-2025-{pk:07d}", "type": type_code, "owner_party": party.code,
                            "title": title, "abstract": abstract, "keywords": keywords, "published_on": "2025-05-01",
                            "licence": "CC-BY-4.0", "subjects": [concept.code],
                            "contributors": [{"name": f"Author {n % 997}", "role": "author", "person": None,
                                              "party": party.code}],
                            "identifiers": [{"scheme": "doi", "value": f"10.5555/sb.{pk}"}], "related": [],
                            "files": []}  # fmt: skip
                records.append((pk, metadata["reference"], type_id, party.pk, "withdrawn" if withdrawn else "published",
                                json.dumps(title), json.dumps(abstract), json.dumps(keywords), "2025-05-01",
                                "CC-BY-4.0", 1, False, dt(changed), dt(changed), dt(changed),
                                dt(changed) if withdrawn else None, "Duplicate." if withdrawn else ""))  # fmt: skip
                versions.append((pk, 1, json.dumps(metadata), "", dt(changed)))
                policies.append((record_type, pk, party.pk, level, "none", "", dt(changed), ""))
                subjects.append((pk, concept.pk))
            cursor.executemany(
                "INSERT INTO records_record (id, reference, type_id, owner_party_id, status, title, abstract, keywords,"
                " published_on, licence, version, has_unpublished_changes, created_at, updated_at, first_published_at,"
                " withdrawn_at, withdrawal_reason) VALUES (" + ", ".join(["%s"] * 17) + ")",
                records,
            )
            cursor.executemany(
                "INSERT INTO records_recordversion (record_id, number, metadata, note, published_at)"
                " VALUES (%s, %s, %s, %s, %s)",
                versions,
            )
            cursor.executemany(
                "INSERT INTO access_releasepolicy (content_type_id, object_id, owner_party_id, level, marking,"
                " legal_basis, decided_at, reason) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                policies,
            )
            cursor.executemany("INSERT INTO records_record_subjects (record_id, concept_id) VALUES (%s, %s)", subjects)
            print(f"\r  seeded {first + len(records):>9,} records", end="", flush=True)
    print()
    return harvestable


def _owner_only() -> int:
    """Records released to their owner party only (a harvester sees no trace of them)."""
    from spacebridge.access.models import Level, ReleasePolicy

    return ReleasePolicy.objects.filter(level=Level.OWNER).count()


def harvest(expected: int, prefix: str, max_pages: int | None) -> None:
    client = Client(HTTP_HOST="127.0.0.1")  # a host the settings allow
    params: dict[str, str] = {"verb": "ListRecords", "metadataPrefix": prefix}
    client.get("/oai", {"verb": "Identify"})  # load the URL map and the views once, as a running server has
    timings, cpu, memory, records, deleted, pages = [], [], [(0, rss_mb())], 0, 0, 0
    print(f"  memory at start {memory[0][1]:.1f} MB")
    stopped = False

    def stop(_signum: int, _frame: object) -> None:  # SIGTERM or Ctrl-C: finish the page, then print the figures
        nonlocal stopped
        stopped = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while True:
        began, began_cpu = time.perf_counter(), time.process_time()
        response = client.get("/oai", params)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        timings.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
        pages += 1
        root = etree.fromstring(body)
        page = root.find(f"{OAI}ListRecords")
        if page is None:
            sys.exit(f"page {pages}: {body[:500]!r}")
        headers = page.findall(f"{OAI}record/{OAI}header")
        records += len(headers)
        deleted += sum(1 for h in headers if h.get("status") == "deleted")
        token = page.findtext(f"{OAI}resumptionToken")
        del root, page, headers, body, response
        if pages % 100 == 0:
            memory.append((pages, rss_mb()))
            print(f"\r  page {pages:>6}: {records:>9,} records, RSS {memory[-1][1]:6.1f} MB, "
                  f"last page {timings[-1]:6.1f} ms", end="", flush=True)  # fmt: skip
        if not token or pages == max_pages or stopped:
            break
        params = {"verb": "ListRecords", "resumptionToken": token}
    memory.append((pages, rss_mb()))
    print()
    ordered = sorted(timings)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(f"  harvested {records:,} records ({deleted:,} deleted) of {expected:,} public, in {pages:,} pages, "
          f"{sum(timings) / 1000:.1f} s")  # fmt: skip
    print(
        f"  page time: p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, max {max(timings):.1f} ms; "
        f"first page (counts the list) {timings[0]:.1f} ms; max after the first {max(timings[1:] or [0]):.1f} ms"
    )
    cpu_sorted = sorted(cpu)
    print(
        f"  CPU time per page (independent of other load on the machine): p50 {statistics.median(cpu):.1f} ms, "
        f"p95 {cpu_sorted[max(0, int(len(cpu) * 0.95) - 1)]:.1f} ms, max {max(cpu):.1f} ms"
    )
    values = [m for _p, m in memory]
    print(
        f"  resident memory: start {values[0]:.1f} MB, end {values[-1]:.1f} MB, max {max(values):.1f} MB, "
        f"growth from page 100 to the end {values[-1] - (values[1] if len(values) > 2 else values[0]):+.1f} MB"
    )
    print("  memory every 100 pages (MB): " + " ".join(f"{m:.0f}" for _p, m in memory[:: max(1, len(memory) // 40)]))
    if stopped:
        print(f"  stopped after {pages:,} pages: a sample of the harvest")
    elif max_pages is None:
        assert records == expected, f"harvested {records}, expected {expected}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--prefix", default="oai_dc", choices=["oai_dc", "oai_datacite"])
    parser.add_argument("--pages", type=int, default=None, help="stop after this many pages (default: harvest all)")
    parser.add_argument(
        "--harvest-only",
        action="store_true",
        help="harvest a data folder this benchmark seeded before (SPACEBRIDGE_BENCH_DIR) instead of seeding one",
    )
    args = parser.parse_args()
    print(f"data folder {settings.DATA_DIR}")
    call_command("migrate", verbosity=0)
    if args.harvest_only:
        if not Record.objects.exists():
            sys.exit("--harvest-only needs a data folder this benchmark seeded (SPACEBRIDGE_BENCH_DIR)")
        expected = Record.objects.exclude(status=Record.Status.DRAFT).count() - _owner_only()
        print(f"  {Record.objects.count():,} records; {expected:,} harvestable")
        harvest(expected, args.prefix, args.pages)
        return
    if Record.objects.exists():
        sys.exit("the benchmark needs an empty data folder")
    began = time.perf_counter()
    with transaction.atomic():
        expected = seed(args.records)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  seeded in {time.perf_counter() - began:.0f} s; {expected:,} harvestable")
    connection.close()
    harvest(expected, args.prefix, args.pages)


if __name__ == "__main__":
    main()
