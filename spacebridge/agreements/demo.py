"""Demo content of agreements, loaded by ``spacebridge demo`` after the parties, groups, records and projects:

* MOU-2018-001, the Wenchang memorandum among CMSA, Roscosmos and NASA on the peaceful uses of space technology for
  human health — a text written for the demo in English, Chinese and Russian, article by article — signed in
  Wenchang on 30 January 2018, in force, with commitments followed through the working groups, records and the
  Space Medical University project;
* FA-1998-001, the real Intergovernmental Agreement on the International Space Station of 29 January 1998 (English
  text from the Dutch treaty database via statengeneraal/laws-markdown, see ``demo/README.md``), split into its 28
  articles and Annex, recorded between the two demo parties that are its Cooperating Agencies.

Everything goes through the services, so it is audited like any other change.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps

from spacebridge.access.models import Level
from spacebridge.access.services import release_set
from spacebridge.agreements import commitments, services, signatures
from spacebridge.agreements.models import Agreement, Commitment, EntryIntoForce, Status
from spacebridge.core.multilingual import MultilingualText
from spacebridge.groups.models import WorkingGroup
from spacebridge.parties.models import Party, Person
from spacebridge.records.selectors import records_visible

DEMO_FOLDER = Path(__file__).parent / "demo"
ISS_SOURCE = (
    "Agreement concerning cooperation on the Civil International Space Station, Washington, 29 January 1998; "
    "English text from the Dutch treaty database (BWBV0001325) via statengeneraal/laws-markdown @91556a80a25a"
)
SIGNATORIES = {
    "cmsa": ("yang-liwei", "Yang Liwei", "Deputy Director", "On behalf of the China Manned Space Agency"),
    "roscosmos": (
        "alexey-sokolov",
        "Alexey Sokolov",
        "Director for International Cooperation",
        "Power of attorney of the Director General of Roscosmos",
    ),
    "nasa": (
        "michael-reynolds",
        "Michael Reynolds",
        "Associate Administrator for International and Interagency Relations",
        "Delegation of authority of the NASA Administrator",
    ),
}


def _text(name: str) -> str:
    return (DEMO_FOLDER / name).read_text(encoding="utf-8")


def _person(transliteration: str) -> Person | None:
    return Person.objects.filter(transliteration=transliteration).first()


def _wenchang(by: Any, parties: dict[str, Party]) -> Agreement:
    agreement = services.agreement_create(
        by=by,
        check_permission=False,
        type="mou",
        year=2018,
        lead_party=parties["cmsa"],
        parties=[parties["cmsa"], parties["roscosmos"], parties["nasa"]],
        title=MultilingualText(
            {
                "en": "Memorandum of Understanding on Cooperation in the Peaceful Uses of Space Technology for Human Health",
                "zh": "关于空间技术和平利用于人类健康合作的谅解备忘录",
                "ru": "Меморандум о взаимопонимании о сотрудничестве в мирном использовании космических технологий в "
                "интересах здоровья человека",
            },
            "zh",
        ),
        summary=MultilingualText(
            {
                "en": "The memorandum signed at the Wenchang symposium of January 2018 "
                "(a text written for the Spacebridge demo)."
            },
            "en",
        ),
        entry_into_force=EntryIntoForce.ON_LAST_SIGNATURE,
        term_months=120,
        notice_days=183,
        automatic_renewal=True,
        renewal_term_months=60,
    )
    for language in ("zh", "en", "ru"):
        services.text_version_add(
            agreement=agreement,
            by=by,
            language=language,
            check_permission=False,
            body=_text(f"wenchang_mou_{language}.md"),
            note="Text as signed",
        )
    for ap in agreement.parties.all():
        _key, name, title, authority = SIGNATORIES[ap.party.code]
        services.signatory_add(
            agreement_party=ap, by=by, name=name, title=title, authority=authority, person=_person(name)
        )
    services.agreement_transition(agreement=agreement, by=by, to=Status.NEGOTIATION, check_permission=False)
    signed_at = datetime(2018, 1, 30, 11, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    for ap in agreement.parties.all():
        signatures.signature_record_wet_ink(
            agreement_party=ap, by=by, signed_at=signed_at, place="Wenchang", signatory=ap.signatories.first()
        )
    agreement.refresh_from_db()
    _wenchang_commitments(agreement, by, parties)
    release_set(
        obj=agreement,
        by=by,
        level=Level.PUBLIC,
        reason="Signed memorandum, public by the parties' decision",
        check_permission=False,
    )
    return agreement


def _wenchang_commitments(agreement: Agreement, by: Any, parties: dict[str, Party]) -> None:
    everyone = [parties["cmsa"], parties["roscosmos"], parties["nasa"]]
    groups = {g.acronym: g for g in WorkingGroup.objects.all()}
    passages = {
        "3": (
            {
                "en": "establish joint working groups on space medicine, on space life sciences, and on telemedicine "
                "and remote health care",
                "zh": "设立空间医学、空间生命科学以及远程医疗与远程保健联合工作组",
                "ru": "создают совместные рабочие группы по космической медицине, по космической биологии и по "
                "телемедицине",
            },
            date(2018, 7, 30),
            "",
            ["WG-MED", "WG-BIO", "WG-TEL"],
        ),
        "4": (
            {
                "en": "share on it, every year, the research achievements that each Party decides to release",
                "zh": "每年在该平台上分享各方决定发布的研究成果",
                "ru": "ежегодно размещают на ней результаты исследований",
            },
            date(2027, 1, 30),
            "yearly",
            ["WG-BIO"],
        ),
        "5": (
            {
                "en": "hold an international symposium on space technology and human health every year",
                "zh": "每年举办一次空间技术与人类健康国际研讨会",
                "ru": "ежегодно проводят международный симпозиум",
            },
            date(2027, 1, 15),
            "yearly",
            ["WG-MED"],
        ),
        "6": (
            {
                "en": "agree the curriculum of a joint course in space medicine at the Space Medical University by "
                "1 September 2026",
                "zh": "于2026年9月1日前商定航天医科大学空间医学联合课程的教学大纲",
                "ru": "до 1 сентября 2026 года согласуют учебную программу совместного курса",
            },
            date(2026, 9, 1),
            "",
            ["WG-MED"],
        ),
    }
    evidence = list(
        records_visible(user=by).filter(owner_party__code__in=["ibmp", "acc", "nasa"]).order_by("reference")[:3]
    )
    made = {}
    for article, (passage, due, recurrence, acronyms) in passages.items():
        made[article] = commitments.commitment_create(
            agreement=agreement,
            by=by,
            article_key=article,
            passage=MultilingualText(passage, "en"),
            responsible_parties=everyone,
            due_on=due,
            recurrence=recurrence,
            groups=[groups[a] for a in acronyms if a in groups],
            records=evidence if article == "4" else [],
        )
    commitments.commitment_set_state(commitment=made["3"], by=by, state=Commitment.State.DONE, on=date(2018, 6, 28))
    commitments.commitment_set_state(commitment=made["6"], by=by, state=Commitment.State.IN_PROGRESS)
    project_model = apps.get_model("projects", "Project") if apps.is_installed("spacebridge.projects") else None
    project = project_model.objects.filter(slug="space-medical-university").first() if project_model else None
    if project is not None:
        from spacebridge.access.policy import can_see

        if can_see(by, project):
            commitments.commitment_link_add(
                commitment=made["6"], by=by, label="Space Medical University", target=project
            )


def _iss(by: Any, parties: dict[str, Party]) -> Agreement:
    agreement = services.agreement_create(
        by=by,
        check_permission=False,
        type="framework",
        year=1998,
        lead_party=parties["nasa"],
        parties=[parties["nasa"], parties["roscosmos"]],
        source=ISS_SOURCE,
        title=MultilingualText(
            {
                "en": "Agreement concerning Cooperation on the Civil International Space Station",
                "zh": "关于民用国际空间站合作的协定",
                "ru": "Соглашение о сотрудничестве по Международной космической станции гражданского назначения",
            },
            "en",
        ),
        summary=MultilingualText(
            {
                "en": "Intergovernmental Agreement among Canada, the ESA Member States, Japan, "
                "Russia and the United States, done at Washington on 29 January 1998; "
                "recorded here between NASA and Roscosmos, two of its Cooperating Agencies, "
                "as an example of a multilateral agreement."
            },
            "en",
        ),
        entry_into_force=EntryIntoForce.ON_DATE,
        entry_into_force_on=date(2001, 3, 27),
    )
    services.text_version_add(
        agreement=agreement,
        by=by,
        language="en",
        check_permission=False,
        body=_text("iss_iga_1998_en.md"),
        note="English text, Washington, 29 January 1998",
    )
    services.agreement_transition(agreement=agreement, by=by, to=Status.NEGOTIATION, check_permission=False)
    signed_at = datetime(1998, 1, 29, 12, 0, tzinfo=ZoneInfo("America/New_York"))
    names = {
        "nasa": "For the Government of the United States of America",
        "roscosmos": "For the Government of the Russian Federation",
    }
    for ap in agreement.parties.all():
        signatures.signature_record_wet_ink(
            agreement_party=ap, by=by, signed_at=signed_at, place="Washington", signed_by=names[ap.party.code]
        )
    release_set(obj=agreement, by=by, level=Level.PUBLIC, reason="Published treaty", check_permission=False)
    agreement.refresh_from_db()
    return agreement


def agreements_demo_load(*, by: Any) -> list[Agreement]:
    parties = {p.code: p for p in Party.objects.filter(code__in=["cmsa", "roscosmos", "nasa"])}
    if len(parties) < 3:
        return []
    return [_wenchang(by, parties), _iss(by, parties)]
