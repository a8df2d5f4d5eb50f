"""Demo content: the parties, people and working groups of the Wenchang symposium of January 2018."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from spacebridge.agreements.demo import agreements_demo_load
from spacebridge.core.multilingual import MultilingualText
from spacebridge.events.demo import events_demo_load
from spacebridge.groups.services import group_create, group_membership_add
from spacebridge.liaison.demo import liaison_demo_load
from spacebridge.outreach.demo import news_demo_load
from spacebridge.parties.models import Party, Role
from spacebridge.parties.services import account_create, party_create, person_create, person_link_user, role_assign
from spacebridge.projects.demo import projects_demo_load
from spacebridge.records.demo import records_demo_load
from spacebridge.search.demo import search_demo_load

DEMO_FILE = Path(__file__).parent / "parties" / "demo" / "wenchang2018.json"
DEMO_USERNAME = "secretariat"
DEMO_PASSWORD = "wenchang-2018-demo"


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _load_parties(spec: dict[str, Any], by: Any) -> dict[str, Party]:
    parties: dict[str, Party] = {}
    for item in spec["parties"]:
        parties[item["key"]] = party_create(
            by=by,
            check_permission=False,
            code=item["key"],
            name=MultilingualText(item["name"], item["original_language"]),
            short_name=item["short_name"],
            kind=item["kind"],
            country=item["country"],
            parent=parties.get(item["parent"]) if item["parent"] else None,
            website=item.get("website") or "",
            status=item["status"],
        )
    return parties


def _load_people(spec: dict[str, Any], parties: dict[str, Party], by: Any) -> dict[str, Any]:
    people = {}
    roles = {role.code: role for role in Role.objects.all()}
    for item in spec["people"]:
        affiliations = [
            {
                "party": parties[a["party"]],
                "role": MultilingualText(a["role"], "en"),
                "start": _day(a["start"]),
                "end": _day(a["end"]),
            }
            for a in item["affiliations"]
        ]
        person = person_create(
            by=by,
            check_permission=False,
            names=item["names"],
            transliteration=item["transliteration"],
            email=item["email"],
            time_zone=item["time_zone"],
            languages=item["languages"],
            affiliations=affiliations,
        )
        people[item["key"]] = person
        if any(r["role"] != "member" for r in item.get("roles", [])):
            user = account_create(username=item["key"], email=item["email"], password=DEMO_PASSWORD, by=by)
            person_link_user(person=person, user=user, by=by)
            for assignment in item["roles"]:
                role_assign(
                    user=user,
                    role=roles[assignment["role"]],
                    party=parties[assignment["party"]],
                    by=by,
                    check_permission=False,
                )
    return people


def _load_groups(spec: dict[str, Any], parties: dict[str, Party], people: dict[str, Any], by: Any) -> None:
    for item in spec["groups"]:
        group = group_create(
            by=by,
            check_permission=False,
            acronym=item["acronym"],
            name=MultilingualText(item["name"], item["original_language"]),
            status=item["status"],
        )
        for key in item["member_parties"]:
            group_membership_add(group=group, by=by, party=parties[key], role="member_party", check_permission=False)
        for member in item["members"]:
            group_membership_add(
                group=group,
                by=by,
                party=parties[member["party"]],
                person=people[member["person"]],
                role=member["role"],
                start=_day(member["start"]),
                end=_day(member["end"]),
                check_permission=False,
            )


@transaction.atomic
def demo_load() -> bool:
    """Load the demo content once. Returns False (and changes nothing) when parties already exist."""
    User = get_user_model()
    if Party.objects.exists():
        return False
    admin = User.objects.filter(username=DEMO_USERNAME).first()
    if admin is None:
        admin = account_create(
            username=DEMO_USERNAME, email="secretariat@example.org", password=DEMO_PASSWORD, staff=True
        )
        role_assign(user=admin, role=Role.objects.get(code="secretariat"), party=None, by=admin, check_permission=False)
    spec = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    parties = _load_parties(spec, admin)
    people = _load_people(spec, parties, admin)
    _load_groups(spec, parties, people, admin)
    records_demo_load(by=admin)
    liaison_demo_load(by=admin)  # after the thesaurus: groups' subjects come from it
    projects_demo_load(by=admin)
    news_demo_load(by=admin)
    events_demo_load(by=admin)
    agreements_demo_load(by=admin)
    search_demo_load()  # last: it indexes what the parts above loaded
    return True
