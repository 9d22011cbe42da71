"""PostgreSQL search: an index version, so each process knows when to reload its facet
bitmaps (search/backends/bitmaps.py), as SQLite's `search_sqlite_meta` does.

- `search_pg_meta`: (key, value) rows; `version` is a random token every index change
  rewrites in its own transaction (a rolled-back change never reuses one).

The SQL is frozen here on purpose; search/backends/postgres.py documents the tables.
Only on PostgreSQL (the other databases have no search_pg_* tables).
"""

from django.db import migrations

FORWARD = [
    "CREATE TABLE IF NOT EXISTS search_pg_meta (key text PRIMARY KEY, value text NOT NULL)",
    "INSERT INTO search_pg_meta (key, value) VALUES ('version', md5(random()::text)) "
    "ON CONFLICT (key) DO NOTHING",
]
BACKWARD = ["DROP TABLE IF EXISTS search_pg_meta"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0093_lemma_form_lemma_index")]

    operations = [migrations.RunPython(forward, backward)]
