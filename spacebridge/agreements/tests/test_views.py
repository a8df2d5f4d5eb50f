from __future__ import annotations

import re
import zlib

import pytest
from django.test import Client
from icalendar import Calendar

from spacebridge.access.models import Level
from spacebridge.access.services import release_set
from spacebridge.agreements import commitments, selectors, services
from spacebridge.agreements import signing as crypto
from spacebridge.agreements.models import Agreement, Commitment, Status
from spacebridge.agreements.tests.factories import EN, cast, drafted, key_pair, sign_all
from spacebridge.core.multilingual import MultilingualText
from spacebridge.parties.tests.factories import PartyFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return cast()


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_a_draft_is_seen_by_the_parties_officers_only(world) -> None:  # type: ignore[no-untyped-def]
    agreement = drafted(world)
    url = f"/agreements/{agreement.reference}/"
    for officer in world.officers:
        assert client_for(officer).get(url).status_code == 200
    assert client_for(world.secretariat).get(url).status_code == 200
    outsider = member_of(PartyFactory(code="outsider"), role="liaison_officer")
    for user in [*world.members, outsider, None]:
        assert client_for(user).get(url).status_code == 404
    listed = client_for(world.members[0]).get("/agreements/").content.decode()
    assert agreement.reference not in listed
    assert agreement.reference in client_for(world.officers[2]).get("/agreements/").content.decode()


def test_a_signed_agreement_reaches_others_by_release(world) -> None:  # type: ignore[no-untyped-def]
    agreement = drafted(world)
    services.agreement_transition(agreement=agreement, by=world.secretariat, to=Status.NEGOTIATION)
    sign_all(world, agreement)
    url = f"/agreements/{agreement.reference}/"
    assert client_for(None).get(url).status_code == 404
    release_set(obj=agreement, by=world.officers[0], level=Level.PUBLIC, reason="signed")
    page = client_for(None).get(url)
    assert page.status_code == 200
    assert "verified" in page.content.decode()


def test_drafting_through_the_page(world) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.officers[0])
    data = {
        "type": "mou",
        "title_en": "Telemedicine MoU",
        "title_original": "en",
        "lead_party": world.parties[0].code,
        "parties": [world.parties[1].code],
        "entry_into_force": "last_signature",
    }
    response = client.post("/agreements/new/", data)
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.reference.startswith("MOU-")
    bad = client.post("/agreements/new/", {**data, "parties": []})
    assert bad.status_code == 400
    assert Agreement.objects.count() == 1


def test_text_versions_flags_and_confirmation_on_the_pages(world) -> None:  # type: ignore[no-untyped-def]
    agreement = drafted(world)
    client = client_for(world.officers[1])
    response = client.post(
        f"/agreements/{agreement.reference}/texts/new/",
        {"language": "en", "kind": "authentic", "body": EN.replace("three", "six"), "note": "x"},
    )
    assert response.status_code == 302
    page = client.get(f"/agreements/{agreement.reference}/texts/").content.decode()
    assert page.count("out of step") == 2
    assert "第一条" in page and "Статья 1" in page and "Article 1" in page
    client.post(f"/agreements/{agreement.reference}/texts/zh/confirm/")
    client.post(f"/agreements/{agreement.reference}/texts/ru/confirm/")
    assert "out of step" not in client.get(f"/agreements/{agreement.reference}/texts/").content.decode()
    diff = client.get(f"/agreements/{agreement.reference}/texts/versions/?a=en:1&b=en:2").content.decode()
    assert "six months" in diff and "three months" in diff
    assert client.get(f"/agreements/{agreement.reference}/texts/versions/?a=en:1&b=en:9").status_code == 400
    empty = client.post(f"/agreements/{agreement.reference}/texts/new/", {"language": "en", "kind": "authentic"})
    assert empty.status_code == 400


def test_signing_on_the_page_with_a_detached_signature(world) -> None:  # type: ignore[no-untyped-def]
    agreement = drafted(world)
    services.agreement_transition(agreement=agreement, by=world.secretariat, to=Status.NEGOTIATION)
    officer, party = world.officers[0], world.parties[0]
    key, public = key_pair()
    client = client_for(officer)
    assert client.post("/agreements/keys/", {"party": party.code, "public_key": public}).status_code == 302
    digest = selectors.agreement_hash(agreement)
    url = f"/agreements/{agreement.reference}/sign/"
    bad = client.post(
        url, {"form": "digital", "digital-party": party.code, "digital-signature": crypto.sign_digest(key, "f" * 64)}
    )
    assert bad.status_code == 400
    assert "does not verify" in bad.content.decode()
    other = client.post(
        url,
        {
            "form": "digital",
            "digital-party": world.parties[1].code,
            "digital-signature": crypto.sign_digest(key, digest),
        },
    )
    assert other.status_code == 403
    good = client.post(
        url,
        {
            "form": "digital",
            "digital-party": party.code,
            "digital-signature": crypto.sign_digest(key, digest),
            "digital-place": "Wenchang",
        },
    )
    assert good.status_code == 302
    assert agreement.parties.get(party=party).signed_place == "Wenchang"


def test_commitment_status_and_the_report(world) -> None:  # type: ignore[no-untyped-def]
    import datetime

    agreement = drafted(world)
    commitment = commitments.commitment_create(
        agreement=agreement,
        by=world.secretariat,
        article_key="2",
        passage=MultilingualText(
            {"en": "a joint working group", "zh": "空间医学联合工作组", "ru": "совместную рабочую группу"}, "en"
        ),
        responsible_parties=world.parties[:2],
        due_on=datetime.date(2000, 1, 1),
    )
    assert selectors.implementation_status(agreement) == "late"
    client = client_for(world.secretariat)
    client.post(f"/agreements/{agreement.reference}/commitments/{commitment.pk}/status/", {"state": "done"})
    commitment.refresh_from_db()
    assert commitment.state == Commitment.State.DONE
    assert selectors.implementation_status(agreement) == "done"
    assert "done" in client.get(f"/agreements/{agreement.reference}/").content.decode()
    report = client.get("/agreements/report/")
    assert agreement.reference in report.content.decode()


def _pdf_fonts_and_text(pdf: bytes) -> tuple[set[str], str]:
    """The embedded fonts' names, and the characters the fonts' ToUnicode maps give (what a PDF reader extracts)."""
    streams = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, flags=re.S):
        try:
            streams.append(zlib.decompress(stream))
        except zlib.error:
            continue
    names = {n.decode() for s in streams for n in re.findall(rb"/BaseFont\s*/([A-Za-z0-9+_-]+)", s)}
    chars = {
        chr(int(code, 16))
        for s in streams
        if b"beginbfchar" in s or b"beginbfrange" in s
        for code in re.findall(rb"<([0-9A-Fa-f]{4})>\s*(?:\n|$)", s)
    }
    return names, "".join(sorted(chars))


def test_the_report_pdf_embeds_chinese_and_cyrillic_fonts(world) -> None:  # type: ignore[no-untyped-def]
    drafted(world)
    response = client_for(world.secretariat).get("/agreements/report/?format=pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    fonts, text = _pdf_fonts_and_text(response.content)
    assert any("Noto-Sans-CJK-SC" in f for f in fonts), fonts
    assert any("DejaVu-Sans" in f for f in fonts), fonts
    assert set("空间医学谅解备忘录") <= set(text)  # the Chinese title, glyphs mapped back to its characters
    assert set("Меморандум") <= set(text)


def test_the_calendar_lists_deadlines(world) -> None:  # type: ignore[no-untyped-def]
    agreement = drafted(world, term_months=60, notice_days=90, automatic_renewal=True)
    services.agreement_transition(agreement=agreement, by=world.secretariat, to=Status.NEGOTIATION)
    sign_all(world, agreement)
    response = client_for(world.officers[0]).get("/agreements/calendar.ics")
    calendar = Calendar.from_ical(response.content)
    summaries = {str(e["summary"]) for e in calendar.walk("VEVENT")}
    assert summaries == {f"Notice deadline of {agreement.reference}", f"{agreement.reference} renews automatically"}
    assert client_for(None).get("/agreements/calendar.ics").content.count(b"VEVENT") == 0


def test_bundle_download_verifies(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    agreement = drafted(world)
    services.agreement_transition(agreement=agreement, by=world.secretariat, to=Status.NEGOTIATION)
    sign_all(world, agreement)
    response = client_for(world.officers[0]).get(f"/agreements/{agreement.reference}/bundle.zip")
    path = tmp_path / "b.zip"
    path.write_bytes(response.content)
    assert crypto.verify_bundle(path).ok


def test_wet_ink_with_a_scan_and_its_sha256(world) -> None:  # type: ignore[no-untyped-def]
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    agreement = drafted(world)
    services.agreement_transition(agreement=agreement, by=world.secretariat, to=Status.NEGOTIATION)
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    client = client_for(world.officers[1])
    response = client.post(
        f"/agreements/{agreement.reference}/sign/",
        {
            "form": "wet",
            "wet-party": world.parties[1].code,
            "wet-signed_by": "Minister",
            "wet-place": "Moscow",
            "wet-signed_at": "2026-01-15T10:00",
            "wet-scan": SimpleUploadedFile("signed.pdf", pdf),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(f"/agreements/{agreement.reference}/").content.decode()
    assert hashlib.sha256(pdf).hexdigest() in page
    scan = agreement.scans.get()
    download = client.get(f"/agreements/{agreement.reference}/scans/{scan.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content if download.streaming else [download.content]) == pdf
    assert client_for(world.members[1]).get(f"/agreements/{agreement.reference}/scans/{scan.pk}/").status_code == 404
    ap = agreement.parties.get(party=world.parties[1])
    assert (str(ap.signed_on), ap.signed_place) == ("2026-01-15", "Moscow")
    future = client_for(world.officers[2]).post(
        f"/agreements/{agreement.reference}/sign/",
        {
            "form": "wet",
            "wet-party": world.parties[2].code,
            "wet-signed_by": "X",
            "wet-place": "Houston",
            "wet-signed_at": "2999-01-01T10:00",
        },
    )
    assert future.status_code == 400 and "cannot be in the future" in future.content.decode()


def test_amendments_related_agreements_and_evidence_links(world) -> None:  # type: ignore[no-untyped-def]
    from spacebridge.groups.models import WorkingGroup

    agreement = drafted(world)
    client = client_for(world.secretariat)
    data = {
        "type": "amendment",
        "title_en": "Amendment No. 1",
        "title_original": "en",
        "lead_party": world.parties[0].code,
        "parties": [world.parties[1].code],
        "entry_into_force": "last_signature",
        "amends": agreement.reference,
    }
    assert client.post("/agreements/new/", data).status_code == 302
    amendment = Agreement.objects.get(type="amendment")
    assert amendment.reference.startswith("AMD-") and amendment.amends == agreement
    assert client.post("/agreements/new/", {**data, "amends": "MOU-1900-001"}).status_code == 400
    assert (
        client.post(f"/agreements/{agreement.reference}/related/", {"reference": amendment.reference}).status_code
        == 302
    )
    assert list(amendment.related.all()) == [agreement]
    assert amendment.reference in client.get(f"/agreements/{agreement.reference}/").content.decode()
    group = WorkingGroup.objects.create(acronym="WG-T", name=MultilingualText({"en": "Telemedicine"}))
    commitment = commitments.commitment_create(
        agreement=agreement,
        by=world.secretariat,
        article_key="1",
        passage=MultilingualText({"en": "cooperate"}),
        responsible_parties=world.parties[:1],
    )
    url = f"/agreements/{agreement.reference}/commitments/{commitment.pk}/links/"
    client.post(url, {"label": "Group follows it", "kind": "groups.workinggroup", "object_id": group.pk})
    client.post(url, {"label": "Minutes", "url": "https://example.org/minutes"})
    client.post(url, {"label": "Nothing", "kind": "projects.project", "object_id": 999999})
    assert [(link.label, link.object_id) for link in commitment.links.all()] == [
        ("Group follows it", group.pk),
        ("Minutes", None),
    ]
    page = client.get(f"/agreements/{agreement.reference}/").content.decode()
    assert "Group follows it" in page and 'href="https://example.org/minutes"' in page


def test_the_lead_partys_officer_releases_the_signed_agreement_on_the_access_page(world) -> None:  # type: ignore[no-untyped-def]
    agreement = drafted(world)
    services.agreement_transition(agreement=agreement, by=world.secretariat, to=Status.NEGOTIATION)
    sign_all(world, agreement)
    page = f"/access/release/agreements.agreement/{agreement.pk}/"
    officer = client_for(world.officers[0])
    assert officer.get(page).status_code == 200
    assert client_for(world.officers[1]).get(page).status_code in {403, 404}
    response = officer.post(page, {"level": "public", "marking": "none", "reason": "Signed, public"})
    assert response.status_code == 302
    assert client_for(None).get(f"/agreements/{agreement.reference}/").status_code == 200
    assert agreement.reference in client_for(world.members[2]).get("/agreements/").content.decode()


def test_the_calendar_behind_a_personal_calendar_address(world) -> None:  # type: ignore[no-untyped-def]
    from spacebridge.liaison.services_calendar import calendar_token_create

    agreement = drafted(world, term_months=60)
    services.agreement_transition(agreement=agreement, by=world.secretariat, to=Status.NEGOTIATION)
    sign_all(world, agreement)
    _token, secret = calendar_token_create(user=world.officers[1])
    feed = Client().get(f"/agreements/calendar/{secret}.ics")
    assert feed.status_code == 200
    assert f"{agreement.reference} expires".encode() in feed.content
    assert Client().get("/agreements/calendar/sb_nothing.ics").status_code == 404


def test_the_list_finds_titles_in_every_language(world) -> None:  # type: ignore[no-untyped-def]
    agreement = drafted(world)
    client = client_for(world.officers[0])
    for query in ("空间医学", "Меморандум", "space medicine", agreement.reference.lower()):
        assert agreement.reference in client.get("/agreements/", {"q": query}).content.decode(), query
    assert agreement.reference not in client.get("/agreements/", {"q": "telescope"}).content.decode()
