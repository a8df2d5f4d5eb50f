"""One entry of an import file, validated: the JSON Lines shape → the fields the record services take.

Also the release levels as the command line and the JSON Lines format write them (``public``, ``parties:CN,RU`` …).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from spacebridge.access.models import Level, Marking
from spacebridge.core.multilingual import CONTENT_LANGUAGES, MultilingualText
from spacebridge.groups.models import WorkingGroup
from spacebridge.parties.models import Party, fold_name
from spacebridge.records.formats.exported import REFERENCE_PATTERN, reference_from_url
from spacebridge.records.models import Concept, Record, RecordType
from spacebridge.records.services import RecordFields, ReleaseChoice, release_choice_clean

ENTRY_KEYS = {
    "type", "language", "title", "abstract", "keywords", "contributors", "subjects", "identifiers", "published",
    "licence", "license", "related", "reference", "release", "marking", "legal_basis", "embargo_until", "status",
}  # fmt: skip
IGNORED_KEYS = {"url", "owner_party", "version"}  # written by exports, decided by the import

# ---------------------------------------------------------------------------------------------------------------
# Release levels as the command line and the JSON Lines format write them.
# ---------------------------------------------------------------------------------------------------------------


def release_parse(
    text: str, *, owner_party: Party, marking: str = "", legal_basis: str = "", embargo_until: Any = None
) -> ReleaseChoice:
    """``public``, ``platform``, ``owner``, ``parties:CN,RU,ibmp`` (delegations by country code, parties by code) or
    ``group:WG-MED``, with an optional export-control marking; ValidationError when it is not one of those."""
    level, _sep, names = (text or "").strip().partition(":")
    level = level.strip().lower()
    parties, countries, group = [], [], None
    if level == Level.PARTIES:
        for name in (n.strip() for n in names.split(",") if n.strip()):
            if re.fullmatch(r"[A-Za-z]{2}", name) and name.upper() == name:
                countries.append(name)
            elif (party := Party.objects.filter(code=name.lower()).first()) is not None:
                parties.append(party)
            else:
                raise ValidationError(
                    {
                        "release": _("“%(name)s” is neither a delegation (CN, RU, US…) nor a party code.")
                        % {"name": name}
                    }
                )
    elif level == Level.GROUP:
        group = WorkingGroup.objects.filter(acronym=names.strip().upper()).first()
        if group is None:
            raise ValidationError({"release": _("There is no working group “%(name)s”.") % {"name": names.strip()}})
    elif names:
        raise ValidationError({"release": _("The level “%(level)s” takes no list after “:”.") % {"level": level}})
    if level not in Level.values:
        raise ValidationError({"release": _("Give public, platform, owner, parties:CODES or group:ACRONYM.")})
    until = embargo_until
    if isinstance(embargo_until, str):
        until = parse_datetime(embargo_until) or _day_start(embargo_until)
    if isinstance(until, datetime) and timezone.is_naive(until):
        until = timezone.make_aware(until, UTC)
    return release_choice_clean(
        owner_party=owner_party,
        level=level,
        parties=parties,
        countries=countries,
        group=group,
        marking=marking or Marking.NONE,
        legal_basis=legal_basis or "",
        embargo_until=until,
        reason="import",
    )


def _day_start(text: str) -> datetime:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError({"embargo_until": _("Give the embargo date as YYYY-MM-DD.")}) from None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


# ---------------------------------------------------------------------------------------------------------------
# Validation of one entry: the JSON Lines shape → the fields the services take.
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class Vocabulary:
    """What entries name, looked up once per import: record types, concepts, parties."""

    types: dict[str, RecordType]
    concepts: dict[str, Concept]  # by code
    parties: dict[str, Party]
    records: dict[str, Record] = field(default_factory=dict)  # related records by reference, as met
    _labels: dict[str, Concept] | None = None

    @classmethod
    def load(cls) -> Vocabulary:
        return cls(
            types={t.code: t for t in RecordType.objects.all()},
            concepts={c.code: c for c in Concept.objects.all()},
            parties={p.code: p for p in Party.objects.all()},
        )

    def _label_index(self) -> dict[str, Concept]:
        """Every label of every concept, folded (built on the first subject given by label, not by code)."""
        if self._labels is None:
            self._labels = {}
            for concept in self.concepts.values():
                for labels in [list(concept.pref.text.values()), *concept.alt.values()]:
                    for label in labels:
                        self._labels.setdefault(fold_name(label), concept)
        return self._labels

    def concept(self, name: str) -> Concept:
        found = self.concepts.get(name) or self._label_index().get(fold_name(name))
        if found is None:
            raise ValidationError(
                {"subjects": _("“%(name)s” is not a concept of the thesaurus.") % {"name": name[:80]}}
            )
        return found

    def record(self, reference: str) -> Record:
        reference = (reference or "").strip().upper()
        if reference not in self.records:
            found = Record.objects.filter(reference=reference).first()
            if found is None:
                raise ValidationError(
                    {"related": _("There is no record %(reference)s.") % {"reference": reference[:20]}}
                )
            self.records[reference] = found
        return self.records[reference]


@dataclass
class Pending:
    """A valid entry on its way to the database."""

    line: int
    fields: RecordFields
    reference: str
    release: ReleaseChoice | None
    publish: bool
    current: WorkingCopy | None = None  # the existing record it updates, as it stands
    policy: Any = None  # that record's release policy, when the import may change it


@dataclass
class WorkingCopy:
    """An existing record's working copy as plain values, read in bulk to compare entries with (no model objects:
    a re-import of a hundred thousand unchanged records compares and writes nothing)."""

    pk: int
    reference: str
    status: str
    version: int
    values: dict[str, Any]  # type (pk), title and abstract (JSON), keywords, published_on, licence, subjects, …
    identifiers: set[tuple[str, str]] = field(default_factory=set)
    people: dict[str, int] = field(default_factory=dict)  # contributor name → linked person


def working_copies(pks: list[int]) -> dict[int, WorkingCopy]:
    """The working copies of these records, in five queries."""
    from spacebridge.records.models import Contributor, Identifier, RelatedRecord

    copies = {}
    columns = ("pk", "reference", "status", "version", "type_id", "title", "abstract", "keywords", "published_on",
               "licence")  # fmt: skip
    for pk, reference, status, version, *values in Record.objects.filter(pk__in=pks).values_list(*columns):
        type_id, title, abstract, keywords, published_on, licence = values
        copies[pk] = WorkingCopy(
            pk=pk,
            reference=reference,
            status=status,
            version=version,
            values={
                "type": type_id,
                "title": MultilingualText.from_json(title).to_json(),
                "abstract": MultilingualText.from_json(abstract).to_json(),
                "keywords": keywords,
                "published_on": published_on,
                "licence": licence,
                "subjects": [],
                "contributors": [],
                "related": [],
            },
        )
    for record_id, concept_id in Record.subjects.through.objects.filter(record_id__in=pks).values_list(
        "record_id", "concept_id"
    ):
        copies[record_id].values["subjects"].append(concept_id)
    contributors = Contributor.objects.filter(record_id__in=pks).order_by("record_id", "position")
    for record_id, name, role, party_id, person_id in contributors.values_list(
        "record_id", "name", "role", "party_id", "person_id"
    ):
        copies[record_id].values["contributors"].append((name, role, party_id))
        if person_id:
            copies[record_id].people[name] = person_id
    for record_id, scheme, value in Identifier.objects.filter(record_id__in=pks).values_list(
        "record_id", "scheme", "value"
    ):
        copies[record_id].identifiers.add((scheme, value))
    for source_id, relation, target_id in RelatedRecord.objects.filter(source_id__in=pks).values_list(
        "source_id", "relation", "target_id"
    ):
        copies[source_id].values["related"].append((relation, target_id))
    for copy in copies.values():
        copy.values["subjects"].sort()
        copy.values["related"].sort()
    return copies


def no_nul(entry: dict[str, Any]) -> None:
    # PostgreSQL text cannot hold NUL (SQLite can): refused everywhere, so both databases answer alike.
    if "\\u0000" in json.dumps(entry):
        raise ValidationError(_("The entry contains a NUL character."))


def _text(value: Any, language: str, name: str) -> MultilingualText:
    if isinstance(value, str):
        return MultilingualText({language: value.strip()}, language)
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ValidationError({name: _("Give the text as {language: text}.")})
    texts = {lang.strip().lower(): text.strip() for lang, text in value.items()}
    original = language if language in texts else ""
    return MultilingualText(texts, original)


def _keywords(value: Any, language: str) -> dict[str, Any]:
    if isinstance(value, list):
        return {language: value}
    if isinstance(value, str):
        return {language: [w for w in re.split(r"[;,]", value)]}
    if not isinstance(value, dict):
        raise ValidationError({"keywords": _("Give the keywords as {language: [keywords]}.")})
    return {lang.strip().lower(): words for lang, words in value.items()}


def _published(value: Any) -> date | None:
    if value in (None, ""):
        return None
    text = str(value).strip().replace("/", "-")
    try:
        if re.fullmatch(r"\d{4}", text):
            return date(int(text), 1, 1)
        if re.fullmatch(r"\d{4}-\d{1,2}", text):
            year, month = text.split("-")
            return date(int(year), int(month), 1)
        return date.fromisoformat(text[:10]) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text[:10]) else _bad_date()
    except ValueError:
        return _bad_date()


def _bad_date() -> date:
    raise ValidationError({"published": _("Give the date as YYYY-MM-DD, YYYY-MM or YYYY.")})


def _contributors(value: Any, vocabulary: Vocabulary) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise ValidationError({"contributors": _("Give the contributors as a list.")})
    contributors = []
    for item in value:
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict) or not isinstance(item.get("name", ""), str):
            raise ValidationError({"contributors": _("Each contributor is a name or {name, role, party}.")})
        party = None
        if item.get("party"):
            party = vocabulary.parties.get(str(item["party"]).strip().lower())
            if party is None:
                raise ValidationError(
                    {"contributors": _("There is no party “%(party)s”.") % {"party": str(item["party"])[:40]}}
                )
        contributors.append({"name": item.get("name", ""), "role": item.get("role") or "author", "party": party})
    return contributors


def _identifiers(value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list) or not all(isinstance(i, dict) for i in value):
        raise ValidationError({"identifiers": _("Give the identifiers as a list of {scheme, value}.")})
    return [{"scheme": str(i.get("scheme", "")), "value": str(i.get("value", ""))} for i in value]


def _record_type(value: Any, vocabulary: Vocabulary) -> RecordType:
    code = re.sub(r"[\s-]+", "_", str(value or "").strip().lower())
    if code not in vocabulary.types:
        known = ", ".join(sorted(vocabulary.types))
        raise ValidationError(
            {"type": _("“%(type)s” is not a record type (%(known)s).") % {"type": str(value)[:40], "known": known}}
        )
    return vocabulary.types[code]


def fields_of(entry: dict[str, Any], vocabulary: Vocabulary) -> tuple[dict[str, Any], str]:
    """Service fields of an entry, and the reference it names (a self-link counts)."""
    language = str(entry.get("language") or "").strip().lower()
    title = entry.get("title")
    if not language:
        language = next(iter(title), "en") if isinstance(title, dict) and title else "en"
    if language not in CONTENT_LANGUAGES:
        raise ValidationError({"language": _("“%(lang)s” is not a supported language.") % {"lang": language[:10]}})
    fields: dict[str, Any] = {"type": _record_type(entry.get("type"), vocabulary)}
    fields["title"] = _text(title or {}, language, "title")
    if "abstract" in entry:
        fields["abstract"] = _text(entry["abstract"] or {}, language, "abstract")
    if "keywords" in entry:
        fields["keywords"] = _keywords(entry["keywords"] or {}, language)
    if "published" in entry:
        fields["published_on"] = _published(entry["published"])
    if "licence" in entry or "license" in entry:
        fields["licence"] = str(entry.get("licence") or entry.get("license") or "")
    if "subjects" in entry:
        fields["subjects"] = [vocabulary.concept(str(name)) for name in entry["subjects"] or []]
    if "contributors" in entry:
        fields["contributors"] = _contributors(entry["contributors"], vocabulary)
    reference = str(entry.get("reference") or "").strip().upper()
    if "identifiers" in entry:
        identifiers = _identifiers(entry["identifiers"])
        own = [i for i in identifiers if i["scheme"].lower() == "url" and reference_from_url(i["value"])]
        if own and not reference:
            reference = reference_from_url(own[0]["value"])
        fields["identifiers"] = [i for i in identifiers if i not in own]
    if "related" in entry:
        related = entry["related"] or []
        if not isinstance(related, list) or not all(isinstance(r, dict) for r in related):
            raise ValidationError({"related": _("Give related records as a list of {relation, reference}.")})
        fields["related"] = [
            (str(r.get("relation", "")), vocabulary.record(str(r.get("reference", "")))) for r in related
        ]
    if reference and not REFERENCE_PATTERN.match(reference):
        raise ValidationError(
            {
                "reference": _("“%(reference)s” is not a record reference (SB-YYYY-NNNNNN).")
                % {"reference": reference[:30]}
            }
        )
    return fields, reference


def problem_text(error: ValidationError) -> str:
    """One line naming each field and what is wrong with it."""
    if hasattr(error, "error_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
    return " ".join(error.messages)
