"""Sets of item ids as bitmaps, and facet counts over them: what the two engines inside
the project database (SQLite FTS5, PostgreSQL) share to count matches and facets.

A set of item ids is a Python int with bit `id` set: AND/OR/NOT and `bit_count()` run
in C over 64-bit words, so intersecting a match with a facet value costs microseconds
even at 100,000 items (12.5 kB per bitmap; 125 kB at 1,000,000). Each process holds one
`FacetBitmaps` per database and index version (a token every index change rewrites) and
reloads it when the version changed. The engine finds the matching ids (FTS5 MATCH, a
GIN-indexed `tsvector`); the count and every facet count are then exact bit counts,
however many items match.
"""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
from django.db import connection
from django.utils.translation import get_language

from ..compiler import FACET_SIZE
from ..documents import FacetValue, facet_label
from ..query import FACETS, SearchQuery
from .base import FacetCount

_BINARY_DIGITS = bytes.maketrans(b"\x00\x01", b"01")


def bitmap(ids: Iterable[int]) -> int:
    """A bitmap of these ids: one byte per id set in a Python loop (the only per-id
    work), then turned into '0'/'1' digits and parsed as a base-2 integer, in C."""
    ids = ids if isinstance(ids, list | array) else list(ids)
    if not ids:
        return 0
    flags = bytearray(max(ids) + 1)
    for i in ids:
        flags[i] = 1
    return int(flags.translate(_BINARY_DIGITS)[::-1], 2)


def bitmap_from_text(text: str | None) -> int:
    """A bitmap of the ids written in `text` as decimals separated by commas (what
    PostgreSQL's `array_to_string(array_agg(id), ',')` returns): parsed, set and packed
    in C by numpy, with no Python object per id (a fifth of the CPU time of a list of
    ints and `bitmap`, parsing included)."""
    if not text:
        return 0
    ids = np.fromstring(text, dtype=np.int64, sep=",")
    flags = np.zeros(int(ids.max()) + 1, dtype=bool)
    flags[ids] = True
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def as_bytes(bits: int, size: int) -> bytes:
    """The bitmap as little-endian bytes, long enough to test any id below `size`."""
    return bits.to_bytes(max(size, bits.bit_length()) // 8 + 1, "little")


@dataclass
class FacetBitmaps:
    """One index version's items and facet values as bitmaps."""

    version: str
    all: int = 0
    size: int = 0
    values: dict[int, FacetValue] = field(default_factory=dict)
    masks: dict[int, int] = field(default_factory=dict)
    by_facet: dict[str, list[int]] = field(default_factory=dict)
    by_key: dict[tuple[str, str], int] = field(default_factory=dict)
    # Each value's label per language, looked up once (`facet_label` per value and
    # request was a tenth of a search's Python time).
    labels: dict[tuple[int, str], str] = field(default_factory=dict)

    def load(
        self,
        size: int,
        values: Iterable[tuple[int, str, str, str, str]],
        pairs: Iterable[Iterable[tuple[int, int]]],
    ) -> None:
        """Fill the value masks from the facet values (id, facet, value, label,
        label_en) and batches of (item id, value id) pairs of the items below `size`.
        (`all`, every indexed item, is the engine's to set.)"""
        self.size = size
        self.set_values(values)
        flags = {value_id: bytearray(size // 8 + 1) for value_id in self.values}
        for batch in pairs:
            for item_id, value_id in batch:
                target = flags.get(value_id)
                if target is not None and item_id < size:
                    target[item_id >> 3] |= 1 << (item_id & 7)
        self.masks = {value_id: int.from_bytes(f, "little") for value_id, f in flags.items()}

    def set_values(self, values: Iterable[tuple[int, str, str, str, str]]) -> None:
        """The facet values: (id, facet, value, label, label_en)."""
        for value_id, facet, value, label, label_en in values:
            self.values[value_id] = FacetValue(value, label, label_en)
            self.by_facet.setdefault(facet, []).append(value_id)
            self.by_key[(facet, value)] = value_id

    def any_of(self, facet: str, values: Iterable[str]) -> int:
        mask = 0
        for value in values:
            value_id = self.by_key.get((facet, value))
            if value_id is not None:
                mask |= self.masks[value_id]
        return mask

    def filters(self, query: SearchQuery) -> dict[str, int]:
        """A mask per filtered facet: each facet ORs its values (different facets AND;
        an unknown value matches nothing, as on every engine)."""
        return {
            facet: self.any_of(facet, query.filter_values(facet))
            for facet in FACETS
            if query.filter_values(facet)
        }

    def facet_counts(self, base: int, filters: dict[str, int]) -> dict[str, list[FacetCount]]:
        """Counts per facet value over `base`, each facet with every filter but its own
        (the contract: a facet ignores its own filter)."""
        language = get_language() or "pl"
        counted = {}
        for facet in FACETS:
            scope = base
            for other, mask in filters.items():
                if other != facet:
                    scope &= mask
            rows = []
            if scope:
                for value_id in self.by_facet.get(facet, ()):
                    count = (scope & self.masks[value_id]).bit_count()
                    if count:
                        rows.append((self.values[value_id].value, count, value_id))
            rows.sort(key=lambda r: (-r[1], r[0]))
            counted[facet] = [
                FacetCount(value=value, label=self.label(facet, value_id, language), count=count)
                for value, count, value_id in rows[:FACET_SIZE]
            ]
        return counted

    def label(self, facet: str, value_id: int, language: str) -> str:
        """The value's label in `language` (`facet_label`), remembered."""
        key = (value_id, language)
        found = self.labels.get(key)
        if found is None:
            value = self.values[value_id]
            found = self.labels[key] = str(facet_label(facet, value, value.value, language))
        return found


B = TypeVar("B", bound=FacetBitmaps)
V = TypeVar("V")


class QueryCache:
    """What queries found in one index version (it lives on that version's bitmaps, so
    every index change starts an empty one), most recently used last, bounded by the
    total size of the values in bytes: the least recently used go first."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], tuple[V, int]]) -> V:
        """The value remembered for `key`, else `compute()`'s (value, size in bytes),
        remembered."""
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
                return found[0]
        value, size = compute()
        with self.lock:
            if key not in self.entries:
                self.entries[key] = (value, size)
                self.size += size
                while self.size > self.limit and len(self.entries) > 1:
                    _key, (_value, dropped) = self.entries.popitem(last=False)
                    self.size -= dropped
        return value

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0

    def __len__(self) -> int:
        return len(self.entries)


class BitmapCache:
    """Per process: one engine's bitmaps of the current index version, per database."""

    def __init__(self) -> None:
        self.loaded: dict[str, FacetBitmaps] = {}
        self.lock = threading.Lock()

    def get(self, version: str, load: Callable[[str], B]) -> B:
        """The bitmaps of `version`, built by `load(version)` when this process has
        other ones (or none) for the current database."""
        key = str(connection.settings_dict.get("NAME"))
        cached = self.loaded.get(key)
        if cached is not None and cached.version == version:
            return cached  # type: ignore[return-value]
        with self.lock:
            cached = self.loaded.get(key)
            if cached is None or cached.version != version:
                cached = load(version)
                self.loaded[key] = cached
        return cached  # type: ignore[return-value]

    def __iter__(self):
        return iter(list(self.loaded.values()))
