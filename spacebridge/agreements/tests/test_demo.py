from __future__ import annotations

import pytest

from spacebridge.agreements import selectors
from spacebridge.agreements.demo import agreements_demo_load
from spacebridge.agreements.models import Status
from spacebridge.parties.tests.factories import PartyFactory, secretariat_user

pytestmark = pytest.mark.django_db


def test_the_demo_agreements() -> None:
    for code, country in [("cmsa", "CN"), ("roscosmos", "RU"), ("nasa", "US")]:
        PartyFactory(code=code, country=country)
    wenchang, iss = agreements_demo_load(by=secretariat_user())
    assert wenchang.reference == "MOU-2018-001"
    assert wenchang.status == Status.IN_FORCE
    assert str(wenchang.in_force_since) == "2018-01-30"
    assert str(wenchang.expires_on) == "2028-01-30"
    rows = selectors.aligned_articles(selectors.current_versions(wenchang))
    assert [row.key for row in rows] == ["preamble", *[str(n) for n in range(1, 11)]]
    assert all(all(cell is not None for cell in row.cells) for row in rows)  # every article in every language
    assert selectors.implementation_status(wenchang) == "late"  # the curriculum was due on 1 September 2026
    assert iss.reference == "FA-1998-001"
    assert iss.status == Status.IN_FORCE
    assert str(iss.in_force_since) == "2001-03-27"
    keys = [a.key for a in selectors.current_versions(iss)[0].articles.all()]
    assert keys[1:29] == [str(n) for n in range(1, 29)]
    assert selectors.agreements_visible(user=None).count() == 2  # both released to the public
