"""EDTF dates: validation and the year interval used for filters, facets and sorting.

Items carry their date as EDTF text (`1377`, `1920~`, `193X`, `1942/1945`, `1939?`); the
catalogue derives `date_start`/`date_end` years from the edtf library's fuzzy bounds, so
that "about 1920" overlaps 1919–1921 and "the 1930s" covers 1930–1939.

Every channel (model clean and save, admin, API, import) reads dates through `parse_date`,
which also keeps the years within the archive's range (settings KRONIKA_YEAR_MIN and
KRONIKA_YEAR_MAX, default -10000..2100): EDTF can write a year of any size (`Y1E19`), and
such a year would not fit the database nor any page that lists years.
"""

from __future__ import annotations

import datetime
import functools
import math
import re
from dataclasses import dataclass

from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException

MAX_EDTF_LENGTH = 64
DEFAULT_YEAR_MIN, DEFAULT_YEAR_MAX = -10000, 2100
# The widest range a deployment may set: four-digit years either side of 0 and a margin
# for archaeology; years beyond it would overflow the pages and filters that list them.
YEAR_LIMIT = 1_000_000

# The edtf grammar takes milliseconds a string; the common dates (plain or qualified years,
# months and days, decades and centuries with X, seasons, and intervals of these: what the
# date phrases of archive/date_phrases.py are read into) are read directly, with the
# library's very years (tests/archive/test_models.py compares them), and everything else is
# parsed once and remembered.
_PLAIN_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([~?%])?$")
_UNSPECIFIED_YEAR = re.compile(r"^(\d{2}XX|\d{3}X)([~?%])?$")
# How far the library widens a qualified date, in units of its precision (a year for a
# year, month or day; ten years for 193X; a hundred for 18XX).
_PADDING = {None: 0, "~": 1, "?": 1, "%": 2}
# An exponential year (`Y17E7`, level 2); the library computes 10**exponent, which for an
# exponent of millions takes seconds or more, so such years are refused before it runs.
_EXPONENTIAL_YEAR = re.compile(r"Y-?(\d+)E(\d+)")


@dataclass(frozen=True)
class YearInterval:
    start: int | None
    end: int | None


def _year(bound) -> int | None:
    """A struct_time bound as a year; open or unknown ends come back as None."""
    if bound is None or isinstance(bound, float) and math.isinf(bound):
        return None
    return bound.tm_year


def _single_years(text: str) -> tuple[int, int] | None:
    """First and last year of one common date (see _PLAIN_DATE), else None."""
    if match := _PLAIN_DATE.match(text):
        year, month, day, mark = match.groups()
        if month and 21 <= int(month) <= 24 and not day and not mark:
            return int(year), int(year)  # a season
        try:
            datetime.date(int(year), int(month or 1), int(day or 1))
        except ValueError:
            return None  # let the library word the error
        pad = _PADDING[mark]
        return int(year) - pad, int(year) + pad
    if match := _UNSPECIFIED_YEAR.match(text):
        digits, mark = match.groups()
        unit = 10 ** digits.count("X")
        first = int(digits.replace("X", "0"))
        pad = _PADDING[mark] * unit
        return first - pad, first + unit - 1 + pad
    return None


def _plain_interval(text: str) -> YearInterval | None:
    """The interval of a common date or of an interval of two (or with an open end `..`),
    read without the library; None for anything else."""
    start, slash, end = text.partition("/")
    if not slash:
        years = _single_years(text)
        return YearInterval(*years) if years else None
    if "/" in end or (start == ".." and end == ".."):
        return None
    if any("X" in part and part[-1:] in "~?%" for part in (start, end)):
        return None  # the library refuses 193X? as an interval's end: let it say so
    first = None if start == ".." else _single_years(start)
    last = None if end == ".." else _single_years(end)
    if (first is None and start != "..") or (last is None and end != ".."):
        return None
    return YearInterval(first and first[0], last and last[1])


def year_range() -> tuple[int, int]:
    """The first and last year the archive accepts (settings KRONIKA_YEAR_MIN/MAX)."""
    return (
        getattr(settings, "KRONIKA_YEAR_MIN", DEFAULT_YEAR_MIN),
        getattr(settings, "KRONIKA_YEAR_MAX", DEFAULT_YEAR_MAX),
    )


def parse_date(text: str) -> YearInterval:
    """Validate an EDTF string and return its year interval.

    Raises ValidationError with a message an archivist can act on.
    """
    text = (text or "").strip()
    if not text:
        return YearInterval(None, None)
    interval = _plain_interval(text)
    if interval is not None:
        if None not in (interval.start, interval.end) and interval.start > interval.end:
            raise _ends_before_start(text)
    elif _exponent_too_large(text):
        raise _out_of_range(text)
    else:
        interval = _parse_edtf(text)
    _check_range(text, interval)
    return interval


def _check_range(text: str, interval: YearInterval) -> None:
    """Every year of the interval (with the widening of ~ ? and X) within the archive's range."""
    first, last = year_range()
    years = [year for year in (interval.start, interval.end) if year is not None]
    if any(not first <= year <= last for year in years):
        raise _out_of_range(text)


def _exponent_too_large(text: str) -> bool:
    """True for an exponential year with more digits than any accepted year can have."""
    most_digits = len(str(YEAR_LIMIT))
    return any(
        len(digits.lstrip("0")) + int(exponent) > most_digits
        for digits, exponent in _EXPONENTIAL_YEAR.findall(text)
    )


def _out_of_range(text: str) -> ValidationError:
    first, last = year_range()
    return ValidationError(
        _(
            "The date “%(value)s” reaches outside the years this archive accepts "
            "(%(first)s to %(last)s)."
        ),
        code="year_out_of_range",
        params={"value": text, "first": first, "last": last},
    )


def _ends_before_start(text: str) -> ValidationError:
    return ValidationError(
        _("The date “%(value)s” ends before it starts."),
        code="invalid_edtf",
        params={"value": text},
    )


@functools.lru_cache(maxsize=50_000)
def _parse_edtf(text: str) -> YearInterval:
    if len(text) > MAX_EDTF_LENGTH or "\x00" in text:
        raise ValidationError(_("The date is too long to be an EDTF date."), code="invalid_edtf")
    try:
        parsed = parse_edtf(text)
        start, end = _year(parsed.lower_fuzzy()), _year(parsed.upper_fuzzy())
    except (EDTFParseException, TypeError, ValueError, OverflowError, AttributeError) as exc:
        raise ValidationError(
            _(
                "“%(value)s” is not a valid EDTF date. Examples: 1377, 1920~ (about 1920), "
                "193X (the 1930s), 1942/1945 (from 1942 to 1945), 1939? (perhaps 1939), "
                "1905-05-03."
            ),
            code="invalid_edtf",
            params={"value": text},
        ) from exc
    if start is not None and end is not None and start > end:
        raise _ends_before_start(text)
    return YearInterval(start, end)


def check_year_range(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """KRONIKA_YEAR_MIN/MAX must be whole numbers, in order, within ±YEAR_LIMIT."""
    first, last = year_range()
    if not all(isinstance(year, int) and abs(year) <= YEAR_LIMIT for year in (first, last)) or (
        first > last
    ):
        return [
            checks.Error(
                f"KRONIKA_YEAR_MIN/KRONIKA_YEAR_MAX ({first!r}, {last!r}) are not a range of "
                "years.",
                hint=f"Set two whole numbers, the first not after the second, within "
                f"±{YEAR_LIMIT}; the defaults are {DEFAULT_YEAR_MIN} and {DEFAULT_YEAR_MAX}.",
                id="archive.E001",
            )
        ]
    return []
