"""The search page: one form, facets as links, pages as links; works without JavaScript. Load → search → render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from spacebridge.search.params import SearchParams, search_params_clean
from spacebridge.search.selectors import FACET_LABELS, FACETS, SearchResult, search


@dataclass
class FacetLink:
    label: str
    count: int
    selected: bool
    url: str


def _url(params: SearchParams, **changes: Any) -> str:
    return "?" + urlencode(params.as_query(**changes), doseq=True)


def _facet_links(result: SearchResult, params: SearchParams) -> list[tuple[str, str, list[FacetLink]]]:
    """Each facet's values as links that add (or, when chosen, remove) the value, back on the first page."""
    facets = []
    for name in FACETS:
        links = []
        for value in result.facets.get(name, []):
            chosen = [str(v) for v in getattr(params.filters, name)]
            toggled = [v for v in chosen if v != value.value] if value.selected else [*chosen, value.value]
            links.append(FacetLink(value.label, value.count, value.selected, _url(params, **{name: toggled}, page="")))
        if links:
            facets.append((name, str(FACET_LABELS[name]), links))
    return facets


def _pages(result: SearchResult, params: SearchParams) -> dict[str, str]:
    links = {}
    if result.page > 1:
        links["previous"] = _url(params, page=result.page - 1)
    if result.page < result.pages:
        links["next"] = _url(params, page=result.page + 1)
    return links


def search_page(request: HttpRequest) -> HttpResponse:
    try:
        params = search_params_clean(request.GET.getlist)
    except ValidationError as error:
        problems = [message for messages in error.message_dict.values() for message in messages]
        context = {"params": SearchParams(query=request.GET.get("q", "")[:500]), "problems": problems}
        return render(request, "search/search.html", context, status=400)
    result = None
    if params.query or any(getattr(params.filters, name) for name in FACETS):
        result = search(
            user=request.user,
            query=params.query,
            mode=params.mode,
            filters=params.filters,
            sort=params.sort,
            page=params.page,
            size=params.size,
        )
    context = {
        "params": params,
        "result": result,
        "facets": _facet_links(result, params) if result else [],
        "pages": _pages(result, params) if result else {},
        "sort_links": {s: _url(params, sort=s, page="") for s in ("relevance", "date")},
        "mode_links": {m: _url(params, mode=m, page="") for m in ("lexical", "hybrid")},
        "first_number": (result.page - 1) * result.size + 1 if result else 1,
        "title": _("Search: %(query)s") % {"query": params.query} if params.query else _("Search"),
    }
    return render(request, "search/search.html", context)
