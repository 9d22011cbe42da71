"""Dates as Polish archivists write them (`ok. 1920`, `lata 30. XX w.`, `I poł. XIX w.`,
`3 maja 1791`, `b.d.` …), read into EDTF.

`read_date()` is the one entry point every channel uses (model, admin, import, API): EDTF
is taken as it is (exactly what `archive.dates.parse_date` accepts, with the same years);
anything else is read as a phrase by the small grammar below and turned into EDTF, which
`parse_date` then checks like any other date. A phrase that cannot be read is a
ValidationError naming the part not understood. The conventions (what "pocz." or "poł."
covers, why "XIX w." is 1800–1899) are in docs/dates.md; keep the two together.

Named periods (`II wojna światowa`, `PRL` …) are data: the NamedPeriod table, read once per
process and checked for changes once per request (`PeriodTable`), never per phrase.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
import unicodedata
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .dates import YearInterval, parse_date

MAX_PHRASE_LENGTH = 200

# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateReading:
    """A date as read: the EDTF stored in `Item.date`, the phrase it was read from (empty
    when the text was EDTF already) and its years."""

    edtf: str
    as_written: str
    interval: YearInterval

    @property
    def is_phrase(self) -> bool:
        return bool(self.as_written)


def read_date(text: str) -> DateReading:
    """EDTF as it is, or a Polish date phrase read into EDTF; ValidationError otherwise."""
    text = " ".join((text or "").split())
    if not text:
        return DateReading("", "", YearInterval(None, None))
    interval, error = _as_edtf(text)
    if interval is not None:
        return DateReading(text, "", interval)
    if error is not None and error.code == "year_out_of_range":
        raise error  # EDTF, only too far away: the phrase grammar would say the same
    if len(text) > MAX_PHRASE_LENGTH:
        raise ValidationError(
            _("The date is longer than %(limit)s characters."),
            code="date_phrase",
            params={"limit": MAX_PHRASE_LENGTH},
        )
    edtf = _phrase_to_edtf(text)
    try:
        interval = parse_date(edtf)
    except ValidationError as exc:
        # Worded for the phrase the archivist typed, not for the EDTF made of it.
        if exc.code == "year_out_of_range":
            raise _error(exc.message, exc.code, {**exc.params, "value": text}) from None
        if str(exc.message) == str(_ends_before(text).message):
            raise _ends_before(text) from None
        raise _not_understood(text, text) from None
    return DateReading(edtf, text, interval)


# Characters EDTF is written with; text with others (letters of a phrase) is no EDTF, and
# the edtf library (a pyparsing grammar, milliseconds a string) is not asked.
_EDTF_CHARACTERS = re.compile(r"^[\dXYESTZ?~%/.\-+:\[\]{},\s]+$")
# Shapes EDTF never takes, common in phrases: 1939-1945, 19??, 197?, a dash that is not "-".
_NOT_EDTF = re.compile(r"\d{4}-\d{3,}|\s-|-\s|\?\?|(?:^|\s)\d{1,3}\?|^\[\d{3,4}\??\]$")


@functools.lru_cache(maxsize=50_000)
def _as_edtf(text: str) -> tuple[YearInterval | None, ValidationError | None]:
    """The years of `text` read as EDTF by `parse_date`, or the error it gives; None, None
    when the text cannot be EDTF. Remembered, refusals too (they cost the most)."""
    if not _EDTF_CHARACTERS.match(text) or _NOT_EDTF.search(text):
        return None, None
    try:
        return parse_date(text), None
    except ValidationError as exc:
        return None, exc


def read_item_date(
    date: str, as_written: str = "", stored: tuple[str, str] | None = None
) -> DateReading:
    """The date and the phrase an item keeps, from what a channel was given.

    - `date` is a phrase: it is the date as written, and its EDTF the date.
    - `date` is EDTF and `as_written` is the phrase stored with the item (`stored`, the pair
      as it was loaded): the phrase is kept while the date is the one read from it, and
      dropped when the date was changed (it would describe another date).
    - `date` is EDTF and a phrase is given beside it (an import or API write of both): the
      phrase must read as that very date.
    Errors are ValidationErrors keyed by field (`date` or `date_as_written`).
    """
    try:
        reading = read_date(date)
    except ValidationError as exc:
        raise ValidationError({"date": exc.messages}) from None
    as_written = " ".join((as_written or "").split())
    if reading.is_phrase or not as_written:
        return reading
    if stored is not None and " ".join((stored[1] or "").split()) == as_written:
        if (stored[0] or "").strip() == reading.edtf:
            return replace(reading, as_written=as_written)
        return reading
    try:
        phrase = read_date(as_written)
    except ValidationError as exc:
        raise ValidationError({"date_as_written": exc.messages}) from None
    if not reading.edtf and not date.strip():
        return phrase if phrase.is_phrase else reading  # only the phrase was given
    if phrase.edtf != reading.edtf:
        raise ValidationError(
            {
                "date_as_written": ValidationError(
                    _(
                        "“%(phrase)s” reads as %(phrase_edtf)s, but the date is %(edtf)s. "
                        "Correct one of them, or leave the date as written empty."
                    ),
                    code="date_mismatch",
                    params={
                        "phrase": as_written,
                        "phrase_edtf": phrase.edtf or "—",
                        "edtf": reading.edtf or "—",
                    },
                )
            }
        )
    return replace(reading, as_written=as_written)


# --- errors --------------------------------------------------------------------------------

EXAMPLES = (
    "ok. 1920, 1920?, [1920], lata 30. XX w., I poł. XIX w., przełom XIX i XX w., "
    "3 maja 1791, IX 1939, wiosna 1944, 1939–1945, przed 1939, 197?, b.d."
)


def _error(message, code: str, params: dict) -> ValidationError:
    return ValidationError(message, code=code, params=params)


def _not_understood(value: str, part: str) -> ValidationError:
    return _error(
        _(
            "Could not read “%(part)s” in the date “%(value)s”. Write the date in EDTF "
            "(1920~, 193X, 1942/1945) or as archivists do, e.g. %(examples)s."
        ),
        "date_phrase",
        {"part": part, "value": value, "examples": EXAMPLES},
    )


def _ends_before(value: str) -> ValidationError:
    return _error(
        _("The date “%(value)s” ends before it starts."), "invalid_edtf", {"value": value}
    )


_TURN = _(
    "A turn (przełom) joins two years, decades or centuries that follow each other, e.g. "
    "przełom XIX i XX w."
)
_ENDS_BEFORE = _("The date “%(value)s” ends before it starts.")


class _Problem(Exception):
    """A phrase that is understood but impossible (32 May, month 13, lata 130.)."""

    def __init__(self, message, **params):
        super().__init__(message)
        self.message = message
        self.params = params


# --- text into tokens ----------------------------------------------------------------------

_FOLD = str.maketrans({"ł": "l", "Ł": "L"})
_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−", "-"))


def _fold_char(char: str) -> str:
    folded = unicodedata.normalize("NFKD", char.translate(_FOLD))
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return folded[:1] or " "


@dataclass(frozen=True)
class _Token:
    kind: str  # num, unk, word, p (punctuation), other
    text: str
    start: int
    end: int


_TOKEN = re.compile(
    r"(?P<unk>\d{1,3}(?:[x?]+|-+)(?![\da-z-]))|(?P<num>\d+)|(?P<word>[a-z]+)|(?P<space>\s+)"
    r"|(?P<p>[.,\-/?\[\]()])|(?P<other>.)"
)
_ROMAN = re.compile(r"^m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def roman_value(word: str) -> int | None:
    """The value of a Roman numeral written in lower case, or None."""
    if not word or not _ROMAN.match(word):
        return None
    total = 0
    for i, char in enumerate(word):
        value = _ROMAN_VALUES[char]
        if i + 1 < len(word) and _ROMAN_VALUES[word[i + 1]] > value:
            total -= value
        else:
            total += value
    return total


def _tokens(text: str) -> list[_Token]:
    folded = "".join(_fold_char(c) for c in text.translate(_DASHES))
    tokens = []
    for match in _TOKEN.finditer(folded):
        kind = match.lastgroup
        if kind == "space":
            continue
        value, start = match.group(), match.start()
        if kind == "unk":
            digits = value.rstrip("x?-")
            if len(value) != 4:
                # Not a year with unknown digits ("39?" of "1918–39?"): a number and marks.
                tokens.append(_Token("num", digits, start, start + len(digits)))
                for offset, char in enumerate(value[len(digits) :], start=start + len(digits)):
                    tokens.append(_Token("word" if char == "x" else "p", char, offset, offset + 1))
                continue
            value = digits + "X" * (len(value) - len(digits))
        if kind == "word":
            # "XIXw." and "xixwieku": a Roman numeral glued to the century's abbreviation.
            glued = re.match(r"^([ivxlcdm]+)(w|wiek\w*|pol\w*|cw\w*)$", value)
            if glued and (roman_value(glued[1]) or 99) <= 30:
                split = start + len(glued[1])
                tokens.append(_Token("word", glued[1], start, split))
                tokens.append(_Token("word", glued[2], split, match.end()))
                continue
        tokens.append(_Token(kind, value, start, match.end()))
    return tokens


# --- values --------------------------------------------------------------------------------


def _merge(first: str, second: str) -> str:
    marks = set(first.replace("%", "?~")) | set(second.replace("%", "?~"))
    return "%" if marks == {"?", "~"} else "".join(marks)


@dataclass(frozen=True)
class _Point:
    """One EDTF date without an interval: 1920, 1945-05, 1791-05-03, 1944-21, 197X."""

    text: str
    mark: str = ""

    def edtf(self) -> str:
        return self.text + self.mark

    def first(self) -> _Point:
        # Before the common era the digits count down: -04XX runs from -0499 to -0400.
        return _Point(self.text.replace("X", "9" if self.negative else "0"), self.mark)

    def last(self) -> _Point:
        return _Point(self.text.replace("X", "0" if self.negative else "9"), self.mark)

    @property
    def negative(self) -> bool:
        return self.text.startswith("-")


@dataclass(frozen=True)
class _Span:
    start: _Point | None  # None: open
    end: _Point | None

    def edtf(self) -> str:
        return (
            f"{self.start.edtf() if self.start else '..'}/{self.end.edtf() if self.end else '..'}"
        )

    def first(self) -> _Point | None:
        return self.start.first() if self.start else None

    def last(self) -> _Point | None:
        return self.end.last() if self.end else None


@dataclass(frozen=True)
class _OneOf:
    points: tuple[_Point, ...]

    def edtf(self) -> str:
        return "[" + ",".join(p.edtf() for p in self.points) + "]"


@dataclass(frozen=True)
class _Partial:
    """A calendar date missing its year (or month) that a range or an "or" completes:
    the "3" of "3–5 maja 1791", the "maj" of "maj–czerwiec 1945", the "39" of "1918–39"."""

    day: int | None = None
    month: int | None = None
    season: int | None = None
    digits: str = ""
    mark: str = ""


def _qualify(value, mark: str):
    if not mark:
        return value
    if isinstance(value, _Point):
        return replace(value, mark=_merge(value.mark, mark))
    if isinstance(value, _Span):
        return _Span(
            value.start and _qualify(value.start, mark), value.end and _qualify(value.end, mark)
        )
    if isinstance(value, _OneOf):
        return _OneOf(tuple(_qualify(p, mark) for p in value.points))
    return value


def _year_text(year: int) -> str:
    """A year as EDTF writes it: four digits at least, a minus before the common era."""
    return f"-{-year:04d}" if year < 0 else f"{year:04d}"


def _years(first: int, last: int) -> _Span | _Point:
    if first == last:
        return _Point(_year_text(first))
    return _Span(_Point(_year_text(first)), _Point(_year_text(last)))


def _from_edtf(text: str):
    """A named period's EDTF (a date or an interval) as a value."""
    if "/" in text:
        start, end = text.split("/", 1)
        return _Span(_from_edtf(start) if start not in ("", "..") else None,
                     _from_edtf(end) if end not in ("", "..") else None)  # fmt: skip
    mark = text[-1] if text[-1:] in ("?", "~", "%") else ""
    return _Point(text[: len(text) - len(mark)], mark)


# --- vocabulary (folded: no diacritics, lower case) ----------------------------------------

_NO_DATE = {"bd", "bezdaty", "sd", "sinedato", "br", "bezroku", "brakdaty", "nd", "sa"}
_NO_DATE |= {"sineanno", "datanieznana", "nieznanadata", "brak", "bezdatyiroku", "nieznana"}
_NO_DATE |= {"nieznany", "datanieustalona", "nieustalona", "niedatowany", "niedatowane"}
_APPROXIMATE = {"ok", "okolo", "ca", "c", "circa", "oko"}
_UNCERTAIN = {"prawdopodobnie", "najprawdopodobniej", "prawdop", "przypuszczalnie", "zapewne"}
_UNCERTAIN |= {"chyba", "moze", "prawd", "niepewne", "niepewna"}
_FILLERS = {"w", "we", "z", "ze", "na", "u", "pod", "roku", "rok", "r", "okres", "okresie"}
_PERIOD_FILLERS = {"czasy", "czasach", "czasie", "czasow", "okres", "okresie", "okresu"}
_PERIOD_FILLERS |= {"podczas", "lata", "latach", "lat", "epoka", "epoce", "epoki"}
_YEAR_SUFFIX = {"r", "roku", "rok", "rr", "rokiem"}
_LATA = {"lata", "lat", "latach", "latami", "l"}
_CENTURY_WORDS = {"wiek", "wieku", "wieki", "wiekow", "wiekach", "stulecie", "stulecia"}
_CENTURY_WORDS |= {"stuleciu", "w", "ww"}
# Eras after a date, as word sequences (dots between the words optional): "p.n.e.",
# "przed Chr.", "przed naszą erą" (before the common era); "n.e.", "po Chr." (the common era).
_ERAS = {
    "bc": (
        ("p", "n", "e"), ("pne",), ("przed", "chr"), ("przed", "chrystusem"),
        ("przed", "narodzeniem", "chrystusa"), ("przed", "narodzeniem", "chr"),
        ("przed", "nasza", "era"), ("a", "chr", "n"), ("ante", "christum", "natum"),
        ("bc",), ("bce",),
    ),
    "ad": (
        ("n", "e"), ("ne",), ("naszej", "ery"), ("po", "chr"), ("po", "chrystusie"),
        ("po", "narodzeniu", "chrystusa"), ("po", "narodzeniu", "chr"), ("p", "chr", "n"),
        ("post", "christum", "natum"), ("ad",), ("ce",),
    ),
}  # fmt: skip
_ERA_SEQUENCES = sorted(
    ((words, era) for era, sequences in _ERAS.items() for words in sequences),
    key=lambda entry: -len(entry[0]),
)
_ERA_FIRST_WORDS = {words[0] for words, _era in _ERA_SEQUENCES}
_BEFORE = {"przed", "do", "najpozniej", "ante"}  # ante/post (quem): Latin of older catalogues
_AFTER = {"po", "od", "najwczesniej", "post"}
_OR = {"lub", "albo", "czy"}
_SEASONS = {
    21: ("wiosna", "wiosny", "wiosne", "wiosnie"),
    22: ("lato", "lecie", "latem"),
    23: ("jesien", "jesieni", "jesienia"),
    24: ("zima", "zimy", "zime", "zimie"),
}
_SEASON_WORDS = {word: code for code, words in _SEASONS.items() for word in words}
_MONTH_FORMS = (
    # nominative, genitive, locative, instrumental ("przed wrześniem 1939"); English
    ("styczen", "stycznia", "styczniu", "styczniem", "january"),
    ("luty", "lutego", "lutym", "february"),
    ("marzec", "marca", "marcu", "marcem", "march"),
    ("kwiecien", "kwietnia", "kwietniu", "kwietniem", "april"),
    ("maj", "maja", "maju", "majem", "may"),
    ("czerwiec", "czerwca", "czerwcu", "czerwcem", "june"),
    ("lipiec", "lipca", "lipcu", "lipcem", "july"),
    ("sierpien", "sierpnia", "sierpniu", "sierpniem", "august"),
    ("wrzesien", "wrzesnia", "wrzesniu", "wrzesniem", "september"),
    ("pazdziernik", "pazdziernika", "pazdzierniku", "pazdziernikiem", "october"),
    ("listopad", "listopada", "listopadzie", "listopadem", "november"),
    ("grudzien", "grudnia", "grudniu", "grudniem", "december"),
)


def _month_prefixes() -> dict[str, int]:
    """Every form and abbreviation (3 letters or more) of a month's name, by month."""
    found: dict[str, set[int]] = {}
    for number, forms in enumerate(_MONTH_FORMS, start=1):
        for form in forms:
            for end in range(3, len(form) + 1):
                found.setdefault(form[:end], set()).add(number)
    return {prefix: months.pop() for prefix, months in found.items() if len(months) == 1}


_MONTHS = _month_prefixes()
_DECADE_WORDS = (
    ("dziewiecdziesiat", 90), ("osiemdziesiat", 80), ("siedemdziesiat", 70),
    ("szescdziesiat", 60), ("piecdziesiat", 50), ("czterdziest", 40), ("trzydziest", 30),
    ("dwudziest", 20), ("dziesiat", 10), ("zerow", 0),
)  # fmt: skip
_DECADE_ENDINGS = ("e", "ych", "ymi", "ym", "ego")
_PARTS = {
    "half": {"pol", "polowa", "polowy", "polowie", "polowe"},
    "quarter": {"cw", "cwierc", "cwierci", "cwiercia", "kwartal", "kwartale", "kwartalu", "kw"},
    # ten years of a century, ten days of a month ("II dekada XX w.", "I dekada maja")
    "decade": {"dekada", "dekady", "dekadzie", "dekade", "dziesieciolecie", "dziesiecioleciu"},
    "third": {"tercja", "tercji", "tercje"},
    "begin": {"pocz", "poczatek", "poczatku", "poczatkiem", "poczatki", "poczatkow"},
    "end": {"koniec", "konca", "koncu", "koncem", "kon", "schylek", "schylku", "schylkiem"},
    "middle": {"srodek", "srodku", "sr"},
    "turn": {"przelom", "przelomu", "przelomie", "przelomem", "przel"},
}
_PART_WORDS = {word: kind for kind, words in _PARTS.items() for word in words}
_PART_WORDS.update(koncowka="end", koncowki="end", koncowce="end")
_PART_WORDS.update(
    dict.fromkeys(("cwiercwiecze", "cwiercwiecza", "cwiercwieczu", "cwiercwieczem"), "quarter")
)
_ORDINAL_WORDS = (
    ("pierwsz", 1), ("drug", 2), ("trzec", 3), ("czwart", 4), ("piat", 5), ("szost", 6),
    ("siodm", 7), ("osm", 8), ("dziewiat", 9), ("dziesiat", 10), ("ostatni", -1),
)  # fmt: skip
_ORDINAL_SUFFIXES = {"sza", "szy", "ga", "gi", "cia", "ci", "ta", "ty", "a", "ej", "go"}
_PART_COUNTS = {"half": 2, "quarter": 4, "third": 3, "decade": 10}


# --- named periods -------------------------------------------------------------------------


def period_key(text: str) -> str:
    """A period's name or alias as a lookup key: folded, words and numbers only."""
    return " ".join(re.findall(r"[a-z0-9]+", "".join(_fold_char(c) for c in text)))


def _stem_key(key: str) -> str:
    """The key with each word cut to four letters: "II wojny światowej" meets "II wojna
    światowa" without listing every case of every word."""
    return " ".join(word if word.isdigit() else word[:4] for word in key.split())


class PeriodTable:
    """The NamedPeriod table as {key: EDTF}, read once and then only when it changed.

    Saving or deleting a period through the model clears the table in that process; every
    other process (a second web worker) checks the table's count and last change once per
    request (`expire()` runs when a request starts), never once per phrase.
    """

    def __init__(self):
        self._table: dict[str, str] | None = None
        self._stems: dict[str, str] = {}
        self._fingerprint = None
        self._generation = 0
        self._expired = True

    def expire(self, **kwargs) -> None:
        """Check the table for changes before the next lookup (a request started)."""
        self._expired = True

    def invalidate(self) -> None:
        """Reload the table before the next lookup (a period was saved or deleted)."""
        self._table = None
        self._expired = True

    def generation(self) -> int:
        self._current()
        return self._generation

    def lookup(self, key: str) -> str | None:
        table = self._current()
        return table.get(key) or self._stems.get(_stem_key(key))

    def _current(self) -> dict[str, str]:
        if self._expired or self._table is None:
            from django.apps import apps
            from django.db.models import Count, Max

            model = apps.get_model("archive", "NamedPeriod")
            fingerprint = tuple(
                model.objects.aggregate(n=Count("pk"), last=Max("modified")).values()
            )
            if self._table is None or fingerprint != self._fingerprint:
                self._load(model)
                self._fingerprint = fingerprint
                self._generation += 1
            self._expired = False
        return self._table

    def _load(self, model) -> None:
        table: dict[str, set[str]] = {}
        stems: dict[str, set[str]] = {}
        for period in model.objects.all():
            for name in period.names():
                key = period_key(name)
                if key:
                    table.setdefault(key, set()).add(period.date)
                    stems.setdefault(_stem_key(key), set()).add(period.date)
        # A spelling two periods share means neither: refused rather than guessed.
        self._table = {key: dates.pop() for key, dates in table.items() if len(dates) == 1}
        self._stems = {key: dates.pop() for key, dates in stems.items() if len(dates) == 1}


PERIODS = PeriodTable()


# --- the grammar ---------------------------------------------------------------------------


class _Parser:
    """Recursive descent with backtracking over a phrase's tokens. Each rule returns a value
    and moves on, or returns None and leaves the position where it was; `furthest` is how
    far any rule got, which is where an unreadable phrase stops making sense."""

    def __init__(self, text: str, periods: PeriodTable | None = None):
        self.text = text
        self.periods = periods
        self.needs_periods = False  # a named period was looked for without the table
        self.tokens = _tokens(text)
        self.i = 0
        self.furthest = 0
        self.problems: list[tuple[int, _Problem]] = []
        self.lead = ""  # the qualifier words before the last item read ("ok.")
        self.hyphen = False  # the last range separator was a hyphen-minus, not a dash
        self.era = None  # "bc" or "ad": the era written after the date being read
        self.eras_ahead: dict[int, str | None] = {}  # era_ahead() by position

    # helpers --------------------------------------------------------------------------

    def peek(self, ahead: int = 0) -> _Token | None:
        index = self.i + ahead
        return self.tokens[index] if index < len(self.tokens) else None

    def fail(self, at: int | None = None):
        self.furthest = max(self.furthest, self.i if at is None else at)
        return None

    def problem(self, at: int, message, **params):
        self.problems.append((at, _Problem(message, **params)))
        return None

    def part_text(self, start: int, end: int) -> str:
        end = min(max(end, start + 1), len(self.tokens))
        return self.text[self.tokens[start].start : self.tokens[end - 1].end]

    def word(self, options) -> str | None:
        token = self.peek()
        if token is not None and token.kind == "word" and token.text in options:
            self.i += 1
            return token.text
        return self.fail()

    def punct(self, chars: str) -> str | None:
        token = self.peek()
        if token is not None and token.kind == "p" and token.text in chars:
            self.i += 1
            return token.text
        return self.fail()

    def dot(self) -> None:
        self.punct(".")

    def number(self, lengths=(1, 2, 3, 4)) -> str | None:
        token = self.peek()
        if token is not None and token.kind == "num" and len(token.text) in lengths:
            self.i += 1
            return token.text
        return self.fail()

    def at_end(self) -> bool:
        return self.i >= len(self.tokens)

    def bracketed_qualifier(self) -> str:
        """ "(ok.)", "(ca)", "(prawdopodobnie)" after a date: its mark, and read; else ""."""
        start = self.i
        if self.punct("("):
            word = self.word(_APPROXIMATE | _UNCERTAIN)
            self.dot()
            if word and self.punct(")"):
                return "~" if word in _APPROXIMATE else "?"
        self.i = start
        return ""

    def era_marker(self) -> str | None:
        """ "p.n.e.", "przed Chr." … ("bc") or "n.e.", "po Chr." … ("ad"), or None."""
        start = self.i
        for words, era in _ERA_SEQUENCES:
            for word in words:
                if not self.word({word}):
                    break
                self.dot()
            else:
                return era
            self.i = start
        return None

    def era_ahead(self) -> str | None:
        """The era written after the date starting here: the first era marker that follows
        ("500–400 p.n.e.": both years are before the common era)."""
        start = self.i
        if start in self.eras_ahead:
            return self.eras_ahead[start]
        furthest = self.furthest
        era = None
        for index in range(start, len(self.tokens)):
            if self.tokens[index].text not in _ERA_FIRST_WORDS:
                continue
            self.i = index
            era = self.era_marker()
            if era:
                break
        self.i, self.furthest = start, furthest
        self.eras_ahead[start] = era
        return era

    # the phrase -----------------------------------------------------------------------

    def phrase(self):
        if self.no_date():
            return None
        if self.punct("["):
            value = self.choice()
            if value is not None:
                if self.punct("?"):
                    value = _qualify(value, "?")
                value = self.supplied(value) if self.punct("]") else None
        else:
            value = self.choice()
        while value is not None and self.punct("?"):
            value = _qualify(value, "?")  # after the whole phrase: "[1920]?"
        if value is None or not self.at_end() or isinstance(value, _Partial):
            raise self.failure()
        return value

    def supplied(self, value):
        """[1920]: a date supplied by the cataloguer (ISBD brackets) is marked uncertain, unless
        it says so already or its unspecified digits (197X) carry the doubt."""
        points = value.points if isinstance(value, _OneOf) else [value]
        if isinstance(value, _Span):
            points = [p for p in (value.start, value.end) if p]
        if any("X" in p.text or "?" in p.mark or "%" in p.mark for p in points):
            return value
        return _qualify(value, "?")

    def failure(self) -> ValidationError:
        if self.problems:
            at, problem = max(self.problems, key=lambda entry: entry[0])
            return _error(problem.message, "date_impossible", {**problem.params})
        at = min(self.furthest, len(self.tokens) - 1) if self.tokens else 0
        part = self.part_text(at, len(self.tokens)) if self.tokens else self.text
        if self.tokens:
            # From the start of the word the failing token is in: "19x5", not "5".
            begin = self.tokens[at].start
            while begin > 0 and not self.text[begin - 1].isspace():
                begin -= 1
            part = self.text[begin : self.tokens[-1].end]
        if len(part) > 40:
            part = part[:40] + "…"
        return _not_understood(self.text, part)

    def no_date(self) -> bool:
        letters = "".join(t.text for t in self.tokens if t.kind in ("word", "num"))
        if letters in _NO_DATE and all(t.kind in ("word", "p") for t in self.tokens):
            self.i = len(self.tokens)
            return True
        return False

    # either-or and ranges -------------------------------------------------------------

    def choice(self):
        start = self.i
        first = self.range_()
        if first is None:
            return None
        items = [first]
        while True:
            save = self.i
            if self.word(_OR) is None and self.punct(",") is None:
                break
            following = self.range_()
            if following is None:
                self.i = save
                break
            items.append(following)
        if len(items) == 1:
            return first
        last = items[-1]
        if not isinstance(last, _Point):
            self.i = start
            return self.fail()
        points = []
        for item in items[:-1]:
            if isinstance(item, _Partial):
                item = self.complete(item, last)
            if not isinstance(item, _Point):
                self.i = start
                return self.fail()
            points.append(item)
        return _OneOf((*points, last))

    def joiner_ahead(self) -> bool:
        """A range's separator or an "or" follows: a partial date may be completed."""
        token = self.peek()
        return token is not None and (token.text in ("-", "/", "do", ",", *_OR))

    def separator(self) -> bool:
        self.hyphen = self.peek() is not None and self.text[self.peek().start] == "-"
        return bool(self.punct("-/") or self.word({"do"}))

    def range_(self):
        start = self.i
        opened = self.open_end()
        if opened is not None:
            return opened
        self.i = start
        between = self.between()
        if between is not None:
            return between
        self.i = start
        lata = None
        left = self.item(partial=True)  # a decade reads its own "lata"
        if left is None or isinstance(left, _Partial) and not self.joiner_ahead():
            # "w latach 1918–1939", "lata 1918–39": years after "lata".
            self.i = start
            self.skip({"w", "we", "z", "ze"})
            lata = self.word(_LATA)
            if lata:
                self.dot()
                left = self.item(partial=True)
            if left is None or not lata:
                self.i = start
                return self.fail()
        lead = self.lead
        save = self.i
        if self.separator():
            right = self.item(partial=True)
            if right is not None:
                span = self.span(left, right, lead if not self.lead else "")
                if span is not None:
                    return span
            self.i = save
            return left if lata is None or not isinstance(left, _Partial) else self.fail()
        return left

    def between(self):
        """ "między 1930 a 1935", "pomiędzy 1930 i 1935 r.": a range."""
        start = self.i
        if not self.word({"miedzy", "pomiedzy"}):
            return None
        left = self.item(partial=True)
        lead = self.lead
        if left is not None and (self.word({"a", "i"}) or self.separator()):
            right = self.item(partial=True)
            if right is not None:
                span = self.span(left, right, lead if not self.lead else "")
                if span is not None:
                    return span
        self.i = start
        return self.fail()

    def span(self, left, right, lead: str = ""):
        """left–right; a qualifier written before the range ("ok. 1920–1925") applies to
        both ends unless the second has its own."""
        if isinstance(right, _Partial) and isinstance(left, _Point) and right.digits:
            if self.hyphen and len(right.digits) == 2:
                # "2001-13" is written like EDTF's year-month (2001-12 is December 2001):
                # refused rather than guessed; a dash or the full year is clear.
                return self.problem(
                    0,
                    _(
                        "“%(value)s” looks like a year and a month, but there is no month "
                        "%(month)s. For years write them in full (1939-1945) or with a dash "
                        "(1939–45)."
                    ),  # fmt: skip
                    value=self.text,
                    month=right.digits,
                )
            right = self.abbreviated_year(left, right)
        if isinstance(left, _Partial):
            if isinstance(right, _Partial):
                return self.fail()
            left = self.complete(left, right)
        if isinstance(right, _Partial) or left is None or right is None:
            return self.fail()
        start = left.start if isinstance(left, _Span) else left
        end = right.end if isinstance(right, _Span) else right
        if isinstance(left, _OneOf) or isinstance(right, _OneOf):
            return self.fail()
        if start is not None and end is not None and (start.negative or end.negative):
            # EDTF's intervals take no unspecified digits across the era: I w. p.n.e. –
            # I w. n.e. is -0099/0099.
            start, end = start.first(), end.last()
        return _Span(start, _qualify(end, lead))

    def abbreviated_year(self, left: _Point, right: _Partial):
        """The "39" of "1918–39": the first year's century, or the next one ("1998–02")."""
        if not re.fullmatch(r"\d{4}", left.text[:4]) or len(right.digits) != 2:
            return right
        century = int(left.text[:4]) // 100 * 100
        year = century + int(right.digits)
        if year < int(left.text[:4]):
            year += 100
        return _Point(f"{year:04d}", right.mark)

    def complete(self, partial: _Partial, full):
        """The missing month or year of a partial date, from the date that follows it."""
        point = self._complete(partial, full)
        return _qualify(point, partial.mark) if point is not None else None

    def _complete(self, partial: _Partial, full):
        point = full.start if isinstance(full, _Span) else full
        if not isinstance(point, _Point):
            return None
        sign = "-" if point.negative else ""
        pieces = point.text.removeprefix("-").split("-")
        year = sign + pieces[0]
        if "X" in year:
            return None  # "IV–V w.": no month of a century
        if partial.season is not None:
            return _Point(f"{year}-{partial.season}")
        month = partial.month
        if month is None:
            if partial.day is None or len(pieces) < 3:
                return None
            month = int(pieces[1])
        if partial.day is None:
            return _Point(f"{year}-{month:02d}")
        return self.calendar_point(year, month, partial.day, self.i)

    def skip(self, words) -> None:
        while self.word(words):
            pass

    def open_end(self):
        start = self.i
        kind = None
        if self.word({"nie"}):
            if self.word({"pozniej"}):
                kind = "until"
            elif self.word({"wczesniej"}):
                kind = "from"
            self.word({"niz"})
        else:
            word = self.word(_BEFORE | _AFTER)
            kind = "before" if word in _BEFORE else "after" if word else None
            if word == "od":
                # "od 1918 do 1939" is a range; "od 1918" an open end.
                target = self.item(partial=True)
                if target is None:
                    self.i = start
                    return self.fail()
                save = self.i
                if self.separator():
                    lead = self.lead
                    right = self.item(partial=True)
                    span = (
                        self.span(target, right, lead if not self.lead else "")
                        if (right is not None)
                        else None
                    )
                    if span is not None:
                        return span
                self.i = save
                if isinstance(target, _Partial | _OneOf):
                    self.i = start
                    return self.fail()
                return _Span(self._first(target), None)
            kind = {"przed": "before", "do": "until", "najpozniej": "until"}.get(word, kind)
            if word == "najwczesniej":
                kind = "from"
        if kind is None:
            self.i = start
            return self.fail()
        target = self.item()
        if target is None or isinstance(target, _OneOf | _Partial):
            self.i = start
            return self.fail()
        if kind == "before":
            return _Span(None, self._first(target))
        if kind == "until":
            return _Span(None, self._last(target))
        if kind == "from":
            return _Span(self._first(target), None)
        return _Span(self._last(target), None)

    @staticmethod
    def _first(value) -> _Point:
        if isinstance(value, _Span):
            return value.start if value.start is not None else value.end
        return value.first() if "X" in value.text else value

    @staticmethod
    def _last(value) -> _Point:
        if isinstance(value, _Span):
            return value.end if value.end is not None else value.start
        return value.last() if "X" in value.text else value

    # one date, with its qualifiers ----------------------------------------------------

    def item(self, partial: bool = False):
        outer_era = self.era
        self.era = self.era_ahead()
        try:
            return self._item(partial)
        finally:
            self.era = outer_era

    def _item(self, partial: bool):
        start = self.i
        mark = ""
        while True:
            if self.word(_APPROXIMATE):
                self.dot()
                mark = _merge(mark, "~")
            elif self.word(_UNCERTAIN):
                self.dot()
                mark = _merge(mark, "?")
            elif self.word({"mniej"}) and self.word({"wiecej"}):
                mark = _merge(mark, "~")
            elif self.word({"byc"}) and self.word({"moze"}):
                mark = _merge(mark, "?")
            elif self.abbreviated_prefix_ahead():
                break  # "w. XIX": the century's word, not the preposition
            elif self.word(_FILLERS):
                self.dot()
            else:
                break
        lead = mark
        value = self.base(partial)
        if value is None:
            self.i = start
            return self.fail()
        while True:
            if self.punct("?"):
                mark = _merge(mark, "?")
            elif (
                self.peek()
                and self.peek().text == "("
                and self.peek(1)
                and (self.peek(1).text == "?")
            ):
                self.i += 2
                self.punct(")")
                mark = _merge(mark, "?")
            elif self.word(_YEAR_SUFFIX):
                self.dot()
            elif bracketed := self.bracketed_qualifier():
                mark = _merge(mark, bracketed)
            elif self.era and self.era_marker():
                pass
            else:
                break
        self.lead = lead
        if isinstance(value, _Partial):
            return replace(value, mark=_merge(value.mark, mark))
        return _qualify(value, mark)

    def base(self, partial: bool):
        for rule in (self.with_part, self.decade, self.century, self.season, self.calendar):
            start = self.i
            value = rule(partial) if rule in (self.season, self.calendar) else rule()
            if value is not None:
                return value
            self.i = start
        return self.named_period()

    # parts of centuries, decades and years --------------------------------------------

    def ordinal(self) -> int | None:
        start = self.i
        token = self.peek()
        if token is None:
            return self.fail()
        if token.kind == "word":
            value = roman_value(token.text)
            if value:
                self.i += 1
                return value
            for stem, number in _ORDINAL_WORDS:
                if token.text.startswith(stem):
                    self.i += 1
                    return number
            return self.fail()
        digits = self.number((1, 2))
        if digits is None:
            return None
        if self.punct("-"):
            if not self.word(_ORDINAL_SUFFIXES):
                self.i = start
                return self.fail()
        else:
            self.dot()
        return int(digits)

    def part(self) -> tuple[str, int] | None:
        start = self.i
        ordinal = self.ordinal()
        word = self.word(_PART_WORDS)
        if word is None:
            self.i = start
            return self.fail()
        self.dot()
        kind = _PART_WORDS[word]
        if kind == "half" and ordinal is None:
            kind = "middle"
        if kind in _PART_COUNTS:
            count = _PART_COUNTS[kind]
            if ordinal is None:
                return self.problem(
                    start,
                    _("Say which part: e.g. I ćw. XX w. (first quarter), II poł. XIX w."),
                )
            if ordinal == -1:
                ordinal = count
            if not 1 <= ordinal <= count:
                return self.problem(
                    start,
                    _(
                        "“%(part)s” is not a part of a century: halves are I–II, thirds "
                        "I–III, quarters I–IV."
                    ),  # fmt: skip
                    part=self.part_text(start, self.i),
                )
        elif ordinal is not None:
            self.i = start
            return self.fail()
        return kind, ordinal or 0

    def with_part(self):
        start = self.i
        part = self.part()
        if part is None:
            return None
        after_part = self.i
        for rule in (self.decade, self.century, self.year_part, self.month_part):
            value = rule(part)
            if value is not None:
                return value
            self.i = after_part
        self.i = start
        return self.fail()

    def year_part(self, part):
        kind, ordinal = part
        start = self.i
        year = self.year()
        if year is None or "X" in year or kind == "decade":
            self.i = start
            return self.fail()
        if kind == "turn":
            following = self.next_year(year)
            if following is not None:
                return _Span(_Point(f"{year}-12"), _Point(f"{following}-01"))
            return self.problem(start, _TURN)
        first, last = _part_range(kind, ordinal, 1, 12)
        return _Span(_Point(f"{year}-{first:02d}"), _Point(f"{year}-{last:02d}"))

    def next_year(self, year: str) -> str | None:
        """The year after `year` written after it ("1944 i 1945", "1944/45", "1944–1945"),
        or None (and nothing read)."""
        start = self.i
        if self.word({"i"}) or self.punct("/-"):
            token = self.peek()
            following = self.year()
            if (
                following is None
                and token is not None
                and token.kind == "num"
                and (len(token.text) == 2 and len(year) == 4)
            ):
                self.i += 1
                following = f"{int(year) // 100 * 100 + int(token.text):04d}"
                if int(following) < int(year):
                    following = f"{int(following) + 100:04d}"
            if following is not None and "X" not in following and int(following) == int(year) + 1:
                return following
        self.i = start
        return None

    def month_part(self, part):
        """Parts of a month: "pocz. marca 1945" (days 1–10), "poł." (11–20), "koniec" (21 to
        the last day), "I/II poł." (1–15, 16 to the last), "I–III dekada" (tens of days)."""
        kind, ordinal = part
        start = self.i
        month = self.month()
        if month is None:
            return self.fail()
        following = None
        if kind == "turn":
            save = self.i
            if self.word({"i"}) or self.punct("/-"):
                following = self.month()
            if following != month + 1:
                self.i = save
                return self.problem(start, _TURN)
        year = self.year()
        if year is None or "X" in year or kind == "quarter":
            self.i = start
            return self.fail()
        number = int(year)
        last_day = calendar.monthrange(number if number > 0 else 2000 + number % 400, month)[1]
        if kind == "turn":
            return _Span(_Point(f"{year}-{month:02d}-21"), _Point(f"{year}-{following:02d}-10"))
        days = {
            "begin": (1, 10), "middle": (11, 20), "end": (21, last_day),
            "half": ((1, 15), (16, last_day))[ordinal - 1] if kind == "half" else None,
        }.get(kind)  # fmt: skip
        if days is None:  # thirds and decades of a month: tens of days
            days = ((1, 10), (11, 20), (21, last_day))[ordinal - 1] if ordinal <= 3 else None
        if days is None:
            return self.problem(start, _("A month has three decades (I–III dekada)."))
        return _Span(
            _Point(f"{year}-{month:02d}-{days[0]:02d}"), _Point(f"{year}-{month:02d}-{days[1]:02d}")
        )

    # decades --------------------------------------------------------------------------

    def decade_number(self, after_lata: bool = True) -> tuple[int, bool, str] | None:
        """(30, False, ".") for "30.", "30-te", "trzydzieste"; (1930, True, "s") for
        "1930.", "1930s", "1930-te": the number, whether it has its century, its marker."""
        start = self.i
        token = self.peek()
        if token is None:
            return self.fail()
        if token.kind == "word":
            for stem, value in _DECADE_WORDS:
                if token.text.startswith(stem) and token.text[len(stem) :] in _DECADE_ENDINGS:
                    self.i += 1
                    return value, False, "word"
            return self.fail()
        digits = self.number()
        if digits is None:
            return None
        marker = self.punct(".") or self.word({"s"}) or ""
        following = self.peek(1)
        if not marker and self.punct("-"):
            if following is not None and following.kind == "word":
                marker = self.word({"te", "tych", "ych", "e", "ch", "tymi", "ymi"}) or ""
            if not marker:
                self.i -= 1
        value = int(digits)
        if len(digits) == 4 and value % 10 == 0:
            return value, True, marker
        if len(digits) <= 2 and value % 10 == 0:
            return value, False, marker
        if len(digits) == 4 or not after_lata:
            self.i = start
            return self.fail()
        return self.problem(
            start,
            _("“%(part)s” is not a decade: write e.g. lata 30., lata 1930. or lata trzydzieste."),
            part=self.part_text(start, self.i),
        )

    def decade(self, part=None):
        start = self.i
        if self.era == "bc":
            return self.fail()  # decades BC are not written in Polish catalogues
        lata = self.word(_LATA)
        if lata:
            self.dot()
        first = self.decade_number(bool(lata))
        # Without "lata" only "1930s" or "1930-te" is a decade ("1930." ends a sentence).
        if first is None or (not lata and (not first[1] or first[2] in ("", "."))):
            self.i = start
            return self.fail()
        second = None
        save = self.i
        if self.word({"i", "oraz"}) or self.punct("-/"):
            second = self.decade_number(after_lata=False)
            if (second is None or not (second[2] or first[2])) and first[1] and not first[2]:
                # "lata 1930–1935", "lata 1920–1930": years (daty skrajne), not decades;
                # "lata 1920.–1930.", "lata 1920–1930-te" are decades.
                self.i = start
                return self.fail()
            if second is None:
                self.i = save
        century = self.century_suffix_number()
        if part is None:
            part = self.trailing_part()
        decades = []
        for number, full, _marker in (first, second) if second else (first,):
            if full:
                if century is not None:
                    return self.problem(
                        start, _("Give the decade once: lata 1930. or lata 30. XX w.")
                    )
                decades.append(number)
            else:
                decades.append((19 if century is None else century - 1) * 100 + number)
        if second and decades[1] < decades[0]:
            return self.problem(start, _ENDS_BEFORE, value=self.text)
        if part is not None:
            kind, ordinal = part
            if kind == "turn":
                if len(decades) != 2 or decades[1] != decades[0] + 10:
                    return self.problem(start, _TURN)
                return _years(decades[0] + 8, decades[1] + 1)
            if len(decades) != 1 or kind in ("quarter", "third", "decade"):
                self.i = start
                return self.fail()
            first_year, last_year = _part_range(kind, ordinal, 0, 9)
            return _years(decades[0] + first_year, decades[0] + last_year)
        if len(decades) == 2:
            return _years(decades[0], decades[1] + 9)
        return _Point(f"{decades[0] // 10:03d}X")

    def century_suffix_number(self) -> int | None:
        """The "XX w." after a decade, or None."""
        start = self.i
        number = self.century_number()
        if number is not None and self.century_suffix():
            return number
        self.i = start
        return None

    # centuries ------------------------------------------------------------------------

    def century_suffix(self) -> bool:
        token = self.peek()
        if token is not None and token.kind == "word" and token.text in _CENTURY_WORDS:
            self.i += 1
            self.dot()
            return True
        # "XIX-wieczny", "XVIII-wiecznej": the century as an adjective.
        after = self.peek(1)
        adjective = after is not None and after.kind == "word" and after.text.startswith("wieczn")
        if token is not None and token.text == "-" and adjective:
            self.i += 2
            return True
        self.fail()
        return False

    def century_number(self) -> int | None:
        start = self.i
        token = self.peek()
        if token is None:
            return self.fail()
        if token.kind == "word" and re.fullmatch(r"[ivxlcdm]+", token.text):
            value = roman_value(token.text)
            self.i += 1
            if value is None:
                after = self.peek()
                if after is not None and after.text in _CENTURY_WORDS:
                    return self.problem(
                        start,
                        _("“%(part)s” is not a Roman numeral: write the century e.g. XIX w."),
                        part=self.part_text(start, start + 1),
                    )
                self.i = start
                return self.fail()
            return value
        digits = self.number((1, 2))
        if digits is None:
            return None
        self.dot()
        return int(digits) or self.fail(start)

    def century_prefix(self) -> bool:
        """A century word before the numeral: "wiek XIX", "w. XIX" ("w" only with its dot
        and a Roman numeral after it: "w 1939" is the preposition)."""
        if self.word({"wiek", "wieku", "wieki", "wiekow"}):
            return True
        if self.abbreviated_prefix_ahead():
            self.i += 2
            return True
        return False

    def abbreviated_prefix_ahead(self) -> bool:
        """ "w." then a Roman numeral not followed by a year ("w. XIX", not "w. IX 1939")."""
        word, dot, numeral, after = (self.peek(k) for k in range(4))
        return (
            word is not None
            and word.kind == "word"
            and word.text in ("w", "ww")
            and dot is not None
            and dot.text == "."
            and numeral is not None
            and numeral.kind == "word"
            and bool(roman_value(numeral.text))
            and (after is None or after.kind != "num")
        )

    def suffix_ahead(self) -> bool:
        """The century word after the second numeral of a range serves the first too:
        "koniec XIX – pocz. XX w.", "od poł. XVIII do końca XIX w.". True when a range's
        separator follows and the next numeral after it has a century word; nothing is
        read."""
        start, hyphen = self.i, self.hyphen
        try:
            if not (self.separator() or self.word({"a"})):
                return False
            for at in range(self.i, len(self.tokens) - 1):
                token, after = self.tokens[at], self.tokens[at + 1]
                if token.kind == "p" and token.text in "-/" or token.text == "do":
                    return False  # another range: not this one's suffix
                if (
                    token.kind == "word"
                    and roman_value(token.text)
                    and after.text in _CENTURY_WORDS
                ):
                    return True
            return False
        finally:
            self.i, self.hyphen = start, hyphen

    def trailing_part(self):
        """A part written after its century or decade in brackets: "XX w. (pocz.)",
        "XIX w. (2 poł.)"; None (and nothing read) otherwise."""
        start = self.i
        if self.punct("("):
            part = self.part()
            if part is not None and self.punct(")"):
                return part
        self.i = start
        return None

    def century(self, part=None):
        start = self.i
        prefixed = self.century_prefix()
        first = self.century_number()
        if first is None:
            self.i = start
            return self.fail()
        second = joiner = None
        save = self.i
        joiner = self.word({"i", "a"}) or self.punct("/-")
        if joiner:
            second = self.century_number()
            if second is None:
                self.i, joiner = save, None
        if not prefixed and not self.century_suffix() and not self.suffix_ahead():
            self.i = start
            return self.fail()
        if part is None:
            part = self.trailing_part()
        kind, ordinal = part if part is not None else (None, 0)
        bc = self.era == "bc"
        base, end = _century_years(first, bc)
        if second is not None:
            turn = kind == "turn" or joiner == "/"
            if kind not in (None, "turn"):
                self.i = start
                return self.fail()
            following = _century_years(second, bc)
            if following[0] <= base:
                return self.problem(start, _ENDS_BEFORE, value=self.text)
            if turn:
                if following[0] != end + 1:
                    return self.problem(start, _TURN)
                return _years(end - 9, end + 10)
            return _years(base, following[1])
        if kind is None:
            return _Point(f"{'-' if bc else ''}{first - 1:02d}XX")
        if kind == "turn":
            return self.problem(start, _TURN)
        first_year, last_year = _part_range(kind, ordinal, 0, 99)
        if kind == "decade" and not bc:
            return _Point(f"{(base + first_year) // 10:03d}X")  # II dekada XX w.: 191X
        return _years(base + first_year, base + last_year)

    # seasons, months, days, years -----------------------------------------------------

    def year(self) -> str | None:
        token = self.peek()
        if token is not None and token.kind == "unk" and self.era != "bc":
            self.i += 1
            return token.text
        if self.era:
            # With its era written ("50 p.n.e.", "8 n.e.") a year may be short. EDTF counts
            # years astronomically: 1 BC is 0000, 500 BC is -0499 (docs/dates.md).
            start = self.i
            digits = self.number()
            if digits is None or int(digits) == 0:
                self.i = start
                return self.fail()
            return _year_text(1 - int(digits) if self.era == "bc" else int(digits))
        digits = self.number((3, 4))
        if digits is None:
            return None
        return f"{int(digits):04d}"

    def season(self, partial: bool):
        start = self.i
        word = self.word(_SEASON_WORDS)
        if word is None:
            return None
        year = self.year()
        if year is None:
            if partial:
                return _Partial(season=_SEASON_WORDS[word])
            self.i = start
            return self.fail()
        if "X" in year:
            self.i = start
            return self.fail()
        if _SEASON_WORDS[word] == 24:
            # "zima 1944/45", "zima 1944–1945": the winter between the two years, December
            # to February (docs/dates.md).
            following = self.next_year(year)
            if following is not None:
                return _Span(_Point(f"{year}-12"), _Point(f"{following}-02"))
        return _Point(f"{year}-{_SEASON_WORDS[word]}")

    def month(self) -> int | None:
        token = self.peek()
        if token is None or token.kind != "word":
            return self.fail()
        number = _MONTHS.get(token.text)
        if number is None:
            roman = roman_value(token.text)
            if roman is None or not 1 <= roman <= 12:
                return self.fail()
            number = roman
        self.i += 1
        self.dot()
        return number

    def calendar_point(self, year: str, month: int, day: int, at: int) -> _Point | None:
        if not 1 <= month <= 12:
            return self.problem(at, _("There is no month %(month)s: months are 1–12 (I–XII)."),
                                month=month)  # fmt: skip
        if "X" in year:
            return _Point(f"{year}-{month:02d}-{day:02d}")
        try:
            # The leap years repeat every 400 years, before the common era too.
            datetime.date(int(year) if int(year) > 0 else 2000 + int(year) % 400, month, day)
        except ValueError:
            return self.problem(
                at,
                _("The day %(day)s.%(month)02d.%(year)s does not exist."),
                day=day,
                month=month,
                year=year,
            )
        return _Point(f"{year}-{month:02d}-{day:02d}")

    def calendar(self, partial: bool):
        start = self.i
        token = self.peek()
        if token is None:
            return self.fail()
        if self.era and token.kind == "num":
            # "15 marca 44 p.n.e." is a day; "44 p.n.e.", "500–400 p.n.e." are years.
            if len(token.text) <= 2:
                found = len(self.problems)
                point = self.day_first(partial=False)
                if isinstance(point, _Point) or len(self.problems) > found:
                    return point  # a day, or an impossible one ("29 lutego 44 p.n.e.")
                self.i = start
            year = self.year()
            return _Point(year) if year is not None else self.fail()
        # 1920-13-45: an ISO date the EDTF reading refused; say what is wrong with it.
        if token.kind == "num" and len(token.text) == 4:
            year = self.year()
            save = self.i
            if self.punct("-"):
                month = self.number((1, 2))
                if month and self.punct("-"):
                    day = self.number((1, 2))
                    if day:
                        return self.calendar_point(year, int(month), int(day), start)
            self.i = save
            # 1939.09.01, 1939.09: year first with dots (a dot and two digits, so that
            # "1930." ending a sentence stays a year).
            if self.punct("."):
                month = self.number((2,))
                if month is not None:
                    save_month = self.i
                    if self.punct("."):
                        day = self.number((2,))
                        if day is not None:
                            return self.calendar_point(year, int(month), int(day), start)
                    self.i = save_month
                    if self.calendar_point(year, int(month), 1, start) is None:
                        return None
                    return _Point(f"{year}-{int(month):02d}")
            self.i = save
            return _Point(year)
        if token.kind == "unk":
            return _Point(self.year())
        if token.kind == "num" and len(token.text) <= 2:
            return self.day_first(partial)
        # Month first: maj 1945, IX 1939.
        month = self.month()
        if month is None:
            self.i = start
            return self.fail()
        year = self.year()
        if year is None:
            if partial and (_MONTHS.get(token.text) or self.joiner_ahead()):
                # "maj–czerwiec 1945", "IX–X 1939": the year comes with the second month.
                return _Partial(month=month)
            self.i = start
            return self.fail()
        return _Point(f"{year}-{month:02d}")

    def day_first(self, partial: bool):
        """03.05.1791, 3-5-1791, 3 maja 1791, 3 V 1791, 3.V.1791, 1-go maja 1791; 05.1945."""
        start = self.i
        token = self.peek()
        number = int(self.number((1, 2)))
        if (
            self.peek()
            and self.peek().text == "-"
            and self.peek(1)
            and (self.peek(1).text in ("go", "ego"))
        ):
            self.i += 2  # "1-go września": the ordinal's ending
        elif self.word({"go"}):
            pass
        separator = self.punct(".-/")
        save = self.i
        month_digits = self.number((1, 2)) if separator else None
        if month_digits and self.punct(separator):
            year = self.year()
            if year is not None:
                return self.calendar_point(year, int(month_digits), number, start)
        self.i = save
        if separator == ".":
            year = self.year()
            if year is not None:  # 05.1945: a month and a year
                if self.calendar_point(year, number, 1, start) is None:
                    return None
                return _Point(f"{year}-{number:02d}")
        if separator in (None, "."):
            month = self.month()
            if month is not None:
                year = self.year()
                if year is not None:
                    return self.calendar_point(year, month, number, start)
                if partial:
                    return _Partial(day=number, month=month)
        self.i = start + 1
        if partial:
            return _Partial(day=number, digits=token.text)
        self.i = start
        return self.fail()

    def named_period(self):
        start = self.i
        self.skip(_PERIOD_FILLERS)
        self.skip({"w", "z"})
        self.skip(_PERIOD_FILLERS)
        begin = self.i
        if self.periods is None:
            self.needs_periods = True
            self.i = start
            return self.fail(begin)
        for end in range(len(self.tokens), begin, -1):
            if self.tokens[end - 1].kind not in ("word", "num"):
                continue
            key = " ".join(
                t.text.lower() for t in self.tokens[begin:end] if t.kind in ("word", "num", "unk")
            )
            found = self.periods.lookup(key)
            if found:
                self.i = end
                return _from_edtf(found)
        self.i = start
        return self.fail(begin)


def _century_years(number: int, bc: bool = False) -> tuple[int, int]:
    """The first and last (astronomical) year of a century: XIX w. is 1800–1899 (the house
    rule, docs/dates.md); V w. p.n.e. is 500–401 BC, -0499 to -0400, so that either way
    the century is EDTF's unspecified-digit form (18XX, -04XX)."""
    if bc:
        return -(number * 100 - 1), -(number - 1) * 100
    return (number - 1) * 100, (number - 1) * 100 + 99


def _part_range(kind: str, ordinal: int, low: int, high: int) -> tuple[int, int]:
    """The first and last unit (year of a century or decade, month of a year) of a part.

    Proportions (docs/dates.md): beginning and end a fifth each (20 years of a century,
    pocz./koniec; for a decade 4 and 3 years, for a year 3 months), the middle the central
    fifth, halves, thirds and quarters exact divisions.
    """
    size = high - low + 1
    if kind == "begin":
        return low, low + max(size // 5, 3 if size < 20 else 0) - 1
    if kind == "end":
        return high - max(size // 5, 3 if size < 20 else 0) + 1, high
    if kind == "middle":
        if size == 100:
            return low + 40, low + 60
        if size == 10:
            return low + 4, low + 6
        return low + 4, low + 7
    count = _PART_COUNTS[kind]
    first = low + (ordinal - 1) * size // count
    last = low + ordinal * size // count - 1
    return first, last


def _phrase_to_edtf(text: str) -> str:
    """The EDTF a phrase stands for ("" for "no date"). Most phrases are read by the grammar
    alone and remembered; only those that name a period consult the table."""
    edtf = _grammar(text)
    if edtf is None:
        return _with_periods(text, PERIODS.generation())
    return edtf


@functools.lru_cache(maxsize=20_000)
def _grammar(text: str) -> str | None:
    """The phrase read without named periods; None when only a period could read it."""
    parser = _Parser(text)
    try:
        value = parser.phrase()
    except ValidationError:
        if parser.needs_periods:
            return None
        raise
    return "" if value is None else value.edtf()


@functools.lru_cache(maxsize=5_000)
def _with_periods(text: str, generation: int) -> str:
    """The phrase read with the named periods of one generation of the table."""
    value = _Parser(text, PERIODS).phrase()
    return "" if value is None else value.edtf()
