"""The demo's projects and news: the three Hainan projects in public with their parties and milestones, the
Wenchang joint announcement published in three languages, and a joint announcement awaiting three parties."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser

from spacebridge import demo as demo_module
from spacebridge.outreach.demo import news_demo_load
from spacebridge.outreach.models import NewsItem
from spacebridge.outreach.selectors import news_live
from spacebridge.parties.tests.factories import secretariat_user
from spacebridge.projects.demo import projects_demo_load
from spacebridge.projects.selectors import project_list

pytestmark = pytest.mark.django_db


def test_the_demo_projects_and_news() -> None:
    by = secretariat_user()
    spec = json.loads(demo_module.DEMO_FILE.read_text(encoding="utf-8"))
    parties = demo_module._load_parties(spec, by)
    people = demo_module._load_people(spec, parties, by)
    demo_module._load_groups(spec, parties, people, by)
    projects_demo_load(by=by)
    news_demo_load(by=by)
    public = list(project_list(user=AnonymousUser()))
    assert {p.slug for p in public} == {"world-space-city", "coastal-international-finance-center", "space-medical-university"}
    university = next(p for p in public if p.slug == "space-medical-university")
    assert university.lead.party.code == "hainmc" and university.milestones.count() == 4
    assert {g.acronym for g in university.groups.all()} == {"WG-MED", "WG-TEL"}
    live = {item.slug: item for item in news_live(user=AnonymousUser())}
    wenchang = live["wenchang-symposium-agrees-on-a-common-platform"]
    assert wenchang.joint and wenchang.publish_at.year == 2018 and set(wenchang.languages()) == {"en", "zh", "ru"}
    pending = NewsItem.objects.get(slug="follow-up-symposium-on-space-medicine-announced")
    assert pending.status == NewsItem.Status.AWAITING_APPROVAL and pending.slug not in live
    assert {a.party.code for a in pending.approvals.all()} == {"cmsa", "ibmp", "nasa"}
