"""`spacebridge news …`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from spacebridge.cli import main
from spacebridge.outreach.models import NewsItem
from spacebridge.parties.tests.factories import PartyFactory, member_of, secretariat_user

pytestmark = pytest.mark.django_db


def test_write_submit_approve_and_list(tmp_path: Path) -> None:
    cn, ru = PartyFactory(code="cmsa"), PartyFactory(code="ibmp", country="RU")
    member_of(cn, role="liaison_officer", username="yang")
    member_of(ru, role="liaison_officer", username="dmitry")
    secretariat_user()
    source = tmp_path / "item.json"
    source.write_text(json.dumps({"title": {"en": "Joint", "zh": "联合", "ru": "Совместно"},
                                  "body": {"en": "T", "zh": "文", "ru": "Т"}, "joint": True, "parties": ["cmsa", "ibmp"]}))
    runner = CliRunner()
    created = runner.invoke(main, ["news", "create", str(source), "--by", "secretariat"])
    assert created.exit_code == 0, created.output
    slug = NewsItem.objects.get().slug
    assert runner.invoke(main, ["news", "publish", slug, "--at", "2026-12-01T09:00", "--by", "secretariat"]).exit_code != 0
    assert "awaiting" in runner.invoke(main, ["news", "publish", slug, "--by", "secretariat"]).output
    refused = runner.invoke(main, ["news", "approve", slug, "--party", "ibmp", "--by", "yang"])
    assert refused.exit_code != 0 and "IBMP" in refused.output
    runner.invoke(main, ["news", "approve", slug, "--party", "cmsa", "--by", "yang"])
    done = runner.invoke(main, ["news", "approve", slug, "--party", "ibmp", "--by", "dmitry"])
    assert "scheduled" in done.output
    assert slug in runner.invoke(main, ["news", "list", "--language", "ru"]).output
    assert "approved" in runner.invoke(main, ["news", "show", slug]).output
    assert runner.invoke(main, ["news", "withdraw", slug, "--reason", "Date moved", "--by", "secretariat"]).exit_code == 0
    assert slug not in runner.invoke(main, ["news", "list"]).output
    (tmp_path / "bad.json").write_text("[1]")
    assert runner.invoke(main, ["news", "create", str(tmp_path / "bad.json"), "--by", "secretariat"]).exit_code != 0
