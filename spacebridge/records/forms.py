"""Input validation of the registry's HTML forms. No side effects: the services write."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from spacebridge.core.forms import MultilingualFormField, reject_nul
from spacebridge.parties.models import Party, fold_name
from spacebridge.records.identifiers import normalise_identifier
from spacebridge.records.models import Concept, Contributor, Identifier, Record, RecordType, RelatedRecord

REFERENCE = re.compile(r"^SB-\d{4}-\d{6}$")
KEYWORD_LANGUAGES = [("en", "English"), ("zh", "中文"), ("ru", "Русский")]
_KEYWORD_SPLIT = re.compile(r"[,;，；、\n]")


class GroupErrors(forms.Field):
    """Not an input: the place where a group of rows (identifiers, contributors, …) shows its errors."""

    widget = forms.HiddenInput

    def __init__(self) -> None:
        super().__init__(required=False)


def _text(label: Any, max_length: int, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=False, validators=[reject_nul], **kwargs)


def rows_in(data: Any, prefix: str, minimum: int) -> int:
    """How many rows a posted form has: the highest row number sent, and at least ``minimum``."""
    numbers = [int(m.group(1)) for key in (data or {}) if (m := re.match(rf"^{prefix}_(\d{{1,2}})$", key))]
    return max([minimum, *(n + 1 for n in numbers)])


def _folded_labels(concept: Concept) -> set[str]:
    return {fold_name(t) for t in concept.pref.text.values()} | {fold_name(a) for v in concept.alt.values() for a in v}


def concept_lookup(token: str) -> Concept:
    """One thesaurus concept named by its code or by a label in any language (``code — label`` works too)."""
    token = token.split(" — ")[0].strip()
    concept = Concept.objects.filter(code__iexact=token).first()
    if concept is not None:
        return concept
    folded = fold_name(token)
    candidates = list(Concept.objects.filter(label_index__contains=folded)[:50]) if folded else []
    exact = [c for c in candidates if folded in _folded_labels(c)]
    if len(exact) == 1 or len(candidates) == 1:
        return (exact or candidates)[0]
    if not candidates:
        raise ValidationError(_("“%(term)s” is not in the thesaurus.") % {"term": token[:80]})
    raise ValidationError(
        _("“%(term)s” matches several concepts (%(codes)s): give the code.")
        % {"term": token[:80], "codes": ", ".join(c.code for c in (exact or candidates)[:5])}
    )


class RecordForm(forms.Form):
    """The record's metadata. Identifier, contributor and related-record rows are fixed extra rows: no script."""

    owner_party = forms.ModelChoiceField(label=_("Owner party"), queryset=Party.objects.none())
    type = forms.ModelChoiceField(label=_("Type"), queryset=RecordType.objects.all())
    title = MultilingualFormField(label=_("Title"), max_length=1000)
    abstract = MultilingualFormField(label=_("Abstract"), max_length=20000, textarea=True, required=False)
    keywords_en = _text("English", 2000, widget=forms.TextInput(attrs={"lang": "en"}))
    keywords_zh = _text("中文", 2000, widget=forms.TextInput(attrs={"lang": "zh-Hans"}))
    keywords_ru = _text("Русский", 2000, widget=forms.TextInput(attrs={"lang": "ru"}))
    keywords = GroupErrors()
    published_on = forms.DateField(
        label=_("Date of the work"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    licence = _text(
        _("Licence"),
        60,
        help_text=_("An SPDX identifier, such as CC-BY-4.0, CC0-1.0 or MIT."),
        widget=forms.TextInput(attrs={"list": "spdx-licences", "autocomplete": "off"}),
    )
    subjects = _text(
        _("Subjects"),
        4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: a thesaurus code, or a label in English, Chinese or Russian."),
    )
    identifiers = GroupErrors()
    contributors = GroupErrors()
    related = GroupErrors()

    def __init__(self, *args: Any, user: Any, parties: Any = None, record: Record | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user, self.record = user, record
        if record is not None:
            del self.fields["owner_party"]
        else:
            self.fields["owner_party"].queryset = parties if parties is not None else Party.objects.none()
        existing = self.initial
        self.identifier_rows = rows_in(self.data, "identifier_value", len(existing.get("identifiers", [])) + 2)
        self.contributor_rows = rows_in(
            self.data, "contributor_name", max(len(existing.get("contributors", [])) + 2, 3)
        )
        self.related_rows = rows_in(self.data, "related_reference", len(existing.get("related", [])) + 1)
        self._add_rows()

    def _add_rows(self) -> None:
        schemes = [("", "—"), *Identifier.Scheme.choices]
        for i, row in enumerate(_padded(self.initial.get("identifiers", []), self.identifier_rows)):
            self.fields[f"identifier_scheme_{i}"] = forms.ChoiceField(
                label=_("Scheme"), choices=schemes, required=False, initial=row.get("scheme", "")
            )
            self.fields[f"identifier_value_{i}"] = _text(_("Identifier"), 500, initial=row.get("value", ""))
        parties = Party.objects.order_by("country", "short_name")
        for i, row in enumerate(_padded(self.initial.get("contributors", []), self.contributor_rows)):
            self.fields[f"contributor_name_{i}"] = _text(_("Name"), 300, initial=row.get("name", ""))
            self.fields[f"contributor_role_{i}"] = forms.ChoiceField(
                label=_("Role"), choices=Contributor.Role.choices, initial=row.get("role", Contributor.Role.AUTHOR)
            )
            self.fields[f"contributor_party_{i}"] = forms.ModelChoiceField(
                label=_("Party"), queryset=parties, required=False, initial=row.get("party")
            )
        relations = [("", "—"), *RelatedRecord.Relation.choices]
        for i, row in enumerate(_padded(self.initial.get("related", []), self.related_rows)):
            self.fields[f"related_relation_{i}"] = forms.ChoiceField(
                label=_("Relation"), choices=relations, required=False, initial=row.get("relation", "")
            )
            self.fields[f"related_reference_{i}"] = _text(_("Record"), 20, initial=row.get("reference", ""))

    def row_groups(self) -> dict[str, list[list[Any]]]:
        """Bound fields by row, for the template's tables."""
        return {
            "identifiers": [
                [self[f"identifier_scheme_{i}"], self[f"identifier_value_{i}"]] for i in range(self.identifier_rows)
            ],
            "contributors": [
                [self[f"contributor_name_{i}"], self[f"contributor_role_{i}"], self[f"contributor_party_{i}"]]
                for i in range(self.contributor_rows)
            ],
            "related": [
                [self[f"related_relation_{i}"], self[f"related_reference_{i}"]] for i in range(self.related_rows)
            ],
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned["keywords_map"] = {
            code: [w.strip() for w in _KEYWORD_SPLIT.split(cleaned.get(f"keywords_{code}") or "") if w.strip()]
            for code, _label in KEYWORD_LANGUAGES
        }
        cleaned["subject_concepts"] = self._clean_subjects(cleaned.get("subjects") or "")
        cleaned["identifier_list"] = self._clean_identifiers(cleaned)
        cleaned["contributor_list"] = [
            {"name": name, "role": cleaned.get(f"contributor_role_{i}"), "party": cleaned.get(f"contributor_party_{i}")}
            for i in range(self.contributor_rows)
            if (name := (cleaned.get(f"contributor_name_{i}") or "").strip())
        ]
        cleaned["related_list"] = self._clean_related(cleaned)
        return cleaned

    def _clean_subjects(self, text: str) -> list[Concept]:
        concepts: list[Concept] = []
        for line in (line.strip() for line in text.splitlines()):
            if not line:
                continue
            try:
                concept = concept_lookup(line)
            except ValidationError as error:
                self.add_error("subjects", error)
                continue
            if concept not in concepts:
                concepts.append(concept)
        return concepts

    def _clean_identifiers(self, cleaned: dict[str, Any]) -> list[dict[str, str]]:
        identifiers = []
        for i in range(self.identifier_rows):
            scheme, value = cleaned.get(f"identifier_scheme_{i}") or "", (cleaned.get(f"identifier_value_{i}") or "")
            if not value.strip():
                continue
            if not scheme:
                self.add_error(f"identifier_scheme_{i}", _("Choose the scheme of this identifier."))
                continue
            try:
                scheme, value = normalise_identifier(scheme, value)
            except ValidationError as error:
                self.add_error(f"identifier_value_{i}", error)
                continue
            identifiers.append({"scheme": scheme, "value": value})
        return identifiers

    def _clean_related(self, cleaned: dict[str, Any]) -> list[tuple[str, Record]]:
        from spacebridge.records.selectors import records_visible

        related = []
        for i in range(self.related_rows):
            relation, reference = (
                cleaned.get(f"related_relation_{i}") or "",
                cleaned.get(f"related_reference_{i}") or "",
            )
            reference = reference.strip().upper()
            if not reference:
                continue
            if not relation:
                self.add_error(f"related_relation_{i}", _("Choose how the records are related."))
                continue
            target = (
                records_visible(user=self.user).filter(reference=reference).first()
                if REFERENCE.match(reference)
                else None
            )
            if target is None:
                self.add_error(
                    f"related_reference_{i}", _("No record %(reference)s that you can see.") % {"reference": reference}
                )
                continue
            related.append((relation, target))
        return related

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "type": data["type"],
            "title": data["title"],
            "abstract": data["abstract"],
            "keywords": {k: v for k, v in data["keywords_map"].items() if v},
            "published_on": data["published_on"],
            "licence": data["licence"],
            "subjects": data["subject_concepts"],
            "identifiers": data["identifier_list"],
            "contributors": data["contributor_list"],
            "related": data["related_list"],
        }

    @staticmethod
    def initial_for(record: Record) -> dict[str, Any]:
        subjects = record.subjects.order_by("code")
        return {
            "type": record.type,
            "title": record.title,
            "abstract": record.abstract,
            **{f"keywords_{code}": ", ".join(record.keywords.get(code, [])) for code, _label in KEYWORD_LANGUAGES},
            "published_on": record.published_on,
            "licence": record.licence,
            "subjects": "\n".join(f"{c.code} — {c.pref.get()}" for c in subjects),
            "identifiers": [{"scheme": i.scheme, "value": i.value} for i in record.identifiers.order_by("scheme")],
            "contributors": [
                {"name": c.name, "role": c.role, "party": c.party} for c in record.contributors.order_by("position")
            ],
            "related": [
                {"relation": r.relation, "reference": r.target.reference}
                for r in record.relations.select_related("target")
            ],
        }


def _padded(rows: list[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    return [*rows, *({} for _i in range(count - len(rows)))][:count]


class PublishForm(forms.Form):
    note = _text(_("What changed"), 500, help_text=_("Shown in the version history."))


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        max_length=2000,
        validators=[reject_nul],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the record's tombstone page to everyone who could see the record."),
    )


class FileUploadForm(forms.Form):
    file = forms.FileField(label=_("File"), allow_empty_file=False)


class AccessRequestForm(forms.Form):
    reference = forms.CharField(
        label=_("Record reference"),
        max_length=20,
        validators=[reject_nul],
        help_text=_("As the owner party gave it to you, e.g. SB-2026-000123."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    party = forms.ModelChoiceField(label=_("On behalf of"), queryset=Party.objects.none())
    justification = forms.CharField(
        label=_("Why you need it"),
        min_length=10,
        max_length=5000,
        validators=[reject_nul],
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The owner party reads this; the transparency page shows it to those who can see the record."),
    )

    def __init__(self, *args: Any, parties: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties
        if parties.count() == 1:
            self.fields["party"].initial = parties.first()

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"].strip().upper()
        if not REFERENCE.match(reference):
            raise ValidationError(_("A record reference looks like SB-2026-000123."))
        return reference


class AccessDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("grant", _("Grant access")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        validators=[reject_nul],
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The requester reads it, and the transparency page keeps it."),
    )


class ExportApprovalForm(forms.Form):
    note = _text(_("Note"), 300)


def _import_format_choices() -> list[tuple[str, str]]:
    from spacebridge.records.formats import IMPORT_FORMATS

    return [(f.name, f.label) for f in IMPORT_FORMATS.values()]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File"), allow_empty_file=False)
    format = forms.ChoiceField(label=_("Format"), choices=_import_format_choices)
    party = forms.ModelChoiceField(label=_("For party"), queryset=Party.objects.none())
    release = _text(
        _("Release of new records"),
        300,
        help_text=_("owner (the default), platform, public, parties:CN,RU,ibmp or group:WG-MED."),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check every entry and report, write nothing"), required=False, initial=True
    )

    def __init__(self, *args: Any, parties: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties
        if parties.count() == 1:
            self.fields["party"].initial = parties.first()
