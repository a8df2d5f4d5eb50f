"""A public record's page describes itself to search engines in schema.org JSON-LD; a restricted record's page,
even to those who may read it, says nothing to machines."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from spacebridge.core.multilingual import MultilingualText
from spacebridge.parties.tests.factories import PartyFactory, member_of
from spacebridge.records.tests.factories import shared_record

pytestmark = pytest.mark.django_db

LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _structured(html: str) -> list[dict]:
    return [json.loads(block) for block in LD.findall(html)]


def test_a_public_publication_is_a_scholarly_article_with_its_title_authors_and_doi() -> None:
    ibmp = PartyFactory(code="ibmp", short_name="IBMP", country="RU")
    record = shared_record(
        owner_party=ibmp,
        by=member_of(ibmp),
        title=MultilingualText({"ru": "Потеря костной массы в невесомости", "en": "Bone loss in microgravity"}, "ru"),
        abstract=MultilingualText({"en": "Densitometry of cosmonauts </script> after flight."}, "en"),
        keywords={"en": ["bone loss", "microgravity"]},
        identifiers=[{"scheme": "doi", "value": "10.1234/bone.2019"}],
        contributors=[{"name": "Oganov, Victor", "role": "author"}],
        licence="CC-BY-4.0",
    )

    html = Client().get(record.get_absolute_url()).content.decode()

    [data] = _structured(html)
    assert data["@type"] == "ScholarlyArticle"
    assert data["name"] == "Bone loss in microgravity"
    assert data["author"] == [{"@type": "Person", "name": "Oganov, Victor"}]
    assert data["sameAs"] == "https://doi.org/10.1234/bone.2019"
    assert data["license"] == "https://spdx.org/licenses/CC-BY-4.0"
    assert data["publisher"]["alternateName"] == "IBMP"
    assert record.reference in data["identifier"]
    assert "</script> after" not in html.split("<body", 1)[0]  # the abstract cannot close the block


def test_a_record_released_to_members_only_tells_machines_nothing(client) -> None:  # type: ignore[no-untyped-def]
    owner = PartyFactory()
    record = shared_record(owner_party=owner, by=member_of(owner), level="platform")
    client.force_login(member_of(PartyFactory()))

    response = client.get(record.get_absolute_url())

    assert response.status_code == 200
    assert _structured(response.content.decode()) == []
