"""Proper names inflect: the catalogue's own place, person and collection names, declined.

A visitor types *Osuchowie*, a description says *w Osuchowie*, the place is catalogued as
*Osuchów*; simplemma knows some Polish place names and not others (nor any invented local
name). So the declension is derived from the vocabulary itself, not from a hand list per
name: every name word of `Place.name`, `Agent.name` and `Collection.title` (see
`name_words` for which words count) is declined by the class its ending shows
(`forms_of`: -ów, -a, -o, -ie, -ice/-ce, -y, adjectival -ski/-cki, consonants), and each
folded form maps to the word's folded lemma. A form two names share maps to neither.

`search/analysis.py` puts that lemma in the lemma position of a word when indexing and
adds it to a query word's lemmas (with the guards documented in docs/search.md, "Proper
names"). The table is read once per process and re-read when the vocabulary changed
(`NameTable`).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable

from archive.text import fold

#: Case endings a nominative name word never has: such a word in a name is inflected
#: already ("ul. Poniatowskiego", "Rada Miejska w Mszczonowie"), not a base.
OBLIQUE_ENDINGS = ("ego", "emu", "ej", "ych", "ich", "ami", "ach", "owi")
MIN_NAME_LENGTH = 3
#: How often (seconds) a process re-checks the vocabulary's fingerprint (one small query)
#: for changes made by another process; changes made in this one apply at once.
RECHECK_SECONDS = 60.0

_WORD = re.compile(r"[^\W\d_]+")
_ADJECTIVE = re.compile(r"(.*(?:s|c|dz)k)(?:i|a|ie)$")
# Locative (and dative) of a hard stem: the final consonant softens before -e.
_HARD_LOCATIVE = (
    ("st", "scie"),
    ("zd", "zdzie"),
    ("ch", "sze"),
    ("sl", "sle"),
    ("k", "ce"),
    ("g", "dze"),
    ("r", "rze"),
    ("t", "cie"),
    ("d", "dzie"),
    ("n", "nie"),
    ("w", "wie"),
    ("m", "mie"),
    ("p", "pie"),
    ("b", "bie"),
    ("f", "fie"),
    ("s", "sie"),
    ("z", "zie"),
    ("l", "le"),
)
_SOFT = ("cz", "sz", "rz", "dz", "c", "j", "l", "i")


def _locative(stem: str) -> str | None:
    for end, replacement in _HARD_LOCATIVE:
        if stem.endswith(end):
            return stem[: -len(end)] + replacement
    return None


def lemma_of_name(word: str) -> str:
    """The folded lemma of a folded name word: adjectival names by their masculine form
    (as simplemma lemmatises adjectives: *Mszczonowska → mszczonowski*), others as they are."""
    adjective = _ADJECTIVE.fullmatch(word)
    return adjective.group(1) + "i" if adjective else word


def forms_of(word: str) -> set[str]:
    """The folded forms of one folded name word in the nominative, by the declension its
    ending shows. Generous on purpose: a form no text contains costs nothing, a missing
    one loses a match."""
    forms = {word}
    adjective = _ADJECTIVE.fullmatch(word)
    if adjective:
        stem = adjective.group(1)
        forms |= {stem + e for e in ("i", "iego", "iemu", "im", "ich", "imi", "a", "iej", "ie")}
        forms.add(stem[:-1] + "cy")  # virile plural: mszczonowscy, mazowieccy
        return forms
    if word.endswith(("ice", "yce")):
        stem = word[:-1]
        return forms | {stem, stem + "ach", stem + "om", stem + "ami"}
    if word.endswith("ce"):  # Bobrowce: Bobrowiec, Bobrowcach
        stem = word[:-1]
        return forms | {stem + "ach", stem + "om", stem + "ami", stem[:-1] + "iec"}
    if word.endswith("ie"):  # Błonie, Zalesie
        stem = word[:-1]
        return forms | {stem + "a", stem + "u", stem + "em"}
    if word.endswith("e"):  # adjectival neuter: Zakopane
        stem = word[:-1]
        return forms | {stem + e for e in ("ego", "emu", "ym", "em", "ych")}
    if word.endswith(("y", "i")):  # plural (Piekary, Kobyłki) or adjective (Nowy)
        stem = word[:-1]
        forms |= {stem, stem + "ach", stem + "om", stem + "ami"}
        forms |= {stem + e for e in ("ego", "emu", "ym", "ych", "ej", "a")}
        if stem.endswith("k"):
            forms |= {stem[:-1] + "ek", stem + "iego", stem + "iemu", stem + "im", stem + "iej"}
        return forms
    if word.endswith("a"):  # Lutkówka, Rawa, Wręcza, Maria; masculine Kuba too
        stem = word[:-1]
        forms |= {stem + e for e in ("y", "i", "e", "o", "ej", "owie")}
        forms.add(stem)  # genitive plural
        if stem.endswith("k"):
            forms.add(stem[:-1] + "ek")  # Lutkówek
        if stem.endswith("i"):
            forms.add(stem + "i")  # Marii
        elif not stem.endswith(_SOFT):
            forms.add(_locative(stem) or stem + "ie")
        return forms
    if word.endswith("o"):  # Pniewo, Gniezno; Kościuszko
        stem = word[:-1]
        forms |= {stem + e for e in ("a", "u", "em", "i", "y")}
        if not stem.endswith(("k", "g", "ch")):
            forms.add(_locative(stem) or stem + "ie")
        return forms
    # A consonant: Mszczonów, Grodzisk, Tarczyn, Irkuck, Maklakiewicz, Nomberg.
    forms |= {word + e for e in ("a", "u", "owi", "em", "owie", "ow", "om", "ami", "ach")}
    if word.endswith(("k", "g")):
        forms.add(word + "iem")
    elif word.endswith("ch") or word.endswith(_SOFT) or word.endswith("z"):
        forms.add(word + "e")
    else:
        forms.add(_locative(word) or word + "ie")
    if word.endswith("n"):  # Poznań, Toruń: the folded ń
        forms |= {word + e for e in ("ia", "iu", "iem", "iowi")}
    if word.endswith("iec"):  # Bobrowiec: Bobrowca (the e is mobile)
        stem = word[:-3] + "c"
        forms |= {stem + e for e in ("a", "u", "owi", "em", "e")}
    elif word.endswith("ek"):  # Marek: Marka
        stem = word[:-2] + "k"
        forms |= {stem + e for e in ("a", "u", "owi", "iem")}
    return forms


# A place name's ending → how its adjective is formed (folded): the ending is cut and the
# suffix added. First match wins; names whose adjective is irregular (*Kielce → kielecki*,
# *Zakopane → zakopiański*) or ends in a soft consonant get none.
_ADJECTIVE_RULES = (
    ("ice", "icki"),  # Grzegorzewice → grzegorzewicki, Radziejowice → radziejowicki
    ("yce", "ycki"),
    ("sk", "ski"),  # Grodzisk → grodziski, Gdańsk → gdański
    ("ck", "cki"),  # Irkuck → irkucki
    ("ec", "ecki"),  # Grójec → grójecki
    ("ka", "ski"),  # Lutkówka → lutkowski, Marianka → mariański
    ("nie", "nski"),  # Błonie → błoński
    ("a", "ski"),  # Warszawa → warszawski, Rawa → rawski
    ("o", "ski"),  # Pniewo → pniewski
    ("y", "ski"),  # Piekary → piekarski, Pniewy → pniewski
    ("ow", "owski"),  # Mszczonów → mszczonowski, Lindów → lindowski
    ("ew", "ewski"),
    ("yn", "ynski"),  # Tarczyn → tarczyński
    ("in", "inski"),
    ("on", "onski"),
    ("an", "anski"),
    ("en", "enski"),
    ("om", "omski"),  # Radom → radomski
)


def adjective_of(word: str) -> str | None:
    """The folded masculine adjective of a folded place name by its ending (`Lindów` →
    *lindowski*, `Grzegorzewice` → *grzegorzewicki*, `Warszawa` → *warszawski*), or None
    when the ending has no regular adjective or the name is an adjective already."""
    if _ADJECTIVE.fullmatch(word) or word.endswith(OBLIQUE_ENDINGS):
        return None
    for ending, suffix in _ADJECTIVE_RULES:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_NAME_LENGTH - 1:
            return word[: -len(ending)] + suffix
    return None


def adjective_forms(place: str, lemma_of=None, is_common=None) -> set[str]:
    """The folded forms of the adjective derived from a place name word (`forms_of` its
    masculine form: *lindowskiego*, *mszczonowskiej*, *mszczonowscy*), guarded against
    common words: a form the dictionary holds (`is_common`) is kept only when the
    dictionary reads it as this very adjective (`lemma_of`), so *laska* (a cane) is no
    form of a place *Las*, while *mszczonowska* is one of Mszczonów."""
    adjective = adjective_of(place)
    if not adjective:
        return set()
    return {
        form
        for form in forms_of(adjective)
        if is_common is None or not is_common(form) or fold(lemma_of(form)) == adjective
    }


def name_words(name: str, head: bool) -> list[str]:
    """The words of a vocabulary name that are names (as written): capitalised, at least
    MIN_NAME_LENGTH letters, not an acronym or a Roman numeral (all capitals), without a
    case ending no nominative has. `head`: the name is a place's or a person's, whose
    words before a comma or a bracket are nominative by cataloguing convention; only they
    are kept. Other names (collection titles, organisations) are filtered later against
    simplemma (`NameTable._load`)."""
    if head:
        name = re.split(r"[,(]", name, maxsplit=1)[0]
    words = []
    for word in _WORD.findall(name):
        if (
            len(word) >= MIN_NAME_LENGTH
            and word[0].isupper()
            and not word.isupper()
            and not fold(word).endswith(OBLIQUE_ENDINGS)
        ):
            words.append(word)
    return words


def build_table(
    trusted: Iterable[str],
    others: Iterable[str],
    lemma_of=None,
    is_common=None,
    places: Iterable[str] = (),
) -> dict[str, str]:
    """folded form → folded name lemma, from name words in the nominative (`trusted`)
    and name words that may be inflected or common (`others`): one of those becomes a
    name only if simplemma takes it for a lemma of its own (`lemma_of(word)` folds to the
    word) and not a common word (`is_common`), and it is no form of another name
    (*Ludzie Mszczonowa* beside *Mszczonów*). The adjectives derived from place name words
    (`places`, `adjective_forms`) map to their place: *lindowskiego* → `lindow`, unless
    the place word is a common word itself (*Wola*, *Góra*). A form of two names maps to
    neither."""
    bases = {fold(w) for w in trusted}
    derived: dict[str, set[str]] = {}
    for place in {fold(w) for w in places if is_common is None or not is_common(w.lower())}:
        for form in adjective_forms(place, lemma_of, is_common):
            derived.setdefault(form, set()).add(lemma_of_name(place))
    candidates = set()
    for word in others:
        folded = fold(word)
        if folded in bases:
            continue
        if lemma_of is not None and lemma_of(word.lower()) != folded:
            continue
        if is_common is not None and is_common(word.lower()):
            continue
        candidates.add(folded)
    table: dict[str, set[str]] = {}
    for base in bases:
        for form in forms_of(base):
            table.setdefault(form, set()).add(lemma_of_name(base))
    for candidate in candidates - set(table):
        for form in forms_of(candidate):
            table.setdefault(form, set()).add(lemma_of_name(candidate))
    for form, lemmas in derived.items():
        table.setdefault(form, set()).update(lemmas)
    return {form: lemmas.pop() for form, lemmas in table.items() if len(lemmas) == 1}


class NameTable:
    """The name-form table of the catalogue, read once and then only when it changed.

    Saving or deleting a place, person or collection in this process invalidates it
    (search/apps.py connects the signals); a change made by another process is seen when
    the vocabulary's fingerprint (counts, highest ids, total name length) is next checked,
    at most RECHECK_SECONDS later: never a query per request.
    """

    def __init__(self):
        self._table: dict[str, str] | None = None
        self._previous: dict[str, str] | None = None
        self._fingerprint = None
        self._checked_at = 0.0
        self._expired = True
        self._lock = threading.Lock()
        #: Bumped whenever the table's content changes (analysis drops its word cache).
        self.generation = 0

    def invalidate(self, **kwargs) -> None:
        self._table = None
        self._expired = True

    def lemma(self, folded: str) -> str | None:
        return self.current().get(folded)

    def current(self) -> dict[str, str]:
        if (
            self._expired
            or self._table is None
            or time.monotonic() - self._checked_at > RECHECK_SECONDS
        ):
            with self._lock:
                self._refresh()
        return self._table

    def _refresh(self) -> None:
        if self._table is not None and _fingerprint() == self._fingerprint:
            self._checked_at, self._expired = time.monotonic(), False
            return
        rows = _rows()
        table = build_names(rows)
        if table != self._previous:
            self.generation += 1
        self._table = self._previous = table
        self._fingerprint = _fingerprint_of(rows)
        self._checked_at, self._expired = time.monotonic(), False


def _tables() -> list[tuple[str, str, str, str]]:
    """(source, table, name column, kind column or a constant) of the vocabulary."""
    from archive.models import Agent, Place
    from curation.models import Collection

    return [
        ("place", Place._meta.db_table, "name", "''"),
        ("agent", Agent._meta.db_table, "name", "kind"),
        ("collection", Collection._meta.db_table, "title", "''"),
    ]


# Plain SQL, one statement each, built only from the models' own table and column names:
# the check runs once per request, the load only when the vocabulary changed.
def _rows() -> list[tuple[str, int, str, str]]:
    from django.db import connection

    sql = " UNION ALL ".join(
        f"SELECT '{source}', id, {column}, {kind} FROM {table}"  # noqa: S608
        for source, table, column, kind in _tables()
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def _fingerprint_of(rows) -> tuple:
    """Per source: how many rows, the highest id, the total length of the names."""
    found = {}
    for source, pk, name, _kind in rows:
        n, last, length = found.get(source, (0, 0, 0))
        found[source] = (n + 1, max(last, pk), length + len(name))
    return tuple(sorted(found.items()))


def _fingerprint() -> tuple:
    from django.db import connection

    sql = " UNION ALL ".join(
        f"SELECT '{source}', COUNT(*), MAX(id), SUM(LENGTH({column})) FROM {table}"  # noqa: S608
        for source, table, column, _kind in _tables()
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    return tuple(sorted((s, (n, last, length)) for s, n, last, length in rows if n))


def build_names(rows) -> dict[str, str]:
    """The name-form table from the vocabulary's rows (see `name_words` for which words
    of which names count)."""
    from .analysis import is_common_word, lemma_of

    trusted, others, places = set(), [], set()
    for source, _pk, name, kind in rows:
        if source == "place" or (source == "agent" and kind == "person"):
            trusted.update(name_words(name, head=True))
        if source == "place":
            places.update(name_words(name, head=True))
        others += name_words(name, head=False)
    return build_table(trusted, others, lemma_of=lemma_of, is_common=is_common_word, places=places)


NAMES = NameTable()
