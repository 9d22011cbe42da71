"""Full-text tables of the PostgreSQL search backend (created only on PostgreSQL).

The SQL is frozen here on purpose; search/backends/postgres.py documents the tables.
`unaccent` and `pg_trgm` are trusted extensions (PostgreSQL 13+): the database owner can
create them without superuser rights.
"""

from django.db import migrations

SCHEMA = [
    'CREATE EXTENSION IF NOT EXISTS unaccent',
    'CREATE EXTENSION IF NOT EXISTS pg_trgm',
    "DO $$ BEGIN\n        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'kronika_search') THEN\n            CREATE TEXT SEARCH CONFIGURATION kronika_search (COPY = pg_catalog.simple);\n            ALTER TEXT SEARCH CONFIGURATION kronika_search\n                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;\n        END IF;\n    END $$",
    'CREATE TABLE IF NOT EXISTS search_pg_doc ( item_id bigint PRIMARY KEY, identifier text NOT NULL, title_sort text NOT NULL, date_start integer, date_end integer, tsv tsvector NOT NULL, data jsonb NOT NULL)',
    'CREATE INDEX IF NOT EXISTS search_pg_doc_tsv ON search_pg_doc USING gin (tsv)',
    'CREATE INDEX IF NOT EXISTS search_pg_doc_title ON search_pg_doc (title_sort COLLATE "C")',
    'CREATE INDEX IF NOT EXISTS search_pg_doc_date ON search_pg_doc (date_start, date_end)',
    'CREATE TABLE IF NOT EXISTS search_pg_facet ( item_id bigint NOT NULL, facet text NOT NULL, value text NOT NULL, label text NOT NULL, label_en text NOT NULL)',
    'CREATE INDEX IF NOT EXISTS search_pg_facet_value ON search_pg_facet (facet, value, item_id)',
    'CREATE INDEX IF NOT EXISTS search_pg_facet_item ON search_pg_facet (item_id)',
    'CREATE TABLE IF NOT EXISTS search_pg_term ( term text NOT NULL, lemma text NOT NULL, PRIMARY KEY (term, lemma))',
    'CREATE INDEX IF NOT EXISTS search_pg_term_trgm ON search_pg_term USING gin (term gin_trgm_ops)',
    'CREATE INDEX IF NOT EXISTS search_pg_term_lemma ON search_pg_term (lemma)',
]
DROP_SCHEMA = [
    'DROP TABLE IF EXISTS search_pg_term',
    'DROP TABLE IF EXISTS search_pg_facet',
    'DROP TABLE IF EXISTS search_pg_doc',
    'DROP TEXT SEARCH CONFIGURATION IF EXISTS kronika_search',
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in SCHEMA:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP_SCHEMA:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_sqlite_fts")]

    operations = [migrations.RunPython(create, drop)]
