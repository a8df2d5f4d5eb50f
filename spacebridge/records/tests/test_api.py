"""The records API reads: for every release level and marking, a record is visible where it may be and a 404
everywhere else — list, detail, export, versions, diff, files — and every JSON answer matches the committed OpenAPI
document."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from spacebridge.access.models import Level, Marking
from spacebridge.access.services import token_create
from spacebridge.core.multilingual import MultilingualText
from spacebridge.groups.models import GroupMembership, WorkingGroup
from spacebridge.groups.services import group_create, group_membership_add
from spacebridge.parties.models import Party
from spacebridge.parties.tests.factories import PartyFactory, member_of, secretariat_user
from spacebridge.records import services
from spacebridge.records.formats import EXPORT_FORMATS, ExportFormat
from spacebridge.records.models import Record, RecordFile, RecordType
from tests.test_openapi import assert_matches

pytestmark = pytest.mark.django_db

BASE = "/api/v1/records"
LEGAL_BASIS = "Wassenaar Arrangement, category 9"
TEST_FORMAT = "test-references"


class Caller:
    """The test client as one person: their personal API token on every request, or nobody's."""

    def __init__(self, client: Any, user: Any = None) -> None:
        self.client, self.user = client, user
        self.headers = {}
        if user is not None:
            _token, secret = token_create(user=user, name="tests")
            self.headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    def get(self, path: str, data: dict[str, Any] | None = None, **extra: Any) -> Any:
        return self.client.get(path, data or {}, **self.headers, **extra)

    def post(self, path: str, payload: dict[str, Any] | None = None, **extra: Any) -> Any:
        body = json.dumps(payload or {})
        return self.client.post(path, body, content_type="application/json", **self.headers, **extra)

    def patch(self, path: str, payload: dict[str, Any], **extra: Any) -> Any:
        return self.client.patch(path, json.dumps(payload), content_type="application/json", **self.headers, **extra)


def checked(response: Any, template: str, method: str = "get", status: int | None = None) -> Any:
    """The body of a JSON answer, after checking its status and that it matches the OpenAPI document."""
    if status is not None:
        assert response.status_code == status, (response.status_code, response.content[:500])
    return assert_matches(response, f"{BASE}{template}", method)


@dataclass
class World:
    owner: Party
    russian: Party
    american: Party
    group: WorkingGroup
    liaison: Any
    export_officer: Any
    member: Any
    russian_member: Any
    russian_liaison: Any
    american_member: Any
    secretariat: Any
    callers: dict[str, Caller] = field(default_factory=dict)


@pytest.fixture
def world(client: Any) -> World:
    owner = PartyFactory(code="cmsa", short_name="CMSA", country="CN")
    russian = PartyFactory(code="ibmp", short_name="IBMP", country="RU")
    american = PartyFactory(code="nasa", short_name="NASA", country="US")
    secretariat = secretariat_user()
    group = group_create(by=secretariat, acronym="WG-MED", name=MultilingualText({"en": "Space medicine"}, "en"))
    group_membership_add(group=group, by=secretariat, party=american, role=GroupMembership.Role.MEMBER_PARTY)
    built = World(
        owner=owner,
        russian=russian,
        american=american,
        group=group,
        liaison=member_of(owner, role="liaison_officer", username="cmsa-liaison"),
        export_officer=member_of(owner, role="export_officer", username="cmsa-export"),
        member=member_of(owner, username="cmsa-member"),
        russian_member=member_of(russian, username="ibmp-member"),
        russian_liaison=member_of(russian, role="liaison_officer", username="ibmp-liaison"),
        american_member=member_of(american, username="nasa-member"),
        secretariat=secretariat,
    )
    built.callers = {
        "owner": Caller(client, built.member),
        "russian": Caller(client, built.russian_member),
        "american": Caller(client, built.american_member),
        "anonymous": Caller(client),
    }
    return built


def shared_record(
    world: World,
    *,
    title: str = "Bone loss in long-duration flight",
    publish: bool = True,
    release: dict[str, Any] | None = None,
    approve: bool = False,
    with_file: bool = True,
) -> Record:
    """A record of the owner party, made and released through the services as its liaison officer would."""
    record = services.record_create(
        by=world.liaison,
        owner_party=world.owner,
        type=RecordType.objects.get(code="publication"),
        title=MultilingualText({"en": title, "zh": "长期飞行中的骨质流失"}, "en"),
        abstract=MultilingualText({"en": "Twelve crew members over six months."}, "en"),
        keywords={"en": ["bone loss"]},
    )
    if with_file:
        RecordFile.objects.create(
            record=record, file="records/ab/abc", name="data.csv", size=3, media_type="text/csv", sha256="a" * 64
        )
    if publish:
        services.record_publish(record=record, by=world.liaison, note="first")
    if release is not None:
        services.record_release(record=record, by=world.liaison, **release)
    if approve:
        services.record_approve_export(record=record, by=world.export_officer)
    return Record.objects.get(pk=record.pk)


def _release(world: World, level: str, **extra: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {"level": level}
    if extra.pop("to_russian_party", False):
        arguments["parties"] = [world.russian]
    if extra.pop("to_american_delegation", False):
        arguments["countries"] = ["US"]
    if level == Level.GROUP:
        arguments["group"] = world.group
    if extra.get("marking") in {Marking.DUAL_USE, Marking.CONTROLLED}:
        arguments["legal_basis"] = LEGAL_BASIS
    if "embargo_days" in extra:
        arguments["embargo_until"] = timezone.now() + timedelta(days=extra.pop("embargo_days"))
    return arguments | extra


ALL = {"owner", "russian", "american", "anonymous"}
MEMBERS = {"owner", "russian", "american"}

# name -> (release arguments, export approval given?, published?, who sees it)
CASES: dict[str, tuple[dict[str, Any], bool, bool, set[str]]] = {
    "public": ({"level": Level.PUBLIC}, False, True, ALL),
    "platform": ({"level": Level.PLATFORM}, False, True, MEMBERS),
    "named party": ({"level": Level.PARTIES, "to_russian_party": True}, False, True, {"owner", "russian"}),
    "delegation": ({"level": Level.PARTIES, "to_american_delegation": True}, False, True, {"owner", "american"}),
    "group": ({"level": Level.GROUP}, False, True, {"owner", "american"}),
    "owner": ({"level": Level.OWNER}, False, True, {"owner"}),
    "no decision": ({}, False, True, {"owner"}),
    "public draft": ({"level": Level.PUBLIC}, False, False, {"owner"}),
    "public dual-use awaiting approval": ({"level": Level.PUBLIC, "marking": Marking.DUAL_USE}, False, True, {"owner"}),
    "public dual-use approved": ({"level": Level.PUBLIC, "marking": Marking.DUAL_USE}, True, True, ALL),
    "named party dual-use approved": (
        {"level": Level.PARTIES, "to_russian_party": True, "marking": Marking.DUAL_USE},
        True,
        True,
        {"owner", "russian"},
    ),
    "controlled": ({"level": Level.OWNER, "marking": Marking.CONTROLLED}, False, True, {"owner"}),
    "platform under embargo": ({"level": Level.PLATFORM, "embargo_days": 3}, False, True, {"owner"}),
    "platform after embargo": ({"level": Level.PLATFORM, "embargo_days": -3}, False, True, MEMBERS),
}


@pytest.fixture
def export_format(monkeypatch: pytest.MonkeyPatch) -> ExportFormat:
    """A plain export format of this test's own, so that these tests are about the access policy only."""
    test_format = ExportFormat(
        name=TEST_FORMAT,
        label="References",
        media_type="text/plain",
        extension="txt",
        render=lambda records: "\n".join(r.reference for r in records),
    )
    monkeypatch.setitem(EXPORT_FORMATS, TEST_FORMAT, test_format)
    return test_format


@pytest.mark.parametrize("case", CASES)
def test_a_record_is_visible_exactly_to_its_audience(world: World, case: str, export_format: ExportFormat) -> None:
    arguments, approve, publish, audience = CASES[case]
    release = _release(world, **arguments) if arguments else None
    record = shared_record(world, publish=publish, release=release, approve=approve)
    ref = record.reference
    for viewer, caller in world.callers.items():
        sees = viewer in audience
        status = 200 if sees else 404
        listing = checked(caller.get(f"{BASE}/", {"party": "cmsa", "status": record.status}), "/", status=200)
        assert (ref in [r["reference"] for r in listing["items"]]) is sees, viewer
        detail = checked(caller.get(f"{BASE}/{ref}"), "/{reference}", status=status)
        checked(caller.get(f"{BASE}/{ref}/versions"), "/{reference}/versions", status=status)
        checked(caller.get(f"{BASE}/{ref}/files"), "/{reference}/files", status=status)
        checked(caller.get(f"{BASE}/{ref}/release-decisions"), "/{reference}/release-decisions", status=status)
        exported = caller.get(f"{BASE}/{ref}/export/{TEST_FORMAT}")
        assert exported.status_code == status, viewer
        in_result_set = caller.get(f"{BASE}/export/{TEST_FORMAT}", {"party": "cmsa", "status": record.status})
        assert (ref in in_result_set.content.decode()) is sees, viewer
        if publish:
            checked(caller.get(f"{BASE}/{ref}/versions/1"), "/{reference}/versions/{number}", status=status)
            checked(caller.get(f"{BASE}/{ref}/diff"), "/{reference}/diff", status=status)
        if sees:
            assert detail["who_can_see"]["lines"] and detail["who_can_see"]["level"] == (
                arguments.get("level") or Level.OWNER
            )
        else:
            echoed = {k: v for k, v in detail.items() if k != "instance"}  # the path asked for is the caller's own
            assert detail["status"] == 404 and ref not in json.dumps(echoed)


def test_detail_shows_the_metadata_and_who_can_see_it(world: World) -> None:
    record = shared_record(world, release={"level": Level.PLATFORM, "reason": "for the symposium"})
    body = checked(world.callers["russian"].get(f"{BASE}/{record.reference}"), "/{reference}", status=200)
    assert body["title"]["text"]["zh"] == "长期飞行中的骨质流失"
    assert body["owner_party"] == "cmsa" and body["type"] == "publication" and body["version"] == 1
    assert body["working_copy"] is False and body["has_unpublished_changes"] is None
    assert body["url"].endswith(f"/records/{record.reference}/")
    assert any("for the symposium" in line for line in body["who_can_see"]["lines"])
    assert body["who_can_see"]["viewer"] == "You see it under this release."


def test_references_answer_in_any_case(world: World) -> None:
    record = shared_record(world, release={"level": Level.PUBLIC})
    response = world.callers["anonymous"].get(f"{BASE}/{record.reference.lower()}")
    assert response.status_code == 200 and response.json()["reference"] == record.reference


def test_others_see_the_published_version_until_the_next_publication(world: World) -> None:
    record = shared_record(world, release={"level": Level.PLATFORM})
    services.record_update(record=record, by=world.liaison, title=MultilingualText({"en": "Unpublished title"}, "en"))
    RecordFile.objects.create(
        record=record, file="records/cd/cde", name="draft.pdf", size=9, media_type="application/pdf", sha256="c" * 64
    )
    others = world.callers["russian"]
    assert others.get(f"{BASE}/{record.reference}").json()["title"]["text"]["en"] == "Bone loss in long-duration flight"
    assert [f["name"] for f in others.get(f"{BASE}/{record.reference}/files").json()["items"]] == ["data.csv"]
    owners = checked(world.callers["owner"].get(f"{BASE}/{record.reference}"), "/{reference}", status=200)
    assert owners["title"]["text"]["en"] == "Unpublished title"
    assert owners["working_copy"] is True and owners["has_unpublished_changes"] is True
    files = world.callers["owner"].get(f"{BASE}/{record.reference}/files").json()["items"]
    assert [f["name"] for f in files] == ["data.csv", "draft.pdf"]
    assert files[0]["sha256"] == "a" * 64 and files[0]["download_url"].startswith("http")


def test_related_records_the_viewer_may_not_see_are_left_out(world: World) -> None:
    hidden = shared_record(world, title="Restricted study", release={"level": Level.OWNER})
    shown = shared_record(world, title="Open study", release={"level": Level.PUBLIC})
    record = shared_record(world, publish=False)
    services.record_update(record=record, by=world.liaison, related=[("cites", hidden), ("supplements", shown)])
    services.record_publish(record=record, by=world.liaison)
    services.record_release(record=record, by=world.liaison, level=Level.PUBLIC)
    seen_by_anonymous = world.callers["anonymous"].get(f"{BASE}/{record.reference}").json()
    assert seen_by_anonymous["related"] == [{"relation": "supplements", "reference": shown.reference}]
    version = world.callers["anonymous"].get(f"{BASE}/{record.reference}/versions/1").json()
    assert hidden.reference not in json.dumps(version)
    seen_by_owner = world.callers["owner"].get(f"{BASE}/{record.reference}").json()
    assert {r["reference"] for r in seen_by_owner["related"]} == {hidden.reference, shown.reference}


def test_list_filters_and_cursor_pagination(world: World) -> None:
    first = shared_record(world, title="First", release={"level": Level.PUBLIC})
    second = shared_record(world, title="Second", release={"level": Level.PUBLIC})
    third = shared_record(world, title="Third", release={"level": Level.PUBLIC})
    dataset = RecordType.objects.get(code="dataset")
    services.record_update(record=third, by=world.liaison, type=dataset)
    services.record_publish(record=third, by=world.liaison)
    anonymous = world.callers["anonymous"]
    page = checked(anonymous.get(f"{BASE}/", {"limit": 2}), "/", status=200)
    assert [r["reference"] for r in page["items"]] == [first.reference, second.reference] and page["next_cursor"]
    rest = checked(anonymous.get(f"{BASE}/", {"limit": 2, "cursor": page["next_cursor"]}), "/", status=200)
    assert [r["reference"] for r in rest["items"]] == [third.reference] and rest["next_cursor"] is None
    assert [r["reference"] for r in anonymous.get(f"{BASE}/", {"type": "dataset"}).json()["items"]] == [third.reference]
    assert len(anonymous.get(f"{BASE}/", {"country": "cn", "language": "zh"}).json()["items"]) == 3
    assert anonymous.get(f"{BASE}/", {"party": "ibmp"}).json()["items"] == []
    assert anonymous.get(f"{BASE}/", {"year": 1999}).json()["items"] == []


@pytest.mark.parametrize(
    ("query", "field"), [({"limit": 0}, "limit"), ({"year": 0}, "year"), ({"status": "lost"}, "status")]
)
def test_bad_list_parameters_are_problems(world: World, query: dict[str, Any], field: str) -> None:
    problem = checked(world.callers["anonymous"].get(f"{BASE}/", query), "/", status=422)
    assert field in problem["errors"]


def test_bad_cursor_is_a_problem(world: World) -> None:
    checked(world.callers["anonymous"].get(f"{BASE}/", {"cursor": "nonsense"}), "/", status=400)


def test_withdrawn_record_answers_gone_with_its_tombstone(world: World, export_format: ExportFormat) -> None:
    record = shared_record(world, release={"level": Level.PUBLIC})
    services.record_withdraw(record=record, by=world.liaison, reason="Duplicate of an earlier record")
    anonymous = world.callers["anonymous"]
    for path in ("", "/versions", "/versions/1", "/diff", "/files", f"/export/{TEST_FORMAT}"):
        response = anonymous.get(f"{BASE}/{record.reference}{path}")
        assert response.status_code == 410, path
        assert response["Content-Type"] == "application/problem+json"
    tombstone = checked(anonymous.get(f"{BASE}/{record.reference}"), "/{reference}", status=410)
    assert tombstone["reference"] == record.reference
    assert tombstone["reason"] == "Duplicate of an earlier record" and tombstone["withdrawn_at"]
    assert record.reference not in [r["reference"] for r in anonymous.get(f"{BASE}/").json()["items"]]
    withdrawn = anonymous.get(f"{BASE}/", {"status": "withdrawn"}).json()["items"]
    assert [r["reference"] for r in withdrawn] == [record.reference]


def test_withdrawn_record_someone_may_not_see_is_still_not_found(world: World) -> None:
    record = shared_record(world, release={"level": Level.OWNER})
    services.record_withdraw(record=record, by=world.liaison, reason="Superseded")
    checked(world.callers["russian"].get(f"{BASE}/{record.reference}"), "/{reference}", status=404)


def test_versions_and_diff(world: World) -> None:
    record = shared_record(world, release={"level": Level.PUBLIC})
    services.record_update(record=record, by=world.liaison, licence="CC-BY-4.0", keywords={"en": ["bone", "flight"]})
    services.record_publish(record=record, by=world.liaison, note="licence and keywords")
    anonymous = world.callers["anonymous"]
    versions = checked(anonymous.get(f"{BASE}/{record.reference}/versions"), "/{reference}/versions", status=200)
    assert [(v["number"], v["note"]) for v in versions["items"]] == [(2, "licence and keywords"), (1, "first")]
    assert versions["items"][0]["published_by"]
    second = checked(
        anonymous.get(f"{BASE}/{record.reference}/versions/2"), "/{reference}/versions/{number}", status=200
    )
    assert second["metadata"]["licence"] == "CC-BY-4.0"
    diff = checked(anonymous.get(f"{BASE}/{record.reference}/diff"), "/{reference}/diff", status=200)
    assert (diff["from_version"], diff["to_version"]) == (1, 2)
    assert {c["field"] for c in diff["changes"]} == {"licence", "keywords"}
    from_nothing = anonymous.get(f"{BASE}/{record.reference}/diff", {"from": 0, "to": 1}).json()
    assert "title" in {c["field"] for c in from_nothing["changes"]}
    for number in (9, 10**30):  # a number past what a database column holds is missing too, not an error
        missing = anonymous.get(f"{BASE}/{record.reference}/versions/{number}")
        checked(missing, "/{reference}/versions/{number}", status=404)
    for query, parameter in (({"to": 3}, "to"), ({"from": 2, "to": 1}, "from")):
        problem = checked(anonymous.get(f"{BASE}/{record.reference}/diff", query), "/{reference}/diff", status=422)
        assert parameter in problem["errors"]


def test_unknown_export_format_is_not_found(world: World) -> None:
    record = shared_record(world, release={"level": Level.PUBLIC})
    for path in (f"/{record.reference}/export/no-such-format", "/export/no-such-format"):
        response = world.callers["anonymous"].get(f"{BASE}{path}")
        assert response.status_code == 404 and "no-such-format" in response.json()["detail"]


def test_result_set_export_pages_with_a_link_header(world: World, export_format: ExportFormat) -> None:
    records = [shared_record(world, title=f"Study {n}", release={"level": Level.PUBLIC}) for n in range(3)]
    anonymous = world.callers["anonymous"]
    first = anonymous.get(f"{BASE}/export/{TEST_FORMAT}", {"limit": 2})
    assert first.status_code == 200 and first["Content-Type"].startswith("text/plain")
    assert first.content.decode().split() == [r.reference for r in records[:2]]
    next_page = first["Link"].split(";")[0].strip("<>")
    second = anonymous.get(next_page)
    assert second.content.decode().split() == [records[2].reference] and not second.has_header("Link")
    formats = checked(anonymous.get(f"{BASE}/export/"), "/export/", status=200)
    assert TEST_FORMAT in {f["name"] for f in formats}


@pytest.mark.parametrize("name", sorted(EXPORT_FORMATS))
def test_every_registered_format_exports_a_visible_record(world: World, name: str) -> None:
    record = shared_record(world, release={"level": Level.PUBLIC})
    response = world.callers["anonymous"].get(f"{BASE}/{record.reference}/export/{name}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(EXPORT_FORMATS[name].media_type)
    hidden = shared_record(world, release={"level": Level.OWNER})
    assert world.callers["anonymous"].get(f"{BASE}/{hidden.reference}/export/{name}").status_code == 404
