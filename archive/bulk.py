"""Plain multi-row INSERTs for bulk writers (the importer, its versions, undo records and
search-outbox entries).

Django's bulk_create prepares every value of every row through the query compiler, and on
SQLite splits the rows into statements of 999 parameters: for the importer's rows that costs
several times what the database does. `insert_rows` sends one prepared statement with
executemany instead. Each column's values are adapted for the database once per column kind,
the way the field itself would (`Field.get_db_prep_save`, so datetimes and JSON are written
exactly as bulk_create writes them, on SQLite and PostgreSQL): text and integer columns go as
they are, a column that needs adapting adapts each distinct value once, and a value shared by
every row (`constants`) is adapted once for all of them. No save(), no signals: the caller
writes what those would have written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from django.db import connection, models

# Field classes whose database value is the Python value itself (str, int, None): Django's
# get_db_prep_save returns it unchanged. Subclasses may prepare values, so only these exact
# classes skip it.
_PLAIN = (
    models.AutoField,
    models.BigAutoField,
    models.BigIntegerField,
    models.CharField,
    models.IntegerField,
    models.PositiveBigIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.SmallIntegerField,
    models.TextField,
)


def _value_field(field: models.Field) -> models.Field:
    """The field whose values a column holds (a foreign key holds its target's)."""
    while field.is_relation:
        field = field.target_field
    return field


def column_adapter(field: models.Field) -> Callable[[object], object] | None:
    """A function turning the field's Python values into database values, or None when the
    database takes them as they are."""
    if type(_value_field(field)) in _PLAIN:
        return None
    prepare = field.get_db_prep_save
    if isinstance(field, models.JSONField):
        return lambda value: prepare(value, connection)
    # Datetimes and the like repeat (one import's timestamps): adapt each value once.
    prepared: dict = {}

    def adapt(value):
        try:
            return prepared[value]
        except KeyError:
            result = prepared[value] = prepare(value, connection)
            return result
        except TypeError:  # unhashable
            return prepare(value, connection)

    return adapt


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence],
    constants: Mapping[str, object] | None = None,
) -> int:
    """INSERT `rows` (values of `columns`, by field name or attname, in order) into `model`'s
    table, each with the same `constants` ({field: value}); returns the number of rows.

    Values are Python values of their fields; those of text and integer columns must be str,
    int or None already (they are sent as they are)."""
    constants = constants or {}
    meta = model._meta
    fields = [meta.get_field(name) for name in columns]
    shared = [meta.get_field(name) for name in constants]
    fixed = tuple(
        value if adapt is None else adapt(value)
        for value, adapt in zip(constants.values(), map(column_adapter, shared), strict=True)
    )
    adapters = [(i, adapt) for i, adapt in enumerate(map(column_adapter, fields)) if adapt]
    if adapters:

        def prepare(row: Sequence) -> tuple:
            values = list(row)
            for i, adapt in adapters:
                values[i] = adapt(values[i])
            return (*values, *fixed)

        params = [prepare(row) for row in rows]
    elif fixed:
        params = [(*row, *fixed) for row in rows]
    else:
        params = [tuple(row) for row in rows]
    if not params:
        return 0
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in [*fields, *shared])
    marks = ", ".join(["%s"] * (len(fields) + len(shared)))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({marks})",  # noqa: S608
            params,
        )
    return len(params)
