"""The two full-text back ends: the same analysed terms, the same query semantics, different SQL."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from spacebridge.search.query import Term, fts5_match, tsquery

TABLE = "search_searchdocument"


class SQLiteFTS5:
    """FTS5 over the analysed terms; bm25 with the title weighted above the body."""

    def matching_ids(self, clauses: list[list[Term]]) -> RawSQL:
        return RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [fts5_match(clauses)])

    def ranked(self, queryset: QuerySet[Any], clauses: list[list[Term]]) -> QuerySet[Any]:
        return queryset.extra(
            tables=["search_fts"],
            where=[f"search_fts.rowid = {TABLE}.id", "search_fts MATCH %s"],
            params=[fts5_match(clauses)],
            select={"score": "-bm25(search_fts, 4.0, 1.0)"},
        ).order_by("-score", "-id")


class PostgreSQLTsvector:
    """A stored ``tsvector`` ('simple' configuration over the analysed terms) with GIN; ``ts_rank`` weighs A > B."""

    def matching_ids(self, clauses: list[list[Term]]) -> RawSQL:
        return RawSQL(f"SELECT id FROM {TABLE} WHERE tsv @@ to_tsquery('simple'::regconfig, %s)", [tsquery(clauses)])

    def ranked(self, queryset: QuerySet[Any], clauses: list[list[Term]]) -> QuerySet[Any]:
        text = tsquery(clauses)
        return queryset.extra(
            where=[f"{TABLE}.tsv @@ to_tsquery('simple'::regconfig, %s)"],
            params=[text],
            select={"score": f"ts_rank({TABLE}.tsv, to_tsquery('simple'::regconfig, %s))"},
            select_params=[text],
        ).order_by("-score", "-id")


def backend() -> SQLiteFTS5 | PostgreSQLTsvector:
    return PostgreSQLTsvector() if connection.vendor == "postgresql" else SQLiteFTS5()
