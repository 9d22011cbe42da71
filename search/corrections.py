"""Spelling corrections: which index term a word the index lacks is closest to, and whether
it is safe to search for it instead without asking.

Every engine draws (term, documents) candidates cheaply from its own vocabulary and hands
them to `closest_term` (the same rule everywhere). The base template
(`SearchBackend.search`) then applies a correction by itself only when `is_confident`:
- close: an edit distance (a swap of two letters counts one) of at most 1 for words of up
  to SHORT_WORD letters, at most 2 for longer ones;
- the word typed is no real word: not in simplemma's Polish dictionary, nor a form
  simplemma knows (a rare real word is never swapped for a common one that looks alike);
- clear: the candidate is in at least DOMINANCE times as many documents as any other
  candidate as close to the word (no more edits away);
- not another form of the same word: *swietego* typed without diacritics is no typo of
  *świętej* but another case of it (same stem, another case ending): replacing it would
  ask for something else, so it is only offered.
Otherwise the correction is only offered ("did you mean …?") beside what the words as
typed find. docs/search.md, "Corrections".
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from . import analysis

#: How alike (difflib ratio) an index term must be to a word to be offered instead of it.
DID_YOU_MEAN_RATIO = 0.75
#: Words up to this many letters take one edit at most to be corrected automatically.
SHORT_WORD = 5
#: How many times more documents the chosen term needs than any rival as close.
DOMINANCE = 2


class CloseTerm(str):
    """A folded index term offered for a word, with what made it the choice: `docs` (in
    how many documents) and `dominant` (no rival as close to the word is nearly as
    frequent). A `str`, so engines pass it on as the term it is."""

    docs: int = 0
    distance: int = 0
    dominant: bool = False

    @classmethod
    def of(cls, term: str, docs: int, distance: int, dominant: bool) -> CloseTerm:
        close = cls(term)
        close.docs, close.distance, close.dominant = docs, distance, dominant
        return close


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and swaps
    of two neighbouring letters each count one."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def max_distance(word: str) -> int:
    return 1 if len(word) <= SHORT_WORD else 2


def closest_term(folded: str, candidates: Iterable[tuple[str, int]]) -> CloseTerm | None:
    """The candidate term most similar to `folded` (difflib ratio ≥ DID_YOU_MEAN_RATIO;
    on a tie the one in more documents, then the first alphabetically). `candidates` are
    (term, documents) pairs each engine draws cheaply from its vocabulary; the two cheap
    upper bounds of the ratio discard most of them before `ratio()`."""
    best, best_key, best_docs = None, (0.0, 0), 0
    close: list[tuple[str, int]] = []
    matcher = difflib.SequenceMatcher(b=folded, autojunk=False)
    for term, docs in candidates:
        matcher.set_seq1(term)
        if (
            matcher.real_quick_ratio() < DID_YOU_MEAN_RATIO
            or matcher.quick_ratio() < DID_YOU_MEAN_RATIO
        ):
            continue
        ratio = matcher.ratio()
        if ratio < DID_YOU_MEAN_RATIO:
            continue
        close.append((term, docs))
        if (ratio, docs) > best_key or ((ratio, docs) == best_key and term < best):
            best, best_key, best_docs = term, (ratio, docs), docs
    if best is None:
        return None
    distance = edit_distance(folded, best)
    rivals = [
        docs for term, docs in close if term != best and edit_distance(folded, term) <= distance
    ]
    dominant = all(best_docs >= DOMINANCE * docs for docs in rivals)
    return CloseTerm.of(best, best_docs, distance, dominant)


#: Polish case and number endings (folded), longest first: what `other_ending` strips.
ENDINGS = tuple(
    sorted(
        [
            "ego",
            "emu",
            "ej",
            "ych",
            "ich",
            "ymi",
            "imi",
            "ami",
            "ach",
            "om",
            "owi",
            "owie",
            "ow",
            "ie",
            "iem",
            "em",
            "a",
            "e",
            "i",
            "y",
            "u",
            "o",
        ],
        key=len,
        reverse=True,
    )
)
MIN_STEM = 3


def other_ending(a: str, b: str) -> bool:
    """Whether two folded words are one stem with different case endings."""

    def stems(word: str) -> set[str]:
        found = {word[: -len(e)] for e in ENDINGS if word.endswith(e)} | {word}
        return {s for s in found if len(s) >= MIN_STEM}

    return a != b and bool(stems(a) & stems(b))


def is_real_word(word: str) -> bool:
    """Whether simplemma's dictionary knows the (lowercased) word, or it is a form of a
    name of the catalogue's vocabulary."""
    return analysis.is_known_word(word) or analysis.name_lemma(word) is not None


def is_confident(word: str, close: str) -> bool:
    """Whether `close` (from `closest_term`) may replace the typed `word` without asking."""
    folded = analysis.fold_word(word)
    distance = getattr(close, "distance", None)
    if distance is None:
        distance = edit_distance(folded, close)
    return (
        distance <= max_distance(folded)
        and getattr(close, "dominant", False)
        and not other_ending(folded, str(close))
        and not is_real_word(word)
    )
