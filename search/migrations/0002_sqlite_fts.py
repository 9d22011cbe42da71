"""Full-text tables of the SQLite search backend (created only on SQLite databases).

The SQL is frozen here on purpose; search/backends/sqlite.py documents the tables.
"""

from django.db import migrations

SCHEMA = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_sqlite_fts USING fts5( title_exact, title_lemma, names_exact, names_lemma, body_exact, body_lemma, extra_exact, extra_lemma, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_sqlite_vocab USING fts5vocab(search_sqlite_fts, 'row')",
    'CREATE TABLE IF NOT EXISTS search_sqlite_doc ( item_id INTEGER PRIMARY KEY, identifier TEXT NOT NULL, title_sort TEXT NOT NULL, date_start INTEGER, date_end INTEGER, data TEXT NOT NULL)',
    'CREATE INDEX IF NOT EXISTS search_sqlite_doc_title ON search_sqlite_doc (title_sort)',
    'CREATE INDEX IF NOT EXISTS search_sqlite_doc_date ON search_sqlite_doc (date_start)',
    'CREATE TABLE IF NOT EXISTS search_sqlite_facet ( item_id INTEGER NOT NULL, facet TEXT NOT NULL, value TEXT NOT NULL, label TEXT NOT NULL, label_en TEXT NOT NULL)',
    'CREATE INDEX IF NOT EXISTS search_sqlite_facet_value ON search_sqlite_facet (facet, value, item_id)',
    'CREATE INDEX IF NOT EXISTS search_sqlite_facet_item ON search_sqlite_facet (item_id)',
]
DROP_SCHEMA = [
    'DROP TABLE IF EXISTS search_sqlite_vocab',
    'DROP TABLE IF EXISTS search_sqlite_fts',
    'DROP TABLE IF EXISTS search_sqlite_doc',
    'DROP TABLE IF EXISTS search_sqlite_facet',
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SCHEMA:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP_SCHEMA:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_outbox_and_lemma_forms")]

    operations = [migrations.RunPython(create, drop)]
