"""Search quality on the demo corpus: recall@10 and MRR, lexical vs hybrid, per language and across languages.

    SPACEBRIDGE_DATA_DIR=/tmp/sb-quality .venv/bin/spacebridge demo --no-serve
    SPACEBRIDGE_DATA_DIR=/tmp/sb-quality .venv/bin/spacebridge search reindex     # the embeddings, if not yet made
    SPACEBRIDGE_DATA_DIR=/tmp/sb-quality .venv/bin/python bench/search_quality.py [--as secretariat] [--verbose]

The labelled set, bench/search_queries.jsonl, holds 156 queries: 52 topics of the demo corpus (the NASA space-biology
publications and TechPort projects, and the thirty trilingual records of the Chinese and Russian parties), each asked
in Chinese, English and Russian. Each line names its relevant documents by their English title (stable across demo
loads, unlike references), judged on the titles; ``cross_language`` marks queries with relevant documents that have
no text in the query's language, so finding them means crossing languages.

Metrics, per query, over the documents the searching user may see:
* recall@10 = relevant documents among the first 10 hits / min(relevant documents, 10);
* reciprocal rank = 1 / rank of the first relevant hit (0 when none is in the first 10); MRR is its mean.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spacebridge.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

from spacebridge.search.models import SearchDocument  # noqa: E402
from spacebridge.search.selectors import search, searchable  # noqa: E402
from spacebridge.search.semantic import embedder  # noqa: E402

QUERIES = Path(__file__).with_name("search_queries.jsonl")
DEPTH = 10


def _titles(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """English title → reference of every document ``user`` may find."""
    titles = {}
    for ref, title in searchable(user).values_list("ref", "title"):
        english = (title or {}).get("text", {}).get("en")
        if english:
            titles[english] = ref
    return titles


def _score(hits: list[str], relevant: set[str]) -> tuple[float, float]:
    found = [ref for ref in hits[:DEPTH] if ref in relevant]
    recall = len(found) / min(len(relevant), DEPTH)
    rank = next((i + 1 for i, ref in enumerate(hits[:DEPTH]) if ref in relevant), None)
    return recall, (1.0 / rank if rank else 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--as", dest="username", default="secretariat", help="search as this user (demo: secretariat)")
    parser.add_argument("--verbose", action="store_true", help="print each query's figures")
    parser.add_argument("--mode", choices=["lexical", "hybrid"], help="measure one mode only")
    args = parser.parse_args()
    user = get_user_model().objects.filter(username=args.username).first() if args.username else None
    if not SearchDocument.objects.exists():
        sys.exit("The search index is empty: load the demo (spacebridge demo --no-serve) in this data folder first.")
    titles = _titles(user)
    queries = [json.loads(line) for line in QUERIES.read_text(encoding="utf-8").splitlines() if line.strip()]
    modes = ["lexical", "hybrid"] if embedder() is not None else ["lexical"]
    modes = [args.mode] if args.mode in modes else modes
    embedded = SearchDocument.objects.filter(embedding__isnull=False).count()
    print(
        f"{len(queries)} queries, {SearchDocument.objects.count()} documents indexed ({embedded} with embeddings), "
        f"searching as {args.username or 'an anonymous visitor'}"
    )
    scores: dict[tuple[str, str], list[tuple[float, float]]] = {}
    skipped = 0
    for query in queries:
        relevant = {titles[t] for t in query["relevant"] if t in titles}
        if not relevant:
            skipped += 1
            continue
        groups = [query["lang"], "all", "cross-language" if query["cross_language"] else "same-language"]
        for mode in modes:
            result = search(user=user, query=query["query"], mode=mode, size=DEPTH, with_facets=False)
            recall, reciprocal = _score([hit.ref for hit in result.hits], relevant)
            for group in groups:
                scores.setdefault((mode, group), []).append((recall, reciprocal))
            if args.verbose:
                print(f"{mode:8} {query['id']:40} recall@10 {recall:.2f}  RR {reciprocal:.2f}  {query['query']}")
    if skipped:
        print(f"{skipped} queries skipped: none of their relevant documents is visible to this user")
    print(f"\n{'group':16} {'queries':>7}  " + "  ".join(f"{m + ' R@10':>12} {m + ' MRR':>11}" for m in modes))
    for group in ["zh", "en", "ru", "same-language", "cross-language", "all"]:
        row = [scores.get((mode, group), []) for mode in modes]
        cells = "  ".join(
            f"{statistics.fmean(r for r, _ in s) if s else 0:>12.3f} {statistics.fmean(rr for _, rr in s) if s else 0:>11.3f}"
            for s in row
        )
        print(f"{group:16} {len(row[0]):>7}  {cells}")


if __name__ == "__main__":
    main()
