"""SQLite search speed: integer-keyed facet tables and an index version token.

Replaces `search_sqlite_facet` (one text row per item and facet value) with
`search_sqlite_value` (each facet value once, with its labels) and
`search_sqlite_item_value` (item ↔ value ids), which the backend loads into per-process
bitmaps; `search_sqlite_meta` holds the token that tells processes when to reload.
Existing facet rows are carried over, so no rebuild is needed. Only on SQLite.
The SQL is frozen here on purpose; search/backends/sqlite.py documents the tables.
"""

# ruff: noqa: E501
from django.db import migrations

FORWARD = [
    "CREATE TABLE IF NOT EXISTS search_sqlite_meta ( key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS search_sqlite_value ( id INTEGER PRIMARY KEY, facet TEXT NOT NULL, value TEXT NOT NULL, label TEXT NOT NULL, label_en TEXT NOT NULL, UNIQUE (facet, value))",
    "CREATE TABLE IF NOT EXISTS search_sqlite_item_value ( item_id INTEGER NOT NULL, value_id INTEGER NOT NULL, PRIMARY KEY (item_id, value_id)) WITHOUT ROWID",
    "INSERT OR IGNORE INTO search_sqlite_value (facet, value, label, label_en) SELECT facet, value, MAX(label), MAX(label_en) FROM search_sqlite_facet GROUP BY facet, value",
    "INSERT OR IGNORE INTO search_sqlite_item_value (item_id, value_id) SELECT f.item_id, v.id FROM search_sqlite_facet f JOIN search_sqlite_value v ON v.facet = f.facet AND v.value = f.value",
    "DROP TABLE IF EXISTS search_sqlite_facet",
]
BACKWARD = [
    "CREATE TABLE IF NOT EXISTS search_sqlite_facet ( item_id INTEGER NOT NULL, facet TEXT NOT NULL, value TEXT NOT NULL, label TEXT NOT NULL, label_en TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS search_sqlite_facet_value ON search_sqlite_facet (facet, value, item_id)",
    "CREATE INDEX IF NOT EXISTS search_sqlite_facet_item ON search_sqlite_facet (item_id)",
    "INSERT INTO search_sqlite_facet (item_id, facet, value, label, label_en) SELECT iv.item_id, v.facet, v.value, v.label, v.label_en FROM search_sqlite_item_value iv JOIN search_sqlite_value v ON v.id = iv.value_id",
    "DROP TABLE IF EXISTS search_sqlite_item_value",
    "DROP TABLE IF EXISTS search_sqlite_value",
    "DROP TABLE IF EXISTS search_sqlite_meta",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0090_postgres_search")]

    operations = [migrations.RunPython(forward, backward)]
