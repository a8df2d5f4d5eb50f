"""The thesaurus: browse its tree or search it in any language, and each concept's page with its records."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from spacebridge.parties.models import fold_name
from spacebridge.records import selectors
from spacebridge.records.models import Concept, Record

SEARCH_LIMIT = 100
RECORDS_SHOWN = 25


def _tree() -> list[dict[str, Any]]:
    """Every concept under its broader ones (a concept with several broader concepts appears under each)."""
    concepts = {c.pk: c for c in Concept.objects.only("pk", "code", "pref")}
    children: dict[int | None, list[int]] = defaultdict(list)
    links = Concept.broader.through.objects.values_list("from_concept_id", "to_concept_id")
    has_broader = set()
    for narrower_id, broader_id in links:
        children[broader_id].append(narrower_id)
        has_broader.add(narrower_id)

    def node(pk: int, trail: frozenset[int]) -> dict[str, Any]:
        kids = [
            node(k, trail | {k}) for k in sorted(children[pk], key=lambda k: str(concepts[k])) if k not in trail
        ]  # a cycle in the data must not hang the page
        return {"concept": concepts[pk], "children": kids}

    roots = sorted((pk for pk in concepts if pk not in has_broader), key=lambda pk: str(concepts[pk]))
    return [node(pk, frozenset({pk})) for pk in roots]


def concept_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    context: dict[str, Any] = {"query": query, "count": Concept.objects.count()}
    if query:
        concepts = selectors.concept_list(user=request.user)
        matches = concepts.filter(code__iexact=query) | selectors.concept_list(user=request.user, query=query)
        context["results"] = list(matches.distinct().order_by("code")[:SEARCH_LIMIT]) if fold_name(query) else []
        context["limit"] = SEARCH_LIMIT
    else:
        context["tree"] = _tree()
    return render(request, "records/concept_list.html", context)


def concept_detail(request: HttpRequest, code: str) -> HttpResponse:
    concept = get_object_or_404(selectors.concept_list(user=request.user), code=code)
    records = selectors.records_visible(
        user=request.user, queryset=Record.objects.filter(subjects=concept, status=Record.Status.PUBLISHED)
    ).select_related("type", "owner_party")
    shown = list(records.order_by("-pk")[: RECORDS_SHOWN + 1])
    context = {
        "concept": concept,
        "labels": [
            (code, concept.pref.text.get(code, ""), concept.alt.get(code, []))
            for code in ["en", "zh", "ru", *sorted(set(concept.pref.text) - {"en", "zh", "ru"})]
        ],
        "broader": concept.broader.order_by("code"),
        "narrower": concept.narrower.order_by("code"),
        "related": concept.related.order_by("code"),
        "records": shown[:RECORDS_SHOWN],
        "more_records": len(shown) > RECORDS_SHOWN,
    }
    return render(request, "records/concept_detail.html", context)
