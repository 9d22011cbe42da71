"""Item-id sets between SQLite and the bitmaps (search/backends/bitmaps.py), in C.

At 1,000,000 items a common word matches hundreds of thousands of rows. Fetching them as
Python tuples and setting one bit per id in a Python loop cost more than FTS5 needs to
find them (docs/search.md, "SQLite at 1,000,000 items"). Here SQLite hands the ids over
as one string (`group_concat(rowid)`), numpy parses it and sets the bits, and a bitmap
is turned back into flags or ids the same way: no Python object per id.
"""

from __future__ import annotations

import numpy as np

from .bitmaps import as_bytes


def bitmap_from_csv(text: str | None) -> int:
    """The bitmap of the ids in a comma-separated list (`group_concat` of integer ids;
    None, SQLite's answer for no rows, is the empty set)."""
    if not text:
        return 0
    return bitmap_from_ids(np.fromstring(text, dtype=np.int64, sep=","))


def bitmap_from_ids(ids: np.ndarray) -> int:
    """The bitmap of an array of non-negative ids."""
    if not len(ids):
        return 0
    flags = np.zeros(int(ids.max()) + 1, dtype=bool)
    flags[ids] = True
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def bitmap_from_flags(flags: np.ndarray) -> int:
    """The bitmap of the positions of an array of bools that are True."""
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def flags_of(bits: int, size: int) -> np.ndarray:
    """One bool per id (at least `size` of them, more when `bits` has higher ids):
    `flags[i]` is whether id `i` is in the set."""
    raw = np.frombuffer(as_bytes(bits, size), dtype=np.uint8)
    return np.unpackbits(raw, bitorder="little").view(bool)


def byte_flags(bits: int) -> bytes:
    """One byte per id up to the highest in the set, 1 for the ids in it: SQL tests an
    id with `substr(flags, id + 1, 1) = x'01'`."""
    return flags_of(bits, 0)[: bits.bit_length()].view(np.uint8).tobytes()


def ids_of(bits: int) -> np.ndarray:
    """The ids in the set, ascending."""
    return np.flatnonzero(flags_of(bits, 0))


def levels(parts: list[int], universe: int) -> list[int]:
    """`levels[k]`: the items of `universe` found in exactly k of the sets in `parts`
    (k = 0 … len(parts)). Counted with bitmaps: `at_least[k]` grows part by part."""
    at_least = [universe] + [0] * len(parts)
    for part in parts:
        for k in range(len(parts), 0, -1):
            at_least[k] |= at_least[k - 1] & part
    return [at_least[k] & ~at_least[k + 1] for k in range(len(parts))] + [at_least[-1]]
