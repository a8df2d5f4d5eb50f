"""Writing many rows at once for bulk imports: one multi-row INSERT per table, without model instances.

Each value is prepared by its model field exactly as the ORM prepares it for saving, so the stored rows are the ones
``Model.objects.bulk_create`` would store; what is skipped is the per-object machinery (instances, ``pre_save``,
signals), which dominates the cost of an import of a hundred thousand records. Callers set ``auto_now`` fields and
every other value themselves, and run inside their write's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

# Field classes whose prepared value is the Python value itself (str, int, bool, None, a related primary key).
_AS_IS = {
    models.AutoField,
    models.BigAutoField,
    models.BigIntegerField,
    models.BooleanField,
    models.CharField,
    models.ForeignKey,
    models.IntegerField,
    models.PositiveBigIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.SlugField,
    models.TextField,
}


def _preparer(field: Any, db: Any) -> Callable[[Any], Any]:
    """How ``field`` prepares a value for the database ``db`` (the connection itself, not the ``connection`` proxy
    that looks it up again on every attribute), without the general machinery where it adds nothing."""
    if type(field) in _AS_IS:
        return lambda value: value
    if type(field) is models.DateTimeField:
        # A bulk write stamps its rows with one moment: adapt each distinct value once.
        adapted: dict[Any, Any] = {}

        def adapt(value: Any) -> Any:
            if value not in adapted:
                adapted[value] = db.ops.adapt_datetimefield_value(value)
            return adapted[value]

        return adapt
    if type(field) is models.DateField:
        return db.ops.adapt_datefield_value
    return lambda value: field.get_db_prep_save(value, db)


def insert_rows(model: type[models.Model], rows: list[dict[str, Any]]) -> int:
    """INSERT ``rows`` (field name → value, the same names in every row; a foreign key by its name and the related
    primary key) into ``model``'s table. Returns the number of rows."""
    if not rows:
        return 0
    names = list(rows[0])
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)  # type: ignore[union-attr]
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    db = connections[DEFAULT_DB_ALIAS]
    prepare = [(name, _preparer(field, db)) for name, field in zip(names, fields, strict=True)]
    params = [[save(row[name]) for name, save in prepare] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(rows)
