"""The record page and the list stay cheap: their query counts are pinned, do not grow with a record's subjects,
contributors, identifiers, versions or the rows of a page, and what they show stays right (the citation box writes
what the exports write; "who can see this" explains the release)."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spacebridge.access.models import Level, Marking
from spacebridge.core.multilingual import MultilingualText
from spacebridge.records import services
from spacebridge.records.formats import export_records
from spacebridge.records.metadata import record_metadata, records_metadata
from spacebridge.records.models import Record
from spacebridge.records.tests import test_views
from spacebridge.records.tests.factories import shared_record
from spacebridge.records.tests.test_views import World, concept

pytestmark = pytest.mark.django_db
world = test_views.world  # the shared fixture

# Session, user, the user's person (middleware), the principal, the record, its policy and grants, its last versions,
# subjects, contributors' parties, records citing it, the viewer's roles, release decisions: one query each.
RECORD_PAGE_QUERIES = 13
# Session, user, person, principal, the page's rows, the count, record types, parties, the viewer's roles.
# The owner party's members see the working copy (its metadata: five queries), its pending access requests and history.
OWNER_RECORD_PAGE_QUERIES = 21
LIST_PAGE_QUERIES = 9
API_LIST_QUERIES = 9


def rich_record(world: World, n: int, **release: Any) -> Record:
    """A published record with several subjects, contributors (of parties), identifiers and two versions."""
    subjects = [concept(f"perf-{n}-{i}", {"en": f"subject {n} {i}", "zh": f"主题 {n} {i}"}) for i in range(3)]
    record = world.record(
        title=MultilingualText({"en": f"Bone density after flight {n}", "ru": f"Плотность костей {n}"}, "en"),
        keywords={"en": ["bone loss", "microgravity"]},
        licence="CC-BY-4.0",
        subjects=subjects,
        identifiers=[{"scheme": "doi", "value": f"10.5555/perf.{n}"}, {"scheme": "pmid", "value": str(1000 + n)}],
        contributors=[
            {"name": "Olga Morozova", "role": "author", "party": world.ru},
            {"name": "Li Wei", "role": "author", "party": world.cn},
            {"name": "Anna Smith", "role": "editor"},
        ],
        **release,
    )
    services.record_update(record=record, by=world.ru_liaison, abstract=MultilingualText({"en": "Revised."}, "en"))
    services.record_publish(record=record, by=world.ru_liaison)
    record.refresh_from_db()
    return record


def queries(client: Any, path: str) -> tuple[int, str]:
    client.get(path)  # warm: templates, content types
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def textareas(page: str) -> dict[str, str]:
    found = re.findall(r'<textarea id="cite-([\w-]+)"[^>]*>(.*?)</textarea>', page, re.S)
    return {name: html.unescape(text) for name, text in found}


def test_the_record_page_is_a_fixed_number_of_queries(world: World, django_assert_max_num_queries: Any) -> None:
    cited = rich_record(world, 1)
    record = rich_record(world, 2, related=[("cites", cited)])
    services.record_update(record=record, by=world.ru_liaison, licence="CC0-1.0")  # unpublished owner changes
    client = world.client(world.cn_member)
    client.get(record.get_absolute_url())
    # + which related records the viewer may see, and which are public (the citations name only those)
    with django_assert_max_num_queries(RECORD_PAGE_QUERIES + 2):
        page = client.get(record.get_absolute_url()).content.decode()
    assert "Li Wei" in page and "subject 2 1" in page and cited.reference in page

    plain = rich_record(world, 3)
    count, _page = queries(client, plain.get_absolute_url())
    assert count <= RECORD_PAGE_QUERIES
    # The owner party sees its working copy: its metadata costs five queries, however much it holds.
    owner_count, _page = queries(world.client(world.ru_member), plain.get_absolute_url())
    assert owner_count <= OWNER_RECORD_PAGE_QUERIES
    owner_count, owner_page = queries(world.client(world.ru_member), record.get_absolute_url())
    assert owner_count <= OWNER_RECORD_PAGE_QUERIES + 2
    assert "CC0-1.0" in owner_page and "Everyone else sees version 2" in owner_page


def test_the_citation_box_writes_what_the_exports_write(world: World) -> None:
    cited = rich_record(world, 1)
    record = rich_record(world, 2, related=[("cites", cited)])
    services.record_update(record=record, by=world.ru_liaison, title=MultilingualText({"en": "Unpublished"}, "en"))
    for viewer in (world.cn_member, world.ru_member, None):  # others, the owner party (working copy), visitors
        page = world.client(viewer).get(record.get_absolute_url()).content.decode()
        boxes = textareas(page)
        assert set(boxes) == {"bibtex", "ris", "csl-json"}
        for name, text in boxes.items():
            assert text == export_records([record], name)
        assert boxes["bibtex"].startswith(f"@article{{{record.reference},")
        assert "TY  - JOUR" in boxes["ris"] and "DO  - 10.5555/perf.2" in boxes["ris"]
        assert f'"id": "{record.reference}"' in boxes["csl-json"]
        assert "Unpublished" not in "".join(boxes.values())  # citations cite the published version
    draft = shared_record(owner_party=world.ru, by=world.ru_liaison, publish=False, level=Level.OWNER)
    boxes = textareas(world.client(world.ru_member).get(draft.get_absolute_url()).content.decode())
    assert boxes == {name: export_records([draft], name) for name in ("bibtex", "ris", "csl-json")}


def test_who_can_see_this_explains_the_release(world: World) -> None:
    record = rich_record(world, 1, level=Level.PARTIES, countries=("CN",), marking=Marking.DUAL_USE)
    page = world.client(world.ru_member).get(record.get_absolute_url()).content.decode()
    assert "Always visible to the owner party, IBMP." in page
    assert "waiting for the owner party&#x27;s export officer" in page or "export officer" in page
    assert "You see it as a member of the owner party." in page
    services.record_approve_export(record=record, by=world.ru_export)
    page = world.client(world.cn_member).get(record.get_absolute_url()).content.decode()
    assert "Visible to the delegation of China" in page and "You see it under this release." in page


def test_the_list_page_does_not_grow_with_its_rows(world: World) -> None:
    client = world.client(world.cn_member)
    rich_record(world, 1)
    few, _page = queries(client, "/records/")
    for n in range(2, 8):
        rich_record(world, n)
    many, page = queries(client, "/records/")
    assert few == many <= LIST_PAGE_QUERIES
    assert "Bone density after flight 7" in page and "7 records" in page
    filtered, _page = queries(client, "/records/?party=ibmp-t&type=publication&year=2026")
    assert filtered <= LIST_PAGE_QUERIES


def test_the_api_list_explains_every_record_in_a_fixed_number_of_queries(world: World) -> None:
    client = world.client(world.cn_member)
    rich_record(world, 1, level=Level.PARTIES, countries=("CN",))
    few, _body = queries(client, "/api/v1/records/")
    for n in range(2, 6):
        rich_record(world, n, level=Level.PARTIES, countries=("CN",))
    many, body = queries(client, "/api/v1/records/")
    assert few == many <= API_LIST_QUERIES
    assert body.count("delegation of China") == 5


def test_metadata_of_many_records_in_five_queries(world: World, django_assert_num_queries: Any) -> None:
    records = [rich_record(world, n) for n in range(4)]
    one_by_one = {r.pk: record_metadata(r) for r in records}
    loaded = list(Record.objects.filter(pk__in=[r.pk for r in records]).select_related("type", "owner_party"))
    with django_assert_num_queries(5):
        assert records_metadata(loaded) == one_by_one
    assert one_by_one[records[0].pk]["contributors"][1] == {
        "name": "Li Wei",
        "role": "author",
        "person": None,
        "party": world.cn.code,
    }


def test_the_record_pages_fetch_agrees_with_the_list_filter(world: World) -> None:
    """``record_for_page`` (one row, the object check) answers exactly as ``records_visible`` (the list filter)."""
    from django.http import Http404

    from spacebridge.records.selectors import records_visible
    from spacebridge.records.views.records import record_for_page

    records = {
        **{
            case: world.record(**dict(release))
            for case, (release, _audience) in test_views.RELEASES.items()
            if release.get("parties") != "us"
        },
        "one party": world.record(level=Level.PARTIES, parties=(world.us,)),
        "undecided": shared_record(owner_party=world.ru, by=world.ru_liaison, level=Level.OWNER),
        "draft": shared_record(owner_party=world.ru, by=world.ru_liaison, publish=False, level=Level.PUBLIC),
        "dual-use, approved": world.record(level=Level.PLATFORM, marking=Marking.DUAL_USE),
        "withdrawn": world.record(level=Level.PUBLIC),
    }
    services.record_approve_export(record=records["dual-use, approved"], by=world.ru_export)
    services.record_withdraw(record=records["withdrawn"], by=world.ru_liaison, reason="Superseded")
    viewers = {"anonymous": None, "ru": world.ru_member, "cn": world.cn_member, "us": world.us_member}
    for name, user in viewers.items():
        listed = set(records_visible(user=user).values_list("reference", flat=True))
        for case, record in records.items():
            try:
                found = record_for_page(user, record.reference.lower()) == record
            except Http404:
                found = False
            assert found is (record.reference in listed), (case, name)
    assert records["withdrawn"].reference in listed and records["draft"].reference not in listed


def test_the_api_concept_list_explains_every_concept_in_a_fixed_number_of_queries(world: World) -> None:
    client = world.client(world.cn_member)
    concept("perf-c-0", {"en": "bone loss 0"})
    few, _body = queries(client, "/api/v1/records/concepts/?q=bone")
    for n in range(1, 6):
        concept(f"perf-c-{n}", {"en": f"bone loss {n}"})
    many, body = queries(client, "/api/v1/records/concepts/?q=bone")
    assert few == many
    assert body.count('"who_can_see"') == 6
