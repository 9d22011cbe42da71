"""A visitor's search request, parsed once into a shape every backend understands.

Parsing never raises on the query text itself: quotes, operators, brackets, NUL bytes or
emoji are all plain text here. Only malformed *parameters* (a non-integer `date_from`, an
unknown `sort`) raise `QueryError`, which the API turns into a 400 naming the parameter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
from django.utils.translation import gettext as _

from archive.dates import year_range

from . import analysis

MAX_QUERY_LENGTH = 500
MAX_TERMS = 16
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_FILTER_VALUES = 50

FACETS = ("item_type", "collection", "decade", "place", "subject", "licence", "has_media")
SORTS = ("relevance", "date", "-date", "title")

# A quoted phrase (optionally excluded) or a bare word (optionally excluded).
_PART = re.compile(r'(-?)"([^"]*)"|(-?)([^\s"]+)')
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class DateCondition:
    """A condition on an item's year interval (`date_start`, `date_end`; an open end is
    None), set by the query compiler's date tiers (search/compiler.py), never from request
    parameters. `overlap`: the item's interval meets [start, end] (as `date_from` /
    `date_to` do); `within`: it lies inside it (each end of the item that the condition
    bounds is known: *1890/..* is not within 1950–1960, nor within "after 1950"). `negated` turns it
    round (undated items then qualify). A None end of the condition is open."""

    kind: str  # "overlap" or "within"
    start: int | None
    end: int | None
    negated: bool = False

    def sql(self, prefix: str = "") -> tuple[str, list[int]]:
        """The condition as SQL over `<prefix>date_start` / `<prefix>date_end` (SQLite and
        PostgreSQL write it alike), never NULL, with its parameters."""
        start, end = f"{prefix}date_start", f"{prefix}date_end"
        params: list[int] = []
        if self.kind == "within":
            clauses = []
            if self.start is not None:
                clauses.append(f"({start} IS NOT NULL AND {start} >= %s)")
                params.append(self.start)
            if self.end is not None:
                clauses.append(f"({end} IS NOT NULL AND {end} <= %s)")
                params.append(self.end)
        else:
            clauses = [f"({start} IS NOT NULL OR {end} IS NOT NULL)"]
            if self.start is not None:
                clauses.append(f"({end} IS NULL OR {end} >= %s)")
                params.append(self.start)
            if self.end is not None:
                clauses.append(f"({start} IS NULL OR {start} <= %s)")
                params.append(self.end)
        clause = "(" + " AND ".join(clauses) + ")"
        return (f"NOT {clause}" if self.negated else clause), params

    def holds(self, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        """The condition over arrays of items' first and last years (NaN for NULL), as
        `sql` says it: one bool per item (an engine holding the years in memory)."""
        known_start, known_end = ~np.isnan(start), ~np.isnan(end)
        with np.errstate(invalid="ignore"):
            if self.kind == "within":
                held = np.ones(len(start), dtype=bool)
                if self.start is not None:
                    held &= known_start & (start >= self.start)
                if self.end is not None:
                    held &= known_end & (end <= self.end)
            else:
                held = known_start | known_end
                if self.start is not None:
                    held &= ~known_end | (end >= self.start)
                if self.end is not None:
                    held &= ~known_start | (start <= self.end)
        return ~held if self.negated else held


class QueryError(ValueError):
    """A request parameter that cannot be understood; `param` names it for the 400 body."""

    def __init__(self, param: str, message: str):
        super().__init__(message)
        self.param = param
        self.message = message


@dataclass(frozen=True)
class SearchQuery:
    """What to look for: analysed words, phrases and exclusions, filters, order and page.

    `words` must all match; each `phrases` entry is a sequence of words that must appear
    together; `exclusions` must not appear. Words are lowercased surface forms (with their
    diacritics, so the lemmatiser sees them as typed); stopwords are already removed.
    """

    text: str = ""
    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    exclusions: tuple[str, ...] = ()
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    date_from: int | None = None
    date_to: int | None = None
    #: True when the request gave the years the wrong way round (1945 to 1939) and they
    #: were swapped: the page says so rather than silently answering another question.
    dates_swapped: bool = False
    #: Further conditions on the item's dates, all of which must hold: set by the
    #: compiler's date tiers (`DateCondition`), empty for a request as parsed.
    date_conditions: tuple[DateCondition, ...] = ()
    sort: str = "relevance"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    @property
    def has_text(self) -> bool:
        """True when there is something positive to match (exclusions alone are not)."""
        return bool(self.words or self.phrases)

    @property
    def effective_sort(self) -> str:
        """Relevance needs words to rank by; without them the contract orders by title."""
        if self.sort == "relevance" and not self.has_text:
            return "title"
        return self.sort

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    def filter_values(self, facet: str) -> tuple[str, ...]:
        return tuple(self.filters.get(facet, ()))

    def with_text(self, text: str) -> SearchQuery:
        """The same request with other query text (used to retry a corrected query)."""
        words, phrases, exclusions = parse_text(text)
        return replace(self, text=text, words=words, phrases=phrases, exclusions=exclusions)

    @classmethod
    def from_params(cls, params: Mapping, *, strict: bool = True) -> SearchQuery:
        """Build from request GET parameters (a QueryDict or a plain dict of lists/strings).

        With `strict`, malformed numbers or an unknown sort raise QueryError; without it
        (the HTML page) they fall back to defaults.
        """
        text = _first(params, "q")
        words, phrases, exclusions = parse_text(text)
        filters = {}
        for facet in FACETS:
            values = [v.strip() for v in _all(params, facet) if v and v.strip()]
            values = [_CONTROL.sub("", v)[:200] for v in values][:MAX_FILTER_VALUES]
            if facet == "has_media":
                values = [_boolean(v, facet, strict) for v in values]
                values = [v for v in values if v is not None]
            if facet == "decade":
                years = [_integer(v, facet, strict, None) for v in values]
                values = [str(y - y % 10) for y in years if y is not None]
            if values:
                filters[facet] = tuple(dict.fromkeys(values))
        sort = _first(params, "sort") or "relevance"
        if sort not in SORTS:
            if strict:
                raise QueryError(
                    "sort",
                    _("Unknown sort “%(value)s”; use one of: %(choices)s.")
                    % {"value": sort[:50], "choices": ", ".join(SORTS)},
                )
            sort = "relevance"
        page = _integer(_first(params, "page"), "page", strict, 1)
        if page < 1:
            if strict:
                raise QueryError("page", _("page must be 1 or more."))
            page = 1
        page_size = _integer(_first(params, "page_size"), "page_size", strict, DEFAULT_PAGE_SIZE)
        if page_size < 1:
            if strict:
                raise QueryError("page_size", _("page_size must be 1 or more."))
            page_size = DEFAULT_PAGE_SIZE
        date_from = _year_param(params, "date_from", strict)
        date_to = _year_param(params, "date_to", strict)
        # A reversed range is a slip, not a request for nothing: read it the right way
        # round, on the page and in the API alike (docs/search.md).
        swapped = date_from is not None and date_to is not None and date_from > date_to
        if swapped:
            date_from, date_to = date_to, date_from
        return cls(
            text=text,
            words=words,
            phrases=phrases,
            exclusions=exclusions,
            filters=filters,
            date_from=date_from,
            date_to=date_to,
            dates_swapped=swapped,
            sort=sort,
            page=page,
            page_size=min(page_size, MAX_PAGE_SIZE),
        )


def clean_text(text: str) -> str:
    """The query text as we will treat it: no control characters, bounded length."""
    return _CONTROL.sub(" ", text or "")[:MAX_QUERY_LENGTH].strip()


def parse_text(
    text: str,
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...], tuple[str, ...]]:
    """Split query text into (words, phrases, exclusions); never raises."""
    text = clean_text(text)
    if text.count('"') % 2:
        # An unbalanced quote is a typing slip, not a phrase: drop the last one.
        cut = text.rfind('"')
        text = text[:cut] + " " + text[cut + 1 :]
    words: list[str] = []
    phrases: list[tuple[str, ...]] = []
    exclusions: list[str] = []
    for match in _PART.finditer(text):
        negated = bool(match.group(1) or match.group(3))
        if match.group(2) is not None:
            tokens = analysis.content_tokens(match.group(2))
            if not tokens:
                continue
            if negated:
                exclusions.extend(tokens)
            elif len(tokens) == 1:
                words.extend(tokens)
            else:
                phrases.append(tuple(tokens[:MAX_TERMS]))
        else:
            tokens = analysis.content_tokens(match.group(4))
            (exclusions if negated else words).extend(tokens)
    return (
        tuple(dict.fromkeys(words))[:MAX_TERMS],
        tuple(dict.fromkeys(phrases))[:MAX_TERMS],
        tuple(dict.fromkeys(exclusions))[:MAX_TERMS],
    )


def _all(params: Mapping, name: str) -> list[str]:
    if hasattr(params, "getlist"):
        return [str(v) for v in params.getlist(name)]
    value = params.get(name)
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


def _first(params: Mapping, name: str) -> str:
    values = _all(params, name)
    return values[0].strip() if values else ""


def _integer(value: str, param: str, strict: bool, default):
    value = (value or "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        if strict:
            raise QueryError(
                param, _("%(param)s must be a whole number.") % {"param": param}
            ) from None
        return default
    if abs(number) > 10**9:
        if strict:
            raise QueryError(param, _("%(param)s is out of range.") % {"param": param})
        return default
    return number


def _year_param(params: Mapping, name: str, strict: bool) -> int | None:
    value = _integer(_first(params, name), name, strict, None)
    first, last = year_range()
    if value is not None and not first <= value <= last:
        if strict:
            raise QueryError(name, _("%(param)s must be a year.") % {"param": name})
        return None
    return value


def _boolean(value: str, param: str, strict: bool) -> str | None:
    lowered = value.lower()
    if lowered in ("true", "1", "yes", "tak"):
        return "true"
    if lowered in ("false", "0", "no", "nie"):
        return "false"
    if strict:
        raise QueryError(param, _("%(param)s must be true or false.") % {"param": param})
    return None
