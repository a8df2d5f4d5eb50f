"""The thesaurus: search concepts by a label in any language, and read one with its broader, narrower and related
concepts."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema

from spacebridge.access.explain import explain
from spacebridge.access.policy import get_visible_or_404, prefetch_policies
from spacebridge.core.api import PROBLEMS, keyset_page
from spacebridge.records import selectors
from spacebridge.records.api.records import limit_of
from spacebridge.records.models import Concept
from spacebridge.records.schemas import ConceptOut, ConceptPage

router = Router()


class ConceptFilters(Schema):
    q: str = ""
    cursor: str | None = None
    limit: int = 50


def _with_links(concepts: QuerySet[Concept]) -> QuerySet[Concept]:
    return concepts.prefetch_related("broader", "narrower", "related")


def _concept_out(concept: Concept, request: HttpRequest) -> dict[str, Any]:
    return {
        "code": concept.code,
        "pref": concept.pref.to_json(),
        "alt": concept.alt,
        "broader": [c.code for c in concept.broader.all()],
        "narrower": [c.code for c in concept.narrower.all()],
        "related": [c.code for c in concept.related.all()],
        "source": concept.source,
        "who_can_see": explain(concept, request.auth),
    }


@router.get("/concepts/", response={200: ConceptPage, **PROBLEMS}, summary="Search the thesaurus")
def concept_list(request: HttpRequest, filters: Query[ConceptFilters]) -> dict[str, Any]:
    concepts = _with_links(selectors.concept_list(user=request.auth, query=filters.q[:200]))
    rows, next_cursor = keyset_page(concepts, cursor=filters.cursor, limit=limit_of(filters.limit))
    prefetch_policies(rows)  # "who can see it" of every concept in two queries, not one or two per concept
    return {"items": [_concept_out(c, request) for c in rows], "next_cursor": next_cursor}


@router.get("/concepts/{code}", response={200: ConceptOut, **PROBLEMS}, summary="One concept of the thesaurus")
def concept_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    return _concept_out(get_visible_or_404(_with_links(Concept.objects.all()), request.auth, code=code[:60]), request)
