"""`spacebridge search "QUERY"`, `spacebridge search query` and `spacebridge search reindex`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from spacebridge.core.multilingual import MultilingualText
from spacebridge.records.tests.factories import shared_record
from spacebridge.search.cli import search
from spacebridge.search.models import SearchDocument

pytestmark = pytest.mark.django_db


def test_a_query_as_the_first_word_prints_json_results() -> None:
    record = shared_record(title=MultilingualText({"zh": "航天员骨质流失"}, "zh"))
    result = CliRunner().invoke(search, ["骨质流失", "--json", "--mode", "lexical"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert [(h["ref"], h["type"], h["title"]) for h in body["results"]] == [
        (record.reference, "publication", "航天员骨质流失")
    ]
    plain = CliRunner().invoke(search, ["query", "骨质流失", "--limit", "5"])
    assert record.reference in plain.output and "1 result (" in plain.output


def test_reindex_rebuilds_the_index() -> None:
    record = shared_record(title=MultilingualText({"en": "Vestibular adaptation"}, "en"))
    SearchDocument.objects.all().delete()
    result = CliRunner().invoke(search, ["reindex", "--no-embeddings"])
    assert result.exit_code == 0, result.output
    assert "1 documents indexed" in result.output
    assert SearchDocument.objects.filter(ref=record.reference).exists()
    assert CliRunner().invoke(search, ["reindex", "--kind", "nothing"]).exit_code != 0


def test_an_unknown_user_is_an_error() -> None:
    result = CliRunner().invoke(search, ["bone", "--as", "nobody"])
    assert result.exit_code != 0 and "no user" in result.output
