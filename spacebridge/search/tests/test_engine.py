"""The tantivy engine: its audience terms agree with the access policy for every case, and it follows every write."""

from __future__ import annotations

import fcntl
import itertools
import json
from datetime import date, timedelta
from typing import Any

import pytest
from click.testing import CliRunner
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from spacebridge.access.models import Level, Marking, ReleaseGrant, ReleasePolicy
from spacebridge.access.principals import principal_for
from spacebridge.core.multilingual import MultilingualText
from spacebridge.groups.services import group_create, group_membership_add
from spacebridge.parties.tests.factories import PartyFactory, UserFactory, member_of
from spacebridge.records import services
from spacebridge.records.models import Record
from spacebridge.records.tests.factories import shared_record
from spacebridge.search import engine
from spacebridge.search.cli import search as search_group
from spacebridge.search.models import SearchChange, SearchDocument
from spacebridge.search.registry import kinds
from spacebridge.search.selectors import search, searchable

pytestmark = pytest.mark.django_db

NO_FILTERS = engine.EngineFilters([], [], [], [], [], [], [])


@pytest.fixture
def tantivy(settings: Any, tmp_path: Any) -> engine.TantivyIndex:
    settings.SEARCH_ENGINE = "tantivy"
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    return engine.the_index()


def _engine_visible(user: Any) -> set[int]:
    """The index rows of kinds with an audience that the engine lets ``user`` see."""
    index = engine.the_index()
    index.sync()
    view = engine.EngineSearch(index, principal_for(user), NO_FILTERS, allowed=lambda ids: set())
    found = view.searcher.search(view.visible_matches([], []), 100_000, count=False)
    return set(view.searcher.ids(found.hits))


def _policy_visible(user: Any) -> set[int]:
    with_audience = frozenset(kind.kind for kind in kinds().values() if kind.audience)
    return set(searchable(user, with_audience).values_list("pk", flat=True))


def test_audience_terms_agree_with_the_access_policy_for_every_case(tantivy: Any) -> None:
    us_parent = PartyFactory(code="nasa-e", country="US")
    us_centre = PartyFactory(code="jsc-e", country="US", parent=us_parent)
    cn = PartyFactory(code="cmsa-e", country="CN")
    ru = PartyFactory(code="ibmp-e", country="RU")
    group = group_create(by=None, acronym="WGE", name=MultilingualText({"en": "E"}, "en"), check_permission=False)
    group_membership_add(group=group, by=None, party=cn, role="member_party", check_permission=False)
    content_type = ContentType.objects.get_for_model(Record)
    now = timezone.now()
    cases = itertools.product(
        [Level.PUBLIC, Level.PLATFORM, Level.PARTIES, Level.GROUP, Level.OWNER, None],
        [Marking.NONE, Marking.DUAL_USE, Marking.CONTROLLED],
        [False, True],  # export approved
        [None, now - timedelta(days=1), now + timedelta(days=30)],  # embargo
        ["", "party", "country"],  # grant
    )
    for number, (level, marking, approved, embargo, grant) in enumerate(cases):
        record = shared_record(
            owner_party=ru, level="owner", title=MultilingualText({"en": f"Case {number} orbit"}, "en")
        )
        if level is None:
            continue  # no policy: the model's default
        policy = ReleasePolicy.objects.create(
            content_type=content_type,
            object_id=record.pk,
            owner_party=ru,
            level=level,
            group=group if level == Level.GROUP else None,
            marking=marking,
            embargo_until=embargo,
            export_approved_at=now if approved else None,
        )
        if grant:
            ReleaseGrant.objects.create(
                policy=policy,
                party=us_parent if grant == "party" else None,
                country="CN" if grant == "country" else "",
                granted_at=now,
                export_approved_at=now if approved and number % 2 else None,
            )
    viewers = {
        "anonymous": None,
        "owner": member_of(ru),
        "sub-party of a granted party": member_of(us_centre),
        "delegation": member_of(cn),
        "no party": UserFactory(),
    }
    assert SearchDocument.objects.filter(kind="record").count() > 300
    for who, user in viewers.items():
        assert _engine_visible(user) == _policy_visible(user), who


def test_the_index_follows_writes_release_decisions_and_withdrawals(tantivy: Any) -> None:
    ru, cn = PartyFactory(code="ibmp-f", country="RU"), PartyFactory(code="cmsa-f", country="CN")
    officer, viewer = member_of(ru, role="liaison_officer"), member_of(cn)
    first = shared_record(owner_party=ru, by=officer, title=MultilingualText({"en": "Tantivy orbit one"}, "en"))
    assert [hit.ref for hit in search(user=viewer, query="tantivy", mode="lexical").hits] == [first.reference]
    second = shared_record(owner_party=ru, by=officer, title=MultilingualText({"en": "Tantivy orbit two"}, "en"))
    assert search(user=viewer, query="tantivy", mode="lexical").total == 2
    # A release decision alone (no new text) changes who finds the record, hits and totals.
    services.record_release(record=second, by=officer, level=Level.OWNER, reason="recalled", check_permission=False)
    result = search(user=viewer, query="tantivy", mode="lexical")
    assert [hit.ref for hit in result.hits] == [first.reference] and result.total == 1
    assert search(user=officer, query="tantivy", mode="lexical").total == 2
    services.record_withdraw(record=first, by=officer, reason="duplicate")
    assert search(user=viewer, query="tantivy", mode="lexical").total == 0
    state = json.loads((tantivy.path / "state.json").read_text())
    assert state["change"] == SearchChange.objects.order_by("-pk").values_list("pk", flat=True).first()


def test_a_partys_new_country_and_its_deletion_reach_the_index(tantivy: Any) -> None:
    ru = PartyFactory(code="ibmp-d", country="RU")
    officer, viewer = member_of(ru, role="liaison_officer"), member_of(PartyFactory(code="cmsa-d", country="CN"))
    shared_record(owner_party=ru, by=officer, title=MultilingualText({"en": "Tantivy delegation"}, "en"))

    def delegations() -> dict[str, int]:
        result = search(user=viewer, query="tantivy", mode="lexical")
        return {facet.value: facet.count for facet in result.facets["delegation"]}

    assert delegations() == {"RU": 1}
    ru.country = "KZ"
    ru.save()
    assert delegations() == {"KZ": 1}
    # A party deleted takes its documents out of the index by cascade: the index follows.
    gone = PartyFactory(code="gone-d", country="US")
    row = SearchDocument.objects.filter(owner_party=ru).get()
    SearchDocument.objects.filter(pk=row.pk).update(owner_party=gone)
    engine.changes_note([row.pk])
    assert delegations() == {"US": 1}
    gone.delete()
    assert delegations() == {} and search(user=viewer, query="tantivy", mode="lexical").total == 0


def test_a_large_index_is_built_in_shards_that_answer_as_one(tantivy: Any, monkeypatch: Any) -> None:
    ru, cn = PartyFactory(code="ibmp-s", country="RU"), PartyFactory(code="cmsa-s", country="CN")
    officer, viewer = member_of(ru, role="liaison_officer"), member_of(cn)
    for number in range(9):
        shared_record(
            owner_party=ru if number % 3 else cn,
            by=officer if number % 3 else None,
            level="owner" if number == 4 else "public",
            title=MultilingualText({"en": f"Sharded orbit {number}"}, "en"),
            published_on=date(2010 + number, 1, 1),
        )

    def answers() -> list[Any]:
        relevance = search(user=viewer, query="sharded orbit", mode="lexical", size=3, page=2)
        by_date = search(user=viewer, query="sharded", mode="lexical", sort="date", size=4, page=2)
        every = search(user=viewer, query="sharded", mode="lexical", size=20)
        return [
            relevance.total,
            {hit.ref for hit in every.hits},
            [hit.ref for hit in by_date.hits],
            {name: {(f.value, f.count) for f in values} for name, values in every.facets.items()},
        ]

    single = answers()
    assert single[0] == 8 and len(single[1]) == 8 and len(single[2]) == 4  # the owner-only record is not theirs
    monkeypatch.setattr(engine, "shard_count", lambda documents: 3)
    assert tantivy.rebuild() == SearchDocument.objects.count()
    state = json.loads((tantivy.path / "state.json").read_text())
    assert state["shards"] == 3 and len(tantivy.shards) == 3
    assert all(shard.searcher().num_docs > 0 for shard in tantivy.shards)
    assert answers() == single  # totals, hits, the order by date and the facets, merged from three shards
    # A change reaches the shard that holds the document, once.
    record = Record.objects.get(title__text__en="Sharded orbit 5")
    services.record_withdraw(record=record, by=officer, reason="duplicate")
    after = search(user=viewer, query="sharded", mode="lexical")
    assert after.total == 7 and {hit.ref for hit in after.hits} == single[1] - {record.reference}


def test_applied_changes_are_pruned_but_the_last_stays(tantivy: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(engine, "PRUNE_EVERY", 1)
    for number in range(3):
        shared_record(title=MultilingualText({"en": f"Pruned orbit {number}"}, "en"))
        assert search(user=None, query="pruned").total == number + 1
    assert SearchChange.objects.count() == 1
    shared_record(title=MultilingualText({"en": "Pruned orbit 3"}, "en"))
    assert search(user=None, query="pruned").total == 4


def test_an_index_made_for_another_database_or_schema_is_rebuilt(tantivy: Any) -> None:
    shared_record(title=MultilingualText({"en": "Rebuilt orbit"}, "en"))
    assert search(user=None, query="rebuilt").total == 1
    state = json.loads((tantivy.path / "state.json").read_text())
    (tantivy.path / "state.json").write_text(json.dumps(state | {"database": "elsewhere", "change": 10**9}))
    assert search(user=None, query="rebuilt").total == 1
    assert json.loads((tantivy.path / "state.json").read_text())["database"] == state["database"]


def test_too_many_matches_of_kinds_the_database_checks_fall_back_to_it(tantivy: Any, monkeypatch: Any) -> None:
    from spacebridge.outreach.tests.factories import news
    from spacebridge.search import selectors

    news(languages=("en",))  # news: a kind the database checks ("Bone loss study begins …")
    record = shared_record(title=MultilingualText({"en": "Bone loss in orbit"}, "en"))
    engines_used: list[bool] = []
    answer = selectors._answer
    monkeypatch.setattr(selectors, "_answer", lambda *a: engines_used.append(a[2].engine is not None) or answer(*a))
    found = {hit.ref for hit in search(user=None, query="bone loss", mode="lexical").hits}
    assert engines_used == [True] and record.reference in found and len(found) == 2
    monkeypatch.setattr(engine, "CHECKED_MAX", 0)  # now any match of a checked kind is too many
    result = search(user=None, query="bone loss", mode="lexical")
    assert engines_used == [True, True, False]  # the engine gave up, the database answered
    assert {hit.ref for hit in result.hits} == found and result.total == 2


def test_reindex_builds_the_tantivy_index_with_the_database_index(tantivy: Any) -> None:
    shared_record(title=MultilingualText({"en": "Reindexed orbit"}, "en"))
    assert not (tantivy.path / "state.json").exists()
    outcome = CliRunner().invoke(search_group, ["reindex", "--no-embeddings"])
    assert outcome.exit_code == 0, outcome.output
    state = json.loads((tantivy.path / "state.json").read_text())
    assert state["change"] == SearchChange.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert search(user=None, query="reindexed").total == 1


def _hold_the_writing_lock(index: engine.TantivyIndex) -> Any:
    """Hold the index's lock between processes, as another process building or updating it would."""
    index.path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(index.path.parent / f".{index.path.name}.lock", "w")
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return handle


def test_while_another_process_builds_the_index_the_database_answers(tantivy: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(engine, "LOCK_WAIT", 0.1)
    record = shared_record(title=MultilingualText({"en": "Concurrent orbit"}, "en"))
    handle = _hold_the_writing_lock(tantivy)
    try:
        assert tantivy.sync() == engine.ABSENT
        result = search(user=None, query="concurrent")
        assert [hit.ref for hit in result.hits] == [record.reference] and result.total == 1
    finally:
        handle.close()
    assert tantivy.sync() == engine.CURRENT


def test_an_index_another_process_holds_is_searched_as_it_is(tantivy: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(engine, "LOCK_WAIT", 0.1)
    ru, cn = PartyFactory(code="ibmp-g", country="RU"), PartyFactory(code="cmsa-g", country="CN")
    officer, viewer = member_of(ru, role="liaison_officer"), member_of(cn)
    record = shared_record(owner_party=ru, by=officer, title=MultilingualText({"en": "Lagging orbit"}, "en"))
    assert search(user=viewer, query="lagging").total == 1
    services.record_release(record=record, by=officer, level=Level.OWNER, reason="recalled", check_permission=False)
    handle = _hold_the_writing_lock(tantivy)
    try:
        assert tantivy.sync() == engine.STALE
        # The engine still lists the record for the viewer; the access policy has the last word on the page.
        assert search(user=viewer, query="lagging").hits == []
    finally:
        handle.close()
    result = search(user=viewer, query="lagging")
    assert result.hits == [] and result.total == 0


def test_processes_sharing_the_index_follow_each_others_builds_and_changes(tantivy: Any) -> None:
    other = engine.TantivyIndex(tantivy.path)  # a second process's view of the same folder
    shared_record(title=MultilingualText({"en": "Shared orbit one"}, "en"))
    assert tantivy.sync() == engine.CURRENT and other.sync() == engine.CURRENT
    tantivy.rebuild()
    shared_record(title=MultilingualText({"en": "Shared orbit two"}, "en"))
    assert other.sync() == engine.CURRENT  # it opens the new build and applies the new change
    assert tantivy.sync() == engine.CURRENT  # and this one reads what the other applied
    for index in (tantivy, other):
        view = engine.EngineSearch(index, principal_for(None), NO_FILTERS, allowed=lambda ids: set())
        assert len(view.ranked([], [], 10)) == 2


def test_kinds_without_an_audience_are_left_to_the_database_whatever_their_policy(tantivy: Any) -> None:
    audiences = engine._audiences([(1, "project", 10**6, None), (2, "group", 10**6, None)])
    assert audiences[1].gate == "checked" and not audiences[1].owners and not audiences[1].readers
    assert audiences[2].gate == "member"  # working groups: all signed-in members by default
