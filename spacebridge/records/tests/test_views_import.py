"""The web import page: the same import as the command line, for a party the user may share records for."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from spacebridge.records.models import Record
from spacebridge.records.tests import test_views
from spacebridge.records.tests.test_views import World

pytestmark = pytest.mark.django_db

world = test_views.world  # the shared fixture

LINES = [
    {"type": "publication", "title": {"en": "Bone loss in 180-day missions"},
     "identifiers": [{"scheme": "doi", "value": "10.5555/import.1"}], "published": "2019-05-01", "licence": "CC-BY-4.0"},
    {"type": "dataset", "title": {"ru": "Плотность костей"}, "identifiers": [{"scheme": "url",
                                                                             "value": "https://example.org/d"}]},
    {"type": "publication", "title": {"en": "Bad date"}, "published": "2019-13-40"},
]  # fmt: skip


def _upload(world: World, *, dry_run: bool, user: object = None, party: object = None) -> object:
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in LINES) + "\n"
    data = {
        "file": SimpleUploadedFile("records.jsonl", text.encode()),
        "format": "jsonl",
        "party": (party or world.ru).pk,
        "release": "platform",
    }
    if dry_run:
        data["dry_run"] = "on"
    return world.client(user or world.ru_liaison).post("/records/import/", data)


def test_dry_run_reports_every_invalid_line_and_writes_nothing(world: World) -> None:
    assert world.client(world.ru_liaison).get("/records/import/").status_code == 200
    response = _upload(world, dry_run=True)
    assert response.status_code == 200
    report = response.context["report"]
    assert report.dry_run and len(report.created) == 2
    assert [problem.line for problem in report.errors] == [3]
    assert "line 3" in response.content.decode()
    assert not Record.objects.exists()


def test_import_writes_the_valid_entries_once(world: World) -> None:
    first = _upload(world, dry_run=False).context["report"]
    assert len(first.created) == 2 and [p.line for p in first.errors] == [3]
    assert Record.objects.filter(owner_party=world.ru, status=Record.Status.PUBLISHED).count() == 2
    assert world.client(world.cn_member).get(f"/records/{first.created[0]}/").status_code == 200  # platform
    again = _upload(world, dry_run=False).context["report"]
    assert again.created == [] and len(again.unchanged) == 2
    assert Record.objects.count() == 2


def test_only_for_a_party_one_may_share_records_for(world: World) -> None:
    response = _upload(world, dry_run=False, user=world.cn_member)  # IBMP is not their party
    assert response.status_code == 400 and "party" in response.context["form"].errors
    response = _upload(world, dry_run=False, user=world.ru_member)  # a member may not release beyond the owner
    assert response.status_code == 403
    assert not Record.objects.exists()
    assert world.client().get("/records/import/").status_code == 302
