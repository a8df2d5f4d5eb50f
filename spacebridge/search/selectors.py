"""The platform-wide search: hits, totals, facets and snippets, all computed only over what the searcher may see.

Every query starts from ``searchable(user)``: the index rows whose object the kind's access filter (the one access
policy) lets the user see. Hits, the total, every facet count and every snippet come from rows of that set only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from spacebridge.access.models import Level, ReleasePolicy
from spacebridge.access.principals import principal_for
from spacebridge.access.registry import released
from spacebridge.search import engine as tantivy_engine
from spacebridge.search.backends import backend
from spacebridge.search.expansion import expand
from spacebridge.search.models import SearchDocument, SearchFacetValue
from spacebridge.search.query import ParsedQuery, Term, parse
from spacebridge.search.registry import kinds
from spacebridge.search.semantic import embedder, query_embedding, semantic_ranking

MODES = ("lexical", "hybrid")
SORTS = ("relevance", "date")
FACETS = ("type", "party", "delegation", "subject", "year", "lang", "level")
FACET_LABELS = {
    "type": _("Type"),
    "party": _("Owner party"),
    "delegation": _("Delegation"),
    "subject": _("Subject"),
    "year": _("Year"),
    "lang": _("Language"),
    "level": _("Release"),
}
MAX_PAGE_SIZE = 100
MAX_PAGE = 500
SEMANTIC_DEPTH = 50  # nearest documents the semantic ranking contributes
LEXICAL_DEPTH = 200  # best lexical hits fused with them
RRF_K = 60
CANDIDATES_MAX = 20_000  # matches ranked before the access filter, at most
SEMANTIC_WEIGHT_STRICT = 0.6
SEMANTIC_PIVOT = "en"
FEW_MATCHES = 10  # fewer documents than this with every word: documents with the most of the words follow them
FEEDBACK_DOCUMENTS = 5  # best lexical hits whose meaning joins the query's in the semantic ranking
FEEDBACK_WEIGHT = 0.5
FACET_VALUES = 12


@dataclass
class SearchFilters:
    """Facet filters chosen on the page or in the API; values of one facet are alternatives."""

    type: list[str] = field(default_factory=list)
    party: list[str] = field(default_factory=list)
    delegation: list[str] = field(default_factory=list)
    subject: list[str] = field(default_factory=list)
    year: list[int] = field(default_factory=list)
    lang: list[str] = field(default_factory=list)
    level: list[str] = field(default_factory=list)

    def selected(self, facet: str) -> set[str]:
        return {str(value) for value in getattr(self, facet)}


@dataclass
class FacetCount:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Hit:
    id: int
    kind: str
    ref: str
    type: str
    type_label: str
    title: str
    title_html: str  # safe HTML: the title escaped, the words found marked
    title_language: str
    url: str
    date: date | None
    year: int | None
    owner_party: str
    snippet: str  # safe HTML: escaped text with <mark> around the words found
    languages: list[str]
    score: float = 0.0


@dataclass
class SearchResult:
    query: str
    parsed: ParsedQuery
    mode: str
    sort: str
    page: int
    size: int
    total: int | None  # None when not counted (the API's facets=0)
    hits: list[Hit]
    facets: dict[str, list[FacetCount]]
    filters: SearchFilters
    semantic_available: bool

    @property
    def pages(self) -> int | None:
        return None if self.total is None else max(1, -(-self.total // self.size))

    @property
    def also_searched(self) -> list[tuple[str, dict[str, str]]]:
        return [(code, labels) for code, labels in self.parsed.expansions if labels]


def default_mode() -> str:
    mode = getattr(settings, "SEARCH_MODE", "hybrid")
    return mode if mode in MODES else "hybrid"


# ----------------------------------------------------------------------------------------------------------------
# The visible set and its filters
# ----------------------------------------------------------------------------------------------------------------


def searchable(user: Any, only: frozenset[str] | None = None) -> QuerySet[SearchDocument]:
    """The index rows of objects ``user`` may see, through each kind's access filter (of the kinds ``only``, when
    given: rows of other kinds are then left out)."""
    allowed = Q(pk__in=[])
    for kind in kinds().values():
        if only is not None and kind.kind not in only:
            continue
        objects = kind.visible(user).filter(pk=OuterRef("object_id"))
        allowed |= Q(kind=kind.kind) & Exists(objects)
    return SearchDocument.objects.filter(allowed)


def _level_expression() -> Any:
    """Each row's release level: its object's policy, else the kind's default level."""
    whens = []
    for kind in kinds().values():
        content_type = ContentType.objects.get_for_model(kind.model)
        policy = ReleasePolicy.objects.filter(content_type=content_type, object_id=OuterRef("object_id"))
        default = released(kind.model).default_level
        whens.append(When(kind=kind.kind, then=Coalesce(Subquery(policy.values("level")[:1]), Value(default))))
    return Case(*whens, default=Value(Level.OWNER), output_field=CharField())


def _subject_codes(values: list[str]) -> list[str]:
    """Concept codes for ``subject:`` values: a code, or a label in any language."""
    from spacebridge.parties.models import fold_name
    from spacebridge.records.models import Concept

    codes = []
    for value in values:
        found = list(Concept.objects.filter(code=value).values_list("code", flat=True))
        if not found and fold_name(value):
            found = list(
                Concept.objects.filter(label_index__contains=fold_name(value)).values_list("code", flat=True)[:20]
            )
        codes += found or [value]
    return codes


@dataclass
class _Chosen:
    """The filters of a search, from the page or the API and from the query's own fields, in the index's values."""

    types: list[str]
    parties: list[str]  # party codes
    delegations: list[str]  # country codes
    subjects: list[str]  # concept codes
    languages: list[str]
    years: list[tuple[int, int]]
    levels: list[str]


def _chosen(filters: SearchFilters, parsed: ParsedQuery) -> _Chosen:
    subjects = filters.subject + parsed.filters.get("subject", [])
    return _Chosen(
        types=filters.type + parsed.filters.get("type", []),
        parties=[p.lower() for p in filters.party + parsed.filters.get("party", [])],
        delegations=[c.upper() for c in filters.delegation],
        subjects=_subject_codes(subjects) if subjects else [],
        languages=[v.lower() for v in filters.lang + parsed.filters.get("lang", [])],
        years=[(y, y) for y in filters.year] + parsed.years,
        levels=list(filters.level),
    )


def _filtered(rows: QuerySet[SearchDocument], filters: SearchFilters, parsed: ParsedQuery) -> QuerySet[SearchDocument]:
    chosen = _chosen(filters, parsed)
    if chosen.types:
        rows = rows.filter(type__in=chosen.types)
    if chosen.parties:
        rows = rows.filter(owner_party__code__in=chosen.parties)
    if chosen.delegations:
        rows = rows.filter(owner_party__country__in=chosen.delegations)
    for facet, values in (("subject", chosen.subjects), ("lang", chosen.languages)):
        if values:
            found = SearchFacetValue.objects.filter(facet=facet, value__in=values, document=OuterRef("pk"))
            rows = rows.filter(Exists(found))
    if chosen.years:
        span = Q(pk__in=[])
        for first, last in chosen.years:
            span |= Q(year__gte=first, year__lte=last)
        rows = rows.filter(span)
    if chosen.levels:
        rows = rows.annotate(release_level=_level_expression()).filter(release_level__in=chosen.levels)
    return rows


def _engine_filters(filters: SearchFilters, parsed: ParsedQuery) -> tantivy_engine.EngineFilters:
    """The same filters as ``_filtered``, as the tantivy index holds them (parties by id)."""
    from spacebridge.parties.models import Party

    chosen = _chosen(filters, parsed)
    party_ids = (
        list(Party.objects.filter(code__in=chosen.parties).values_list("pk", flat=True)) if chosen.parties else []
    )
    return tantivy_engine.EngineFilters(
        types=chosen.types,
        party_ids=(party_ids or [0]) if chosen.parties else [],
        delegations=chosen.delegations,
        subjects=chosen.subjects,
        languages=chosen.languages,
        years=chosen.years,
        levels=chosen.levels,
    )


# ----------------------------------------------------------------------------------------------------------------
# Ranking
# ----------------------------------------------------------------------------------------------------------------


def _lexical(rows: QuerySet[SearchDocument], parsed: ParsedQuery) -> QuerySet[SearchDocument]:
    if parsed.excluded:
        rows = rows.exclude(pk__in=backend().matching_ids([parsed.excluded]))
    return rows


class _Rows:
    """The rows the searcher may see, with the filters and exclusions applied, built on demand per set of kinds.

    Building every kind's access filter costs more than most searches' own SQL, and the candidates a ranking checks
    usually come from one or two kinds: ``allowed(ids)`` builds the filter of those kinds only."""

    def __init__(self, user: Any, filters: SearchFilters, parsed: ParsedQuery) -> None:
        self.user, self.filters, self.parsed = user, filters, parsed
        self._built: dict[frozenset[str] | None, QuerySet[SearchDocument]] = {}
        # The tantivy engine's view of the same rows, where that engine is configured (None: the database's).
        self.engine: tantivy_engine.EngineSearch | None = None

    def of(self, only: frozenset[str] | None = None) -> QuerySet[SearchDocument]:
        if only not in self._built:
            self._built[only] = _lexical(_filtered(searchable(self.user, only), self.filters, self.parsed), self.parsed)
        return self._built[only]

    def allowed(self, ids: list[int]) -> set[int]:
        """Those of ``ids`` the searcher may see (and the filters keep)."""
        if not ids:
            return set()
        present = frozenset(SearchDocument.objects.filter(pk__in=ids).values_list("kind", flat=True).distinct())
        if not present:
            return set()
        return set(self.of(present).filter(pk__in=ids).values_list("pk", flat=True))

    def checked(self, ids: list[int]) -> set[int]:
        """Those of ``ids`` the searcher may see: ``allowed``, or the engine's audiences where it holds every change
        (they agree with the access policy, as its tests show, and cost no database round trip)."""
        if self.engine is not None:
            return self.engine.visible_among(ids, self.parsed.excluded)
        return self.allowed(ids)

    def any_match(self, parsed: ParsedQuery) -> bool:
        """Whether any row the searcher may see matches every clause of ``parsed``."""
        if self.engine is not None:
            return self.engine.any(parsed.clauses, parsed.excluded)
        return self.of().filter(pk__in=backend().matching_ids(parsed.clauses)).exists()


def _ranked_ids(rows: _Rows, parsed: ParsedQuery, window: int) -> list[int]:
    """The first ``window`` documents by relevance among those the searcher may see. The engine ranks its matches
    first (cheap, in the index), then only those candidates pass the access policy and the filters; the candidate
    list widens until the window is full or the matches are exhausted. Empty only when the searcher may see no match."""
    if rows.engine is not None:
        return rows.engine.ranked(parsed.clauses, parsed.excluded, window)
    engine = backend()
    limit = max(window * 2, 100)
    while limit <= CANDIDATES_MAX:
        candidates = engine.top_ids(parsed.clauses, limit)
        allowed = rows.allowed(candidates)
        ranked = [pk for pk in candidates if pk in allowed]
        if len(ranked) >= window or len(candidates) < limit:
            return ranked[:window]
        limit *= 4
    # Very selective filters: rank the filtered set itself.
    return list(engine.ranked(rows.of(), parsed.clauses).values_list("pk", flat=True)[:window])


def _semantic_text(parsed: ParsedQuery) -> str:
    """What the semantic model reads: the words typed, each that names a thesaurus concept by its label in the pivot
    language (English: the model's best, and the language most of the corpus is written in). Typed next to their
    labels in other languages, the words of a short query would be outweighed."""
    return parsed.text_in(SEMANTIC_PIVOT)


def _fused(lexical: list[int], semantic: list[int], semantic_weight: float = 1.0) -> list[int]:
    """Reciprocal rank fusion of two rankings (the semantic one weighted)."""
    scores: dict[int, float] = {}
    for ranking, weight in ((lexical, 1.0), (semantic, semantic_weight)):
        for rank, pk in enumerate(ranking):
            scores[pk] = scores.get(pk, 0.0) + weight / (RRF_K + rank + 1)
    return sorted(scores, key=lambda pk: (-scores[pk], -pk))


class _Plan:
    """How the search answers: ``ranked`` ids in order when relevance orders them (computed in Python), else the
    database orders ``result()`` by date. ``result()`` — every row the search answers with, for the total and the
    facets — is only built when asked for: a top-20 without counts never builds every kind's access filter."""

    def __init__(self, rows: _Rows, parsed: ParsedQuery, beyond: list[int], ranked: list[int] | None) -> None:
        self.rows, self.parsed, self.beyond, self.ranked = rows, parsed, beyond, ranked
        self._result: QuerySet[SearchDocument] | None = None

    def result(self) -> QuerySet[SearchDocument]:
        if self._result is None:
            rows = self.rows.of()
            if self.parsed.has_text:
                matching = Q(pk__in=backend().matching_ids(self.parsed.clauses))
                rows = rows.filter(matching | Q(pk__in=self.beyond)) if self.beyond else rows.filter(matching)
            self._result = rows
        return self._result

    def page(self, offset: int, size: int) -> list[int]:
        """The ids of one page of hits."""
        if self.ranked is not None:
            return self.ranked[offset : offset + size]
        if self.rows.engine is not None:
            return self.rows.engine.by_date(self.parsed.clauses, self.parsed.excluded, self.beyond, offset, size)
        return list(self.result().order_by("-date", "-pk").values_list("pk", flat=True)[offset : offset + size])

    def count(self) -> int:
        if self.rows.engine is not None:
            return self.rows.engine.count(self.parsed.clauses, self.parsed.excluded, self.beyond)
        return self.result().count()

    def facets(self, filters: SearchFilters) -> tuple[int, dict[str, list[FacetCount]]]:
        """The total and the facets, in one pass over every row the search answers with."""
        if self.rows.engine is not None:
            total, counts = self.rows.engine.facets(self.parsed.clauses, self.parsed.excluded, self.beyond, FACETS)
            return total, _labelled(_engine_raw_facets(counts), filters)
        return facet_counts(self.result(), filters)


def _relax(parsed: ParsedQuery) -> None:
    """No document the searcher may see has every word: look for documents with some of them, the most first."""
    parsed.clauses = [[term for clause in parsed.clauses for term in clause]]
    parsed.relaxed = True


def _most_words_first(rows: _Rows, ids: list[int], clauses: list[list[Term]]) -> list[int]:
    """Documents with some of the words (``clauses``): those with more of them first, by relevance among equals.
    Relevance alone would put a document with one rare word above one with all but that word."""
    engine = rows.engine or backend()
    found: Counter[int] = Counter()
    for clause in clauses:
        found.update(engine.matching_among([clause], ids))
    return sorted(ids, key=lambda pk: -found[pk])


def _lexical_ranking(rows: _Rows, parsed: ParsedQuery, depth: int, hybrid: bool) -> tuple[list[int], list[int]]:
    """The lexical ranking, and those of its documents that lack some of the words. Documents with every word come
    first; when none has them all, the query is relaxed to some of the words (the most first). In hybrid mode, whose
    answer goes beyond the words anyway, documents with the most of the words also follow when fewer than
    ``FEW_MATCHES`` have them all."""
    lexical_ids = _ranked_ids(rows, parsed, depth)
    clauses = parsed.clauses
    if len(clauses) < 2 or len(lexical_ids) >= (FEW_MATCHES if hybrid else 1):
        return lexical_ids, []
    some_words = replace(parsed, clauses=[[term for clause in clauses for term in clause]])
    candidates = _most_words_first(rows, _ranked_ids(rows, some_words, max(depth, LEXICAL_DEPTH)), clauses)
    if not lexical_ids:
        _relax(parsed)
        return candidates[:depth], []
    strict = set(lexical_ids)
    partial = [pk for pk in candidates if pk not in strict][: max(depth - len(lexical_ids), 0)]
    return lexical_ids + partial, partial


def _plan(rows: _Rows, parsed: ParsedQuery, mode: str, sort: str, window: int) -> _Plan:
    if not parsed.has_text:
        return _Plan(rows, parsed, [], None)
    hybrid = mode == "hybrid" and bool(parsed.free_text)
    lexical_ids: list[int] | None = None
    if sort == "date" and not hybrid:
        if len(parsed.clauses) > 1 and not rows.any_match(parsed):
            _relax(parsed)
        return _Plan(rows, parsed, [], None)
    # The lexical ranking first: it tells whether any visible document has every word, and in hybrid mode its best
    # hits (visible to the searcher) guide the semantic ranking.
    depth = max(LEXICAL_DEPTH, window) if hybrid else window
    embedding = query_embedding(_semantic_text(parsed)) if hybrid else None  # computed while the words are ranked
    lexical_ids, partial = _lexical_ranking(rows, parsed, depth, hybrid)
    semantic: list[int] = []
    if hybrid:
        nearest = semantic_ranking(
            _semantic_text(parsed),
            SEMANTIC_DEPTH,
            feedback=lexical_ids[:FEEDBACK_DOCUMENTS],
            feedback_weight=FEEDBACK_WEIGHT,
            embedding=embedding,
        )
        allowed = rows.checked(nearest) if nearest else set()
        semantic = [pk for pk in nearest or [] if pk in allowed]
    if sort == "date":
        return _Plan(rows, parsed, semantic + partial, None)
    if not semantic:
        return _Plan(rows, parsed, partial, lexical_ids[:window])
    # Documents with every word (or its thesaurus translation) are strong evidence: meaning then weighs less.
    weight = SEMANTIC_WEIGHT_STRICT if lexical_ids and not parsed.relaxed else 1.0
    return _Plan(rows, parsed, semantic + partial, _fused(lexical_ids, semantic, weight))


# ----------------------------------------------------------------------------------------------------------------
# Facets
# ----------------------------------------------------------------------------------------------------------------


def _top(counter: Counter[Any]) -> list[tuple[Any, int]]:
    ranked = sorted(
        ((v, n) for v, n in counter.items() if v not in (None, "")), key=lambda item: (-item[1], str(item[0]))
    )
    return ranked[:FACET_VALUES]


def _raw_facets(rows: QuerySet[SearchDocument]) -> tuple[int, dict[str, list[tuple[Any, int]]]]:
    """Every facet from one pass over the visible matches (the access policy is evaluated once, not per facet);
    the many-valued facets from their table, for exactly those documents."""
    from spacebridge.parties.models import Party

    found = list(
        rows.order_by()
        .annotate(release_level=_level_expression())
        .values_list("pk", "type", "owner_party_id", "year", "release_level")
    )
    parties = dict(
        (pk, (code, country))
        for pk, code, country in Party.objects.filter(pk__in={row[2] for row in found if row[2]}).values_list(
            "pk", "code", "country"
        )
    )
    counters: dict[str, Counter[Any]] = {name: Counter() for name in FACETS}
    for _pk, type_code, party_id, year, level in found:
        counters["type"][type_code] += 1
        code, country = parties.get(party_id, (None, None))
        counters["party"][code] += 1
        counters["delegation"][country] += 1
        counters["year"][year] += 1
        counters["level"][level] += 1
    ids = [row[0] for row in found]
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        for facet, value in SearchFacetValue.objects.filter(document_id__in=chunk).values_list("facet", "value"):
            counters["subject" if facet == "subject" else "lang"][value] += 1
    raw = {name: _top(counter) for name, counter in counters.items()}
    raw["year"] = sorted(raw["year"], key=lambda item: -int(item[0]))
    return len(found), raw


def _engine_raw_facets(counts: dict[str, dict[Any, int]]) -> dict[str, list[tuple[Any, int]]]:
    """The tantivy engine's counts as ``_raw_facets`` gives them: parties by code, the top values of each."""
    from spacebridge.parties.models import Party

    codes = dict(Party.objects.filter(pk__in=[int(pk) for pk in counts.get("party", {})]).values_list("pk", "code"))
    counts["party"] = {codes.get(int(pk)): n for pk, n in counts.get("party", {}).items()}
    raw = {name: _top(Counter(counts.get(name, {}))) for name in FACETS}
    raw["year"] = sorted(raw["year"], key=lambda item: -int(item[0]))
    return raw


def facet_counts(rows: QuerySet[SearchDocument], filters: SearchFilters) -> tuple[int, dict[str, list[FacetCount]]]:
    """The total and the facets of ``rows`` (the visible matches)."""
    total, raw = _raw_facets(rows)
    return total, _labelled(raw, filters)


def _labelled(raw: dict[str, list[tuple[Any, int]]], filters: SearchFilters) -> dict[str, list[FacetCount]]:
    from spacebridge.search.labels import facet_labels

    labels = facet_labels({name: [value for value, _n in values] for name, values in raw.items()})
    return {
        name: [
            FacetCount(
                str(value), labels[name].get(str(value), str(value)), count, str(value) in filters.selected(name)
            )
            for value, count in values
        ]
        for name, values in raw.items()
    }


# ----------------------------------------------------------------------------------------------------------------
# The search
# ----------------------------------------------------------------------------------------------------------------


def search(
    *,
    user: Any,
    query: str = "",
    mode: str = "",
    filters: SearchFilters | None = None,
    sort: str = "relevance",
    page: int = 1,
    size: int = 20,
    with_facets: bool = True,
    with_total: bool = True,
) -> SearchResult:
    """Search every registered kind for ``user``; ``mode`` lexical or hybrid (default: the setting)."""
    from spacebridge.search.index import index_catch_up

    index_catch_up()
    filters = filters or SearchFilters()
    mode = mode if mode in MODES else default_mode()
    sort = sort if sort in SORTS else "relevance"
    size = max(1, min(size, MAX_PAGE_SIZE))
    page = max(1, min(page, MAX_PAGE))
    parsed = expand(parse(query))
    if embedder() is None:
        mode = "lexical"
    rows = _Rows(user, filters, parsed)
    if tantivy_engine.enabled():
        index = tantivy_engine.the_index()
        status = index.sync()
        if status != tantivy_engine.ABSENT:  # absent: another process is building it, the database answers
            rows.engine = tantivy_engine.EngineSearch(
                index,
                principal_for(user),
                _engine_filters(filters, parsed),
                rows.allowed,
                current=status == tantivy_engine.CURRENT,
            )
    try:
        return _answer(query, parsed, rows, filters, mode, sort, page, size, with_facets, with_total)
    except tantivy_engine.Fallback:  # more matches to check than the engine checks: the database answers
        rows.engine = None
        return _answer(query, parsed, rows, filters, mode, sort, page, size, with_facets, with_total)


def _answer(
    query: str,
    parsed: ParsedQuery,
    rows: _Rows,
    filters: SearchFilters,
    mode: str,
    sort: str,
    page: int,
    size: int,
    with_facets: bool,
    with_total: bool,
) -> SearchResult:
    from spacebridge.search.hits import hits_for

    semantic_available = embedder() is not None
    plan = _plan(rows, parsed, mode, sort, page * size)
    offset = (page - 1) * size
    page_ids = plan.page(offset, size)
    if rows.engine is not None and not rows.engine.current and page_ids:
        # The engine may lag behind the database: the access policy itself has the last word on what is shown.
        allowed = rows.allowed(page_ids)
        page_ids = [pk for pk in page_ids if pk in allowed]
    total: int | None = None
    facets: dict[str, list[FacetCount]] = {}
    if with_facets and (page_ids or offset or not parsed.is_empty):
        total, facets = plan.facets(filters)  # the total comes with the facets' one pass
    elif with_total:
        total = plan.count() if page_ids or offset else 0
    if total is None and len(page_ids) < size:
        total = offset + len(page_ids)  # the last page: the total is known without counting
    return SearchResult(
        query=query,
        parsed=parsed,
        mode=mode,
        sort=sort,
        page=page,
        size=size,
        total=total,
        hits=hits_for(page_ids, parsed),
        facets=facets,
        filters=filters,
        semantic_available=semantic_available,
    )
