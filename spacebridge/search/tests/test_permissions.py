"""A search never reveals what the searcher may not see: not by a hit, a snippet, a facet count or a total — for
every release level, in lexical and hybrid mode."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from spacebridge.access.models import Level, Marking
from spacebridge.core.multilingual import MultilingualText
from spacebridge.groups.services import group_create, group_membership_add
from spacebridge.parties.tests.factories import PartyFactory, member_of
from spacebridge.records import services
from spacebridge.records.tests.factories import ConceptFactory, shared_record
from spacebridge.search.models import SearchDocument
from spacebridge.search.selectors import search
from spacebridge.search.semantic import embeddings_compute

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("each_engine")]


@dataclass
class World:
    ru: Any
    cn: Any
    us: Any
    users: dict[str, Any]


@pytest.fixture
def world(db: Any) -> World:
    ru = PartyFactory(code="ibmp-s", country="RU", short_name="IBMP")
    cn = PartyFactory(code="cmsa-s", country="CN", short_name="CMSA")
    us = PartyFactory(code="nasa-s", country="US", short_name="NASA")
    users = {
        "anonymous": None,
        "ru": member_of(ru, role="member"),
        "cn": member_of(cn, role="member"),
        "us": member_of(us, role="member"),
    }
    # A public record everybody finds, owned by NASA.
    shared_record(
        owner_party=us,
        title=MultilingualText({"en": "Orbit operations handbook"}, "en"),
        abstract=MultilingualText({"en": "Routine orbit operations."}, "en"),
    )
    return World(ru, cn, us, users)


def _release(world: World, case: str) -> dict[str, Any]:
    if case == "group":
        group = group_create(
            by=None, acronym="WGB", name=MultilingualText({"en": "Bone"}, "en"), check_permission=False
        )
        group_membership_add(group=group, by=None, party=world.cn, role="member_party", check_permission=False)
        return {"level": Level.GROUP, "group": group}
    return {
        "public": {"level": Level.PUBLIC},
        "platform": {"level": Level.PLATFORM},
        "delegation": {"level": Level.PARTIES, "countries": ("CN",)},
        "one party": {"level": Level.PARTIES, "parties": (world.us,)},
        "owner": {"level": Level.OWNER},
        "dual-use, not approved": {"level": Level.PARTIES, "countries": ("CN",), "marking": Marking.DUAL_USE},
        "controlled": {"level": Level.OWNER, "marking": Marking.CONTROLLED},
        "embargoed": {"level": Level.PUBLIC, "embargo_until": timezone.now() + timedelta(days=30)},
    }[case]


AUDIENCES = {
    "public": {"anonymous", "ru", "cn", "us"},
    "platform": {"ru", "cn", "us"},
    "delegation": {"ru", "cn"},
    "one party": {"ru", "us"},
    "group": {"ru", "cn"},
    "owner": {"ru"},
    "dual-use, not approved": {"ru"},
    "controlled": {"ru"},
    "embargoed": {"ru"},
}


def _secret(world: World, case: str) -> Any:
    liaison = member_of(world.ru, role="liaison_officer")
    subject = ConceptFactory(code="sb-secret", pref=MultilingualText({"en": "zephyr syndrome"}, "en"))
    record = shared_record(
        owner_party=world.ru,
        by=liaison,
        type="dataset",
        level=Level.OWNER,
        publish=True,
        title=MultilingualText({"en": "Orbit zephyrine countermeasure", "ru": "Орбита зефирин"}, "en"),
        abstract=MultilingualText({"en": "Classified orbit zephyrine dosage table."}, "en"),
        subjects=[subject],
    )
    release = _release(world, case)
    if release["level"] != Level.OWNER or release.get("marking"):
        services.record_release(
            record=record,
            by=liaison,
            legal_basis="EAR" if release.get("marking") else "",
            check_permission=False,
            **release,
        )
    return record


def _assert_seen_or_not(result: Any, record: Any, sees: bool, who: str) -> None:
    refs = [hit.ref for hit in result.hits]
    assert (record.reference in refs) is sees, who
    assert result.total == len(refs), who
    assert all(
        "zephyrine" not in hit.snippet.lower() and "zephyrine" not in hit.title.lower()
        for hit in result.hits
        if hit.ref != record.reference
    ), who
    facets = {name: {f.value: f.count for f in values} for name, values in result.facets.items()}
    assert sum(facets["type"].values()) == result.total, who
    assert ("dataset" in facets["type"]) is sees, who
    assert (world_party_code(record) in facets["party"]) is sees, who
    assert ("RU" in facets["delegation"]) is sees, who
    assert ("sb-secret" in facets["subject"]) is sees, who
    assert sum(facets["level"].values()) == result.total, who


def world_party_code(record: Any) -> str:
    return record.owner_party.code


@pytest.mark.parametrize("case", list(AUDIENCES))
@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_a_record_reaches_exactly_its_audience_in_hits_facets_totals_and_snippets(
    world: World, case: str, mode: str, settings: Any
) -> None:
    if mode == "hybrid":
        settings.SEARCH_EMBEDDER = "spacebridge.search.tests.embedder.HashedWords"
    record = _secret(world, case)
    if mode == "hybrid":
        embeddings_compute(list(SearchDocument.objects.values_list("pk", flat=True)))
    for who, user in world.users.items():
        sees = who in AUDIENCES[case]
        for query in ("orbit", "зефирин type:dataset", ""):
            result = search(user=user, query=query, mode=mode)
            if query != "зефирин type:dataset" or sees:
                _assert_seen_or_not(result, record, sees, who)
            else:
                assert result.hits == [] and result.total == 0, (who, query)
                assert all(not values for values in result.facets.values()), (who, query)


def test_hybrid_mode_never_brings_in_a_document_the_searcher_may_not_see(world: World, settings: Any) -> None:
    settings.SEARCH_EMBEDDER = "spacebridge.search.tests.embedder.HashedWords"
    record = _secret(world, "owner")
    embeddings_compute(list(SearchDocument.objects.values_list("pk", flat=True)))
    # Semantically the secret record is the nearest document to this query; lexically nothing matches.
    result = search(user=world.users["cn"], query="zephyrine countermeasure dosage", mode="hybrid")
    assert result.mode == "hybrid"
    assert record.reference not in [hit.ref for hit in result.hits]
    owner_view = search(user=world.users["ru"], query="zephyrine countermeasure dosage", mode="hybrid")
    assert owner_view.hits[0].ref == record.reference
