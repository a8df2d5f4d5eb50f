"""Benchmark of the public portal's pages over the demo content: the home page, the portfolio, a project page, the
news, an Atom feed, the transparency page and the sitemap, as an anonymous visitor (what search engines and the
public load). Prints p50, p95 and max wall and CPU milliseconds per page, and the SQL queries per request.

    .venv/bin/python bench/portal_pages.py                   # fresh SQLite data folder, demo loaded, 50 requests a page
    .venv/bin/python bench/portal_pages.py --requests 200
    SPACEBRIDGE_DATA_DIR=/tmp/sb-bench-portal-… .venv/bin/python bench/portal_pages.py   # measure the same data again
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("SPACEBRIDGE_DATA_DIR", tempfile.mkdtemp(prefix="sb-bench-portal-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spacebridge.settings")
os.environ.setdefault("SPACEBRIDGE_TASKS", "immediate")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

PAGES = [
    "/",
    "/projects/",
    "/projects/space-medical-university/",
    "/news/",
    "/news/wenchang-symposium-agrees-on-a-common-platform/",
    "/news/feed/en.atom",
    "/news/transparency/",
    "/news/sitemap.xml",
]


class QueryCounter(list):
    """An execute wrapper that keeps the SQL of every query."""

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.append(sql)
        return execute(sql, params, many, context)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50, help="requests per page (default 50)")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from spacebridge.demo import demo_load

    started = time.perf_counter()
    loaded = demo_load()  # kept when the data folder already holds it (SPACEBRIDGE_DATA_DIR=… to measure again)
    print(f"demo {'loaded' if loaded else 'kept'} in {time.perf_counter() - started:.1f} s: {os.environ['SPACEBRIDGE_DATA_DIR']}")
    setup_test_environment()
    # Count every query of a request: Django clears the query log when a request starts.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, reset_queries

    request_started.disconnect(reset_queries)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    client = Client()
    print(f"{'page':58} {'wall p50':>9} {'p95':>7} {'max':>7} {'cpu p50':>8} {'p95':>7} {'queries':>8}")
    for page in PAGES:
        assert client.get(page).status_code == 200, page  # warm up, and fail loudly on a broken page
        walls, cpus = [], []
        queries = QueryCounter()
        with connection.execute_wrapper(queries):
            client.get(page)
        for _ in range(args.requests):
            wall, cpu = time.perf_counter(), time.process_time()
            client.get(page)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        print(
            f"{page:58} {statistics.median(walls):9.1f} {percentile(walls, 0.95):7.1f} {max(walls):7.1f} "
            f"{statistics.median(cpus):8.1f} {percentile(cpus, 0.95):7.1f} {len(queries):8d}"
        )


if __name__ == "__main__":
    main()
