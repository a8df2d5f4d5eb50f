"""The other parts in the platform-wide search: working groups, decisions, minutes, agreements, projects, events and
news. Each is found by a word of its title in every language it has, reaches exactly the readers its part's own
access filter admits (never a hit, a total or a facet count more), follows edits and leaves the index when deleted."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from spacebridge.access.models import Level
from spacebridge.access.services import release_set
from spacebridge.agreements import services as agreements
from spacebridge.agreements.tests.factories import EN as MOU_EN
from spacebridge.agreements.tests.factories import cast, drafted
from spacebridge.core.multilingual import MultilingualText
from spacebridge.events import services as events
from spacebridge.events.tests.factories import event_of, organiser
from spacebridge.groups.services import group_charter_update, group_create
from spacebridge.liaison import services as liaison
from spacebridge.liaison import services_minutes
from spacebridge.liaison.models import Attendance
from spacebridge.liaison.selectors import series_occurrences
from spacebridge.liaison.tests.factories import build_world
from spacebridge.outreach import services as outreach
from spacebridge.parties.tests.factories import PartyFactory, member_of
from spacebridge.projects import services as projects
from spacebridge.projects.tests.factories import project_with
from spacebridge.records.tests.factories import ConceptFactory
from spacebridge.search.models import SearchDocument
from spacebridge.search.selectors import SearchResult, search
from spacebridge.search.semantic import embeddings_compute

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("each_engine")]


def T(en: str, zh: str = "", ru: str = "") -> MultilingualText:  # noqa: N802
    return MultilingualText({"en": en, "zh": zh, "ru": ru}, "en")


def _find(user: Any, query: str, mode: str = "lexical") -> SearchResult:
    return search(user=user, query=query, mode=mode)


def _refs(result: SearchResult) -> list[str]:
    return [hit.ref for hit in result.hits]


def _types(result: SearchResult) -> dict[str, int]:
    return {facet.value: facet.count for facet in result.facets.get("type", [])}


def assert_found(user: Any, queries: list[str], ref: str, kind: str) -> None:
    for query in queries:
        result = _find(user, query)
        assert ref in _refs(result), query
        assert _types(result).get(kind, 0) >= 1, query
        assert result.total == len(result.hits), query


def assert_hidden(user: Any, queries: list[str], ref: str, kind: str) -> None:
    """Not a hit, not in the total, not in any facet count."""
    for query in queries:
        result = _find(user, query)
        assert ref not in _refs(result), query
        assert kind not in _types(result), query
        assert result.total == len(result.hits), query
        assert sum(_types(result).values()) == result.total, query


def _indexed(kind: str, object_id: int) -> bool:
    return SearchDocument.objects.filter(kind=kind, object_id=object_id).exists()


# ----------------------------------------------------------------------------------------------------------------
# Working groups
# ----------------------------------------------------------------------------------------------------------------


def test_a_working_group_is_found_in_each_language_by_signed_in_members_only() -> None:
    member = member_of(PartyFactory(code="cmsa-g", country="CN"), role="member")
    group = group_create(
        by=None,
        acronym="WG-BONE",
        name=T("Bone loss countermeasures", "骨质流失对策", "Потеря костной массы"),
        check_permission=False,
    )
    assert_found(member, ["countermeasures", "骨质流失", "костной"], "WG-BONE", "group")
    assert_hidden(None, ["countermeasures", "骨质流失", "костной"], "WG-BONE", "group")
    [hit] = _find(member, "countermeasures").hits
    assert hit.kind == "group" and hit.url == f"/groups/{group.acronym}/"


def test_a_charter_change_and_new_subjects_reindex_the_group_and_a_deleted_group_leaves() -> None:
    member = member_of(PartyFactory(code="ibmp-g", country="RU"), role="member")
    group = group_create(by=None, acronym="WG-SLEEP", name=T("Sleep in orbit"), check_permission=False)
    concept = ConceptFactory(code="sb-circadian", pref=T("Circadian rhythm"))
    group_charter_update(
        group=group,
        by=None,
        name=T("Circadian health"),
        mandate=T("Study melatonin aboard stations", "研究空间站上的褪黑素"),
        subjects=[concept],
        check_permission=False,
    )
    assert _find(member, "orbit").hits == []
    assert_found(member, ["circadian", "melatonin", "褪黑素"], "WG-SLEEP", "group")
    result = _find(member, "melatonin")
    assert {facet.value for facet in result.facets["subject"]} == {"sb-circadian"}
    group.delete()
    assert not _indexed("group", group.pk)
    assert _find(member, "melatonin").total == 0


# ----------------------------------------------------------------------------------------------------------------
# Decisions and minutes
# ----------------------------------------------------------------------------------------------------------------


def _held_meeting(world: Any) -> Any:
    series = world.series(
        title=MultilingualText({"en": "Monthly liaison", "zh": "月度联络", "ru": "Ежемесячная связь"}, "en")
    )
    start = series_occurrences(series, series.first_start, series.first_start + timedelta(days=1))[0].start
    meeting = liaison.meeting_for_occurrence(series=series, occurrence_start=start, by=world.cn_chair)
    for party in (world.cn, world.ru, world.us):
        liaison.attendance_set(meeting=meeting, by=world.cn_chair, party=party, status=Attendance.Status.PRESENT)
    return liaison.meeting_hold(meeting=meeting, by=world.cn_chair)


@pytest.fixture
def liaison_world(settings: Any) -> Any:
    return build_world()


def test_a_decision_is_found_by_the_group_in_each_language_and_never_by_others(liaison_world: Any) -> None:
    world = liaison_world
    meeting = _held_meeting(world)
    decision = services_minutes.decision_record(
        meeting=meeting,
        by=world.cn_chair,
        text=T("Adopt the hydroponics plan", "通过水培计划", "Принять план гидропоники"),
    )
    queries = ["hydroponics", "水培", "гидропоники", decision.reference.split("/")[-1]]
    assert_found(world.us_chair, queries[:3], decision.reference, "decision")
    assert_hidden(world.outsider, queries, decision.reference, "decision")
    assert_hidden(None, queries, decision.reference, "decision")
    # A release takes effect on the next search, with no re-indexing.
    release_set(obj=decision, by=None, level=Level.PLATFORM, check_permission=False)
    assert_found(world.outsider, ["hydroponics"], decision.reference, "decision")


def test_an_edited_decision_is_reindexed_and_a_deleted_one_leaves(liaison_world: Any) -> None:
    world = liaison_world
    decision = services_minutes.decision_record(
        meeting=_held_meeting(world), by=world.cn_chair, text=T("Adopt the hydroponics plan")
    )
    decision.text = T("Adopt the aeroponics plan")
    decision.save()
    assert _find(world.cn_chair, "hydroponics").total == 0
    assert_found(world.cn_chair, ["aeroponics"], decision.reference, "decision")
    decision.positions.all().delete()
    decision.delete()
    assert not _indexed("decision", decision.pk)
    assert _find(world.cn_chair, "aeroponics").total == 0


def test_minutes_are_found_by_the_group_only_and_follow_their_revisions(liaison_world: Any) -> None:
    world = liaison_world
    meeting = _held_meeting(world)
    minutes = services_minutes.minutes_save(
        meeting=meeting,
        by=world.cn_chair,
        text=T(
            "# Minutes\n\nThe **telemedicine** pilot starts.",
            "# 纪要\n\n远程医疗试点启动。",
            "# Протокол\n\nНачат пилот телемедицины.",
        ),
    )
    ref = minutes.reference
    assert_found(
        world.ru_chair, ["telemedicine", "远程医疗", "телемедицины", "月度联络", "Ежемесячная"], ref, "minutes"
    )
    assert_hidden(world.outsider, ["telemedicine", "远程医疗", "телемедицины", "liaison"], ref, "minutes")
    [hit] = _find(world.ru_chair, "telemedicine").hits
    assert "**" not in hit.snippet and "<mark>telemedicine</mark>" in hit.snippet
    assert hit.url == f"/liaison/meetings/{meeting.pk}/minutes/"
    services_minutes.minutes_save(meeting=meeting, by=world.cn_chair, text=T("The biobank pilot starts."))
    assert _find(world.ru_chair, "telemedicine").total == 0
    assert_found(world.ru_chair, ["biobank"], ref, "minutes")
    minutes.delete()
    assert not _indexed("minutes", minutes.pk)


# ----------------------------------------------------------------------------------------------------------------
# Agreements
# ----------------------------------------------------------------------------------------------------------------


def test_a_draft_agreement_is_found_only_by_its_parties_officers_in_each_language() -> None:
    world = cast(3)
    agreement = drafted(world)
    outsider = member_of(PartyFactory(code="esa-a", country="FR"), role="liaison_officer", username="esa-officer")
    titles = ["medicine", "谅解备忘录", "Меморандум"]
    preambles = ["recognising", "人类健康", "признавая"]
    assert_found(world.officers[1], titles + preambles, agreement.reference, "agreement")
    assert_found(world.secretariat, titles, agreement.reference, "agreement")
    for user in (outsider, world.members[1], None):
        assert_hidden(user, titles + preambles + [agreement.reference], agreement.reference, "agreement")


def test_an_agreement_follows_its_title_and_texts_and_leaves_when_deleted() -> None:
    world = cast(2)
    agreement = drafted(world, texts={"en": MOU_EN})
    officer = world.officers[0]
    agreements.agreement_update(agreement=agreement, by=world.secretariat, title=T("Telemedicine memorandum"))
    assert _find(officer, "medicine").total == 0
    assert_found(officer, ["telemedicine"], agreement.reference, "agreement")
    agreements.text_version_add(
        agreement=agreement,
        by=world.secretariat,
        language="en",
        body=MOU_EN.replace("recognising the value", "mindful of the promise"),
    )
    assert _find(officer, "recognising").total == 0
    assert_found(officer, ["mindful"], agreement.reference, "agreement")
    agreement.delete()
    assert not _indexed("agreement", agreement.pk)


# ----------------------------------------------------------------------------------------------------------------
# Projects, events, news
# ----------------------------------------------------------------------------------------------------------------


def test_a_project_reaches_its_audience_in_each_language_and_follows_edits() -> None:
    lead = PartyFactory(code="hainan-p", country="CN")
    public = project_with(
        lead=lead, name={"en": "World Space City", "zh": "世界航天城", "ru": "Всемирный космический город"}
    )
    kept = project_with(lead=lead, level=Level.OWNER, name={"en": "Space Medical University"})
    stranger = member_of(PartyFactory(code="nasa-p", country="US"), role="member")
    assert_found(None, ["city", "航天城", "космический"], public.reference, "project")
    assert_hidden(stranger, ["university", "medical"], kept.reference, "project")
    assert_found(member_of(lead, role="member"), ["university"], kept.reference, "project")
    result = _find(None, "city")
    assert result.hits[0].owner_party == lead.short_name
    projects.project_update(project=public, by=None, check_permission=False, name=T("Coastal Finance Center"))
    assert _find(None, "航天城").total == 0
    assert_found(None, ["coastal"], public.reference, "project")
    public.delete()
    assert not _indexed("project", public.pk)


def test_an_event_reaches_its_audience_with_its_programme_and_follows_edits() -> None:
    event = event_of(slug="wenchang-2028")
    hidden = event_of(slug="closed-2028", release=Level.OWNER, title=T("Closed workshop on radiation"))
    assert_found(None, ["symposium", "研讨会", "Симпозиум"], event.reference, "event")
    assert_hidden(None, ["radiation"], hidden.reference, "event")
    assert_hidden(member_of(PartyFactory(code="other-e"), role="member"), ["radiation"], hidden.reference, "event")
    events.session_add(
        event=event,
        by=organiser(),
        title=T("Telemedicine session"),
        starts_at=event.starts_at,
        ends_at=event.starts_at + timedelta(hours=1),
    )
    assert_found(None, ["telemedicine"], event.reference, "event")
    events.event_update(event=event, by=organiser(), title=T("Hainan forum"))
    assert _find(None, "symposium").total == 0
    assert_found(None, ["forum"], event.reference, "event")
    event.delete()
    assert not _indexed("event", event.pk)


def _news(title: MultilingualText, *, publish: bool = True, publish_at: Any = None) -> Any:
    item = outreach.news_create(by=None, title=title, body=title, check_permission=False)
    return outreach.news_publish(item=item, by=None, publish_at=publish_at, check_permission=False) if publish else item


def test_only_published_news_is_found_in_each_of_its_languages() -> None:
    published = _news(T("Hainan bone study begins", "海南骨质研究启动", "В Хайнане начато исследование"))
    draft = _news(T("Draft about gravimetry"), publish=False)
    later = _news(T("Embargoed gravimetry results"), publish_at=timezone.now() + timedelta(days=3))
    assert_found(None, ["begins", "骨质", "исследование"], published.reference, "news")
    for item in (draft, later):
        assert_hidden(None, ["gravimetry"], item.reference, "news")
        assert_hidden(member_of(PartyFactory(), role="member"), ["gravimetry"], item.reference, "news")
    assert not _indexed("news", draft.pk)
    opens = T("Hainan clinic opens", "海南诊所开业", "Открыта клиника")
    outreach.news_update(item=published, by=None, check_permission=False, title=opens, body=opens)
    assert _find(None, "begins").total == 0
    assert_found(None, ["clinic"], published.reference, "news")
    outreach.news_withdraw(item=published, by=None, reason="Duplicate", check_permission=False)
    assert not _indexed("news", published.pk)
    assert _find(None, "clinic").total == 0


# ----------------------------------------------------------------------------------------------------------------
# Across the kinds
# ----------------------------------------------------------------------------------------------------------------


def test_the_type_facet_names_every_kind_in_english_chinese_and_russian() -> None:
    lead = PartyFactory(code="cnsa-x", country="CN")
    group_create(by=None, acronym="WG-NEPTUNE", name=T("Neptune group"), status="active", check_permission=False)
    project_with(lead=lead, name={"en": "Neptune project"})
    event_of(slug="neptune", title=T("Neptune symposium"))
    _news(T("Neptune news"))
    member = member_of(lead, role="member")
    expected = {
        "en-us": {"group": "Working group", "project": "Project", "event": "Event", "news": "News item"},
        "zh-hans": {"group": "工作组", "project": "项目", "event": "活动", "news": "新闻"},
        "ru": {"group": "Рабочая группа", "project": "Проект", "event": "Мероприятие", "news": "Новость"},
    }
    for language, labels in expected.items():
        with translation.override(language):
            result = _find(member, "neptune")
        assert {facet.value: facet.label for facet in result.facets["type"]} == labels, language
        assert {hit.type: hit.type_label for hit in result.hits} == labels, language


def test_the_new_kinds_are_embedded_and_found_by_meaning_but_never_beyond_their_audience(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SEARCH_EMBEDDER = "spacebridge.search.tests.embedder.HashedWords"
    world = cast(2)
    # Embeddings are computed in the background once the write commits (here the immediate task backend).
    with django_capture_on_commit_callbacks(execute=True):
        agreement = drafted(world, texts={})
        event = event_of(slug="zephyr", title=T("Zephyrine workshop"), description=T("Zephyrine dosage"))
        agreements.agreement_update(agreement=agreement, by=world.secretariat, title=T("Zephyrine dosage memorandum"))
    assert set(SearchDocument.objects.values_list("kind", flat=True)) == {"agreement", "event"}
    assert not SearchDocument.objects.filter(embedding__isnull=True).exists()
    assert embeddings_compute(list(SearchDocument.objects.values_list("pk", flat=True))) == 0
    outsider = member_of(PartyFactory(code="esa-z"), role="member")
    result = _find(outsider, "zephyrine dosage", mode="hybrid")
    assert result.mode == "hybrid"
    assert _refs(result) == [event.reference]
    assert agreement.reference in _refs(_find(world.officers[1], "zephyrine dosage", mode="hybrid"))


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("en", ("Project", "Event", "News item")),
        ("zh-CN,zh", ("项目", "活动", "新闻")),
        ("ru", ("Проект", "Мероприятие", "Новость")),
    ],
)
def test_the_search_page_labels_and_narrows_by_the_new_types(language: str, labels: tuple[str, ...]) -> None:
    project = project_with(name={"en": "Jupiter project"})
    event = event_of(slug="jupiter", title=T("Jupiter symposium"))
    item = _news(T("Jupiter news"))
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    page = client.get("/search/", {"q": "jupiter"})
    facet = {link.label: link for name, _label, links in page.context["facets"] if name == "type" for link in links}
    assert set(facet) == set(labels) and all(link.count == 1 for link in facet.values())
    narrowed = client.get("/search/" + facet[labels[1]].url).content.decode()
    assert event.reference in narrowed and project.reference not in narrowed and item.reference not in narrowed
