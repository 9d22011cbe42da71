"""Polish-aware text folding and slugs, shared by vocabularies, import and search."""

from __future__ import annotations

import functools
import re
import unicodedata

from django.utils.text import slugify

# ł/Ł have no Unicode decomposition, so NFKD stripping leaves them alone; fold them by hand.
_EXTRA_FOLDS = str.maketrans(
    {"ł": "l", "Ł": "L", "ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O"}
)


def fold(text: str) -> str:
    """Lowercase and strip diacritics: 'Kościół' -> 'kosciol'."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def polish_slugify(text: str) -> str:
    """A URL slug that keeps Polish letters readable: 'Kościoły' -> 'koscioly'."""
    return slugify(text.translate(_EXTRA_FOLDS), allow_unicode=False)


_VERSION = re.compile(r"\s*v?\d+\.\d+\s*$")


@functools.lru_cache(maxsize=4096)
def label_key(text: str) -> str:
    """A label as a lookup key: folded, letters and digits only ('CC-BY 4.0' -> 'ccby40').
    Remembered: an import looks up the same few types, statuses and licences on every row."""
    return re.sub(r"[^a-z0-9]+", "", fold(text))


def label_keys(text: str) -> set[str]:
    """The keys a known label answers to: as written, and without its version
    ('CC BY 4.0' -> 'ccby40', 'ccby')."""
    return {key for key in (label_key(text), label_key(_VERSION.sub("", text))) if key}
