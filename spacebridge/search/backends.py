"""The two full-text back ends: the same analysed terms, the same query semantics, different SQL."""

from __future__ import annotations

import json
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

    def top_ids(self, clauses: list[list[Term]], limit: int) -> list[int]:
        """The best ``limit`` matches by bm25, before any other filter: FTS5 ranks in C, in one pass."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s ORDER BY bm25(search_fts, 4.0, 1.0) LIMIT %s",
                [fts5_match(clauses), limit],
            )
            return [row[0] for row in cursor.fetchall()]

    def matching_among(self, clauses: list[list[Term]], ids: list[int]) -> set[int]:
        """Those of ``ids`` that match."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s AND rowid IN (SELECT value FROM json_each(%s))",
                [fts5_match(clauses), json.dumps(ids)],
            )
            return {row[0] for row in cursor.fetchall()}

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

    def top_ids(self, clauses: list[list[Term]], limit: int) -> list[int]:
        """The best ``limit`` matches by ts_rank, before any other filter (the GIN index finds the matches)."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {TABLE}, to_tsquery('simple'::regconfig, %s) AS q WHERE tsv @@ q "
                "ORDER BY ts_rank(tsv, q) DESC, id DESC LIMIT %s",
                [tsquery(clauses), limit],
            )
            return [row[0] for row in cursor.fetchall()]

    def matching_among(self, clauses: list[list[Term]], ids: list[int]) -> set[int]:
        """Those of ``ids`` that match (found by their primary key, then tested)."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {TABLE} WHERE id = ANY(%s) AND tsv @@ to_tsquery('simple'::regconfig, %s)",
                [list(ids), tsquery(clauses)],
            )
            return {row[0] for row in cursor.fetchall()}

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
