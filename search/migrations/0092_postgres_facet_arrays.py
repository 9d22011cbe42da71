"""PostgreSQL search, second pass: facet values as an integer array on the document row.

- `search_pg_value`: each facet value once (integer id, labels in Polish and English).
- `search_pg_doc.facet_ids`: the ids of an item's facet values, under a GIN index:
  a filter is `facet_ids && ids`, and every facet count is one pass of
  `unnest(facet_ids)` over the matching rows (no join with a row per value).
- `toast_tuple_target = 128`: the long columns (`tsv`, `data`) are stored out of line,
  so the heap a search scans for its count and facets is a few narrow columns per row.
- `search_pg_facet` (one row per item and value) is filled into the new shape and dropped.

The SQL is frozen here on purpose; search/backends/postgres.py documents the tables.
Only on PostgreSQL (the other databases have no search_pg_* tables).
"""

from django.db import migrations

FORWARD = [
    """CREATE TABLE IF NOT EXISTS search_pg_value (
        id serial PRIMARY KEY,
        facet text NOT NULL,
        value text NOT NULL,
        label text NOT NULL,
        label_en text NOT NULL,
        UNIQUE (facet, value))""",
    "ALTER TABLE search_pg_doc ADD COLUMN IF NOT EXISTS facet_ids integer[] NOT NULL DEFAULT '{}'",
    "ALTER TABLE search_pg_doc SET (toast_tuple_target = 128)",
    """INSERT INTO search_pg_value (facet, value, label, label_en)
        SELECT facet, value, MAX(label), MAX(label_en) FROM search_pg_facet
        GROUP BY facet, value ORDER BY facet, value ON CONFLICT DO NOTHING""",
    """UPDATE search_pg_doc d SET facet_ids = s.ids FROM (
        SELECT f.item_id, array_agg(v.id ORDER BY v.id) AS ids
        FROM search_pg_facet f JOIN search_pg_value v USING (facet, value)
        GROUP BY f.item_id) s
        WHERE s.item_id = d.item_id""",
    "CREATE INDEX IF NOT EXISTS search_pg_doc_facets ON search_pg_doc USING gin (facet_ids)",
    "DROP TABLE IF EXISTS search_pg_facet",
]
BACKWARD = [
    """CREATE TABLE IF NOT EXISTS search_pg_facet (
        item_id bigint NOT NULL, facet text NOT NULL, value text NOT NULL,
        label text NOT NULL, label_en text NOT NULL)""",
    """INSERT INTO search_pg_facet (item_id, facet, value, label, label_en)
        SELECT d.item_id, v.facet, v.value, v.label, v.label_en
        FROM search_pg_doc d, unnest(d.facet_ids) AS u(id) JOIN search_pg_value v ON v.id = u.id""",
    "CREATE INDEX IF NOT EXISTS search_pg_facet_value ON search_pg_facet (facet, value, item_id)",
    "CREATE INDEX IF NOT EXISTS search_pg_facet_item ON search_pg_facet (item_id)",
    "DROP INDEX IF EXISTS search_pg_doc_facets",
    "ALTER TABLE search_pg_doc RESET (toast_tuple_target)",
    "ALTER TABLE search_pg_doc DROP COLUMN IF EXISTS facet_ids",
    "DROP TABLE IF EXISTS search_pg_value",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0091_sqlite_speed")]

    operations = [migrations.RunPython(forward, backward)]
