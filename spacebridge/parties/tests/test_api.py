"""The parties API: the same selectors, services and access policy as the pages, errors as problem details."""

from __future__ import annotations

import json

import pytest

from spacebridge.access.models import Level
from spacebridge.access.services import release_set, token_create
from spacebridge.audit.models import AuditEntry
from spacebridge.core.multilingual import MultilingualText
from spacebridge.parties.models import Party, Person
from spacebridge.parties.tests.factories import (
    AffiliationFactory,
    PartyFactory,
    PersonFactory,
    member_of,
    secretariat_user,
)

pytestmark = pytest.mark.django_db

PARTIES = "/api/v1/parties/"
PEOPLE = "/api/v1/parties/people/"


def bearer(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _token, secret = token_create(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def send(client, method: str, path: str, payload: dict, headers: dict):  # type: ignore[no-untyped-def]
    return getattr(client, method)(path, json.dumps(payload), content_type="application/json", **headers)


def problem(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["detail"]
    return body


@pytest.fixture
def parties():  # type: ignore[no-untyped-def]
    roscosmos = PartyFactory(code="roscosmos", short_name="Roscosmos", country="RU", kind=Party.Kind.SPACE_AGENCY)
    return {
        "roscosmos": roscosmos,
        "gctc": PartyFactory(code="gctc", short_name="GCTC", country="RU", parent=roscosmos),
        "cmsa": PartyFactory(
            code="cmsa",
            short_name="CMSA",
            country="CN",
            kind=Party.Kind.SPACE_AGENCY,
            name=MultilingualText({"zh": "中国载人航天工程办公室", "en": "China Manned Space Agency"}, "zh"),
        ),
    }


@pytest.fixture
def secretariat():  # type: ignore[no-untyped-def]
    return bearer(secretariat_user(username="secretariat"))


# Reading parties -------------------------------------------------------------------------------------------------


def test_anyone_lists_parties_with_who_can_see_them(client, parties):
    response = client.get(PARTIES)
    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["code"] for item in items] == ["roscosmos", "gctc", "cmsa"]  # creation order: the cursor's order
    cmsa = items[2]
    assert cmsa["name"] == {
        "original": "zh",
        "text": {"zh": "中国载人航天工程办公室", "en": "China Manned Space Agency"},
    }
    assert cmsa["url"] == "http://testserver/parties/cmsa/"
    assert cmsa["who_can_see"]["level"] == "public"
    assert items[1]["parent"] == "roscosmos"


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ({"country": "ru"}, ["roscosmos", "gctc"]),
        ({"q": "载人"}, ["cmsa"]),
        ({"kind": "space_agency"}, ["roscosmos", "cmsa"]),
    ],
)
def test_the_party_list_filters(client, parties, query, codes):
    assert [item["code"] for item in client.get(PARTIES, query).json()["items"]] == codes


def test_cursor_pagination_walks_every_party_once(client, parties):
    for n in range(6):
        PartyFactory(code=f"extra-{n}")
    seen, cursor, pages = [], None, 0
    while True:
        response = client.get(PARTIES, {"limit": 2, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200
        body = response.json()
        assert len(body["items"]) <= 2
        seen += [item["code"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(Party.objects.values_list("code", flat=True))
    assert len(seen) == len(set(seen)) == 9
    assert pages == 5


@pytest.mark.parametrize("limit", [0, 201, -1])
def test_a_page_size_out_of_range_is_a_422_problem(client, parties, limit):
    body = problem(client.get(PARTIES, {"limit": limit}), 422)
    assert body["errors"] == {"limit": ["Ask for between 1 and 200 items."]}


def test_one_party_and_an_unknown_one(client, parties):
    assert client.get(f"{PARTIES}gctc").json()["short_name"] == "GCTC"
    problem(client.get(f"{PARTIES}nasa"), 404)


def test_a_party_released_to_its_owner_only_answers_404_to_others(client, parties):
    release_set(obj=parties["gctc"], by=None, level=Level.OWNER, check_permission=False)
    problem(client.get(f"{PARTIES}gctc"), 404)
    assert "gctc" not in [item["code"] for item in client.get(PARTIES).json()["items"]]
    member = bearer(member_of(parties["gctc"]))
    assert client.get(f"{PARTIES}gctc", **member).status_code == 200


# Writing parties -------------------------------------------------------------------------------------------------


def _new_party(**overrides):  # type: ignore[no-untyped-def]
    return {
        "code": "ibmp",
        "name": {"original": "ru", "text": {"ru": "Институт медико-биологических проблем", "en": "IBMP"}},
        "short_name": "IBMP",
        "kind": "research_institute",
        "country": "ru",
        "parent": None,
    } | overrides


def test_the_secretariat_registers_a_party(client, parties, secretariat):
    response = send(client, "post", PARTIES, _new_party(), secretariat)
    assert response.status_code == 201
    body = response.json()
    assert body["code"] == "ibmp" and body["country"] == "RU" and body["name"]["original"] == "ru"
    party = Party.objects.get(code="ibmp")
    assert AuditEntry.objects.get(verb="party.created", object_id=str(party.pk)).actor_label == "secretariat"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "spaceship"}, "kind"),
        ({"country": "xx"}, "country"),
        ({"country": "RUS"}, "country"),
        ({"code": "ibmp lab"}, "code"),
        ({"code": "roscosmos"}, "code"),
        ({"code": "new"}, "code"),
        ({"parent": "nasa"}, "parent"),
        ({"short_name": ""}, "short_name"),
        ({"name": {"original": "fr", "text": {"ru": "Институт"}}}, "name"),
        ({"name": {"original": "xx", "text": {"xx": "Text"}}}, "name"),
    ],
    ids=[
        "unknown-kind",
        "unknown-country",
        "three-letter-country",
        "code-with-space",
        "code-taken",
        "code-reserved",
        "unknown-parent",
        "empty-short-name",
        "original-not-given",
        "unknown-language",
    ],
)
def test_an_invalid_party_is_a_422_problem_naming_the_field(client, parties, secretariat, overrides, field):
    before = AuditEntry.objects.count()
    body = problem(send(client, "post", PARTIES, _new_party(**overrides), secretariat), 422)
    assert field in body["errors"], body
    assert not Party.objects.filter(code="ibmp").exists()
    assert AuditEntry.objects.count() == before


def test_a_plain_member_may_not_register_parties(client, parties):
    problem(send(client, "post", PARTIES, _new_party(), bearer(member_of(parties["cmsa"]))), 403)
    assert not Party.objects.filter(code="ibmp").exists()


def test_a_liaison_officer_changes_their_party(client, parties):
    officer = bearer(member_of(parties["roscosmos"], role="liaison_officer"))
    response = send(
        client, "patch", f"{PARTIES}gctc", {"website": "https://www.gctc.ru", "status": "observer"}, officer
    )
    assert response.status_code == 200
    assert response.json()["website"] == "https://www.gctc.ru" and response.json()["status"] == "observer"
    entry = AuditEntry.objects.get(verb="party.updated")
    assert entry.changes == {"website": ["", "https://www.gctc.ru"], "status": ["member", "observer"]}


def test_a_liaison_officer_may_not_change_another_party(client, parties):
    officer = bearer(member_of(parties["gctc"], role="liaison_officer"))
    problem(send(client, "patch", f"{PARTIES}cmsa", {"website": "https://example.org"}, officer), 403)
    assert Party.objects.get(code="cmsa").website == ""


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"status": "emperor"}, "status"),
        ({"short_name": None}, "short_name"),
        ({"name": None}, "name"),
        ({"parent": "nasa"}, "parent"),
        ({"parent": "gctc"}, "parent"),  # its own sub-party
        ({"website": "not a url"}, "website"),
    ],
    ids=["unknown-status", "null-short-name", "null-name", "unknown-parent", "own-ancestor", "bad-website"],
)
def test_an_invalid_change_is_a_422_problem_and_changes_nothing(client, parties, secretariat, patch, field):
    body = problem(send(client, "patch", f"{PARTIES}roscosmos", patch, secretariat), 422)
    assert field in body["errors"], body
    party = Party.objects.get(code="roscosmos")
    assert (party.status, party.short_name, party.parent_id, party.website) == ("member", "Roscosmos", None, "")
    assert not AuditEntry.objects.filter(verb="party.updated").exists()


# People ----------------------------------------------------------------------------------------------------------


@pytest.fixture
def yang_liwei(parties):  # type: ignore[no-untyped-def]
    person = PersonFactory(
        transliteration="Yang Liwei",
        names=[
            {"language": "zh", "text": "杨利伟"},
            {"language": "en", "text": "Yang Liwei"},
            {"language": "ru", "text": "Ян Ливэй"},
        ],
    )
    AffiliationFactory(person=person, party=parties["cmsa"])
    return person


def test_visitors_see_no_people(client, yang_liwei):
    assert client.get(PEOPLE).json() == {"items": [], "next_cursor": None}
    problem(client.get(f"{PEOPLE}{yang_liwei.pk}"), 404)


@pytest.mark.parametrize("query", ["杨利伟", "Yang Liwei", "Ян Ливэй"])
def test_members_find_a_person_by_a_name_in_any_script(client, parties, yang_liwei, query):
    PersonFactory(transliteration="Valeri Polyakov", names=[{"language": "ru", "text": "Валерий Поляков"}])
    items = client.get(PEOPLE, {"q": query}, **bearer(member_of(parties["gctc"]))).json()["items"]
    assert [item["id"] for item in items] == [yang_liwei.pk]
    assert items[0]["affiliations"][0]["party"] == "cmsa"


def test_people_of_one_party(client, parties, yang_liwei):
    headers = bearer(member_of(parties["gctc"], transliteration="Gctc Member"))
    assert [p["transliteration"] for p in client.get(PEOPLE, {"party": "cmsa"}, **headers).json()["items"]] == [
        "Yang Liwei"
    ]
    body = problem(client.get(PEOPLE, {"party": "nasa"}, **headers), 422)
    assert "party" in body["errors"]


def _new_person(**overrides):  # type: ignore[no-untyped-def]
    return {
        "names": [{"language": "ru", "text": "Валерий Поляков"}, {"language": "en", "text": "Valeri Polyakov"}],
        "transliteration": "Valeri Polyakov",
        "email": "polyakov@example.org",
        "time_zone": "Europe/Moscow",
        "languages": ["ru", "en"],
        "affiliations": [{"party": "gctc", "role": {"original": "en", "text": {"en": "Physician"}}}],
    } | overrides


def test_a_liaison_officer_registers_a_person_of_their_party(client, parties):
    headers = bearer(member_of(parties["roscosmos"], role="liaison_officer"))
    response = send(client, "post", PEOPLE, _new_person(), headers)
    assert response.status_code == 201
    body = response.json()
    assert body["names"][0] == {"language": "ru", "text": "Валерий Поляков"}
    assert body["affiliations"] == [
        {"party": "gctc", "role": {"original": "en", "text": {"en": "Physician"}}, "start": None, "end": None}
    ]
    assert client.get(f"{PEOPLE}{body['id']}", **headers).json()["transliteration"] == "Valeri Polyakov"


def test_a_liaison_officer_may_not_register_people_of_another_party(client, parties):
    headers = bearer(member_of(parties["gctc"], role="liaison_officer"))
    problem(send(client, "post", PEOPLE, _new_person(affiliations=[{"party": "cmsa"}]), headers), 403)
    assert not Person.objects.filter(transliteration="Valeri Polyakov").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"names": [{"language": "tlh", "text": "Qapla'"}]}, "names"),
        ({"names": [{"language": "en", "text": "A"}, {"language": "en", "text": "B"}]}, "names"),
        ({"names": []}, "names"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"languages": ["tlh"]}, "languages"),
        ({"email": "not-an-address"}, "email"),
        ({"transliteration": ""}, "transliteration"),
        ({"affiliations": [{"party": "nasa"}]}, "affiliations"),
        ({"affiliations": [{"party": "gctc", "start": "2020-01-01", "end": "2019-01-01"}]}, "end"),
    ],
    ids=[
        "unknown-language",
        "two-names-one-language",
        "no-names",
        "unknown-zone",
        "unknown-spoken-language",
        "bad-email",
        "no-latin-name",
        "unknown-party",
        "ends-before-start",
    ],
)
def test_an_invalid_person_is_a_422_problem_naming_the_field(client, parties, secretariat, overrides, field):
    body = problem(send(client, "post", PEOPLE, _new_person(**overrides), secretariat), 422)
    assert field in body["errors"], body
    assert not Person.objects.filter(transliteration__in=["Valeri Polyakov", ""]).exists()
    assert not AuditEntry.objects.filter(verb__startswith="person.").exists()


def test_a_person_changes_their_own_profile(client, parties):
    me = member_of(parties["gctc"], transliteration="Oleg Kotov")
    response = send(
        client, "patch", f"{PEOPLE}{me.person.pk}", {"time_zone": "Europe/Moscow", "languages": ["ru"]}, bearer(me)
    )
    assert response.status_code == 200
    assert response.json()["time_zone"] == "Europe/Moscow" and response.json()["languages"] == ["ru"]
    assert AuditEntry.objects.get(verb="person.updated").changes["time_zone"] == ["Asia/Shanghai", "Europe/Moscow"]


def test_changing_someone_elses_profile_is_forbidden(client, parties, yang_liwei):
    outsider = bearer(member_of(parties["gctc"]))
    problem(send(client, "patch", f"{PEOPLE}{yang_liwei.pk}", {"time_zone": "UTC"}, outsider), 403)
    assert Person.objects.get(pk=yang_liwei.pk).time_zone == "Asia/Shanghai"


def test_an_invalid_profile_change_is_a_422_problem(client, parties):
    me = member_of(parties["gctc"])
    body = problem(send(client, "patch", f"{PEOPLE}{me.person.pk}", {"time_zone": "Moon/Base"}, bearer(me)), 422)
    assert "time_zone" in body["errors"]
    assert Person.objects.get(pk=me.person.pk).time_zone == "Asia/Shanghai"


def _queries_for(client, path: str, headers: dict) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    assert response.status_code == 200
    return len(queries), len(response.json()["items"])


def test_the_lists_cost_the_same_queries_however_many_rows_they_hold(client, secretariat):  # type: ignore[no-untyped-def]
    def costs() -> tuple[tuple[int, int], ...]:
        return tuple(_queries_for(client, path, secretariat) for path in ("/api/v1/parties/", "/api/v1/parties/people/"))

    for index in range(2):
        AffiliationFactory(person=PersonFactory(), party=PartyFactory(code=f"few-{index}"))
    costs()  # fills the caches every request shares (content types, the token's user)
    (parties_few, parties_rows), (people_few, people_rows) = costs()
    for index in range(8):
        AffiliationFactory(person=PersonFactory(), party=PartyFactory(code=f"many-{index}"))
    (parties_many, parties_more), (people_many, people_more) = costs()
    assert (parties_more, people_more) == (parties_rows + 8, people_rows + 8)
    assert (parties_many, people_many) == (parties_few, people_few)
