"""`GET /api/v1/search/`: the platform-wide search as JSON, through the same access policy as the page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from spacebridge.core.api import PROBLEMS
from spacebridge.search.params import search_params_clean
from spacebridge.search.schemas import SearchOut, SearchQuery, result_out
from spacebridge.search.selectors import search

router = Router(tags=["search"])


@router.get("/", response={200: SearchOut, **PROBLEMS}, summary="Search every document you may see")
def search_documents(request: HttpRequest, params: Query[SearchQuery]) -> dict[str, Any]:
    """Words (all must match), "phrases", OR, -exclusion, prefix*, and `type:` `party:` `subject:` `year:` `lang:`
    filters in `q`; facet filters as parameters. Chinese, English and Russian are analysed alike; thesaurus labels
    in the other languages are searched too (`also_searched`), and in hybrid mode documents close in meaning in any
    language. Hits, `total` and facet counts cover only what you may see."""
    cleaned = search_params_clean(request.GET.getlist)
    result = search(
        user=request.auth,  # type: ignore[attr-defined]
        query=cleaned.query,
        mode=cleaned.mode,
        filters=cleaned.filters,
        sort=cleaned.sort,
        page=cleaned.page,
        size=cleaned.size,
        with_facets=cleaned.facets,
        with_total=cleaned.facets,
    )
    return result_out(result)
