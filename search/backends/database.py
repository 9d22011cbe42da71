"""What the two engines inside the project database (SQLite FTS5, PostgreSQL) share.

Chunked indexing (one transaction per chunk), deletion and the word-by-word lookup of
spelling corrections are the same on both; each engine supplies only its SQL: `_write`,
`_delete`, `execute` and `_closest_term`.
"""

# SQL is built only from each engine's constant table name; values are bound parameters.
# ruff: noqa: S608

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack

from django.db import connection, transaction

from .. import analysis
from ..compiler import Term
from ..documents import AnalysedChunk, SearchDocument, iter_chunks
from .base import SearchBackend
from .parallel import RebuildPlan


class DatabaseSearchBackend(SearchBackend):
    is_database_backend = True
    #: The table with one row per indexed item (counted by `document_count`).
    document_table = ""

    # Indexing ---------------------------------------------------------------------------

    def index(self, documents: Iterable[SearchDocument]) -> int:
        written = 0
        for chunk in iter_chunks(documents):
            with transaction.atomic():
                self._write(chunk)
            written += len(chunk)
        return written

    def delete(self, ids: Iterable[int]) -> None:
        ids = [int(i) for i in ids]
        if ids:
            with transaction.atomic(), connection.cursor() as cursor:
                self._delete(cursor, ids)

    def document_count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {self.document_table}")
            return cursor.fetchone()[0]

    def _write(self, docs: list[SearchDocument]) -> None:
        """Insert or replace these documents (inside the caller's transaction): analysed
        once, their surface forms recorded, their old rows deleted, the new ones stored."""
        chunk = AnalysedChunk.of(docs)
        analysis.record_form_map(chunk.forms)
        with connection.cursor() as cursor:
            self._delete(cursor, [d.id for d in docs])
            self._store(cursor, chunk)

    def _store(self, cursor, chunk: AnalysedChunk) -> None:
        """Write an analysed chunk's rows (the engine's SQL)."""
        raise NotImplementedError

    def _delete(self, cursor, ids: list[int]) -> None:
        raise NotImplementedError

    # Typo tolerance ---------------------------------------------------------------------

    def closest_terms(self, terms: Sequence[Term]) -> dict[str, str]:
        found = {}
        with connection.cursor() as cursor:
            for term in terms:
                best = self._closest_term(cursor, term)
                if best:
                    found[term.word] = best
        return found

    def _closest_term(self, cursor, term: Term) -> str | None:
        """The folded index term closest to an unknown `term`; None if it is known (the
        miss is then due to the combination of words, not a typo) or nothing is close."""
        raise NotImplementedError


def known_value_ids(
    labels: dict[tuple[str, str], tuple[str, str]],
    known: dict[tuple[str, str], tuple[int, tuple[str, str]]] | None,
) -> tuple[dict[tuple[str, str], int], list[tuple[str, str]]]:
    """A chunk's facet values (`labels`: (facet, value) → labels) split into the ids of
    those a rebuild wrote already with the same labels (`known`: (facet, value) → (id,
    labels)) and the (sorted) keys still to write. Without `known`, all are to write."""
    ids = {}
    if known is not None:
        for key, value_labels in labels.items():
            found = known.get(key)
            if found is not None and found[1] == value_labels:
                ids[key] = found[0]
    return ids, sorted(key for key in labels if key not in ids)


def stored_data(doc: SearchDocument, clean: Callable[[str], str] = str) -> str:
    """The JSON each engine keeps per item to render a hit without touching the archive
    tables. `clean` strips engine-specific markers from the texts used for snippets."""
    return json.dumps(
        {
            "title": doc.title,
            "title_en": doc.title_en,
            "item_type": doc.item_type,
            "date": doc.date,
            "description": clean(doc.description),
            "description_en": clean(doc.description_en),
            "names": clean(doc.display_names(english=False)),
            "names_en": clean(doc.display_names(english=True)),
            "extra": clean(doc.extra_display),
            "thumbnail_url": doc.thumbnail_url,
            "thumbnail_alt": doc.thumbnail_alt,
            "thumbnail_alt_en": doc.thumbnail_alt_en,
        },
        ensure_ascii=False,
    )


class DatabaseRebuild(RebuildPlan):
    """A rebuild plan of an engine inside the project database: the whole rebuild is one
    transaction on the default connection, opened by `begin` (`open`), committed by
    `commit` and rolled back by `abort`; the engine's plan adds its own SQL."""

    def __init__(self, backend: DatabaseSearchBackend):
        super().__init__(backend)
        self.stack = ExitStack()
        self.cursor = None

    def open(self):
        """The rebuild's transaction and its cursor."""
        self.stack.enter_context(transaction.atomic())
        self.cursor = self.stack.enter_context(connection.cursor())
        return self.cursor

    def commit(self) -> None:
        self.stack.close()

    def abort(self) -> None:
        error = RuntimeError("rebuild aborted")
        self.stack.__exit__(type(error), error, None)
