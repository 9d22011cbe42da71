"""EDTF dates in words for visitors: `1920~` reads "about 1920", `193X` "the 1930s".

The catalogue stores dates as EDTF text (archive/dates.py validates them and derives the
year interval); this module only turns that text into a phrase in the active language.
Anything it does not recognise is shown as written, so a page never fails on a date.
"""

from __future__ import annotations

import calendar
import re

from django.utils.translation import get_language, gettext, pgettext

# A single EDTF date of levels 0 and 1: year (maybe negative, maybe with X digits), month
# or season, day (maybe X), and an optional qualifier at the end.
_SINGLE = re.compile(
    r"""^(?P<neg>-)?(?P<year>[0-9X]{4})
        (?:-(?P<month>[0-9X]{2})(?:-(?P<day>[0-9X]{2}))?)?
        (?P<qualifier>[?~%])?$""",
    re.VERBOSE,
)
_LONG_YEAR = re.compile(r"^Y(?P<year>-?\d{5,})$")

# Month names as they stand in running text. Polish writes them lower case, in the
# nominative alone ("wrzesień 1939") and in the genitive after a day ("3 maja 1791");
# Django's own month names are capitalised (calendar headings), so they are not used here.
_MONTHS_PL_NOMINATIVE = (
    "styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec",
    "lipiec", "sierpień", "wrzesień", "październik", "listopad", "grudzień",
)  # fmt: skip
_MONTHS_PL_GENITIVE = (
    "stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca",
    "lipca", "sierpnia", "września", "października", "listopada", "grudnia",
)  # fmt: skip
_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# language → (month alone with a year, month after a day)
_MONTH_NAMES = {
    "pl": (_MONTHS_PL_NOMINATIVE, _MONTHS_PL_GENITIVE),
    "en": (_MONTHS_EN, _MONTHS_EN),
}


def _month_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    language = (get_language() or "pl").split("-")[0]
    return _MONTH_NAMES.get(language, _MONTH_NAMES["en"])


def _month_year(year: int, month: int, genitive: bool = False) -> str:
    """ "wrzesień 1939" / "September 1939"; after "około", "od", "do": "września 1939"."""
    return f"{_month_names()[1 if genitive else 0][month - 1]} {year}"


def _day_month_year(year: int, month: int, day: int) -> str:
    """ "3 maja 1791" / "3 May 1791"; ValueError for a day the month does not have."""
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise ValueError(f"no day {day} in {year}-{month:02d}")
    return f"{day} {_month_names()[1][month - 1]} {year}"


_ROMAN = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]


def _roman(number: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def _season(code: int, year: str) -> str:
    names = {
        21: gettext("spring %(year)s"),
        22: gettext("summer %(year)s"),
        23: gettext("autumn %(year)s"),
        24: gettext("winter %(year)s"),
    }
    return names[code] % {"year": year}


def _decade_or_century(year: str) -> str | None:
    """`193X` → the 1930s, `18XX` → the 1800s; None when the year has no unspecified digits."""
    if "X" not in year:
        return None
    if re.fullmatch(r"\d{3}X", year):
        start = int(year[:3]) * 10
        # A template rather than a %-format string: languages need different parts of the
        # number (English "the 1930s", Polish "lata 30. XX w."), and gettext checks that a
        # %-format translation uses exactly the placeholders of the English text.
        template = pgettext(
            "decade such as 193X; placeholders {year}=1930 {decade}=30 {century}=20 {roman}=XX",
            # xgettext:no-python-brace-format
            "the {year}s",
        )
        century = start // 100 + 1
        return template.format(
            year=start, decade=f"{start % 100:02d}", century=century, roman=_roman(century)
        )
    if re.fullmatch(r"\d{2}XX", year):
        start = int(year[:2]) * 100
        century = start // 100 + 1
        template = pgettext(
            "century such as 18XX; placeholders {year}=1800 {century}=19 {roman}=XIX",
            # xgettext:no-python-brace-format
            "the {year}s",
        )
        return template.format(year=start, century=century, roman=_roman(century))
    if re.fullmatch(r"\dXXX", year):
        start = int(year[0]) * 1000
        return f"{start}–{start + 999}"
    return None


def year_label(year: int) -> str:
    """A year for readers: 1920; before the common era "500 BC" (EDTF and the stored years
    count astronomically: 0 is 1 BC, -499 is 500 BC)."""
    return str(year) if year > 0 else gettext("%(year)s BC") % {"year": 1 - year}


def years_label(first: int, last: int) -> str:
    """ "1930–1939"; "500–401 BC" when both are before the common era."""
    if first == last:
        return year_label(first)
    if last <= 0:
        return gettext("%(year)s BC") % {"year": f"{1 - first}–{1 - last}"}
    return f"{year_label(first)}–{year_label(last)}"


def _before_common_era(year: str, month: str | None, day: str | None) -> str:
    """A date of year 0 or before, as BC: -0499 is 500 BC, -04XX the 5th century BC."""
    if "X" in year:
        first, last = -int(year.replace("X", "9")), -int(year.replace("X", "0"))
        if re.fullmatch(r"\d{2}XX", year):
            century = int(year[:2]) + 1
            template = pgettext(
                "century BC such as -04XX; placeholders {first}=500 {last}=401 {century}=5 "
                "{roman}=V",
                # xgettext:no-python-brace-format
                "{first}–{last} BC",
            )
            return template.format(
                first=1 - first, last=1 - last, century=century, roman=_roman(century)
            )
        return years_label(first, last)
    astronomical = -int(year) if int(year) else 0
    shown = str(1 - astronomical)
    if month is not None and "X" not in month and 1 <= int(month) <= 12:
        names = _month_names()
        if day is not None and "X" not in day:
            shown = f"{int(day)} {names[1][int(month) - 1]} {shown}"
        else:
            shown = f"{names[0][int(month) - 1]} {shown}"
    return gettext("%(year)s BC") % {"year": shown}


def _plain(neg: bool, year: str, month: str | None, day: str | None, genitive: bool = False) -> str:
    """A date without qualifier: a year, a month of a year, a season or a full day.

    `genitive`: the phrase follows a word that governs the genitive in Polish ("około
    września 1939", "od maja 1945"); a day and month is in the genitive anyway.
    """
    if neg or year == "0000":
        return _before_common_era(year, month, day)
    decade = _decade_or_century(year)
    if decade is not None:
        return decade
    shown_year = year.lstrip("0") or "0"
    if month is None or "X" in month:
        return shown_year
    month_number = int(month)
    if 21 <= month_number <= 24:
        return _season(month_number, shown_year)
    if not 1 <= month_number <= 12:
        return shown_year
    if day is None or "X" in day:
        return _month_year(int(year), month_number, genitive)
    try:
        return _day_month_year(int(year), month_number, int(day))
    except ValueError:
        return shown_year


def _single(text: str, genitive: bool = False) -> str | None:
    if match := _LONG_YEAR.match(text):
        year = match["year"]
        return year_label(int(year))
    match = _SINGLE.match(text)
    if match is None:
        return None
    qualifier = match["qualifier"]
    # "około" (about) takes the genitive: "około września 1939".
    genitive = genitive or qualifier in ("~", "%")
    phrase = _plain(bool(match["neg"]), match["year"], match["month"], match["day"], genitive)
    if qualifier == "~":
        # Translators: an approximate date, e.g. "about 1920" (EDTF 1920~).
        return gettext("about %(date)s") % {"date": phrase}
    if qualifier == "?":
        # Translators: an uncertain date, e.g. "probably 1939" (EDTF 1939?).
        return gettext("probably %(date)s") % {"date": phrase}
    if qualifier == "%":
        # Translators: an uncertain and approximate date (EDTF 1920%).
        return gettext("probably about %(date)s") % {"date": phrase}
    return phrase


def describe_years(start: int | None, end: int | None) -> str:
    """An item's years as a reader sees them: "1930–1939", "1920", "until 1939", "from 1945"."""
    if start is None and end is None:
        return ""
    if start is None:
        return gettext("until %(date)s") % {"date": year_label(end)}
    if end is None:
        return gettext("from %(date)s") % {"date": year_label(start)}
    return years_label(start, end)


def _one_of(text: str) -> str | None:
    """An EDTF set of dates, "[1880,1881]": "1880 or 1881"; None for other sets."""
    members = text[1:-1].split(",")
    words = [_single(member.strip()) for member in members]
    if len(words) < 2 or None in words:
        return None
    # Translators: one date or another, e.g. "1880 or 1881" (EDTF [1880,1881]).
    return gettext("%(dates)s or %(last)s") % {"dates": ", ".join(words[:-1]), "last": words[-1]}


def describe_date(text: str) -> str:
    """The EDTF date `text` in words in the active language; the text itself if unknown."""
    text = (text or "").strip()
    if not text:
        return ""
    if text.startswith("[") and text.endswith("]") and ".." not in text:
        return _one_of(text) or text
    if "/" not in text:
        return _single(text) or text
    start_text, _, end_text = text.partition("/")
    open_start, open_end = start_text in ("", ".."), end_text in ("", "..")
    # An open interval reads "od maja 1945" / "do maja 1945": the genitive in Polish.
    start = None if open_start else _single(start_text, genitive=open_end)
    end = None if open_end else _single(end_text, genitive=open_start)
    if start_text not in ("", "..") and start is None:
        return text
    if end_text not in ("", "..") and end is None:
        return text
    if start is None and end is None:
        return text
    if start is None:
        return gettext("until %(date)s") % {"date": end}
    if end is None:
        return gettext("from %(date)s") % {"date": start}
    # A spaced dash keeps "about 1920 – 1925" readable; plain years take a tight one.
    separator = " – " if " " in start or " " in end else "–"
    return f"{start}{separator}{end}"
