"""Demo content of the exchange registry, loaded by ``spacebridge demo`` after the parties and people:

* the thesaurus shipped with Spacebridge;
* the NASA space-biology publications as public records of NASA, and the NASA TechPort projects as records of
  NASA and of the Johnson Space Center (the projects it leads), most public, a few for signed-in members only;
* thirty records of the Chinese and Russian parties in Chinese, English and Russian (``demo/trilingual.jsonl``):
  some public, some for signed-in members, some released only to certain delegations (an IBMP dataset to the Chinese
  delegation only), one dual-use technology awaiting its export approval and one controlled dataset.

Everything goes through the importer (batched, audited), shared by each party's liaison officer where it has one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from spacebridge.parties.models import Party, RoleAssignment
from spacebridge.records.formats import SourceEntry, read_entries
from spacebridge.records.importing import ImportReport, import_entries
from spacebridge.records.models import Concept
from spacebridge.records.thesaurus import thesaurus_load

DEMO_FOLDER = Path(__file__).parent / "demo"
PUBLICATIONS = DEMO_FOLDER / "nasa_space_biology_608_publications_PMC.csv"
PROJECTS = DEMO_FOLDER / "nasa_techport_projects_sample.json"
TRILINGUAL = DEMO_FOLDER / "trilingual.jsonl"
# TechPort projects shown to signed-in members only (the rest are public), by TechPort id.
MEMBERS_ONLY_PROJECTS = {95518, 95541, 93994, 88515}
MAX_SUBJECTS = 4


class SubjectTagger:
    """Thesaurus concepts whose English labels appear in a title, in the order they appear, at most four."""

    def __init__(self, concepts: list[Concept]) -> None:
        # Top concepts ("life sciences") say too little about a paper to tag it with.
        specific = set(Concept.broader.through.objects.values_list("from_concept_id", flat=True))
        self.labels: dict[tuple[str, ...], Concept] = {}
        for concept in concepts:
            if concept.pk not in specific:
                continue
            for label in [concept.pref.text.get("en", ""), *concept.alt.get("en", [])]:
                words = self.words(re.sub(r"\s*\([^)]*\)$", "", label))
                if words and (len(words) > 1 or len(words[0]) >= 4 or label.isupper()):
                    self.labels.setdefault(tuple(words), concept)
        self.longest = max((len(k) for k in self.labels), default=0)

    @staticmethod
    def words(text: str) -> list[str]:
        return re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", text.lower())

    def __call__(self, text: str) -> list[str]:
        words = self.words(text)
        found: list[str] = []
        for start in range(len(words)):
            for size in range(min(self.longest, len(words) - start), 0, -1):
                phrase = tuple(words[start : start + size])
                concept = self.labels.get(phrase) or self.labels.get((*phrase[:-1], phrase[-1].removesuffix("s")))
                if concept is not None:
                    found.append(concept.code)
                    break
        return list(dict.fromkeys(found))[:MAX_SUBJECTS]


def _tagged(entries: Iterator[SourceEntry], tagger: SubjectTagger) -> Iterator[SourceEntry]:
    for source in entries:
        if source.entry:
            subjects = tagger(" ".join(source.entry.get("title", {}).values()))
            if subjects:
                source.entry["subjects"] = subjects
        yield source


def _sharer(party: Party, fallback: Any) -> Any:
    """Who shares a party's records: its liaison officer, else a member, else the secretariat officer."""
    assignments = RoleAssignment.objects.filter(party=party).select_related("user", "role")
    by_role = {a.role.code: a.user for a in assignments}
    return by_role.get("liaison_officer") or by_role.get("member") or next(iter(by_role.values()), fallback)


def _import(entries: Any, name: str, party: Party, by: Any, release: str | None = None) -> ImportReport:
    report = import_entries(
        entries=entries,
        format_name=name,
        owner_party=party,
        by=_sharer(party, by),
        release=release,
        check_permission=False,
    )
    if report.errors:
        raise ValueError(f"demo records of {party.code} do not import: {report.errors[:3]}")
    return report


def _projects(party_code: str, members_only: bool) -> Iterator[SourceEntry]:
    """The TechPort projects that ``party_code`` shares (JSC: the ones it leads), public or members-only."""
    projects = json.loads(PROJECTS.read_text(encoding="utf-8"))
    text = json.dumps(
        [
            p
            for p in projects
            if (party_code == "jsc") == ((p.get("leadOrganization") or {}).get("name") == "Johnson Space Center")
            and (p["id"] in MEMBERS_ONLY_PROJECTS) == members_only
        ]
    )
    return read_entries(text, "techport")


def records_demo_load(*, by: Any) -> dict[str, ImportReport]:
    """Load the registry's demo content; ``by`` (the secretariat officer) loads the thesaurus."""
    parties = {p.code: p for p in Party.objects.all()}
    thesaurus_load(by=by)
    tagger = SubjectTagger(list(Concept.objects.all()))
    reports = {}
    publications = read_entries(PUBLICATIONS.read_text(encoding="utf-8-sig"), "nasa-csv")
    reports["nasa-csv"] = _import(_tagged(publications, tagger), "nasa-csv", parties["nasa"], by, "public")
    for code in ("nasa", "jsc"):
        for members_only in (False, True):
            release = "platform" if members_only else "public"
            reports[f"techport-{code}-{release}"] = _import(
                _tagged(_projects(code, members_only), tagger), "techport", parties[code], by, release
            )
    by_party: dict[str, list[SourceEntry]] = {}
    for source in read_entries(TRILINGUAL.read_text(encoding="utf-8"), "jsonl"):
        by_party.setdefault(source.entry.get("owner_party", ""), []).append(source)
    for code, entries in by_party.items():
        reports[f"trilingual-{code}"] = _import(entries, "jsonl", parties[code], by)
    return reports
