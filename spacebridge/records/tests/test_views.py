"""The registry's pages: who sees a record (page, list, exports, files, content negotiation), the tombstone, versions
and their diff, the release page and the thesaurus pages. The other page tests import ``world`` from here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from spacebridge.access.models import Level, Marking
from spacebridge.core.multilingual import MultilingualText
from spacebridge.parties.tests.factories import PartyFactory, member_of
from spacebridge.records import services
from spacebridge.records.formats import EXPORT_FORMATS, ExportFormat
from spacebridge.records.models import Record, RecordType, ReleaseDecision
from spacebridge.records.tests.factories import shared_record

pytestmark = pytest.mark.django_db

REFERENCES = "sb-references"  # an export format of these tests' own: one reference per line
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@dataclass
class World:
    ru: Any
    cn: Any
    us: Any
    ru_liaison: Any
    ru_member: Any
    ru_export: Any
    cn_member: Any
    us_member: Any

    def client(self, user: Any = None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    def record(self, *, level: str = Level.PUBLIC, files: dict[str, bytes] | None = None, **release: Any) -> Record:
        """A record of the Russian party, published with its files and released as asked."""
        record = shared_record(
            owner_party=self.ru, by=self.ru_liaison, publish=False, level=Level.OWNER, **_fields(release)
        )
        for name, content in (files or {}).items():
            services.record_file_add(record=record, by=self.ru_liaison, content=ContentFile(content, name=name))
        services.record_publish(record=record, by=self.ru_liaison)
        if level != Level.OWNER or release.get("marking", Marking.NONE) != Marking.NONE:
            services.record_release(
                record=record,
                by=self.ru_liaison,
                level=level,
                parties=release.get("parties", ()),
                countries=release.get("countries", ()),
                marking=release.get("marking", Marking.NONE),
                legal_basis="EAR 15 CFR 730" if release.get("marking", Marking.NONE) != Marking.NONE else "",
            )
        record.refresh_from_db()
        return record


def concept(code: str, pref: dict[str, str], alt: dict[str, list[str]] | None = None) -> Any:
    """A thesaurus concept as the secretariat adds it, with its folded label index."""
    return services.concept_upsert(code=code, pref=pref, alt=alt)


def _fields(release: dict[str, Any]) -> dict[str, Any]:
    fields = {k: release.pop(k) for k in list(release) if k not in {"parties", "countries", "marking"}}
    fields.setdefault("abstract", MultilingualText({"en": "Measured before and after flight."}, "en"))
    return fields


@pytest.fixture
def world(db: Any) -> World:
    ru = PartyFactory(code="ibmp-t", country="RU", short_name="IBMP")
    cn = PartyFactory(code="cmsa-t", country="CN", short_name="CMSA")
    us = PartyFactory(code="nasa-t", country="US", short_name="NASA")
    return World(
        ru=ru,
        cn=cn,
        us=us,
        ru_liaison=member_of(ru, role="liaison_officer", username="dmitry"),
        ru_member=member_of(ru, role="member", username="mikhail"),
        ru_export=member_of(ru, role="export_officer", username="natalia"),
        cn_member=member_of(cn, role="member", username="li"),
        us_member=member_of(us, role="member", username="kevin"),
    )


@pytest.fixture
def references_format(monkeypatch: pytest.MonkeyPatch) -> ExportFormat:
    export_format = ExportFormat(
        name=REFERENCES,
        label="References",
        media_type="application/x-sb-references",
        extension="txt",
        render=lambda records: "".join(f"{r.reference}\n" for r in records),
    )
    monkeypatch.setitem(EXPORT_FORMATS, REFERENCES, export_format)
    return export_format


# --- who sees what ------------------------------------------------------------------------------------------------

RELEASES = {
    "public": ({"level": Level.PUBLIC}, {"anonymous", "ru", "cn", "us"}),
    "platform": ({"level": Level.PLATFORM}, {"ru", "cn", "us"}),
    "china's delegation": ({"level": Level.PARTIES, "countries": ("CN",)}, {"ru", "cn"}),
    "one party": ({"level": Level.PARTIES, "parties": "us"}, {"ru", "us"}),
    "owner": ({"level": Level.OWNER}, {"ru"}),
    "dual-use, not approved": ({"level": Level.PARTIES, "countries": ("CN",), "marking": Marking.DUAL_USE}, {"ru"}),
    "controlled": ({"level": Level.OWNER, "marking": Marking.CONTROLLED}, {"ru"}),
}


@pytest.mark.parametrize("case", RELEASES)
def test_a_record_reaches_exactly_its_audience_everywhere(
    world: World, case: str, references_format: ExportFormat
) -> None:
    release, audience = RELEASES[case]
    release = dict(release)
    if release.get("parties") == "us":
        release["parties"] = (world.us,)
    record = world.record(files={"protocol.pdf": PDF}, **release)
    viewers = {"anonymous": None, "ru": world.ru_member, "cn": world.cn_member, "us": world.us_member}
    for name, user in viewers.items():
        client, sees = world.client(user), name in audience
        expected = 200 if sees else 404
        assert client.get(f"/records/{record.reference}/").status_code == expected, name
        assert client.get(f"/records/{record.reference}/files/protocol.pdf").status_code == expected, name
        assert client.get(f"/records/{record.reference}/versions/").status_code == expected, name
        negotiated = client.get(f"/records/{record.reference}/", HTTP_ACCEPT=references_format.media_type)
        assert negotiated.status_code == expected, name
        assert client.get(f"/records/{record.reference}/?format={REFERENCES}").status_code == expected, name
        listed = client.get("/records/")
        assert (record.reference in listed.content.decode()) is sees, name
        assert listed.context["count"] == int(sees), name
        exported = client.get(f"/records/?format={REFERENCES}").content.decode()
        assert (record.reference in exported) is sees, name


def test_the_reference_of_a_record_one_may_not_see_answers_like_a_missing_one(world: World) -> None:
    record = world.record(level=Level.OWNER)
    client = world.client(world.us_member)
    hidden, missing = client.get(f"/records/{record.reference}/"), client.get("/records/SB-1999-999999/")
    assert hidden.status_code == missing.status_code == 404

    def normalised(response: Any) -> str:  # the CSRF token is masked afresh on every page
        text = response.content.decode().replace(record.reference, "SB-1999-999999")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)

    assert normalised(hidden) == normalised(missing)


def test_dual_use_release_opens_after_the_export_officers_approval(world: World) -> None:
    record = world.record(level=Level.PARTIES, countries=("CN",), marking=Marking.DUAL_USE)
    chinese = world.client(world.cn_member)
    assert chinese.get(record.get_absolute_url()).status_code == 404
    page = world.client(world.ru_export).get(record.get_absolute_url())
    assert "Approve this dual-use release" in page.content.decode()
    assert world.client(world.ru_member).post(f"/records/{record.reference}/release/approve/").status_code == 403
    response = world.client(world.ru_export).post(f"/records/{record.reference}/release/approve/", {"note": "ok"})
    assert response.status_code == 302
    assert chinese.get(record.get_absolute_url()).status_code == 200
    kinds = list(ReleaseDecision.objects.filter(record=record).values_list("kind", flat=True))
    assert kinds == ["export_approval", "release"]


def test_drafts_are_the_owner_partys_own(world: World) -> None:
    record = shared_record(owner_party=world.ru, by=world.ru_liaison, publish=False, level=Level.OWNER, **_fields({}))
    assert world.client(world.ru_member).get(record.get_absolute_url()).status_code == 200
    assert (
        "Draft: only your party sees this record"
        in world.client(world.ru_member).get(record.get_absolute_url()).content.decode()
    )
    assert world.client(world.cn_member).get(record.get_absolute_url()).status_code == 404


# --- the record page ----------------------------------------------------------------------------------------------


def test_record_page_shows_the_metadata(world: World) -> None:
    subject = concept("bone-loss-t", {"en": "bone loss", "zh": "骨丢失"})
    other = world.record(level=Level.PUBLIC, title=MultilingualText({"en": "Earlier study"}, "en"))
    hidden = world.record(level=Level.OWNER, title=MultilingualText({"en": "Secret protocol"}, "en"))
    record = world.record(
        level=Level.PUBLIC,
        files={"data.pdf": PDF},
        title=MultilingualText({"ru": "Потеря костной массы", "en": "Bone loss in flight"}, "ru"),
        abstract=MultilingualText({"en": "Six months on the ISS."}, "en"),
        keywords={"en": ["bone loss"], "ru": ["остеопения"]},
        licence="CC-BY-4.0",
        subjects=[subject],
        identifiers=[{"scheme": "doi", "value": "10.1000/XYZ.123"}, {"scheme": "pmid", "value": "12345"}],
        contributors=[{"name": "Olga Morozova", "role": "author", "party": world.ru}],
        related=[("cites", other), ("cites", hidden)],
    )
    page = world.client(world.us_member).get(record.get_absolute_url()).content.decode()
    assert '<span lang="en">Bone loss in flight</span>' in page
    assert "Потеря костной массы" in page  # the other language is shown too
    assert 'href="https://doi.org/10.1000/xyz.123"' in page
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/12345/"' in page
    assert f'href="/records/concepts/{subject.code}/"' in page
    assert "https://spdx.org/licenses/CC-BY-4.0.html" in page
    assert "Olga Morozova" in page and "остеопения" in page
    assert "Earlier study" in page and "Secret protocol" not in page and hidden.reference not in page
    assert f"/records/{record.reference}/files/data.pdf" in page
    assert record.files.get().sha256 in page and "application/pdf" in page
    assert 'id="who-can-see"' in page and "Release decisions" in page
    assert 'id="history"' not in page  # audit entries hold working copies and references: the owner party's
    assert 'id="history"' in world.client(world.ru_member).get(record.get_absolute_url()).content.decode()
    assert "/access/release/" not in page  # the record's own release page, which records the decision


def test_others_see_the_published_version_and_the_owner_the_working_copy(world: World) -> None:
    record = world.record(level=Level.PLATFORM, title=MultilingualText({"en": "First title"}, "en"))
    services.record_update(record=record, by=world.ru_liaison, title=MultilingualText({"en": "Second title"}, "en"))
    assert "First title" in world.client(world.cn_member).get(record.get_absolute_url()).content.decode()
    owner_page = world.client(world.ru_member).get(record.get_absolute_url()).content.decode()
    assert "Second title" in owner_page and "Everyone else sees version 1" in owner_page


def test_content_negotiation_on_the_record_url(world: World, references_format: ExportFormat) -> None:
    record = world.record(level=Level.PUBLIC)
    client = world.client()
    answer = client.get(record.get_absolute_url(), HTTP_ACCEPT="application/x-sb-references")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/x-sb-references")
    assert answer.content.decode() == f"{record.reference}\n"
    assert "Accept" in answer["Vary"]
    page = client.get(record.get_absolute_url(), HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert page["Content-Type"].startswith("text/html") and "Accept" in page["Vary"]
    assert client.get(record.get_absolute_url(), HTTP_ACCEPT="image/png").status_code == 406
    assert client.get(record.get_absolute_url(), HTTP_ACCEPT="*/*")["Content-Type"].startswith("text/html")
    download = client.get(f"{record.get_absolute_url()}?format={REFERENCES}")
    assert download["Content-Disposition"] == f'attachment; filename="{record.reference}.txt"'
    assert client.get(f"{record.get_absolute_url()}?format=nonesuch").status_code == 404


@pytest.mark.parametrize("name", ["bibtex", "ris", "csl-json"])
def test_each_citation_format_answers_by_its_media_type(world: World, name: str) -> None:
    if name not in EXPORT_FORMATS:
        pytest.skip(f"the {name} export format is not registered")
    export_format = EXPORT_FORMATS[name]
    record = world.record(level=Level.PUBLIC)
    answer = world.client().get(record.get_absolute_url(), HTTP_ACCEPT=export_format.media_type)
    assert answer.status_code == 200
    assert answer["Content-Type"].split(";")[0] == export_format.media_type
    page = world.client().get(record.get_absolute_url()).content.decode()
    assert f'id="cite-{name}"' in page


def test_references_in_lower_case_reach_the_record_and_other_paths_are_not_records(world: World) -> None:
    record = world.record(level=Level.PUBLIC)
    assert world.client().get(f"/records/{record.reference.lower()}/").status_code == 200
    assert world.client().get("/records/SB-2026-12/").status_code == 404


# --- tombstones ----------------------------------------------------------------------------------------------------


def test_withdrawn_record_is_gone_for_those_who_could_see_it(world: World) -> None:
    record = world.record(level=Level.PARTIES, countries=("CN",), files={"a.pdf": PDF})
    response = world.client(world.ru_liaison).post(f"/records/{record.reference}/withdraw/", {"reason": ""})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    response = world.client(world.ru_liaison).post(
        f"/records/{record.reference}/withdraw/", {"reason": "Superseded by a corrected analysis."}
    )
    assert response.status_code == 302
    chinese = world.client(world.cn_member)
    for path in ("/", "/files/a.pdf", "/versions/"):
        gone = chinese.get(f"/records/{record.reference}{path}")
        assert gone.status_code == 410, path
    page = chinese.get(record.get_absolute_url()).content.decode()
    assert record.reference in page and "Superseded by a corrected analysis." in page
    assert world.client(world.us_member).get(record.get_absolute_url()).status_code == 404
    assert record.reference not in world.client(world.cn_member).get("/records/").content.decode()
    assert record.reference in world.client(world.cn_member).get("/records/?status=withdrawn").content.decode()


# --- versions ------------------------------------------------------------------------------------------------------


def test_version_history_and_the_diff_between_any_two_versions(world: World) -> None:
    record = world.record(level=Level.PUBLIC, title=MultilingualText({"en": "Version one"}, "en"), licence="CC0-1.0")
    services.record_update(record=record, by=world.ru_liaison, title=MultilingualText({"en": "Version two"}, "en"))
    services.record_publish(record=record, by=world.ru_liaison, note="Title corrected")
    record.refresh_from_db()
    services.record_update(record=record, by=world.ru_liaison, licence="CC-BY-4.0")
    services.record_publish(record=record, by=world.ru_liaison, note="Licence changed")
    client = world.client()
    history = client.get(f"/records/{record.reference}/versions/")
    assert history.status_code == 200 and "Title corrected" in history.content.decode()
    diff = client.get(f"/records/{record.reference}/versions/?from=1&to=3")
    rows = {row["field"]: row for row in diff.context["diff"]}
    assert rows["title"]["removed"] == ["[en] Version one"] and rows["title"]["added"] == ["[en] Version two"]
    assert rows["licence"]["removed"] == ["CC0-1.0"] and rows["licence"]["added"] == ["CC-BY-4.0"]
    assert "<del>" in diff.content.decode()
    assert client.get(f"/records/{record.reference}/versions/?from=2&to=3").context["diff"][0]["field"] == "licence"
    assert client.get(f"/records/{record.reference}/versions/?from=1&to=9").status_code == 400


def test_publishing_with_nothing_changed_is_refused(world: World) -> None:
    record = world.record(level=Level.PUBLIC)
    response = world.client(world.ru_liaison).post(f"/records/{record.reference}/publish/", {"note": ""})
    assert response.status_code == 400
    assert "Nothing changed since version 1" in response.content.decode()


# --- create and edit ------------------------------------------------------------------------------------------------


def _form(world: World, **changes: Any) -> dict[str, Any]:
    data = {
        "owner_party": world.ru.pk,
        "type": RecordType.objects.get(code="dataset").pk,
        "title_en": "Cosmonaut bone density, 2015-2020",
        "title_zh": "",
        "title_ru": "Плотность костей космонавтов",
        "title_original": "ru",
        "abstract_en": "",
        "abstract_zh": "",
        "abstract_ru": "",
        "abstract_original": "en",
        "keywords_en": "bone density, microgravity",
        "keywords_ru": "плотность костей",
        "published_on": "2021-03-01",
        "licence": "CC-BY-4.0",
        "subjects": "",
        "identifier_scheme_0": "doi",
        "identifier_value_0": "https://doi.org/10.5555/ABC",
        "contributor_name_0": "Mikhail Orlov",
        "contributor_role_0": "author",
        "contributor_party_0": world.ru.pk,
        "contributor_role_1": "author",
        "contributor_role_2": "author",
    }
    data.update(changes)
    return data


def test_sharing_a_record_saves_a_draft(world: World) -> None:
    subject = concept("bone-t", {"en": "bone density", "ru": "плотность костей"})
    client = world.client(world.ru_member)
    assert client.get("/records/new/").status_code == 200
    response = client.post("/records/new/", _form(world, subjects="плотность костей"))
    assert response.status_code == 302, response.content.decode()[:3000]
    record = Record.objects.get()
    assert response["Location"] == record.get_absolute_url()
    assert record.status == Record.Status.DRAFT and record.owner_party == world.ru
    assert record.title.original == "ru" and record.keywords == {
        "en": ["bone density", "microgravity"],
        "ru": ["плотность костей"],
    }
    assert list(record.identifiers.values_list("scheme", "value")) == [("doi", "10.5555/abc")]
    assert list(record.subjects.all()) == [subject]
    assert list(record.contributors.values_list("name", "party__code")) == [("Mikhail Orlov", "ibmp-t")]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title_en": "", "title_ru": ""}, "title", "Enter the text in at least one language"),
        ({"identifier_value_0": "not a doi"}, "identifier_value_0", "is not a valid DOI"),
        ({"identifier_scheme_0": ""}, "identifier_scheme_0", "Choose the scheme"),
        ({"subjects": "no such concept"}, "subjects", "is not in the thesaurus"),
        ({"licence": "CC BY 4.0!"}, "licence", "SPDX identifier"),
        ({"published_on": "2021-13-45"}, "published_on", "Enter a valid date"),
        (
            {"related_relation_0": "cites", "related_reference_0": "SB-1999-000001"},
            "related_reference_0",
            "that you can see",
        ),
        ({"title_ru": "\x00"}, None, "NUL"),
    ],
)
def test_bad_input_gets_field_errors_and_saves_nothing(
    world: World, changes: dict[str, Any], field: str | None, message: str
) -> None:
    response = world.client(world.ru_member).post("/records/new/", _form(world, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    if field is not None:
        assert any(message in error for error in response.context["form"].errors[field])
    assert not Record.objects.exists()


def test_a_duplicate_identifier_is_refused_on_the_identifiers(world: World) -> None:
    world.record(level=Level.PUBLIC, identifiers=[{"scheme": "doi", "value": "10.5555/abc"}])
    response = world.client(world.ru_member).post("/records/new/", _form(world))
    assert response.status_code == 400
    assert "is already registered as" in " ".join(response.context["form"].errors["identifiers"])
    assert Record.objects.count() == 1


def test_only_members_of_a_party_share_records(world: World) -> None:
    outsider = member_of(PartyFactory(code="observer-t", country="FR"), role=None, username="outsider")
    assert world.client(outsider).get("/records/new/").status_code == 403
    response = world.client(world.cn_member).post("/records/new/", _form(world))  # owner party not theirs
    assert response.status_code == 400 and "owner_party" in response.context["form"].errors
    assert world.client().get("/records/new/").status_code == 302


def test_editing_changes_the_working_copy_and_publishing_makes_a_version(world: World) -> None:
    record = world.record(level=Level.PUBLIC, title=MultilingualText({"en": "Old title"}, "en"))
    client = world.client(world.ru_liaison)
    form = client.get(f"/records/{record.reference}/edit/")
    assert form.status_code == 200 and "Old title" in form.content.decode()
    data = _form(world, title_en="New title", title_ru="", title_original="en")
    del data["owner_party"]
    bad = client.post(f"/records/{record.reference}/edit/", {**data, "title_en": ""})
    assert bad.status_code == 400
    record.refresh_from_db()
    assert record.title.get("en") == "Old title" and not record.has_unpublished_changes
    assert client.post(f"/records/{record.reference}/edit/", data).status_code == 302
    record.refresh_from_db()
    assert record.title.get("en") == "New title" and record.has_unpublished_changes
    assert world.client(world.ru_member).get(f"/records/{record.reference}/edit/").status_code == 403
    assert world.client(world.cn_member).get(f"/records/{record.reference}/edit/").status_code == 403
    published = client.post(f"/records/{record.reference}/publish/", {"note": "New title"})
    assert published.status_code == 302
    record.refresh_from_db()
    assert record.version == 2 and record.versions.get(number=2).note == "New title"


# --- release page --------------------------------------------------------------------------------------------------


def test_release_page_records_the_decision(world: World) -> None:
    record = world.record(level=Level.OWNER)
    path = f"/records/{record.reference}/release/"
    assert world.client(world.ru_member).get(path).status_code == 403
    assert world.client(world.cn_member).get(path).status_code == 404
    client = world.client(world.ru_liaison)
    assert client.get(path).status_code == 200
    response = client.post(path, {"level": "parties", "countries": ["CN"], "marking": "none", "reason": "MoU 2018"})
    assert response.status_code == 302
    decision = ReleaseDecision.objects.get(record=record)
    assert decision.audience["delegations"] == ["CN"] and decision.reason == "MoU 2018"
    assert decision.decided_by == world.ru_liaison
    assert world.client(world.cn_member).get(record.get_absolute_url()).status_code == 200
    page = world.client(world.cn_member).get(record.get_absolute_url()).content.decode()
    assert "delegation of China" in page and "MoU 2018" in page


def test_a_controlled_record_is_never_released_beyond_its_owner_and_the_page_says_why(world: World) -> None:
    record = world.record(level=Level.OWNER)
    response = world.client(world.ru_liaison).post(
        f"/records/{record.reference}/release/",
        {"level": "platform", "marking": "controlled", "legal_basis": "Federal Law 183-FZ"},
    )
    assert response.status_code == 400
    assert "never released beyond its owner party" in " ".join(response.context["form"].errors["level"])
    assert not ReleaseDecision.objects.filter(record=record).exists()
    assert world.client(world.cn_member).get(record.get_absolute_url()).status_code == 404


# --- list ----------------------------------------------------------------------------------------------------------


def test_list_pages_with_a_cursor_and_counts_only_visible_records(world: World) -> None:
    shown = [world.record(level=Level.PLATFORM) for _i in range(27)]
    world.record(level=Level.OWNER)
    client = world.client(world.us_member)
    first = client.get("/records/")
    assert first.context["count"] == 27
    assert [r.reference for r in first.context["page"].object_list] == [r.reference for r in shown[::-1][:25]]
    following = re.search(r'rel="next" href="([^"]+)"', first.content.decode()).group(1).replace("&amp;", "&")
    second = client.get("/records/" + following)
    assert [r.reference for r in second.context["page"].object_list] == [r.reference for r in shown[1::-1]]
    assert second.context["page"].next_cursor is None
    back = re.search(r'rel="prev" href="([^"]+)"', second.content.decode()).group(1).replace("&amp;", "&")
    assert [r.pk for r in client.get("/records/" + back).context["page"].object_list] == [
        r.pk for r in first.context["page"].object_list
    ]
    assert client.get("/records/?after=not-a-number").status_code == 200


def test_list_filters(world: World) -> None:
    subject = concept("radiation-t", {"en": "radiation exposure"})
    dataset = world.record(
        level=Level.PUBLIC,
        type="dataset",
        subjects=[subject],
        published_on=_day("2019-05-01"),
        title=MultilingualText({"zh": "辐射暴露"}, "zh"),
    )
    chinese = shared_record(
        owner_party=world.cn, by=world.cn_member, level=Level.PUBLIC, **_fields({"published_on": _day("2020-01-01")})
    )
    client = world.client()

    def listed(query: str) -> set[str]:
        return {r.reference for r in client.get(f"/records/?{query}").context["page"].object_list}

    assert listed("type=dataset") == {dataset.reference}
    assert listed(f"party={world.cn.code}") == {chinese.reference}
    assert listed("country=RU") == {dataset.reference}
    assert listed("subject=radiation-t") == listed("subject=radiation+exposure") == {dataset.reference}
    assert listed("year=2020") == {chinese.reference}
    assert listed("language=zh") == {dataset.reference}
    assert listed("subject=unknown+thing") == set()
    assert "is not in the thesaurus" in client.get("/records/?subject=unknown+thing").content.decode()


def _day(value: str) -> Any:
    from datetime import date

    return date.fromisoformat(value)


# --- thesaurus pages -----------------------------------------------------------------------------------------------


def test_concept_pages(world: World) -> None:
    broader = concept("skeleton-t", {"en": "skeletal system", "zh": "骨骼系统", "ru": "скелет"})
    subject = concept(
        "bone-loss-t", {"en": "bone loss", "zh": "骨丢失", "ru": "потеря костной массы"}, alt={"en": ["osteopenia"]}
    )
    subject.broader.add(broader)
    public = world.record(level=Level.PUBLIC, subjects=[subject], title=MultilingualText({"en": "Open study"}, "en"))
    world.record(level=Level.OWNER, subjects=[subject], title=MultilingualText({"en": "Closed study"}, "en"))
    client = world.client()
    tree = client.get("/records/concepts/").context["tree"]
    assert [(node["concept"].code, [child["concept"].code for child in node["children"]]) for node in tree] == [
        ("skeleton-t", ["bone-loss-t"])
    ]
    found = client.get("/records/concepts/?q=Osteopenia")
    assert [c.code for c in found.context["results"]] == ["bone-loss-t"]
    page = client.get("/records/concepts/bone-loss-t/").content.decode()
    assert "骨丢失" in page and "потеря костной массы" in page and "osteopenia" in page
    assert "/records/concepts/skeleton-t/" in page
    assert public.reference in page and "Closed study" not in page
    assert client.get("/records/concepts/nonesuch/").status_code == 404
