"""Polish (and English) text analysis, done once in Python and shared by every backend.

Each word is indexed twice, position for position: its *exact* form (lowercased, diacritics
folded, `ł → l` too) and its *lemma* (simplemma, `pl`, then folded). Exact forms are
weighted above lemmas, so *kościoła* ranks items that say *kościoła* above items that say
*kościół*, and both are found.

What we measured and plan around (see docs/search.md):
- simplemma lemmatises words written with diacritics well (`kościoła → kościół`) but leaves
  most diacritic-less forms as they are (`kosciola`). So lemmatise the original text
  first and fold afterwards; for queries typed without diacritics, look the folded form
  up in a map *folded surface form → lemma* recorded from the index's own words at
  indexing time (`LemmaForm`).
- simplemma mangles some local names (`Grodzisku → Grodzisko`, `bożnicy → bożnik`): a small
  override lexicon below wins over it.
- `ł` has no Unicode decomposition; `archive.text.fold` folds it by hand.
- simplemma's default dictionary store unpacks the Polish dictionary into a Python dict:
  ~6 s and ~400 MB per process; its stream store reads the compressed file in place
  (~3 s and ~60 MB per process, ~20 µs a lookup: most of a rebuild's first minute went
  there). Kronika keeps it as a MARISA trie on disk (`LemmaDictionaryFactory`): built
  once per machine, then ~0.1 s and ~20 MB per process, ~1 µs a lookup; same data, same
  lemmas. Web workers load it before their first request (`warm_up`, config/wsgi.py).
- English texts (`title_en`, `description_en`, English names) get the Snowball English
  stemmer in the lemma position instead (`churches → church`), and a query word looks for
  its English stem too, so *churches* finds *church* on every engine alike.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations, product

import snowballstemmer
from django.core.exceptions import ImproperlyConfigured
from marisa_trie import HUGE_CACHE, BytesTrie
from simplemma import Lemmatizer
from simplemma.strategies import DefaultStrategy
from simplemma.strategies.dictionaries import frontcode
from simplemma.strategies.dictionaries.dictionary_factory import _read_decompressed
from simplemma.strategies.dictionaries.trie_dictionary_factory import TrieDictionaryFactory

from archive.text import fold

from .names import NAMES, adjective_of


class LemmaDictionaryFactory(TrieDictionaryFactory):
    """simplemma's dictionaries as MARISA tries cached on disk (`KRONIKA_LEMMA_CACHE_DIR`).

    Built once per machine and simplemma version from the shipped front-coded stream,
    record by record (≈ 10 s and ≈ 400 MB once, instead of simplemma's own build through
    a full Python dict, ≈ 750 MB); written to a temporary file and renamed, so a process
    never loads half a trie. Afterwards a process loads it in ≈ 0.1 s and ≈ 20 MB, and a
    lookup costs ≈ 1 µs (the stream store: ≈ 3 s and ≈ 60 MB per process, ≈ 20 µs a
    lookup). The same dictionary, so the same lemmas."""

    def _build_trie(self, lang: str) -> BytesTrie:
        data = _read_decompressed(lang)
        reverse, _count, start = frontcode._read_header(data)

        def records():
            for _offset, key, value in frontcode._iter_records(data, start):
                if reverse:
                    key, value = key[::-1], value[::-1]
                yield key.decode(), value

        return BytesTrie(records(), cache_size=HUGE_CACHE)

    def _write_trie_to_disk(self, lang: str, trie: BytesTrie) -> None:
        self._cache_dir.mkdir(parents=True, exist_ok=True)
        target = self._cache_dir / f"{lang}.dic"
        partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        try:
            trie.save(str(partial))
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)


def _lemma_cache_dir() -> str | None:
    from django.conf import settings

    try:
        return str(settings.KRONIKA_LEMMA_CACHE_DIR)
    except (AttributeError, ImproperlyConfigured):
        return None  # simplemma's default: the user's cache directory


_LEMMATIZER = Lemmatizer(
    lemmatization_strategy=DefaultStrategy(
        dictionary_factory=LemmaDictionaryFactory(disk_cache_dir=_lemma_cache_dir())
    )
)

# Words: letters and digits (underscore is punctuation to a reader).
_TOKEN = re.compile(r"[^\W_]+")
MAX_TOKEN_LENGTH = 60

# Frequent function words (folded), in Polish and English; never indexed, never required.
_STOPWORD_TEXT = """
    a aby ale albo ani az bo by byc byl byla bylo byly co czy dla do gdy gdzie go i ich
    im iz ja jak jako je jej jego jest juz ktora ktore ktory ktorych ktorym lub ma mu na
    nad nie niz o od oraz po pod przed przez przy sa sie sobie ta tak takze tam te tego
    tej ten tez to tu tym u w we wiec wraz z za ze
    an and are as at be by for from in is it of on or that the this to was were with
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

# Words simplemma gets wrong, by folded surface form → lemma (with diacritics). Place
# names are declined from the catalogue's own vocabulary instead (search/names.py:
# Mszczonów, Żyrardów and their forms no longer need a line here); Grodzisk stays because
# simplemma reads its forms as the common noun *grodzisko* (a hillfort), which the names
# table leaves alone in lower case, and *bożnica* is a common noun.
OVERRIDES: dict[str, str] = {
    **dict.fromkeys(
        ["grodzisk", "grodziska", "grodzisku", "grodziskiem", "grodziskowi"], "grodzisk"
    ),
    **dict.fromkeys(
        ["boznica", "boznicy", "boznice", "boznic", "boznicami", "boznicach"], "bożnica"
    ),
}


# Abbreviations of Polish cataloguing and inscriptions (folded, without the full stop) →
# the word they stand for, so *św. Rocha* meets *świętego Rocha* and *ks.* meets *księdza*.
# Only unambiguous ones: none that is also a word (*par*, *pow*: "par" of pairs…).
ABBREVIATIONS: dict[str, str] = {
    "sw": "święty", "bl": "błogosławiony", "ks": "ksiądz", "bp": "biskup",
    "abp": "arcybiskup", "kard": "kardynał", "ul": "ulica", "al": "aleja",
    "gm": "gmina", "woj": "województwo", "dr": "doktor",
    "prof": "profesor", "inz": "inżynier", "mjr": "major", "kpt": "kapitan",
    "plk": "pułkownik", "ppor": "podporucznik", "pplk": "podpułkownik", "gen": "generał",
    "sierz": "sierżant", "hr": "hrabia",
}  # fmt: skip


@dataclass(frozen=True)
class Analysed:
    """Parallel token lists: `exact[i]` and `lemmas[i]` are the same word of the text."""

    exact: list[str]
    lemmas: list[str]

    @property
    def exact_text(self) -> str:
        return " ".join(self.exact)

    @property
    def lemma_text(self) -> str:
        return " ".join(self.lemmas)

    @property
    def texts(self) -> tuple[str, str]:
        """(exact_text, lemma_text)."""
        return " ".join(self.exact), " ".join(self.lemmas)


def tokens(text: str) -> list[str]:
    """Lowercased words as written (diacritics kept), bounded in length."""
    return [t[:MAX_TOKEN_LENGTH] for t in _TOKEN.findall((text or "").lower())]


def content_tokens(text: str) -> list[str]:
    """`tokens` without stopwords: the words a query requires."""
    return [t for t in tokens(text) if fold(t) not in STOPWORDS]


@lru_cache(maxsize=300_000)
def lemma_of(word: str) -> str:
    """The folded lemma of one lowercased word: override lexicon or abbreviation, else
    simplemma."""
    folded = fold(word)
    override = OVERRIDES.get(folded) or ABBREVIATIONS.get(folded)
    if override:
        return fold(override)
    if word.isdigit():
        return word
    return fold(_LEMMATIZER.lemmatize(word, lang="pl"))


@lru_cache(maxsize=300_000)
def is_common_word(word: str) -> bool:
    """Whether simplemma's Polish dictionary holds this lowercased word as it is: a
    common word, which a vocabulary name's forms must not take over (*wolę*, *wręczy*).
    Proper names are in its dictionary capitalised only, so they are not common."""
    return _LEMMATIZER._lemmatization_strategy.is_dictionary_member(word, "pl")


@lru_cache(maxsize=100_000)
def is_known_word(word: str) -> bool:
    """Whether simplemma's Polish dictionary knows this lowercased word, as a common word
    or a form of one, or as a proper name (looked up capitalised); its guessing rules for
    unknown words do not count."""
    lookup = _LEMMATIZER._lemmatization_strategy._dictionary_lookup
    return lookup.get_lemma(word, "pl") is not None


def name_lemma(word: str, capitalised: bool = False) -> str | None:
    """The lemma of a vocabulary name this lowercased word is a form of (search/names.py),
    when it may be one: capitalised where it was written, not a common word, the name
    itself as catalogued (*Wręcza*), or the dictionary's own form of the place's adjective
    (*mszczonowskiej* → *mszczonowski* ← Mszczonów); else None."""
    folded = fold_word(word)
    lemma = NAMES.lemma(folded)
    if lemma and (
        capitalised
        or folded == lemma
        or not is_common_word(word)
        or lemma_of(word) == adjective_of(lemma)
    ):
        return lemma
    return None


_ENGLISH = snowballstemmer.stemmer("english")
_ENGLISH_LOCK = threading.Lock()  # a Snowball stemmer keeps its state between calls


@lru_cache(maxsize=300_000)
def english_stem(folded: str) -> str:
    """The English stem of one folded word (`churches → church`); local names keep the
    override lexicon's lemma, numbers stay as they are."""
    override = OVERRIDES.get(folded) or ABBREVIATIONS.get(folded)
    if override:
        return fold(override)
    if folded.isdigit():
        return folded
    with _ENGLISH_LOCK:
        return _ENGLISH.stemWord(folded)


def warm_up() -> None:
    """Load the Polish dictionary now (seconds), so no visitor's first search waits."""
    _LEMMATIZER.lemmatize("kościoła", lang="pl")


@lru_cache(maxsize=300_000)
def fold_word(word: str) -> str:
    return fold(word)


# token as found (case kept, not yet cut) → (folded, folded lemma, form), where form is
# ((folded, lemma), word) for a word whose diacritics matter (see `surface_forms`), else
# None; `_STOP` for a stopword. One dict lookup per token on the indexing hot path instead
# of two lru_cache calls and a set test; bounded by clearing, and cleared when the
# vocabulary's name table changes (the lemmas of names depend on it).
_WORD_INFO: dict[str, tuple] = {}
_WORD_INFO_MAX = 500_000
_STOP = ("", "", None)
_names_generation = -1


def _word_info(token: str) -> tuple:
    word = token[:MAX_TOKEN_LENGTH].lower()
    folded = fold_word(word)
    if folded in STOPWORDS or not folded:
        info = _STOP
    else:
        lemma = name_lemma(word, capitalised=_capitalised(token)) or lemma_of(word)
        info = (folded, lemma, ((folded, lemma), word) if folded != word else None)
    if len(_WORD_INFO) >= _WORD_INFO_MAX:
        _WORD_INFO.clear()
    _WORD_INFO[token] = info
    return info


_EN_WORD_INFO: dict[str, tuple] = {}


def _english_word_info(token: str) -> tuple:
    folded = fold_word(token[:MAX_TOKEN_LENGTH])
    info = _STOP if folded in STOPWORDS or not folded else (folded, english_stem(folded), None)
    if len(_EN_WORD_INFO) >= _WORD_INFO_MAX:
        _EN_WORD_INFO.clear()
    _EN_WORD_INFO[token] = info
    return info


def _capitalised(token: str) -> bool:
    """Written with a capital, as names are; not in capitals throughout, as identifiers
    and acronyms are (*MOK-F-0001*, *OSP*)."""
    return token[:1].isupper() and not token.isupper()


def _follow_names() -> None:
    """Drop the per-word memo when the vocabulary's name table changed."""
    global _names_generation
    NAMES.current()
    if NAMES.generation != _names_generation:
        _WORD_INFO.clear()
        _NAMES_TEXTS.clear()
        _names_generation = NAMES.generation


def analyse_parts(
    parts: Iterable[tuple[str, str]], forms: dict[tuple[str, str], str] | None = None
) -> Analysed:
    """`analyse` over (text, language) pairs, one after another: Polish texts get Polish
    lemmas, English texts English stems, in one aligned token list."""
    exact: list[str] = []
    lemmas: list[str] = []
    for text, language in parts:
        if text:
            analysed = analyse(text, forms, language=language)
            exact += analysed.exact
            lemmas += analysed.lemmas
    return Analysed(exact, lemmas)


def analyse(
    text: str, forms: dict[tuple[str, str], str] | None = None, language: str = "pl"
) -> Analysed:
    """Exact folded tokens and their lemmas, stopwords removed, positions aligned.

    With `forms`, also collect the text's surface forms into it (as `surface_forms`
    does, first spelling kept), so indexing reads each text once. Written as list
    comprehensions over cached per-word tuples: this runs for every text of every item
    on a rebuild (≈ 5 million words at 100,000 items).
    """
    if language == "en":
        get_en = _EN_WORD_INFO.get
        words = _TOKEN.findall((text or "").lower())
        infos = [i for i in (get_en(t) or _english_word_info(t) for t in words) if i[0]]
        return Analysed([i[0] for i in infos], [i[1] for i in infos])
    _follow_names()
    get = _WORD_INFO.get
    infos = [get(t) or _word_info(t) for t in _TOKEN.findall(text or "")]
    infos = [i for i in infos if i[0]]
    if forms is not None:
        for key, word in [i[2] for i in infos if i[2] is not None]:
            if key not in forms:
                forms[key] = word
    return Analysed([i[0] for i in infos], [i[1] for i in infos])


# (text, language) → (its analysis, its surface forms) for the names group (facet labels,
# creator lists): the same few thousand names recur on every item of a rebuild. Bounded
# by clearing, and cleared with the per-word memo when the name table changes.
_NAMES_TEXTS: dict[tuple[str, str], tuple[Analysed, dict]] = {}
_NAMES_TEXTS_MAX = 50_000


def analyse_names(
    parts: Iterable[tuple[str, str]], forms: dict[tuple[str, str], str] | None = None
) -> Analysed:
    """`analyse_parts` for texts that recur on many items (the names group: facet
    labels, creator lists), each (text, language) analysed once per process; its surface
    forms still go into `forms` every time."""
    _follow_names()
    exact: list[str] = []
    lemmas: list[str] = []
    for text, language in parts:
        if not text:
            continue
        found = _NAMES_TEXTS.get((text, language))
        if found is None:
            own: dict[tuple[str, str], str] = {}
            found = (analyse(text, own, language=language), own)
            if len(_NAMES_TEXTS) >= _NAMES_TEXTS_MAX:
                _NAMES_TEXTS.clear()
            _NAMES_TEXTS[(text, language)] = found
        if forms is not None:
            for key, word in found[1].items():
                forms.setdefault(key, word)
        exact += found[0].exact
        lemmas += found[0].lemmas
    return Analysed(exact, lemmas)


def surface_forms(text: str) -> set[tuple[str, str, str]]:
    """(folded form, folded lemma, word as written) for words whose diacritics matter:
    what a visitor typing without diacritics needs to be mapped to the right lemma."""
    forms = set()
    for token in tokens(text):
        folded = fold_word(token)
        if folded != token and folded not in STOPWORDS:
            forms.add((folded, lemma_of(token), token))
    return forms


_recorded: set[tuple[str, str]] = set()


def record_forms(texts: Iterable[str]) -> int:
    """Store the surface-form map of these texts (new pairs only); returns how many."""
    forms: dict[tuple[str, str], str] = {}
    for text in texts:
        for folded, lemma, word in surface_forms(text):
            forms.setdefault((folded, lemma), word)
    return record_form_map(forms)


def record_form_map(forms: dict[tuple[str, str], str]) -> int:
    """Store (folded form, lemma) → word pairs not stored yet; returns how many."""
    from .models import LemmaForm

    new = {key: word for key, word in forms.items() if key not in _recorded}
    if not new:
        return 0
    LemmaForm.objects.bulk_create(
        [LemmaForm(form=f[:64], lemma=lemma[:64], word=w[:64]) for (f, lemma), w in new.items()],
        ignore_conflicts=True,
        batch_size=500,
    )
    _recorded.update(new)
    return len(new)


def forget_recorded_forms() -> None:
    """Drop the in-process memos (after the tables are emptied, e.g. between tests): the
    recorded forms, and the vocabulary's name table."""
    _recorded.clear()
    NAMES.invalidate()


def capitalised_words(text: str) -> frozenset[str]:
    """The lowercased words of a text that were written with a capital (for `query_lemmas`)."""
    return frozenset(t.lower() for t in _TOKEN.findall(text or "") if _capitalised(t))


# Letters a word typed without Polish diacritics may have lost them from.
_DIACRITIC_VARIANTS = {
    "a": "ą", "c": "ć", "e": "ę", "l": "ł", "n": "ń", "o": "ó", "s": "ś", "z": "źż",
}  # fmt: skip
#: At most this many letters of one word are given their diacritics back (Polish words
#: rarely have more; it bounds the dictionary lookups to a few hundred).
MAX_RESTORED_LETTERS = 3


@lru_cache(maxsize=20_000)
def restored_lemmas(word: str) -> frozenset[str]:
    """Folded lemmas of the Polish words this one may be when typed without diacritics:
    `kosciola` → *kościoła* → `kosciol`, `swietego` → *świętego* → `swiety`. Only for a
    word written without diacritics that the dictionary does not hold as it is; every
    spelling with up to MAX_RESTORED_LETTERS letters restored that simplemma's dictionary
    holds counts (all of them: `laka` may be *łąka* or *łaka*)."""
    if not word.isascii() or not word.isalpha() or is_common_word(word):
        return frozenset()
    places = [i for i, letter in enumerate(word) if letter in _DIACRITIC_VARIANTS]
    found: set[str] = set()
    for count in range(1, min(MAX_RESTORED_LETTERS, len(places)) + 1):
        for chosen in combinations(places, count):
            for letters in product(*(_DIACRITIC_VARIANTS[word[i]] for i in chosen)):
                spelled = list(word)
                for i, letter in zip(chosen, letters, strict=True):
                    spelled[i] = letter
                candidate = "".join(spelled)
                if is_common_word(candidate):
                    found.add(lemma_of(candidate))
    return frozenset(found)


def query_lemmas(words: Iterable[str], capitalised: Collection[str] = ()) -> dict[str, set[str]]:
    """For each query word, every folded lemma it may stand for: its own lemma, its English
    stem (English texts are indexed with stems: `churches → church`), the lemma of the
    vocabulary name it is a form of (`osuchowie → osuchow`; `capitalised`: the words typed
    with a capital, see `name_lemma`), the lemmas of the words it is when typed without
    diacritics (`restored_lemmas`: `kosciola → kosciol` even when the catalogue has no
    *kościoła*), plus the lemmas of indexed words that fold to the same letters."""
    from .models import LemmaForm

    words = list(dict.fromkeys(words))
    result = {w: {lemma_of(w), english_stem(fold_word(w)), *restored_lemmas(w)} for w in words}
    for w in words:
        name = name_lemma(w, capitalised=w in capitalised)
        if name:
            result[w].add(name)
    by_form: dict[str, list[str]] = {}
    for w in words:
        by_form.setdefault(fold_word(w), []).append(w)
    if by_form:
        # Plain SQL: this runs on every search request, and the ORM's query building
        # cost more than the indexed lookup itself.
        from django.db import connection

        marks = ", ".join(["%s"] * len(by_form))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT form, lemma FROM {LemmaForm._meta.db_table} "  # noqa: S608
                f"WHERE form IN ({marks})",
                list(by_form),
            )
            for form, lemma in cursor.fetchall():
                for w in by_form[form]:
                    result[w].add(lemma)
    return result


def display_word(folded: str) -> str:
    """The word as it is written in the catalogue (with diacritics), for "did you mean"."""
    from .models import LemmaForm

    found = LemmaForm.objects.filter(form=folded).values_list("word", flat=True).first()
    return found or folded
