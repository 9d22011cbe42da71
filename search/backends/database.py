"""What the two engines inside the project database (SQLite FTS5, PostgreSQL) share.

Chunked indexing (one transaction per chunk), deletion and the word-by-word lookup of
spelling corrections are the same on both; each engine supplies only its SQL: `_write`,
`_delete`, `execute` and `_closest_term`.
"""

# SQL is built only from each engine's constant table name; values are bound parameters.
# ruff: noqa: S608

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterable, Sequence

from django.db import connection, transaction

from ..compiler import Term
from ..documents import SearchDocument, iter_chunks
from .base import SearchBackend

#: How alike (difflib ratio) an index term must be to a word to be offered instead of it.
DID_YOU_MEAN_RATIO = 0.75


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
        """Insert or replace these documents (inside the caller's transaction)."""
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
            "extra": clean(" · ".join(dict.fromkeys([*doc.alt_texts, *doc.captions]))),
            "thumbnail_url": doc.thumbnail_url,
            "thumbnail_alt": doc.thumbnail_alt,
            "thumbnail_alt_en": doc.thumbnail_alt_en,
        },
        ensure_ascii=False,
    )


def closest_term(folded: str, candidates: Iterable[tuple[str, int]]) -> str | None:
    """The candidate term most similar to `folded` (difflib ratio ≥ DID_YOU_MEAN_RATIO;
    on a tie the one in more documents, then the first alphabetically). `candidates` are
    (term, documents) pairs each engine draws cheaply from its vocabulary; the two cheap
    upper bounds of the ratio discard most of them before `ratio()`."""
    best, best_key = None, (0.0, 0)
    matcher = difflib.SequenceMatcher(b=folded, autojunk=False)
    for term, docs in candidates:
        matcher.set_seq1(term)
        if (
            matcher.real_quick_ratio() < DID_YOU_MEAN_RATIO
            or matcher.quick_ratio() < DID_YOU_MEAN_RATIO
        ):
            continue
        ratio = matcher.ratio()
        if ratio >= DID_YOU_MEAN_RATIO and (
            (ratio, docs) > best_key or ((ratio, docs) == best_key and term < best)
        ):
            best, best_key = term, (ratio, docs)
    return best
