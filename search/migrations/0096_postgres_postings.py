"""PostgreSQL search: the items of each common lexeme stored with the index, so matching
a common word is one row read instead of a GIN scan and a heap visit per match.

- `search_pg_posting`: (field, lexeme) → `ids`, the item ids (4-byte big-endian
  integers, concatenated) whose text (`field` 'a': `tsv`) or title (`field` 't':
  `title_tsv`) holds the lexeme, for the lexemes in at least a minimum number of items
  when the index was last rebuilt (rarer ones are read from the GIN index, cheaply).
  Stored uncompressed out of line (EXTERNAL): read whole, never searched.
- `search_pg_dirty`: the items written or deleted since that rebuild: the stored ids
  are right for every other item; these are matched against their current row.

The SQL is frozen here on purpose; search/backends/postgres.py documents the tables.
Only on PostgreSQL (the other databases have no search_pg_* tables).
"""

from django.db import migrations

FORWARD = [
    """CREATE TABLE IF NOT EXISTS search_pg_posting (
        field "char" NOT NULL,
        lexeme text NOT NULL,
        ids bytea NOT NULL,
        PRIMARY KEY (field, lexeme))""",
    "ALTER TABLE search_pg_posting ALTER COLUMN ids SET STORAGE EXTERNAL",
    "CREATE TABLE IF NOT EXISTS search_pg_dirty (item_id bigint PRIMARY KEY)",
]
BACKWARD = ["DROP TABLE IF EXISTS search_pg_posting", "DROP TABLE IF EXISTS search_pg_dirty"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0095_sqlite_instance_vocab")]

    operations = [migrations.RunPython(forward, backward)]
