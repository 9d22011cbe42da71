"""A search request prepared once, for every engine: what each word may stand for, and how
much each field counts.

Shaped like django-modelsearch's `BaseSearchQueryCompiler`: the parsing (search/query.py)
and the Polish analysis (search/analysis.py) happen here, once per request, and the engines
(search/backends/) only translate a `CompiledQuery` into their own language — an FTS5
`MATCH`, a `tsquery`, an OpenSearch body. Field weights, the title bonus and the facet size
live here too, so a change of ranking is one edit and every engine follows it
(docs/search.md, "Ranking").
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from itertools import islice, product

from . import analysis
from .query import SearchQuery

#: The field groups every engine indexes, most telling first: the title; the names of
#: subjects, places, creators and collections; the descriptions; alt-texts, captions and
#: the identifier.
GROUPS = ("title", "names", "body", "extra")


@dataclass(frozen=True)
class Boost:
    """How much a match in one field group counts: as typed (`exact`, folded) or by lemma."""

    exact: float
    lemma: float


#: One place for the field weights of every engine (SQLite bm25 column weights, PostgreSQL
#: ts_rank weights A–D, OpenSearch field boosts). A word as typed counts a little more than
#: another form of it, so *pożar* ranks *Pożar* above *pożarze*.
BOOSTS: dict[str, Boost] = {
    "title": Boost(exact=10.0, lemma=9.0),
    "names": Boost(exact=5.0, lemma=4.0),
    "body": Boost(exact=1.2, lemma=1.0),
    "extra": Boost(exact=0.4, lemma=0.3),
}

#: Before any weighting, results are tiered by how many query words their title holds, so
#: a long description repeating a word never outranks the item the word names. Engines
#: that score in one number (OpenSearch) add this per word found in the title.
TITLE_BONUS = 100.0

#: Query words next to each other in an item count (proximity): each pair of words typed
#: one after the other that an item has side by side, in that order, as written or by
#: lemma (stopwords do not count: *kościół w Lindowie* is the pair *kościół Lindowie*),
#: adds PROXIMITY_BONUS divided by the number of pairs. At most half a title word in
#: all, so it orders items within one title tier, before the field weights: SQLite and
#: PostgreSQL sort by (title words, pairs found, score), OpenSearch adds the bonus.
PROXIMITY_BONUS = TITLE_BONUS / 2
#: Pairs looked at, the first ones typed (a long query's later pairs add little).
MAX_PROXIMITY_PAIRS = 4

#: How many values of each facet a result reports (the most frequent first).
FACET_SIZE = 20

#: A phrase matches by its lemmas in order too (*"kamień węgielny"* finds *kamienia
#: węgielnego*); a phrase word may stand for several lemmas, so engines that cannot say
#: "any of these at this position" (FTS5, a `match_phrase`) try at most this many lemma
#: sequences (`lemma_sequences`). PostgreSQL's `(a | b) <-> (c | d)` needs no limit.
MAX_PHRASE_VARIANTS = 8


def relative_weights() -> dict[str, float]:
    """Each group's lemma weight relative to the title's (1.0 for the title): for engines
    that take weights in [0, 1], such as PostgreSQL's ts_rank."""
    top = BOOSTS["title"].lemma
    return {group: boost.lemma / top for group, boost in BOOSTS.items()}


@dataclass(frozen=True)
class Term:
    """One query word, with every form an engine may look for.

    `word` is as typed (lowercased, diacritics kept); `exact` its folded form; `lemmas`
    every folded lemma it may stand for (simplemma's, the English stem, lemmas of indexed
    words that fold to the same letters, names from the catalogue's vocabularies);
    `best_lemma` the single lemma used inside phrases.
    """

    word: str
    exact: str
    lemmas: tuple[str, ...]
    best_lemma: str

    @property
    def forms(self) -> tuple[str, ...]:
        """The exact form and the lemmas, each once (exclusions and OR-lists use these)."""
        return tuple(dict.fromkeys((self.exact, *self.lemmas)))


def lemma_sequences(phrase: tuple[Term, ...]) -> tuple[tuple[str, ...], ...]:
    """The lemma sequences a phrase matches besides its exact words: each word's best lemma
    first, then its other lemmas (the English stem, a name's lemma, lemmas learnt from the
    index), at most MAX_PHRASE_VARIANTS sequences, the best-lemma one first. A match of
    the exact words also matches its lemmas, so it scores more on every engine."""
    options = [(t.best_lemma, *(lm for lm in t.lemmas if lm != t.best_lemma)) for t in phrase]
    return tuple(islice(product(*options), MAX_PHRASE_VARIANTS))


def best_lemma(word: str, candidates: set[str]) -> str:
    """For a phrase, one lemma per word: one learnt from the index beats simplemma's guess
    on a diacritic-less word (which is usually the word unchanged)."""
    own = analysis.lemma_of(word)
    others = sorted(candidates - {own})
    return others[0] if others and own == analysis.fold_word(word) else own


@dataclass(frozen=True)
class CompiledQuery:
    """A `SearchQuery` with its words analysed: what every engine's `execute` receives.

    Semantics every engine keeps: all `words` and all `phrases` must match (a word by its
    exact form or any lemma; a phrase word by word, in order, as typed or by best lemma);
    no exclusion may match; filters, dates, sort and page come from `query`.
    """

    query: SearchQuery
    words: tuple[Term, ...] = ()
    phrases: tuple[tuple[Term, ...], ...] = ()
    exclusions: tuple[Term, ...] = ()
    #: Only `count` is wanted (e.g. to learn which words match anything): engines may
    #: skip hits, highlighting and facets.
    count_only: bool = False
    #: A retry of a corrected query: engines that can match approximately may do so.
    fuzzy: bool = False

    @property
    def has_text(self) -> bool:
        return bool(self.words or self.phrases)

    @property
    def positive_terms(self) -> tuple[Term, ...]:
        """Words and phrase words, each once: what results are ranked and highlighted by."""
        seen: dict[str, Term] = {}
        for term in (*self.words, *(t for p in self.phrases for t in p)):
            seen.setdefault(term.word, term)
        return tuple(seen.values())

    @cached_property
    def proximity_pairs(self) -> tuple[tuple[Term, Term], ...]:
        """Each required word with the next one typed, as two-word phrases (see
        PROXIMITY_BONUS); none for fewer than two words."""
        pairs = tuple(zip(self.words, self.words[1:], strict=False))
        return pairs[:MAX_PROXIMITY_PAIRS]

    @cached_property
    def highlight_exact(self) -> frozenset[str]:
        return frozenset(t.exact for t in self.positive_terms)

    @cached_property
    def highlight_lemmas(self) -> frozenset[str]:
        return frozenset(lm for t in self.positive_terms for lm in t.lemmas)

    def counting(self) -> CompiledQuery:
        """The same question, asking only how many items answer it."""
        return replace(self, count_only=True)


def compile_query(query: SearchQuery, *, fuzzy: bool = False) -> CompiledQuery:
    """Analyse every word of `query` once (one lemma-map lookup for all of them)."""
    terms = {
        t.word: t
        for t in compile_words(
            [*query.words, *(w for p in query.phrases for w in p), *query.exclusions],
            capitalised=analysis.capitalised_words(query.text),
        )
    }
    return CompiledQuery(
        query=query,
        words=tuple(terms[w] for w in query.words),
        phrases=tuple(tuple(terms[w] for w in p) for p in query.phrases),
        exclusions=tuple(terms[w] for w in query.exclusions),
        fuzzy=fuzzy,
    )


def compile_words(words: list[str], capitalised: frozenset[str] = frozenset()) -> tuple[Term, ...]:
    """A term for each distinct word (also type-ahead's whole words), with one lemma-map
    lookup for all of them. `capitalised`: the words typed with a capital (a capitalised
    word may be a form of a vocabulary name even when it is also a common word)."""
    words = list(dict.fromkeys(words))
    lemmas = analysis.query_lemmas(words, capitalised) if words else {}
    return tuple(
        Term(
            word=w,
            exact=analysis.fold_word(w),
            lemmas=tuple(sorted(lemmas[w])),
            best_lemma=best_lemma(w, lemmas[w]),
        )
        for w in words
    )
