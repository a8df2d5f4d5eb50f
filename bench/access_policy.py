"""Benchmark of the one access filter: how long a visible() list query takes as the number of released objects grows.

    SPACEBRIDGE_DATA_DIR=/tmp/sb-bench .venv/bin/python bench/access_policy.py --objects 20000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sb_bench .venv/bin/python bench/access_policy.py

It creates people with every kind of release policy in a fresh database, then times, for viewers of different
parties, counting the visible people and fetching the first page of 50. Prints p50 and p95 in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
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

from spacebridge.access.models import Level, Marking, ReleaseGrant, ReleasePolicy  # noqa: E402
from spacebridge.access.policy import visible  # noqa: E402
from spacebridge.core.multilingual import MultilingualText  # noqa: E402
from spacebridge.parties.models import Affiliation, Party, Person  # noqa: E402


def seed(objects: int) -> list:
    rng = random.Random(7)
    parties = [Party.objects.create(code=f"p{i}", short_name=f"P{i}", name=MultilingualText({"en": f"Party {i}"}),
                                    kind="research_institute", country=country)
               for i, country in enumerate(["CN", "CN", "RU", "RU", "US", "US"])]
    people = Person.objects.bulk_create([Person(transliteration=f"Person {i}", names=[{"language": "en",
                                         "text": f"Person {i}"}], name_index=f"person{i}") for i in range(objects)])
    content_type = ContentType.objects.get_for_model(Person)
    levels = [Level.PUBLIC, Level.PLATFORM, Level.PARTIES, Level.OWNER]
    policies = ReleasePolicy.objects.bulk_create([
        ReleasePolicy(content_type=content_type, object_id=p.pk, owner_party=rng.choice(parties),
                      level=rng.choice(levels), marking=rng.choice([Marking.NONE] * 8 + [Marking.DUAL_USE]),
                      legal_basis="bench") for p in people])
    ReleaseGrant.objects.bulk_create([ReleaseGrant(policy=policy, party=rng.choice(parties))
                                      for policy in policies if policy.level == Level.PARTIES])
    viewers = []
    for i, party in enumerate(parties[::2]):
        user = get_user_model().objects.create(username=f"viewer{i}")
        person = Person.objects.create(transliteration=f"Viewer {i}", names=[], user=user)
        Affiliation.objects.create(person=person, party=party)
        viewers.append(user)
    return viewers


def timed(fn, repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if Person.objects.exists():
        sys.exit("the benchmark needs an empty database (a fresh SPACEBRIDGE_DATA_DIR or DATABASE_URL)")
    with transaction.atomic():
        viewers = seed(args.objects)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum does in a running installation
    print(f"{connection.vendor}, {args.objects} people with release policies")
    for viewer in viewers:
        viewer = get_user_model().objects.get(pk=viewer.pk)  # a fresh principal per viewer, as per request
        count = visible(Person.objects.all(), viewer).count()
        p50, p95 = timed(lambda v=viewer: visible(Person.objects.all(), v).count(), args.repeat)
        f50, f95 = timed(lambda v=viewer: list(visible(Person.objects.order_by("pk"), v)[:50]), args.repeat)
        print(f"  {viewer.username}: sees {count:>6}  count p50 {p50:6.1f} ms p95 {p95:6.1f} ms   "
              f"first page p50 {f50:6.1f} ms p95 {f95:6.1f} ms")


if __name__ == "__main__":
    main()
