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

import re
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from itertools import islice, product

from django.core.exceptions import ValidationError

from archive import date_phrases
from archive.dates import YearInterval

from . import analysis
from .query import _PART, DateCondition, SearchQuery

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

#: The title *is* the entity named (*kościół w Mszczonowie*: the church itself, not the
#: report *o kościele w Mszczonowie* nor the shrine *przy młynie* for *młyn*): an item
#: whose title's first word (stopwords aside) is one of the query's words, as written or
#: by lemma, comes first within its title tier (Polish titles name their subject first:
#: *Młyn wodny Pękalów w Bronisławowie*, *Kapliczka przy młynie w Bronisławowie*). SQLite
#: and PostgreSQL sort by (title words, entity, pairs found, score); OpenSearch adds
#: ENTITY_BONUS, which with every proximity bonus stays below one title word.
ENTITY_BONUS = TITLE_BONUS / 2

#: Query words next to each other in an item count (proximity): each pair of words typed
#: one after the other that an item has side by side, in that order, as written or by
#: lemma (stopwords do not count: *kościół w Lindowie* is the pair *kościół Lindowie*),
#: outside its title, adds PROXIMITY_BONUS divided by the number of pairs. The title
#: does not count: the title tier and the entity rule have judged it already, and a
#: short title that holds the words side by side is usually *about something else by*
#: them (*Kapliczka przy młynie w Bronisławowie* for *młyn Bronisławów*), while the title
#: that is the entity often has words between (*Młyn wodny Pękalów w Bronisławowie*). At
#: most a fifth of a title word in all, so it orders items within one title tier and
#: entity rank, before the field weights: SQLite and PostgreSQL sort by (title words,
#: entity, pairs found, score), OpenSearch adds the bonus.
PROXIMITY_BONUS = TITLE_BONUS / 5
#: Pairs looked at, the first ones typed (a long query's later pairs add little).
MAX_PROXIMITY_PAIRS = 4

#: How many values of each facet a result reports (the most frequent first).
FACET_SIZE = 20

#: A phrase matches by its lemmas in order too (*"kamień węgielny"* finds *kamienia
#: węgielnego*); a phrase word may stand for several lemmas, so engines that cannot say
#: "any of these at this position" (FTS5, a `match_phrase`) try at most this many lemma
#: sequences (`lemma_sequences`). PostgreSQL's `(a | b) <-> (c | d)` needs no limit.
MAX_PHRASE_VARIANTS = 8


#: A date read from the query's words (*Mszczonów 1939*, *zdjęcia z lat 30.*, *kościół XIX
#: wiek*, *przed wojną*) is a date range, read by the archive's own grammar of Polish
#: dates (archive/date_phrases.py). The words of at most DATE_WORDS words in a row
#: around a date word (a number, a Roman numeral, *lata*, a decade in words, *przed*,
#: *po*, *od*, *do*) are tried, the longest reading first.
DATE_WORDS = 5
#: An item is dated *in* the range read (the first tier) when its interval lies inside it
#: widened by a tenth of its length, at least DATE_MARGIN years each side: a photograph
#: of "1939?" (1938–1940) is of *1939*; a church of 1862/.. only overlaps it.
DATE_MARGIN = 1


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
    #: The date read from the words (`read_text_date`), if any: `date_tiers` ranks by it.
    text_date: TextDate | None = None

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
    def entity_forms(self) -> tuple[str, ...]:
        """Every form (exact and lemmas) of the query's words and phrase words: an item
        whose title starts with one of them is the entity named (ENTITY_BONUS)."""
        return tuple(dict.fromkeys(f for t in self.positive_terms for f in t.forms))

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
        text_date=read_text_date(query.text) if query.words else None,
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


# --- dates in the words -------------------------------------------------------------------

_LATA = {"lata", "lat", "latach", "latami"}
_OPEN = {"przed", "po", "od", "do", "sprzed"}
#: The words of the date grammar that say what a number is, not which date: a text that
#: mentions the date may write them otherwise (*lat 30.* / *latach trzydziestych*).
_DATE_GRAMMAR_WORDS = frozenset(
    {"lata", "lat", "latach", "latami", "rok", "roku", "r", "rr", "w", "wiek", "wieku",
     "wieki", "wieków", "stulecie", "stulecia", "przełom", "przełomie", "początek",
     "początku", "koniec", "końca", "końcu", "połowa", "połowie", "połowy", "ok", "około"}
)  # fmt: skip
_CENTURY = re.compile(r"^(w|wiek\w*|stuleci\w*)\.?$")


@dataclass(frozen=True)
class TextDate:
    """A date read from the query's words: `text` as typed (*z lat 30.*), the query
    `words` it consists of (their content words, which stop being required words of the
    first tiers) and its years (an open end is None)."""

    text: str
    words: tuple[str, ...]
    start: int | None
    end: int | None


def _is_anchor(word: str, following: str = "", strong: bool = False) -> bool:
    """Whether a typed word can be the heart of a date: a number, a Roman numeral (of
    two letters or more, or one before *w.*/*wiek*), *lata*, a decade in words, or (not
    `strong`) a word opening an open range (*przed wojną*, *po 1945*)."""
    folded = analysis.fold(word).strip(".,;:()")
    if any(c.isdigit() for c in folded):
        return True
    if date_phrases.roman_value(folded) and (len(folded) > 1 or _CENTURY.match(following)):
        return True
    return (
        folded in _LATA
        or any(folded.startswith(stem) for stem, _ in date_phrases._DECADE_WORDS)
        or (not strong and folded in _OPEN)
    )


@lru_cache(maxsize=20_000)
def _reading(text: str) -> YearInterval | None:
    """The years of a date phrase, or None when the grammar cannot read it."""
    try:
        interval = date_phrases.read_date(text).interval
    except ValidationError:
        return None
    if interval.start is None and interval.end is None:
        return None  # "b.d.": no date
    return interval


#: A number that is part of an identifier, not a year: letters before its digits
#: (*MOK-Z-0001*, *nr10*) or a four-digit group with a leading zero.
_IDENTIFIER = re.compile(r"^[^\d]*[a-z][^\d]*\d|\b0\d{3}\b")


def _acceptable(words: list[str]) -> bool:
    """No word of the date is an identifier, and a lone number has four digits."""
    if any(_IDENTIFIER.search(analysis.fold(w)) for w in words):
        return False
    return not (len(words) == 1 and re.fullmatch(r"\d{1,3}\.?", words[0]))


def read_text_date(text: str) -> TextDate | None:
    """The first date written in the query's plain words (not in a quoted phrase nor an
    excluded word), read as the archive reads dates; None when there is none. Each date
    word is tried with the words around it (at most DATE_WORDS in all), the longest
    reading first: *wrzesień 1939*, *z lat 30.*, *XIX w.*, *przed wojną*. A reading needs
    a number, a Roman numeral, *lata* or a decade in words, or must open with *przed*,
    *po*, *od*, *do* (a named period alone, *wojna*, stays a word)."""
    runs: list[list[str]] = [[]]
    for match in _PART.finditer(text or ""):
        if match.group(4) is not None and not match.group(3):
            runs[-1].append(match.group(4))
        elif runs[-1]:
            runs.append([])
    for run in runs:
        folded = [analysis.fold(w) for w in run]
        for anchor in range(len(run)):
            following = folded[anchor + 1] if anchor + 1 < len(run) else ""
            if not _is_anchor(run[anchor], following):
                continue
            best = None
            for first in range(max(0, anchor - DATE_WORDS + 1), anchor + 1):
                for last in range(min(len(run), first + DATE_WORDS), anchor, -1):
                    if best and last - first <= best[1] - best[0]:
                        break
                    words = run[first:last]
                    opening = folded[first].strip(".,") in _OPEN
                    strong = any(
                        _is_anchor(w, folded[i + 1] if i + 1 < len(run) else "", strong=True)
                        for i, w in enumerate(words, start=first)
                    )
                    if not (strong or opening) or not _acceptable(words):
                        continue
                    phrase = " ".join(words).strip(",;:")
                    interval = _reading(phrase)
                    if interval is not None:
                        best = (first, last, phrase, interval)
            if best:
                first, last, phrase, interval = best
                content = tuple(dict.fromkeys(analysis.content_tokens(phrase)))
                return TextDate(phrase, content, interval.start, interval.end)
    return None


def _overlap(a: tuple[int | None, int | None], b: tuple[int | None, int | None]):
    """The intersection of two year ranges (None ends open), or None when empty."""
    start = max((y for y in (a[0], b[0]) if y is not None), default=None)
    end = min((y for y in (a[1], b[1]) if y is not None), default=None)
    if start is not None and end is not None and start > end:
        return None
    return start, end


@dataclass(frozen=True)
class DateTier:
    """One step of a date query's order (`CompiledQuery.date_tiers`): its query, and
    whether its items count (tiers that only reorder items of later ones do not)."""

    compiled: CompiledQuery
    counted: bool = True


def date_tiers(compiled: CompiledQuery) -> tuple[DateTier, ...]:
    """How a query with a date ranks, in tiers, each in the engine's own order (docs/
    search.md, "Dates in the words"). The date is the one read from the words
    (`read_text_date`, narrowed to the year filters if any) or, for a ranked query with
    words, the year filters themselves:

    1. items of the other words **dated in** the range (inside it, with DATE_MARGIN);
    2. items with **every word as typed** (the date's too: they mention it) not dated in
       it — only a reordering of tiers 3 and 4;
    3. items of the other words whose date **overlaps** the range but is not in it (a
       church of 1862/.. for *1939*);
    4. items with every word as typed whose date does **not overlap** it (or have none):
       *pożar 1862* still finds the fire of 1862 described in 1865.

    Tiers 2 and 4 exist only for a date in the words (when the words are only a number,
    it may be an identifier or part of a title, and these find it). Empty when the query
    has no date, or when the date read and the year filters do not meet (the date's words
    are then plain words)."""
    query = compiled.query
    filters = (query.date_from, query.date_to)
    text_date = compiled.text_date
    if text_date is not None:
        dated = _overlap((text_date.start, text_date.end), filters)
        if dated is None:
            return ()
    elif compiled.has_text and query.effective_sort == "relevance" and None not in filters:
        dated = filters
    else:
        return ()
    date_words = set(text_date.words) if text_date else set()
    rest = replace(compiled, words=tuple(t for t in compiled.words if t.word not in date_words))
    # Mentioning the date: its numbers and names (*30*, *xix*, *wrzesień*, *wojną*), not
    # the grammar's own words (*lat*, *wiek*, *roku*), which a text writes in other ways.
    said = date_words - _DATE_GRAMMAR_WORDS
    mentioning = replace(
        compiled,
        words=tuple(t for t in compiled.words if t.word not in date_words or t.word in said),
    )

    def tier(base: CompiledQuery, *conditions: DateCondition, dates=dated) -> CompiledQuery:
        narrowed = replace(
            base.query,
            date_from=dates[0],
            date_to=dates[1],
            date_conditions=(*base.query.date_conditions, *conditions),
        )
        return replace(base, query=narrowed)

    start, end = dated
    span = (end - start + 1) if None not in dated else 0
    margin = max(DATE_MARGIN, span // 10)
    within = DateCondition(
        "within",
        None if start is None else start - margin,
        None if end is None else end + margin,
    )
    not_within = replace(within, negated=True)
    tiers = []
    if text_date is not None and said:
        tiers.append(DateTier(tier(mentioning, within), counted=False))
    tiers.append(DateTier(tier(rest, within)))
    if text_date is not None and said:
        tiers.append(DateTier(tier(mentioning, not_within, dates=filters), counted=False))
    tiers.append(DateTier(tier(rest, not_within)))
    if text_date is not None:
        outside = DateCondition("overlap", start, end, negated=True)
        tiers.append(DateTier(tier(mentioning if said else compiled, outside, dates=filters)))
    return tuple(tiers)
