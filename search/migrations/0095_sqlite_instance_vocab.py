"""SQLite search: an fts5vocab view of the index's term instances (which row and column
each occurrence of a term is in), from which the backend scores bm25 with numpy
(search/backends/sqlite.py, `Bm25`). A view: no storage, nothing to fill. Only on SQLite.
The SQL is frozen here on purpose; search/backends/sqlite.py documents the tables.
"""

# ruff: noqa: E501
from django.db import migrations

FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_sqlite_instance USING fts5vocab(search_sqlite_fts, 'instance')",
]
BACKWARD = ["DROP TABLE IF EXISTS search_sqlite_instance"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0094_postgres_index_version")]

    operations = [migrations.RunPython(forward, backward)]
