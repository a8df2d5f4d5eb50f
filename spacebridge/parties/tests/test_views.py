"""The parties pages: lists, search and filters, delegations, the people directory, and the forms."""

from __future__ import annotations

import html
import re

import pytest

from spacebridge.access.models import Level
from spacebridge.access.services import release_set
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


def text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.content.decode())


def listed_codes(response) -> list[str]:  # type: ignore[no-untyped-def]
    return re.findall(r'href="/parties/([a-z0-9-]+)/"><strong>', response.content.decode())


@pytest.fixture
def parties():  # type: ignore[no-untyped-def]
    return {
        "cmsa": PartyFactory(
            code="cmsa",
            short_name="CMSA",
            country="CN",
            kind=Party.Kind.SPACE_AGENCY,
            name=MultilingualText({"zh": "中国载人航天工程办公室", "en": "China Manned Space Agency"}, "zh"),
        ),
        "ibmp": PartyFactory(
            code="ibmp",
            short_name="IBMP",
            country="RU",
            name=MultilingualText({"ru": "Институт медико-биологических проблем"}, "ru"),
        ),
        "gctc": PartyFactory(code="gctc", short_name="GCTC", country="RU", status=Party.Status.OBSERVER),
    }


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


# The party list --------------------------------------------------------------------------------------------------


def test_everyone_sees_the_party_list(client, parties):
    response = client.get("/parties/")
    assert response.status_code == 200
    assert listed_codes(response) == ["cmsa", "gctc", "ibmp"]
    assert "3 parties" in text(response)


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ({"q": "载人航天"}, ["cmsa"]),
        ({"q": "институт"}, ["ibmp"]),
        ({"country": "RU"}, ["gctc", "ibmp"]),
        ({"status": "observer"}, ["gctc"]),
        ({"kind": "space_agency"}, ["cmsa"]),
        ({"country": "RU", "status": "member"}, ["ibmp"]),
        ({"country": "XX"}, ["cmsa", "gctc", "ibmp"]),  # an unknown filter value filters nothing
        ({"kind": "spaceship"}, ["cmsa", "gctc", "ibmp"]),
    ],
)
def test_the_party_list_searches_and_filters(client, parties, query, codes):
    assert listed_codes(client.get("/parties/", query)) == codes


def test_a_search_without_a_match_says_so(client, parties):
    assert "No party matches these filters." in text(client.get("/parties/", {"q": "nobody"}))


def test_the_party_list_pages(client):
    for n in range(27):
        PartyFactory(code=f"party-{n:02d}", country="CN")
    first, second = client.get("/parties/"), client.get("/parties/", {"page": 2})
    assert len(listed_codes(first)) == 25
    assert len(listed_codes(second)) == 2
    assert set(listed_codes(first)).isdisjoint(listed_codes(second))


def test_the_party_list_answers_a_partial_request_with_the_rows_only(client, parties):
    response = client.get("/parties/", {"q": "IBMP"}, HTTP_X_PARTIAL="1")
    assert "<html" not in response.content.decode()
    assert listed_codes(response) == ["ibmp"]


def test_a_party_released_to_its_owner_only_is_neither_listed_nor_shown(client, parties):
    release_set(obj=parties["gctc"], by=secretariat_user(), level=Level.OWNER, check_permission=False)
    assert listed_codes(client.get("/parties/")) == ["cmsa", "ibmp"]
    assert client.get("/parties/gctc/").status_code == 404
    client.force_login(member_of(parties["gctc"]))
    assert "gctc" in listed_codes(client.get("/parties/"))
    assert client.get("/parties/gctc/").status_code == 200


# Party and delegation pages --------------------------------------------------------------------------------------


def test_the_party_page_shows_the_name_in_every_language(client, parties):
    response = client.get("/parties/ibmp/")
    assert response.status_code == 200
    assert "Институт медико-биологических проблем" in text(response)
    assert "Who can see this?" in text(response)


def test_an_unknown_party_is_not_found(client, parties):
    assert client.get("/parties/nasa/").status_code == 404


def test_a_delegation_is_every_party_of_its_country(client, parties):
    response = client.get("/parties/delegations/ru/")
    assert response.status_code == 200
    page = text(response)
    assert "Russia" in page and "IBMP" in page and "GCTC" in page and "CMSA" not in page


@pytest.mark.parametrize("country", ["xx", "fr"], ids=["not-a-country", "no-parties"])
def test_a_delegation_without_parties_is_not_found(client, parties, country):
    assert client.get(f"/parties/delegations/{country}/").status_code == 404


# People ----------------------------------------------------------------------------------------------------------


def test_the_people_directory_is_hidden_from_visitors(client, yang_liwei):
    response = client.get("/parties/people/", {"q": "Yang"})
    assert response.status_code == 200
    page = text(response)
    assert "The directory of people is shown to signed-in members only." in page
    assert f"/parties/people/{yang_liwei.pk}/" not in page
    assert "1 person" not in page
    assert client.get(f"/parties/people/{yang_liwei.pk}/").status_code == 404


def test_the_party_page_invites_visitors_to_sign_in_to_see_its_people(client, yang_liwei):
    page = text(client.get("/parties/cmsa/"))
    assert "Sign in to see the people of this party." in page
    assert "杨利伟" not in page


@pytest.mark.parametrize("query", ["杨利伟", "Yang Liwei", "Ян Ливэй", "yang liwei"])
def test_a_name_in_any_script_finds_the_person(client, parties, yang_liwei, query):
    PersonFactory(transliteration="Valeri Polyakov", names=[{"language": "ru", "text": "Валерий Поляков"}])
    client.force_login(member_of(parties["ibmp"]))
    page = text(client.get("/parties/people/", {"q": query}))
    assert f'href="/parties/people/{yang_liwei.pk}/"' in page
    assert "Валерий Поляков" not in page
    assert "1 person" in page


def test_a_member_sees_a_persons_page(client, parties, yang_liwei):
    client.force_login(member_of(parties["ibmp"]))
    page = text(client.get(f"/parties/people/{yang_liwei.pk}/"))
    assert "杨利伟" in page and "Ян Ливэй" in page and "CMSA" in page


# Registering and editing parties ---------------------------------------------------------------------------------


def _party_form(**overrides):  # type: ignore[no-untyped-def]
    return {
        "code": "cnsa",
        "name_en": "China National Space Administration",
        "name_zh": "国家航天局",
        "name_ru": "",
        "name_original": "zh",
        "short_name": "CNSA",
        "kind": "space_agency",
        "country": "CN",
        "parent": "",
        "website": "https://www.cnsa.gov.cn",
        "status": "member",
    } | overrides


def test_the_secretariat_registers_a_party(client, parties):
    client.force_login(secretariat_user(username="secretariat"))
    response = client.post("/parties/new/", _party_form())
    assert response.status_code == 302
    assert response["Location"] == "/parties/cnsa/"

    page = text(client.get("/parties/cnsa/"))
    assert "Party CNSA registered." in page
    assert "国家航天局" in page and "China National Space Administration" in page
    assert "Party registered" in page and "secretariat" in page  # the history panel
    party = Party.objects.get(code="cnsa")
    assert party.name.original == "zh"
    assert AuditEntry.objects.filter(verb="party.created", object_id=str(party.pk)).count() == 1


def test_a_plain_member_may_not_register_parties(client, parties):
    client.force_login(member_of(parties["cmsa"]))
    assert client.get("/parties/new/").status_code == 403
    response = client.post("/parties/new/", _party_form())
    assert response.status_code == 403
    assert "Only the secretariat registers parties." in text(response)
    assert not Party.objects.filter(code="cnsa").exists()


def test_a_visitor_is_asked_to_sign_in_first(client):
    response = client.get("/parties/new/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"short_name": ""}, "This field is required."),
        ({"country": "XX"}, "Select a valid choice. XX is not one of the available choices."),
        ({"name_en": "", "name_zh": ""}, "Enter the text in at least one language."),
        ({"name_original": "ru"}, "Fill in the text in its original language."),
        ({"website": "not a web address"}, "Enter a valid URL."),
        ({"code": "new"}, "“new” is reserved; choose another code."),
        ({"code": "ibmp"}, "Party with this Code already exists."),
    ],
    ids=["no-short-name", "unknown-country", "no-name", "original-not-filled", "bad-website", "reserved", "taken"],
)
def test_an_invalid_party_form_says_why_and_saves_nothing(client, parties, overrides, message):
    client.force_login(secretariat_user())
    before = AuditEntry.objects.count()
    response = client.post("/parties/new/", _party_form(**overrides))
    assert response.status_code == 400
    assert message in text(response)
    assert Party.objects.count() == len(parties)
    assert AuditEntry.objects.count() == before


def test_the_secretariat_edits_a_party_with_a_history_entry(client, parties):
    client.force_login(secretariat_user(username="secretariat"))
    form = _party_form(
        code="ibmp",
        short_name="IBMP",
        country="RU",
        kind="research_institute",
        name_zh="",
        name_en="",
        name_ru="Институт медико-биологических проблем РАН",
        name_original="ru",
        website="https://imbp.ru",
    )
    response = client.post("/parties/ibmp/edit/", form)
    assert response.status_code == 302
    page = text(client.get("/parties/ibmp/"))
    assert "Changes saved." in page
    assert "https://imbp.ru" in page and "Институт медико-биологических проблем РАН" in page
    assert "Party changed" in page
    entry = AuditEntry.objects.get(verb="party.updated")
    assert entry.changes["website"] == ["", "https://imbp.ru"]


def _edit_form(party: Party, **overrides):  # type: ignore[no-untyped-def]
    return (
        _party_form(
            code=party.code,
            short_name=party.short_name,
            country=str(party.country),
            kind=party.kind,
            name_en=party.name.get("en"),
            name_zh="",
            name_original="en",
            status=party.status,
            website="",
        )
        | overrides
    )


def test_a_liaison_officer_edits_their_own_party_only(client, parties):
    client.force_login(member_of(parties["ibmp"], role="liaison_officer"))
    assert client.post("/parties/ibmp/edit/", _edit_form(parties["ibmp"], website="https://imbp.ru")).status_code == 302
    response = client.post("/parties/gctc/edit/", _edit_form(parties["gctc"], website="https://gctc.ru"))
    assert response.status_code == 403
    assert Party.objects.get(code="gctc").website == ""


def test_a_plain_member_may_not_edit_their_party(client, parties):
    client.force_login(member_of(parties["ibmp"]))
    assert client.get("/parties/ibmp/edit/").status_code == 403
    assert (
        client.post("/parties/ibmp/edit/", _edit_form(parties["ibmp"], website="https://x.example")).status_code == 403
    )
    assert Party.objects.get(code="ibmp").website == ""


def test_a_party_cannot_be_made_its_own_ancestor(client, parties):
    child = PartyFactory(code="ibmp-lab", short_name="LAB", country="RU", parent=parties["ibmp"])
    client.force_login(secretariat_user())
    response = client.post("/parties/ibmp/edit/", _edit_form(parties["ibmp"], parent=str(child.pk)))
    assert response.status_code == 400
    assert "A party cannot be its own parent or ancestor." in text(response)
    assert Party.objects.get(code="ibmp").parent is None


# Registering and editing people ----------------------------------------------------------------------------------


def _person_form(party: Party, **overrides):  # type: ignore[no-untyped-def]
    return {
        "name_zh": "",
        "name_ru": "Валерий Поляков",
        "name_en": "Valeri Polyakov",
        "original_script": "ru",
        "transliteration": "Valeri Polyakov",
        "email": "polyakov@example.org",
        "time_zone": "Europe/Moscow",
        "languages": ["ru", "en"],
        "party": str(party.pk),
        "position": "Physician",
        "since": "1995-03-22",
    } | overrides


def test_a_liaison_officer_registers_a_person_of_their_party(client, parties):
    client.force_login(member_of(parties["ibmp"], role="liaison_officer"))
    response = client.post("/parties/people/new/", _person_form(parties["ibmp"]))
    assert response.status_code == 302
    person = Person.objects.get(transliteration="Valeri Polyakov")
    assert response["Location"] == f"/parties/people/{person.pk}/"
    assert person.names[0] == {"language": "ru", "text": "Валерий Поляков"}
    page = text(client.get(response["Location"]))
    assert "Валерий Поляков" in page and "Person registered" in page and "Affiliation added" in page


def test_a_liaison_officer_may_not_register_people_of_another_party(client, parties):
    client.force_login(member_of(parties["ibmp"], role="liaison_officer"))
    response = client.post("/parties/people/new/", _person_form(parties["cmsa"]))
    assert response.status_code == 403
    assert not Person.objects.filter(transliteration="Valeri Polyakov").exists()


def test_a_person_without_any_name_is_refused(client, parties):
    client.force_login(secretariat_user())
    response = client.post("/parties/people/new/", _person_form(parties["ibmp"], name_ru="", name_en=""))
    assert response.status_code == 400
    assert "Give the person's name in at least one script." in text(response)
    assert not Person.objects.filter(transliteration="Valeri Polyakov").exists()


def test_everyone_keeps_their_own_profile(client, parties):
    me = member_of(parties["ibmp"], transliteration="Oleg Kotov", names=[{"language": "en", "text": "Oleg Kotov"}])
    client.force_login(me)
    form = {
        "name_ru": "Олег Котов",
        "name_en": "Oleg Kotov",
        "original_script": "ru",
        "transliteration": "Oleg Kotov",
        "time_zone": "Europe/Moscow",
        "languages": ["ru"],
    }
    assert client.post(f"/parties/people/{me.person.pk}/edit/", form).status_code == 302
    me.person.refresh_from_db()
    assert me.person.names[0] == {"language": "ru", "text": "Олег Котов"}
    assert me.person.time_zone == "Europe/Moscow"
    other = PersonFactory()
    assert client.post(f"/parties/people/{other.pk}/edit/", form).status_code == 403


def test_a_public_partys_page_describes_it_as_a_schema_org_organization(client):  # type: ignore[no-untyped-def]
    import json
    import re

    party = PartyFactory(code="ibmp", short_name="IBMP", country="RU")

    html = client.get(f"/parties/{party.code}/").content.decode()

    [block] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(block)
    assert (data["@type"], data["alternateName"], data["address"]["addressCountry"]) == ("Organization", "IBMP", "RU")
