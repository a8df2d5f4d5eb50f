"""API schemas of the search, and the one JSON shape of a result (the API and `spacebridge search --json`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Field, Schema

from spacebridge.search.selectors import FACET_LABELS, SearchResult


class SearchQuery(Schema):
    q: str = Field("", description='The query: words, "phrases", OR, -word, prefix*, type: party: subject: year: lang:')
    mode: str = Field("", description="lexical or hybrid (default: the platform's SPACEBRIDGE_SEARCH_MODE)")
    sort: str = Field("relevance", description="relevance or date")
    page: str = Field("1", description="page number, from 1")
    size: str = Field("20", description="hits per page, 1–100")
    facets: str = Field("1", description="0 to leave out the facet counts and the total: the hits only, fastest")
    type: list[str] = Field([], description="type facet values (alternatives)")
    party: list[str] = Field([], description="owner party codes")
    delegation: list[str] = Field([], description="delegations (ISO country codes)")
    subject: list[str] = Field([], description="thesaurus concept codes")
    year: list[str] = Field([], description="years")
    lang: list[str] = Field([], description="content languages (en, zh, ru, …)")
    level: list[str] = Field([], description="release levels")


class HitOut(Schema):
    ref: str
    type: str
    type_label: str
    kind: str
    title: str
    title_language: str
    url: str
    date: date | None
    owner_party: str
    languages: list[str]
    snippet: str = Field(description="HTML: the text escaped, the words found inside <mark>")


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class AlsoSearchedOut(Schema):
    concept: str
    labels: dict[str, str]


class SearchOut(Schema):
    query: str
    mode: str
    sort: str
    page: int
    size: int
    pages: int | None = Field(description="null when the total was not counted (facets=0)")
    total: int | None = Field(description="documents found that you may see; null when not counted (facets=0)")
    relaxed: bool = Field(description="true when no document had every word and documents with some were searched")
    also_searched: list[AlsoSearchedOut]
    results: list[HitOut]
    facets: dict[str, list[FacetValueOut]]


def result_out(result: SearchResult, *, base_url: str = "") -> dict[str, Any]:
    return {
        "query": result.query,
        "mode": result.mode,
        "sort": result.sort,
        "page": result.page,
        "size": result.size,
        "pages": result.pages,
        "total": result.total,
        "relaxed": result.parsed.relaxed,
        "also_searched": [{"concept": code, "labels": labels} for code, labels in result.also_searched],
        "results": [
            {
                "ref": hit.ref,
                "type": hit.type,
                "type_label": hit.type_label,
                "kind": hit.kind,
                "title": hit.title,
                "title_language": hit.title_language,
                "url": base_url + hit.url,
                "date": hit.date,
                "owner_party": hit.owner_party,
                "languages": hit.languages,
                "snippet": hit.snippet,
            }
            for hit in result.hits
        ],
        "facets": {
            name: [{"value": f.value, "label": str(f.label), "count": f.count, "selected": f.selected} for f in values]
            for name, values in result.facets.items()
            if name in FACET_LABELS
        },
    }
