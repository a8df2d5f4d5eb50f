"""Access requests on the pages: asked by reference with an answer that reveals nothing, answered by the owner
party's liaison officers, both sides told by e-mail, and every request on the transparency page."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import translation

from spacebridge.access.models import Level, Marking
from spacebridge.records import selectors, services
from spacebridge.records.models import AccessRequest
from spacebridge.records.tests import test_views
from spacebridge.records.tests.test_views import World

pytestmark = pytest.mark.django_db

world = test_views.world  # the shared fixture
WHY = "We run the joint bone-loss countermeasure study and need the flight protocol."


def _ask(world: World, reference: str, user: Any = None, party: Any = None, justification: str = WHY) -> Any:
    user = user or world.us_member
    party = party or world.us
    return world.client(user).post(
        "/records/request/", {"reference": reference, "party": party.pk, "justification": justification}
    )


def _sent_page(world: World, response: Any) -> str:
    assert response.status_code == 302
    page = world.client(world.us_member).get(response["Location"]).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", re.sub(r"SB-\d{4}-\d{6}", "SB-…", page))


def test_the_answer_is_the_same_whether_or_not_the_record_exists(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    restricted = world.record(level=Level.OWNER)
    controlled = world.record(level=Level.OWNER, marking=Marking.CONTROLLED)
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            _ask(world, reference) for reference in (restricted.reference, "SB-1999-999999", controlled.reference)
        ]
    pages = {_sent_page(world, answer) for answer in answers}
    assert len(pages) == 1 and "If a record SB-… exists and may be shared" in pages.pop()
    reached = AccessRequest.objects.filter(record__isnull=False)
    assert list(reached.values_list("record__reference", flat=True)) == [restricted.reference]
    # a second request for the same reference answers alike too, and adds no line, whether or not the record exists
    assert "exists and may be shared" in _sent_page(world, _ask(world, restricted.reference))
    assert "exists and may be shared" in _sent_page(world, _ask(world, "SB-1999-999999"))
    assert AccessRequest.objects.count() == 3


def _rows(html: str, heading: str) -> list[str]:
    """The rows of one table of the page, with the references blanked out."""
    section = html.split(f'id="{heading}"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r"<tr>.*?</tr>", section, flags=re.S)
    return [re.sub(r"SB-\d{4}-\d{6}", "SB-…", re.sub(r"<time .*?</time>", "<time/>", row, flags=re.S)) for row in rows]


def test_my_requests_look_alike_whether_or_not_the_record_exists(world: World) -> None:
    restricted = world.record(level=Level.OWNER)
    controlled = world.record(level=Level.OWNER, marking=Marking.CONTROLLED)
    for reference in (restricted.reference, "SB-1999-999999", controlled.reference):
        _ask(world, reference)
    html = world.client(world.us_member).get("/records/requests/").content.decode()
    made = _rows(html, "made-heading")
    assert len(made) == 4 and len(set(made[1:])) == 1  # the header row, then three identical lines
    assert restricted.reference in html and "SB-1999-999999" in html and controlled.reference in html
    assert restricted.title.get("en") not in html and controlled.title.get("en") not in html


def test_a_pending_request_changes_nothing_the_requester_reads_on_the_transparency_page(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    restricted = world.record(level=Level.OWNER)
    other = world.record(level=Level.OWNER)
    services.access_request_create(record=other, by=world.cn_member, party=world.cn, justification=WHY)
    client = world.client(world.us_member)

    def transparency() -> tuple[Any, str]:
        page = client.get("/records/transparency/")
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.content.decode())
        return page.context["totals"], html

    before = transparency()
    with django_capture_on_commit_callbacks(execute=True):
        _ask(world, restricted.reference)
    assert transparency() == before  # a real record, still pending
    _ask(world, "SB-1999-999999")
    assert transparency() == before  # no record at all
    # Others read the pending request at once: it is counted against the owner party that keeps it waiting (the
    # Chinese member reads the American request, not yet the Chinese party's own; the owner party reads both).
    chinese = world.client(world.cn_member).get("/records/transparency/")
    assert (chinese.context["totals"]["pending"], chinese.context["totals"]["received"]) == (1, 1)
    owner = world.client(world.ru_member).get("/records/transparency/")
    assert (owner.context["totals"]["pending"], owner.context["totals"]["received"]) == (2, 2)
    # Once the owner party answers, the requester reads it too.
    request = AccessRequest.objects.get(record=restricted)
    services.access_request_answer(request=request, by=world.ru_liaison, grant=False, reason="Not for now.")
    totals, _html = transparency()
    assert (totals["received"], totals["refused"]) == (before[0]["received"] + 1, 1)


def test_the_request_form_checks_only_what_the_requester_may_know(world: World) -> None:
    restricted = world.record(level=Level.OWNER)
    client = world.client(world.us_member)
    assert client.get("/records/request/").status_code == 200
    for reference in (restricted.reference, "SB-1999-999999"):
        short = _ask(world, reference, justification="short")
        assert short.status_code == 400 and "justification" in short.context["form"].errors
        not_mine = _ask(world, reference, party=world.cn)
        assert not_mine.status_code == 400 and "party" in not_mine.context["form"].errors
    bad = _ask(world, "2026-123")
    assert bad.status_code == 400 and "SB-2026-000123" in " ".join(bad.context["form"].errors["reference"])
    assert world.client().get("/records/request/").status_code == 302  # sign in first
    assert not AccessRequest.objects.exists()


def test_a_record_one_already_sees_is_opened_instead(world: World) -> None:
    record = world.record(level=Level.PLATFORM)
    response = _ask(world, record.reference.lower())
    assert response.status_code == 302 and response["Location"] == record.get_absolute_url()
    assert not AccessRequest.objects.exists()


def test_grant_lets_the_requesting_party_in_and_both_sides_are_told(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    record = world.record(level=Level.PARTIES, countries=("CN",))
    us = world.client(world.us_member)
    assert us.get(record.get_absolute_url()).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        _ask(world, record.reference)
    assert [m.to for m in mail.outbox] == [[world.ru_liaison.email]]
    assert record.reference in mail.outbox[0].subject and WHY in mail.outbox[0].body
    request = AccessRequest.objects.get()

    liaison = world.client(world.ru_liaison)
    page = liaison.get(record.get_absolute_url()).content.decode()
    assert "Pending access requests" in page and f"/records/requests/{request.pk}/" in page
    listing = liaison.get("/records/requests/").content.decode()
    assert "NASA" in listing and "Read and answer" in listing
    made = us.get("/records/requests/").content.decode()
    assert record.reference in made and "pending" in made

    path = f"/records/requests/{request.pk}/"
    assert world.client(world.ru_member).post(path, {"decision": "grant", "reason": "x"}).status_code == 403
    assert world.client(world.cn_member).get(path).status_code == 404
    assert us.get(path).status_code == 404
    assert liaison.post(path, {"decision": "grant", "reason": ""}).status_code == 400
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = liaison.post(path, {"decision": "grant", "reason": "Joint study under the 2018 MoU."})
    assert response.status_code == 302
    assert us.get(record.get_absolute_url()).status_code == 200
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.us_member.email, world.ru_liaison.email])
    to_requester = next(m for m in mail.outbox if m.to == [world.us_member.email])
    assert "granted" in to_requester.subject and "Joint study under the 2018 MoU." in to_requester.body
    assert record.get_absolute_url() in to_requester.body
    assert "Joint study under the 2018 MoU." in us.get("/records/requests/").content.decode()
    page = us.get(record.get_absolute_url()).content.decode()
    assert "Access granted on request" in page and "To: NASA" in page  # among the record's release decisions
    assert liaison.post(path, {"decision": "refuse", "reason": "again"}).status_code == 403  # answered already


def test_refusal_keeps_the_record_hidden(world: World, django_capture_on_commit_callbacks: Any) -> None:
    record = world.record(level=Level.OWNER)
    _ask(world, record.reference)
    request = AccessRequest.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client(world.ru_liaison).post(
            f"/records/requests/{request.pk}/", {"decision": "refuse", "reason": "Still under peer review."}
        )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.REFUSED
    assert world.client(world.us_member).get(record.get_absolute_url()).status_code == 404
    to_requester = next(m for m in mail.outbox if m.to == [world.us_member.email])
    assert "refused" in to_requester.subject and "Still under peer review." in to_requester.body
    assert record.get_absolute_url() not in to_requester.body


def test_notices_are_written_in_the_recipients_language(world: World, django_capture_on_commit_callbacks: Any) -> None:
    person = world.ru_liaison.person
    person.languages = ["ru", "en"]
    person.save()
    record = world.record(level=Level.OWNER)
    with django_capture_on_commit_callbacks(execute=True):
        _ask(world, record.reference)
    with translation.override("ru"):
        expected = translation.gettext("Access request from %(party)s for %(reference)s") % {
            "party": "NASA",
            "reference": record.reference,
        }
    assert mail.outbox[0].subject == expected


# --- transparency ---------------------------------------------------------------------------------------------------


def _decided(world: World, record: Any, user: Any, party: Any, grant: bool, hours: int) -> AccessRequest:
    request = services.access_request_create(record=record, by=user, party=party, justification=WHY)
    services.access_request_answer(request=request, by=world.ru_liaison, grant=grant, reason="Decided on the merits.")
    decided_at = request.created_at + timedelta(hours=hours)
    AccessRequest.objects.filter(pk=request.pk).update(decided_at=decided_at)
    return request


def test_transparency_figures_per_party(world: World) -> None:
    shown = world.record(level=Level.PARTIES, countries=("CN",))
    hidden = world.record(level=Level.OWNER)
    third = world.record(level=Level.OWNER)
    _decided(world, shown, world.us_member, world.us, grant=True, hours=2)
    _decided(world, hidden, world.us_member, world.us, grant=False, hours=30)
    services.access_request_create(record=third, by=world.us_member, party=world.us, justification=WHY)
    owners = selectors.access_request_figures(side="owner")
    assert [(f.party, f.received, f.granted, f.refused, f.pending) for f in owners] == [(world.ru, 3, 1, 1, 1)]
    assert owners[0].median_time_to_decision == timedelta(hours=16)
    requesters = selectors.access_request_figures(side="requester")
    assert [(f.party, f.received) for f in requesters] == [(world.us, 3)]

    page = world.client(world.cn_member).get("/records/transparency/")
    assert page.status_code == 200
    assert page.context["totals"] == {
        "received": 3,
        "granted": 1,
        "refused": 1,
        "pending": 1,
        "median": timedelta(hours=16),
    }
    html = page.content.decode()
    assert shown.reference in html  # the Chinese member may see it
    assert hidden.reference not in html and third.reference not in html
    assert html.count("<em>a restricted record</em>") == 2
    assert html.count(WHY) == 1  # justifications only beside records the viewer may see
    owner_view = world.client(world.ru_member).get("/records/transparency/").content.decode()
    assert hidden.reference in owner_view and third.reference in owner_view
    assert world.client().get("/records/transparency/").status_code == 302


def test_transparency_pages_with_a_cursor(world: World) -> None:
    records = [world.record(level=Level.OWNER) for _i in range(27)]
    for record in records:
        services.access_request_create(record=record, by=world.us_member, party=world.us, justification=WHY)
    client = world.client(world.cn_member)
    first = client.get("/records/transparency/")
    assert len(first.context["rows"]) == 25 and first.context["page"].next_cursor
    second = client.get(f"/records/transparency/?after={first.context['page'].next_cursor}")
    assert len(second.context["rows"]) == 2


def test_time_to_decision_is_shown(world: World) -> None:
    record = world.record(level=Level.OWNER)
    request = _decided(world, record, world.us_member, world.us, grant=True, hours=72)
    assert request.pk
    html = world.client(world.us_member).get("/records/transparency/").content.decode()
    assert "3 days" in html


def test_a_grant_on_a_dual_use_record_waits_for_the_export_officer(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    record = world.record(level=Level.OWNER, marking=Marking.DUAL_USE)
    _ask(world, record.reference)
    request = AccessRequest.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        world.client(world.ru_liaison).post(
            f"/records/requests/{request.pk}/", {"decision": "grant", "reason": "Joint study."}
        )
    to_requester = next(m for m in mail.outbox if m.to == [world.us_member.email])
    assert "export control officer approves" in to_requester.body
    american = world.client(world.us_member)
    assert american.get(record.get_absolute_url()).status_code == 404
    world.client(world.ru_export).post(f"/records/{record.reference}/release/approve/")
    assert american.get(record.get_absolute_url()).status_code == 200
