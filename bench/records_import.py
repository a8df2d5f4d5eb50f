"""Benchmark of the records import: generate N JSON Lines records and import them into a fresh SQLite data folder.

    .venv/bin/python bench/records_import.py                      # 100 000 records
    .venv/bin/python bench/records_import.py --records 20000 --batch-size 1000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sb_bench .venv/bin/python bench/records_import.py

Each record has a title in one to three languages, an abstract, keywords, two or three contributors, a DOI and a URL,
a date, a licence and thesaurus subjects; it is published and released publicly, with its version, release decision
and audit entry, exactly as `spacebridge records import` writes it (no search embeddings). Prints records/s of the
first import and of the re-import (every record matched, nothing written), and checks the audit chain.
The goal is ≥ 2 000 records/s on SQLite.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("SPACEBRIDGE_DATA_DIR", tempfile.mkdtemp(prefix="sb-bench-import-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spacebridge.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from spacebridge.audit.selectors import audit_verify  # noqa: E402
from spacebridge.core.multilingual import MultilingualText  # noqa: E402
from spacebridge.parties.models import Party  # noqa: E402
from spacebridge.records.importing import BATCH_SIZE, import_records  # noqa: E402
from spacebridge.records.models import Concept, Record  # noqa: E402
from spacebridge.records.thesaurus import thesaurus_load  # noqa: E402

TOPICS = ["bone loss", "muscle atrophy", "radiation exposure", "telemedicine", "bed rest", "sleep", "immunity"]
SETTINGS = ["in long-duration spaceflight", "during head-down bed rest", "in mice on Bion-M1", "in isolation"]
ZH = ["长期航天飞行中的骨丢失", "头低位卧床期间的肌肉萎缩", "空间辐射暴露", "远程医疗"]
RU = ["Потеря костной массы в длительном полёте", "Атрофия мышц при гипокинезии", "Радиационное облучение"]
NAMES = ["Zhang, Wei", "Иванова, Мария", "Smith, John", "Chen, Jing", "Orlov, Mikhail", "Walsh, Jennifer"]


def generate(path: Path, count: int, concepts: list[str]) -> None:
    rng = random.Random(2018)
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            title = {"en": f"{rng.choice(TOPICS).capitalize()} {rng.choice(SETTINGS)}: study {n}"}
            if n % 3 == 0:
                title["zh"] = f"{rng.choice(ZH)}（研究{n}）"
            if n % 3 == 1:
                title["ru"] = f"{rng.choice(RU)} (исследование {n})"
            entry = {
                "type": rng.choice(["publication"] * 6 + ["dataset", "report", "technology"]),
                "language": "en",
                "title": title,
                "abstract": {"en": f"Measurements of {rng.choice(TOPICS)} in {rng.randint(6, 40)} subjects. " * 3},
                "keywords": {"en": rng.sample(TOPICS, 3)},
                "contributors": [{"name": name, "role": "author"} for name in rng.sample(NAMES, rng.randint(2, 3))],
                "identifiers": [
                    {"scheme": "doi", "value": f"10.5555/sb-bench.{n}"},
                    {"scheme": "url", "value": f"https://example.org/bench/{n}"},
                ],
                "published": f"{rng.randint(2000, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "licence": rng.choice(["CC-BY-4.0", "CC0-1.0", "CC-BY-NC-4.0"]),
                "subjects": rng.sample(concepts, rng.randint(0, 2)) if concepts else [],
            }
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")


def timed_import(text: str, party: Party, batch_size: int) -> tuple[float, os.times_result, object]:
    started, before = time.perf_counter(), os.times()
    report = import_records(
        text=text, format_name="jsonl", owner_party=party, by="bench", release="public", batch_size=batch_size
    )
    after = os.times()
    return time.perf_counter() - started, (after.user - before.user, after.system - before.system), report


def cpu_calibration() -> float:
    """Microseconds of CPU that a fixed piece of pure Python takes here, to compare machines and busy moments (about
    10 µs on an idle 2-core EPYC VM; several times that when other processes share the cores)."""
    started = time.process_time()
    for _ in range(20_000):
        sum(range(1000))
    return (time.process_time() - started) / 20_000 * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if Record.objects.exists():
        sys.exit("The database already holds records: point SPACEBRIDGE_DATA_DIR at an empty folder.")
    thesaurus_load(by="bench")
    party = Party.objects.create(
        code="bench", short_name="BENCH", kind="research_institute", country="CN",
        name=MultilingualText({"en": "Benchmark institute"}, "en"),
    )  # fmt: skip
    source = Path(tempfile.mkdtemp(prefix="sb-bench-source-")) / "records.jsonl"
    generate(source, args.records, list(Concept.objects.values_list("code", flat=True)))
    text = source.read_text(encoding="utf-8")
    print(f"{args.records} records, {source.stat().st_size / 1e6:.1f} MB of JSON Lines, {connection.vendor}, "
          f"batches of {args.batch_size}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          f"CPU calibration {cpu_calibration():.1f} µs")  # fmt: skip

    for label in ("import:   ", "re-import:"):
        seconds, (user, system), report = timed_import(text, party, args.batch_size)
        cpu = user + system
        print(f"{label} {report.summary()}")  # type: ignore[attr-defined]
        print(f"           {seconds:.1f} s, {args.records / seconds:,.0f} records/s")
        # On a busy machine the wall clock counts other processes' turns too; the CPU time is this import's own.
        print(f"           {cpu:.1f} s of CPU ({user:.1f} user, {system:.1f} system): "
              f"{args.records / cpu:,.0f} records per CPU second")  # fmt: skip
    print(f"CPU calibration {cpu_calibration():.1f} µs, load average {os.getloadavg()[0]:.1f}")
    started = time.perf_counter()
    chain = audit_verify()
    print(f"audit chain {'intact' if chain.ok else 'BROKEN'}: {chain.checked} entries, "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip


if __name__ == "__main__":
    main()
