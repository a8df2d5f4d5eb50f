"""A small liaison world: a group of a Chinese, a Russian and an American party, a co-chair from each, a
secretariat officer and an outsider; series and meetings made through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from spacebridge.core.multilingual import MultilingualText
from spacebridge.groups.services import group_create, group_membership_add
from spacebridge.liaison.services import series_create
from spacebridge.parties.tests.factories import PartyFactory, member_of, secretariat_user


@dataclass
class World:
    group: Any
    cn: Any
    ru: Any
    us: Any
    cn_chair: Any
    ru_chair: Any
    us_chair: Any
    secretariat: Any
    outsider: Any

    @property
    def chairs(self) -> list[Any]:
        return [self.cn_chair, self.ru_chair, self.us_chair]

    def series(self, **fields: Any) -> Any:
        values = {
            "by": self.cn_chair, "group": self.group, "title": MultilingualText({"en": "Monthly liaison"}, "en"),
            "first_start": datetime(2026, 1, 14, 21, 0, tzinfo=ZoneInfo("Asia/Shanghai")),
            "time_zone": "Asia/Shanghai", "rrule": "FREQ=MONTHLY;BYDAY=2WE", "duration_minutes": 90,
            "host_rotation": [self.cn, self.ru, self.us],
        } | fields
        series, _notices = series_create(**values)
        return series


def build_world() -> World:
    cn = PartyFactory(code="cmsa", short_name="CMSA", country="CN")
    ru = PartyFactory(code="ibmp", short_name="IBMP", country="RU")
    us = PartyFactory(code="nasa", short_name="NASA", country="US")
    other = PartyFactory(code="esa", short_name="ESA", country="FR")
    secretariat = secretariat_user()
    group = group_create(by=secretariat, acronym="WG-MED", name=MultilingualText({"en": "Space medicine"}, "en"),
                         status="active")
    chairs = []
    for party, zone in ((cn, "Asia/Shanghai"), (ru, "Europe/Moscow"), (us, "America/New_York")):
        group_membership_add(group=group, by=secretariat, party=party, role="member_party")
        user = member_of(party, role="liaison_officer", username=f"chair-{party.code}", time_zone=zone,
                         languages=["en"])
        group_membership_add(group=group, by=secretariat, party=party, person=user.person, role="co_chair")
        chairs.append(user)
    outsider = member_of(other, role="liaison_officer", username="outsider")
    return World(group, cn, ru, us, *chairs, secretariat, outsider)
