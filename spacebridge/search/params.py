"""The search's query-string parameters, validated once for the page and the API.

The query text itself is never rejected (any text searches); the other parameters have fixed shapes, and a value
outside them is a field error (the page shows it, the API answers 422 problem details)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from spacebridge.access.models import Level
from spacebridge.search.query import MAX_QUERY_LENGTH
from spacebridge.search.selectors import MAX_PAGE, MAX_PAGE_SIZE, MODES, SORTS, SearchFilters, default_mode

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$")
MAX_VALUES = 20


@dataclass
class SearchParams:
    query: str = ""
    mode: str = ""
    sort: str = "relevance"
    page: int = 1
    size: int = 20
    facets: bool = True
    filters: SearchFilters = field(default_factory=SearchFilters)

    def as_query(self, **changes: Any) -> dict[str, Any]:
        """The query-string parameters of these settings (with ``changes``), for links."""
        values: dict[str, Any] = {"q": self.query, "mode": self.mode, "sort": self.sort}
        for name in ("type", "party", "delegation", "subject", "year", "lang", "level"):
            values[name] = [str(v) for v in getattr(self.filters, name)]
        values.update(changes)
        return {k: v for k, v in values.items() if v not in ("", [], None)}


def _integer(value: str, name: str, low: int, high: int, errors: dict[str, str], message: str) -> int | None:
    if not value.strip():
        return None
    if not value.strip().isdigit() or len(value.strip()) > 6 or not low <= int(value) <= high:
        errors[name] = message
        return None
    return int(value)


def _codes(values: list[str], name: str, errors: dict[str, str], check: Callable[[str], bool]) -> list[str]:
    kept = [v.strip() for v in values if v.strip()]
    if len(kept) > MAX_VALUES or any(not check(v) for v in kept):
        errors[name] = _("Choose values offered by the search.")
        return []
    return list(dict.fromkeys(kept))


def search_params_clean(get: Callable[[str], list[str]]) -> SearchParams:
    """Validate the parameters; ``get(name)`` returns every value given for ``name`` (``QueryDict.getlist``)."""

    def one(name: str) -> str:
        values = get(name)
        return values[-1] if values else ""

    errors: dict[str, str] = {}
    params = SearchParams(query=one("q").replace("\x00", " ")[:MAX_QUERY_LENGTH].strip())
    mode = one("mode").strip().lower()
    if mode and mode not in MODES:
        errors["mode"] = _("Choose the mode lexical or hybrid.")
    params.mode = mode if mode in MODES else default_mode()
    sort = one("sort").strip().lower()
    if sort and sort not in SORTS:
        errors["sort"] = _("Sort by relevance or date.")
    params.sort = sort if sort in SORTS else "relevance"
    page = _integer(
        one("page"), "page", 1, MAX_PAGE, errors, _("Give a page between 1 and %(most)d.") % {"most": MAX_PAGE}
    )
    params.page = page or 1
    size = _integer(
        one("size"),
        "size",
        1,
        MAX_PAGE_SIZE,
        errors,
        _("Give a page size between 1 and %(most)d.") % {"most": MAX_PAGE_SIZE},
    )
    params.size = size or 20
    facets = one("facets").strip().lower()
    if facets and facets not in {"0", "1", "true", "false"}:
        errors["facets"] = _("Give facets as 1 or 0.")
    params.facets = facets not in {"0", "false"}
    filters = params.filters
    filters.type = _codes(get("type"), "type", errors, _CODE.match)  # type: ignore[arg-type]
    filters.party = _codes(get("party"), "party", errors, _CODE.match)  # type: ignore[arg-type]
    filters.delegation = [
        c.upper() for c in _codes(get("delegation"), "delegation", errors, re.compile(r"^[A-Za-z]{2}$").match)
    ]  # type: ignore[arg-type]
    filters.subject = _codes(get("subject"), "subject", errors, _CODE.match)  # type: ignore[arg-type]
    filters.lang = [
        v.lower() for v in _codes(get("lang"), "lang", errors, re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$").match)
    ]  # type: ignore[arg-type]
    filters.level = _codes(get("level"), "level", errors, lambda v: v in Level.values)
    years = _codes(get("year"), "year", errors, lambda v: v.isdigit() and len(v) == 4)
    filters.year = [int(v) for v in years]
    if errors:
        raise ValidationError(errors)
    return params
