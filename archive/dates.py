"""EDTF dates: validation and the year interval used for filters, facets and sorting.

Items carry their date as EDTF text (`1377`, `1920~`, `193X`, `1942/1945`, `1939?`); the
catalogue derives `date_start`/`date_end` years from the edtf library's fuzzy bounds, so
that "about 1920" overlaps 1919–1921 and "the 1930s" covers 1930–1939.
"""

from __future__ import annotations

import datetime
import functools
import math
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException

MAX_EDTF_LENGTH = 64

# The edtf grammar takes milliseconds a string; plain dates (most of a catalogue) are read
# directly, with the same result, and everything else is parsed once and remembered.
_PLAIN_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_PLAIN_INTERVAL = re.compile(r"^(\d{4})/(\d{4})$")


@dataclass(frozen=True)
class YearInterval:
    start: int | None
    end: int | None


def _year(bound) -> int | None:
    """A struct_time bound as a year; open or unknown ends come back as None."""
    if bound is None or isinstance(bound, float) and math.isinf(bound):
        return None
    return bound.tm_year


def _plain_interval(text: str) -> YearInterval | None:
    """The interval of a plain `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `YYYY/YYYY`, else None."""
    if match := _PLAIN_DATE.match(text):
        year, month, day = match.groups()
        try:
            datetime.date(int(year), int(month or 1), int(day or 1))
        except ValueError:
            return None  # let the library word the error
        return YearInterval(int(year), int(year))
    if match := _PLAIN_INTERVAL.match(text):
        return YearInterval(int(match[1]), int(match[2]))
    return None


def parse_date(text: str) -> YearInterval:
    """Validate an EDTF string and return its year interval.

    Raises ValidationError with a message an archivist can act on.
    """
    text = (text or "").strip()
    if not text:
        return YearInterval(None, None)
    plain = _plain_interval(text)
    if plain is not None:
        if plain.start > plain.end:
            raise _ends_before_start(text)
        return plain
    return _parse_edtf(text)


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
