"""The version history of a record and the difference between any two of its published versions."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from spacebridge.core.multilingual import MultilingualText
from spacebridge.records import selectors
from spacebridge.records.metadata import metadata_diff
from spacebridge.records.models import Contributor, Record, RecordVersion, RelatedRecord
from spacebridge.records.views.records import tombstone

FIELD_LABELS = {
    "type": _("Type"),
    "owner_party": _("Owner party"),
    "title": _("Title"),
    "abstract": _("Abstract"),
    "keywords": _("Keywords"),
    "published_on": _("Date of the work"),
    "licence": _("Licence"),
    "subjects": _("Subjects"),
    "contributors": _("Contributors"),
    "identifiers": _("Identifiers"),
    "related": _("Related records"),
    "files": _("Files"),
}


def _lines(field: str, value: Any, visible: set[str]) -> list[str]:
    """A metadata value as lines of text, so two versions can be compared line by line."""
    if value in (None, "", [], {}):
        return []
    if field in {"title", "abstract"}:
        text = MultilingualText.from_json(value)
        return [f"[{lang}] {body}" for lang, body in sorted(text.text.items())]
    if field == "keywords":
        return [f"[{lang}] {', '.join(words)}" for lang, words in sorted(value.items())]
    if field == "contributors":
        roles = dict(Contributor.Role.choices)
        return [
            f"{c['name']} ({roles.get(c.get('role'), c.get('role'))}{', ' + c['party'] if c.get('party') else ''})"
            for c in value
        ]
    if field == "identifiers":
        return [f"{i['scheme'].upper()} {i['value']}" for i in value]
    if field == "related":
        relations = dict(RelatedRecord.Relation.choices)
        # A related record the viewer may not see is left out, as on the record page.
        return [
            f"{relations.get(r['relation'], r['relation'])} {r['reference']}"
            for r in value
            if r["reference"] in visible
        ]
    if field == "files":
        return [f"{f['name']} · {f['size']} B · {f['media_type']} · SHA-256 {f['sha256']}" for f in value]
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, dict):
        return [json.dumps(value, ensure_ascii=False, sort_keys=True)]
    return [str(value)]


def version_diff(old: RecordVersion, new: RecordVersion, user: Any) -> list[dict[str, Any]]:
    references = {r["reference"] for v in (old, new) for r in v.metadata.get("related") or []}
    visible = set(
        selectors.records_visible(user=user).filter(reference__in=references).values_list("reference", flat=True)
    )
    rows = []
    for change in metadata_diff(old.metadata, new.metadata):
        field = change["field"]
        before, after = _lines(field, change["old"], visible), _lines(field, change["new"], visible)
        removed = [line for line in before if line not in after]
        added = [line for line in after if line not in before]
        if removed or added:
            rows.append({"field": field, "label": FIELD_LABELS.get(field, field), "removed": removed, "added": added})
    return rows


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 9 else None


def record_versions(request: HttpRequest, reference: str) -> HttpResponse:
    record = selectors.record_get_for_user(user=request.user, reference=reference)
    if record.status == Record.Status.WITHDRAWN:
        return tombstone(request, record)
    versions = list(record.versions.select_related("published_by", "published_by__person").order_by("-number"))
    by_number = {v.number: v for v in versions}
    newest = versions[0].number if versions else None
    chosen_to = _number(request.GET.get("to")) or newest
    chosen_from = _number(request.GET.get("from")) or (chosen_to - 1 if chosen_to and chosen_to > 1 else None)
    status, diff, problem = 200, None, ""
    if request.GET.get("from") or request.GET.get("to"):
        if chosen_from not in by_number or chosen_to not in by_number:
            status, problem = 400, _("Choose two published versions of this record.")
        else:
            diff = version_diff(by_number[chosen_from], by_number[chosen_to], request.user)
    context = {
        "record": record,
        "versions": versions,
        "chosen_from": chosen_from,
        "chosen_to": chosen_to,
        "diff": diff,
        "problem": problem,
    }
    return render(request, "records/record_versions.html", context, status=status)
