"""PostgreSQL search, second pass: facet values as an integer array on the document row.

- `search_pg_value`: each facet value once (integer id, labels in Polish and English).
- `search_pg_doc.facet_ids`: the ids of an item's facet values, under a GIN index:
  a filter is `facet_ids && ids`, and every facet count is one pass of
  `unnest(facet_ids)` over the matching rows (no join with a row per value).
- A narrow heap: counting the matches and their facets reads every heap page holding a
  match (a common word is in nearly every page), so the long columns (`tsv`, `data`) are
  kept out of line in the TOAST table. PostgreSQL moves values out of line only once a
  row is longer than 2 kB (`TOAST_TUPLE_THRESHOLD`, fixed at compile time), which most
  rows here are not: `toast_pad`, a 2 kB run of one character (its default; stored
  compressed in a few bytes) makes every row cross it, and `toast_tuple_target = 128`
  then moves both long values out. The short columns stay inline (`facet_ids` PLAIN,
  `identifier`, `title_sort` MAIN). The heap shrinks from ≈ 1.2 kB to ≈ 0.3 kB a row.
- `search_pg_doc.title_tsv`: the title's part of `tsv` (weight A), small and inline under
  its own GIN index: the title tier of relevance is found without reading `tsv`.
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
    "ALTER TABLE search_pg_doc ADD COLUMN IF NOT EXISTS title_tsv tsvector NOT NULL DEFAULT ''",
    "ALTER TABLE search_pg_doc ADD COLUMN IF NOT EXISTS toast_pad text NOT NULL "
    "DEFAULT repeat('.', 2048)",
    """ALTER TABLE search_pg_doc
        ALTER COLUMN toast_pad SET STORAGE MAIN,
        ALTER COLUMN facet_ids SET STORAGE PLAIN,
        ALTER COLUMN title_tsv SET STORAGE MAIN,
        ALTER COLUMN identifier SET STORAGE MAIN,
        ALTER COLUMN title_sort SET STORAGE MAIN,
        SET (toast_tuple_target = 128)""",
    """INSERT INTO search_pg_value (facet, value, label, label_en)
        SELECT facet, value, MAX(label), MAX(label_en) FROM search_pg_facet
        GROUP BY facet, value ORDER BY facet, value ON CONFLICT DO NOTHING""",
    """UPDATE search_pg_doc d SET
        facet_ids = COALESCE((
            SELECT array_agg(v.id ORDER BY v.id)
            FROM search_pg_facet f JOIN search_pg_value v USING (facet, value)
            WHERE f.item_id = d.item_id), '{}'),
        title_tsv = ts_filter(d.tsv, '{a}')""",
    "CREATE INDEX IF NOT EXISTS search_pg_doc_facets ON search_pg_doc USING gin (facet_ids)",
    "CREATE INDEX IF NOT EXISTS search_pg_doc_title_tsv ON search_pg_doc USING gin (title_tsv)",
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
    "DROP INDEX IF EXISTS search_pg_doc_title_tsv",
    """ALTER TABLE search_pg_doc RESET (toast_tuple_target),
        ALTER COLUMN identifier SET STORAGE EXTENDED,
        ALTER COLUMN title_sort SET STORAGE EXTENDED,
        DROP COLUMN IF EXISTS toast_pad,
        DROP COLUMN IF EXISTS title_tsv""",
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
