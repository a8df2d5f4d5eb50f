"""The registry's demo content: NASA's records, thirty trilingual records of the Chinese and Russian parties, releases
to certain delegations, a dual-use technology awaiting approval and a controlled dataset."""

from __future__ import annotations

import json
import time

import pytest
from django.contrib.auth import get_user_model

from spacebridge.access.models import Level, Marking
from spacebridge.access.policy import awaiting_export_approval, can_see, policy_of
from spacebridge.audit.selectors import audit_verify
from spacebridge.records.demo import TRILINGUAL
from spacebridge.records.models import Record
from spacebridge.records.selectors import records_visible

pytestmark = pytest.mark.django_db


def test_the_demo_loads_the_registry() -> None:
    from spacebridge.demo import demo_load

    started = time.process_time()
    assert demo_load()
    assert time.process_time() - started < 60  # about 12 s of CPU on the reference machine; the demo must stay quick
    users = {u.username: u for u in get_user_model().objects.all()}
    chinese, russian, american = users["yang-liwei"], users["alexey-sokolov"], users["michael-reynolds"]

    nasa = Record.objects.filter(owner_party__code="nasa", type__code="publication")
    assert nasa.count() == 572 and not nasa.exclude(status=Record.Status.PUBLISHED).exists()
    assert records_visible(user=None).filter(owner_party__code="nasa", type__code="publication").count() == 572
    projects = Record.objects.filter(type__code="technology", owner_party__country="US")
    assert projects.count() == 25 and set(projects.values_list("owner_party__code", flat=True)) == {"nasa", "jsc"}
    assert records_visible(user=None).filter(pk__in=projects).count() == 21  # four for signed-in members only
    assert Record.objects.filter(subjects__isnull=False).distinct().count() > 300

    written = [json.loads(line) for line in TRILINGUAL.read_text(encoding="utf-8").splitlines()]
    trilingual = Record.objects.filter(owner_party__country__in=["CN", "RU"])
    assert trilingual.count() == len(written) >= 30
    for record in trilingual:
        assert set(record.title.text) == set(record.abstract.text) == {"zh", "en", "ru"}, record.reference
        assert record.subjects.exists(), record.reference

    sirius = Record.objects.get(title__text__en__startswith="SIRIUS-21")
    assert policy_of(sirius).level == Level.PARTIES
    assert can_see(chinese, sirius) and not can_see(american, sirius) and not can_see(None, sirius)
    dosimeter = Record.objects.get(title__text__en__startswith="Radiation-hardened wearable")
    policy = policy_of(dosimeter)
    assert policy.marking == Marking.DUAL_USE and awaiting_export_approval(policy)
    assert not can_see(russian, dosimeter) and can_see(chinese, dosimeter)
    centrifuge = Record.objects.get(title__text__en__startswith="Centrifuge training profiles")
    assert policy_of(centrifuge).marking == Marking.CONTROLLED
    assert can_see(users["sergey-lebedev"], centrifuge) and not can_see(russian, centrifuge)
    assert audit_verify().ok
    assert not demo_load()  # once only
