"""The timeline of published items: centuries → decades → years, with honest counts.

An item's EDTF date is read three ways (`date_precision`):
- *a known year*: its interval is one year (`1920`, `1920-05`, `1920-05-03`);
- *an uncertain year*: one year qualified as about / perhaps (`1920~`, `1920?`, `1920%`),
  shown beside its year as "about 1920", never counted as 1920 (its interval is 1919–1921);
- *loosely dated*: a span of years, a decade, a century (`1938/1941`, `193X`, `18XX`):
  counted in every decade it overlaps, as the search facet does, and on no single year.

One grouped query reads every distinct date of the published items with its count and, for
each, the first item with an image; one more fetches the sample items: the page costs the
same few queries whatever the size of the catalogue.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.http import urlencode

from media.models import MediaFile
from search.documents import decade_span

from .date_display import describe_date, year_label, years_label
from .dates import year_range
from .models import Item

KNOWN, UNCERTAIN, LOOSE = "known", "uncertain", "loose"
_QUALIFIED_YEAR = re.compile(r"^(\d{4})(?:-\d{2}(?:-\d{2})?)?[~?%]$")


def date_precision(date: str, start: int | None, end: int | None) -> tuple[str, int | None]:
    """(KNOWN, year), (UNCERTAIN, the year it is about) or (LOOSE, None) for a stored date."""
    if start is not None and start == end:
        return KNOWN, start
    if match := _QUALIFIED_YEAR.match(date or ""):
        return UNCERTAIN, int(match.group(1))
    return LOOSE, None


def _search_url(**filters) -> str:
    return f"{reverse('search:search')}?{urlencode(filters)}"


@dataclass
class Year:
    year: int
    known: int = 0
    uncertain: int = 0
    known_sample: int | None = None
    uncertain_sample: int | None = None
    sample: Item | None = None

    @property
    def sample_pk(self) -> int | None:
        """An image of an item from this very year first; one from about this year else."""
        return self.known_sample or self.uncertain_sample

    @property
    def url(self) -> str:
        return _search_url(date_from=self.year, date_to=self.year)

    @property
    def label(self) -> str:
        return year_label(self.year)


@dataclass
class Decade:
    decade: int
    count: int  # every published item whose interval overlaps the decade
    share: int = 0  # 1–10: the bar length, relative to the busiest decade
    years: dict[int, Year] = field(default_factory=dict)
    sample_pk: int | None = None
    sample: Item | None = None

    @property
    def label(self) -> str:
        return decade_label(self.decade)

    @property
    def url(self) -> str:
        return _search_url(decade=self.decade)

    @property
    def known(self) -> int:
        return sum(year.known for year in self.years.values())

    @property
    def uncertain(self) -> int:
        return sum(year.uncertain for year in self.years.values())

    @property
    def loose(self) -> int:
        """Items counted in the decade without a year of their own in it (spans, decades,
        centuries, and an uncertain year of a neighbouring decade that reaches into it)."""
        return self.count - self.known - self.uncertain

    @property
    def year_list(self) -> list[Year]:
        return [self.years[year] for year in sorted(self.years)]


@dataclass
class Century:
    """A century of the timeline: its Roman numeral and the decades that hold items."""

    number: int  # negative before the common era: -5 is the 5th century BC
    roman: str
    decades: list[Decade]

    @property
    def bc(self) -> bool:
        return self.number < 0


def build_timeline() -> tuple[list[Century], int]:
    """The centuries with their decades and years, and the number of undated items."""
    rows = list(
        Item.objects.published()
        .values_list("date", "date_start", "date_end")
        .annotate(
            n=Count("pk", distinct=True),
            sample=Min("pk", filter=Q(media_files__kind=MediaFile.Kind.IMAGE)),
        )
        .order_by()
    )
    counts, undated = decade_counts((start, end, n) for _, start, end, n, _ in rows)
    busiest = max(counts.values(), default=1)
    decades = {
        decade: Decade(decade, count, math.ceil(count * 10 / busiest))
        for decade, count in counts.items()
    }
    for date, start, end, n, sample in rows:
        precision, year = date_precision(date, start, end)
        if precision == LOOSE:
            if sample and start is not None and end is not None:
                _offer_sample(decades.get(start - start % 10), start, end, sample)
            continue
        decade = decades.get(year - year % 10)
        if decade is None:  # outside the archive's range of years
            continue
        entry = decade.years.setdefault(year, Year(year))
        if precision == KNOWN:
            entry.known += n
            entry.known_sample = _first(entry.known_sample, sample)
        else:
            entry.uncertain += n
            entry.uncertain_sample = _first(entry.uncertain_sample, sample)
        if sample:
            _offer_sample(decade, year, year, sample)
    _attach_samples(decades.values())
    centuries: dict[int, list[Decade]] = {}
    for decade in decades.values():
        centuries.setdefault(century_of(decade.decade + 9), []).append(decade)
    return [Century(c, roman(abs(c)), entries) for c, entries in centuries.items()], undated


def century_of(year: int) -> int:
    """The century a year is in: 1930 → 20 (the house rule, 1900–1999 is the 20th; see
    docs/dates.md); before the common era negative, counted as BC years are: -499 (500 BC)
    → -5, -500 (501 BC) → -6; year 0 (1 BC) → -1."""
    return year // 100 + 1 if year > 0 else -((-year) // 100 + 1)


def _first(pk: int | None, other: int | None) -> int | None:
    return min((p for p in (pk, other) if p is not None), default=None)


def _offer_sample(decade: Decade | None, start: int, end: int, pk: int) -> None:
    """The decade's sample: the first item with an image dated within the decade."""
    if decade is None or start < decade.decade or end > decade.decade + 9:
        return
    decade.sample_pk = _first(decade.sample_pk, pk)


def _attach_samples(decades) -> None:
    decades = list(decades)
    wanted = {d.sample_pk for d in decades} | {
        y.sample_pk for d in decades for y in d.years.values()
    }
    wanted.discard(None)
    items = Item.objects.published().with_listing_relations().in_bulk(wanted)
    for decade in decades:
        decade.sample = items.get(decade.sample_pk)
        for year in decade.years.values():
            year.sample = items.get(year.sample_pk)


def decade_counts(intervals) -> tuple[dict[int, int], int]:
    """{decade: items} in order of decades, and the number of undated items, from
    (date_start, date_end, items) rows.

    An item counts in every decade its interval overlaps, as in the search facet. The work
    grows with the distinct date intervals and the decades that hold items, never with the
    span of years between them: a sweep over the intervals' ends gives every decade's
    count. Only the years within the archive's range count (rows stored before the range
    was enforced may reach outside it), so no row can make the page list more decades than
    the range holds.
    """
    first_year, last_year = year_range()
    changes: Counter[int] = Counter()
    undated = 0
    for start, end, n in intervals:
        if start is None and end is None:
            undated += n
            continue
        start, end = (end if start is None else start), (start if end is None else end)
        start, end = max(start, first_year), min(end, last_year)
        if start > end:
            continue
        span = decade_span(start, end)
        changes[span[0]] += n
        changes[span[1] + 10] -= n
    counts: dict[int, int] = {}
    running = 0
    bounds = sorted(changes)
    for here, following in zip(bounds, bounds[1:], strict=False):
        running += changes[here]
        if running:
            for decade in range(here, following, 10):
                counts[decade] = running
    return counts, undated


def decade_label(decade: int) -> str:
    """ "the 1930s (1930–1939)" in the active language; plain years before 1000 or BC."""
    years = years_label(decade, decade + 9)
    if 1000 <= decade <= 9990:
        return f"{describe_date(f'{decade // 10}X')} ({years})"
    return years


def roman(number: int) -> str:
    if number <= 0:
        return str(number)
    numerals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC")]
    numerals += [(50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = []
    for value, letters in numerals:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)
