"""The full-text structures, per database, over the pre-analysed terms of ``search_searchdocument``.

SQLite: an FTS5 table (unicode61 splitting on the spaces the analysis left, diacritics kept so both databases see
the same terms) whose content is the documents table, kept in step by triggers in the writing transaction.
PostgreSQL: a stored ``tsvector`` ('simple': the terms are already analysed), title terms weighted A, with GIN.
"""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        terms_title, terms_body, content='search_searchdocument', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0', detail='full')""",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, terms_title, terms_body) VALUES (new.id, new.terms_title, new.terms_body);
    END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, terms_title, terms_body)
        VALUES ('delete', old.id, old.terms_title, old.terms_body);
    END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE OF terms_title, terms_body ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, terms_title, terms_body)
        VALUES ('delete', old.id, old.terms_title, old.terms_body);
        INSERT INTO search_fts(rowid, terms_title, terms_body) VALUES (new.id, new.terms_title, new.terms_body);
    END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
SQLITE_BACK = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRESQL = [
    """ALTER TABLE search_searchdocument ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, terms_title), 'A')
        || setweight(to_tsvector('simple'::regconfig, terms_body), 'B')) STORED""",
    "CREATE INDEX search_document_tsv_idx ON search_searchdocument USING gin (tsv)",
]
POSTGRESQL_BACK = [
    "DROP INDEX IF EXISTS search_document_tsv_idx",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS tsv",
]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_index")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_BACK, "postgresql": POSTGRESQL_BACK}),
        )
    ]
