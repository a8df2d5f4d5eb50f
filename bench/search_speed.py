"""Search latency on generated corpora: p50/p95 of 1–3-word queries in Chinese, English and Russian.

    .venv/bin/python bench/search_speed.py                                 # 200 000 records, fresh SQLite folder
    .venv/bin/python bench/search_speed.py --records 1000000 --requests 300
    SPACEBRIDGE_DATA_DIR=/tmp/sb-speed .venv/bin/python bench/search_speed.py --measure-only [--keep-index]
    .venv/bin/python bench/search_speed.py --records 1000000 --corpus sentences --engine tantivy [--shards 1]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sb_bench .venv/bin/python bench/search_speed.py --records 200000

It seeds records the way bench/record_page.py does (bulk SQL, the same realistic mix of release levels and
markings, owners in three delegations), with titles and abstracts in Chinese, English or Russian, then builds the
search index through the search's own indexing code (analysis results are memoised while seeding: pooled texts
repeat, and indexing speed is not what is measured here). Embeddings are random unit vectors (a real model embeds a
few documents a second on two cores); the query is embedded by the real model, so the hybrid figures include it.

Two corpora (``--corpus``):
* ``vocabulary`` (the default): texts drawn from a 30-word space-medicine vocabulary per language, so a one-word
  query matches about a quarter of all documents — a stress case no real corpus comes near;
* ``sentences``: texts made of real medical sentences, the TICO-19 set of ``../shared/data/parallel_texts`` (3 071
  sentences in each language; CC0): a title is one sentence, an abstract four, so words follow the frequencies of real
  text; a query is one to three words of one of those sentences (function words aside).

Then, for a signed-in member of another party, through the HTTP interface (Django's test client: the whole
request path — middleware, authentication, the view or API operation, JSON or HTML rendering — without a socket):
* top 20: ``GET /api/v1/search/?q=…&mode=lexical&facets=0`` — the best 20 by relevance, with the total;
* page: ``GET /search/?q=…&mode=lexical`` — the full search page with its seven facets and counts;
* hybrid: ``GET /api/v1/search/?q=…&mode=hybrid&facets=0`` — lexical and semantic rankings fused.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import record_page
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import setup_test_environment

from spacebridge.records.models import Record
from spacebridge.search import engine, index, semantic
from spacebridge.search.analysis import HAN_CHARACTER
from spacebridge.search.models import SearchDocument
from spacebridge.search.query import FUNCTION_WORDS

VOCABULARY = {
    "en": record_page.WORDS,
    "zh": (
        "骨质流失 肌肉萎缩 辐射 暴露 远程医疗 对抗措施 微重力 心血管 失调 睡眠 昼夜节律 免疫 反应 视力 颅内压 营养 "
        "锻炼 卧床 缺氧 隔离 密闭 航天 模拟 乘组 健康 监测 航天员 骨密度"
    ).split(),
    "ru": (
        "потеря костной массы атрофия мышц радиация облучение телемедицина контрмеры микрогравитация сердечно-сосудистая "
        "детренированность сон циркадные иммунный ответ зрение внутричерепное давление питание упражнения постельный "
        "режим гипоксия изоляция космический полёт экипаж здоровье мониторинг космонавты"
    ).split(),
}
POOL = 6000
SENTENCES_POOL = 30_000  # distinct texts of the sentences corpus
SENTENCES = Path(__file__).resolve().parents[2] / "shared/data/parallel_texts/tico19_medical_en_zh_ru_aligned.jsonl"
_WORD = {"en": re.compile(r"[a-z]{4,}"), "ru": re.compile(r"[а-яё]{4,}")}


def _sentences() -> dict[str, list[str]]:
    if not SENTENCES.exists():
        sys.exit(f"the sentences corpus needs {SENTENCES}")
    rows = [json.loads(line) for line in SENTENCES.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {language: [row[language] for row in rows if row.get(language)] for language in ("en", "zh", "ru")}


def _sentence_texts(rng: random.Random) -> list[tuple[str, str, str]]:
    """(title, abstract, keywords) as stored JSON: a sentence as the title, four as the abstract."""
    sentences, texts = _sentences(), []
    for n in range(SENTENCES_POOL):
        language = ("en", "zh", "ru")[n % 3]
        pool = sentences[language]
        joiner = "" if language == "zh" else " "
        title = {"original": language, "text": {language: rng.choice(pool)[:200]}}
        abstract = {"original": language, "text": {language: joiner.join(rng.sample(pool, 4))}}
        words = _content_words(language, title["text"][language]) or ["medicine"]
        texts.append(
            (
                json.dumps(title, ensure_ascii=False),
                json.dumps(abstract, ensure_ascii=False),
                json.dumps({language: words[:3]}, ensure_ascii=False),
            )
        )
    return texts


def _content_words(language: str, sentence: str) -> list[str]:
    if language == "zh":
        import jieba

        words = [w for w in jieba.lcut(sentence) if len(w) >= 2 and all(HAN_CHARACTER.fullmatch(c) for c in w)]
    else:
        words = _WORD[language].findall(sentence.lower())
    return [w for w in dict.fromkeys(words) if w not in FUNCTION_WORDS]


def _texts(rng: random.Random) -> list[tuple[str, str, str]]:
    """(title, abstract, keywords) as stored JSON: each text in one of the three languages."""
    texts = []
    for n in range(POOL):
        language = ("en", "zh", "ru")[n % 3]
        words = VOCABULARY[language]
        joiner = "" if language == "zh" else " "
        title = {"original": language, "text": {language: joiner.join(rng.sample(words, 6))}}
        abstract = {"original": language, "text": {language: joiner.join(rng.choices(words, k=50))}}
        texts.append(
            (
                json.dumps(title, ensure_ascii=False),
                json.dumps(abstract, ensure_ascii=False),
                json.dumps({language: rng.sample(words, 3)}, ensure_ascii=False),
            )
        )
    return texts


def _insert_padded(table: str, columns: list[str], rows: list[tuple]) -> None:
    """record_page's rows, padded with NULLs for record columns added since it was written."""
    if rows and len(rows[0]) < len(columns):
        rows = [(*row, *([None] * (len(columns) - len(row)))) for row in rows]
    _insert(table, columns, rows)


_insert = record_page._insert
record_page._insert = _insert_padded


def queries(rng: random.Random, per_language: int, corpus: str) -> list[tuple[str, str]]:
    """(language, query) of one to three words: of the vocabulary, or of one sentence of the corpus."""
    found = []
    sentences = _sentences() if corpus == "sentences" else {}
    for language, vocabulary in VOCABULARY.items():
        joiner = "" if language == "zh" else " "
        while sum(1 for lang, _q in found if lang == language) < per_language:
            words = vocabulary
            if corpus == "sentences":
                words = _content_words(language, rng.choice(sentences[language]))
                if not words:
                    continue
            found.append((language, joiner.join(rng.sample(words, min(len(words), rng.randint(1, 3))))))
    rng.shuffle(found)
    return found


def build_index() -> None:
    """The search index of the seeded records, with random unit embeddings."""
    rng = np.random.default_rng(5)
    index.analysed_text = functools.lru_cache(maxsize=100_000)(index.analysed_text)  # pooled texts repeat
    original_row = index._row

    def row_with_embedding(kind, document, now):  # type: ignore[no-untyped-def]
        row = original_row(kind, document, now)
        vector = rng.standard_normal(semantic.DIMENSIONS).astype(np.float32)
        row.embedding = (vector / np.linalg.norm(vector)).astype(np.float32).tobytes()
        row.embedded_at = now
        return row

    index._row = row_with_embedding
    semantic.embeddings_enqueue = lambda ids: None
    started, done = time.perf_counter(), 0

    def progress(n: int) -> None:
        nonlocal done
        done += n
        if done % 50_000 < n:
            print(f"  {done:>9,} documents indexed  {done / (time.perf_counter() - started):,.0f}/s", flush=True)

    index.reindex(batch=2000, progress=progress)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(client: Client, label: str, path: str, params: dict[str, str], sample: list[tuple[str, str]]) -> None:
    for _language, text in sample[:10]:  # warm up: the model, the vector matrix, templates, the thesaurus labels
        client.get(path, {**params, "q": text})
    by_language: dict[str, list[float]] = {}
    cpu: list[float] = []
    for language, text in sample:
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(path, {**params, "q": text})
        by_language.setdefault(language, []).append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (text, response.status_code)
    every = sorted(t for times in by_language.values() for t in times)
    cpu.sort()
    parts = "  ".join(
        f"{lang} p50 {statistics.median(sorted(t)):6.1f} p95 {record_page.percentile(sorted(t), 0.95):6.1f}"
        for lang, t in sorted(by_language.items())
    )
    print(
        f"  {label:<9} n={len(every)}  all p50 {statistics.median(every):6.1f} ms  "
        f"p95 {record_page.percentile(every, 0.95):6.1f} ms  | {parts}  | CPU p95 {record_page.percentile(cpu, 0.95):6.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=150, help="queries per measurement (a third per language)")
    parser.add_argument("--measure-only", action="store_true", help="measure a database this benchmark seeded before")
    parser.add_argument("--seed-only", action="store_true", help="seed and index, measure nothing")
    parser.add_argument(
        "--keep-index", action="store_true", help="measure the tantivy index as it is when it holds every change"
    )
    parser.add_argument(
        "--corpus",
        choices=["vocabulary", "sentences"],
        default="vocabulary",
        help="texts of a 30-word vocabulary per language (a stress case) or of real medical sentences",
    )
    parser.add_argument(
        "--shards", type=int, help="tantivy: build the index in this many shards (default: as the platform decides)"
    )
    parser.add_argument(
        "--engine",
        action="append",
        choices=["database", "tantivy"],
        help="full-text engine(s) to measure, one after the other (default: both)",
    )
    args = parser.parse_args()
    setup_test_environment()
    call_command("migrate", verbosity=0)
    viewer = get_user_model().objects.filter(username="bench-viewer").first()
    if not args.measure_only:
        if Record.objects.exists():
            sys.exit("the benchmark needs an empty database (a fresh SPACEBRIDGE_DATA_DIR or DATABASE_URL)")
        if args.corpus == "sentences":
            record_page._texts, record_page.POOL = _sentence_texts, SENTENCES_POOL
        else:
            record_page._texts, record_page.POOL = _texts, POOL
        started = time.perf_counter()
        with transaction.atomic():
            base = record_page._base()
        print(f"{connection.vendor}: seeding {args.records:,} records", flush=True)
        record_page.seed(args.records, base)
        print(f"seeded in {time.perf_counter() - started:.0f} s; indexing", flush=True)
        started = time.perf_counter()
        build_index()
        print(f"indexed in {time.perf_counter() - started:.0f} s", flush=True)
        viewer = base["users"]["viewer"]
        if args.seed_only:
            return
    elif viewer is None:
        sys.exit("--measure-only needs a database this benchmark seeded (the same SPACEBRIDGE_DATA_DIR)")
    documents = SearchDocument.objects.count()
    print(f"{connection.vendor}: {Record.objects.count():,} records, {documents:,} search documents")
    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs: other work on the machine stretches wall times"
    )
    client = Client()
    client.force_login(viewer)
    sample = queries(random.Random(11), max(1, args.requests // 3), args.corpus)
    if args.shards:
        engine.shard_count = lambda documents: max(1, min(args.shards, engine.MAX_SHARDS))
    for name in args.engine or ["tantivy", "database"]:
        settings.SEARCH_ENGINE = name
        if name == "tantivy" and args.keep_index and engine.the_index().sync() == engine.CURRENT:
            print("tantivy: the index as it is (current)", flush=True)
        elif name == "tantivy":
            started = time.perf_counter()
            built = engine.the_index().rebuild()
            print(f"tantivy: {built:,} documents indexed in {time.perf_counter() - started:.0f} s", flush=True)
        print(f"engine {name}:")
        measure(client, "top 20", "/api/v1/search/", {"mode": "lexical", "facets": "0", "size": "20"}, sample)
        measure(client, "page", "/search/", {"mode": "lexical"}, sample)
        if semantic.embedder() is not None:
            measure(client, "hybrid", "/api/v1/search/", {"mode": "hybrid", "facets": "0", "size": "20"}, sample)


if __name__ == "__main__":
    main()
