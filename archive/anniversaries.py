""" "On this day" on the home page: published items dated to today's day and month in any
year, or, when there are none, to the nearest day in the coming week that has some.

Only dates to the day count (`1939-09-08`, EDTF with no qualifier): an item dated
"about September 1939" or to a span of days is not pinned to a day. The database narrows
the candidates through an index (the "-MM-DD" that follows a date's year, one query for the
whole week: no scan of the catalogue on every visit to the home page); the reading of each
date (archive.dates's plain form) decides.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from .models import Item, MonthDay

WEEK = 7  # days after today that the fallback looks at
MOST = 6  # items shown
_DAY_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class OnThisDay:
    # The day and month the items fall on (today's or one of the coming week), in a leap
    # year so that 29 February has one: templates show it as "5 grudnia" ({{ day|date:"j E" }}).
    day: datetime.date
    today: bool
    items: list[Item]


def days_ahead(today: datetime.date) -> list[tuple[int, int]]:
    """(month, day) of today and the coming week, in order; 29 February follows the 28th
    in a year without one, so leap-day items still have a day to come up on."""
    days = []
    for offset in range(WEEK + 1):
        day = today + datetime.timedelta(days=offset)
        days.append((day.month, day.day))
        if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
            days.append((2, 29))
    return days


def on_this_day(today: datetime.date) -> OnThisDay | None:
    """The items for today, else for the nearest day of the coming week; None if no day
    of the week has one."""
    days = days_ahead(today)
    # The days through the index archive_item_month_day, in a subquery of their own: beside
    # `status = published` in one WHERE, SQLite (no statistics) would take the status index
    # and read every published item.
    wanted = [f"-{month:02d}-{day:02d}" for month, day in days]
    on_days = Item.objects.annotate(month_day=MonthDay("date")).filter(month_day__in=wanted)
    candidates = Item.objects.published().filter(pk__in=on_days.values("pk")).order_by()
    found: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for pk, date in candidates.values_list("pk", "date"):
        if match := _DAY_DATE.match(date):
            year, month, day = (int(part) for part in match.groups())
            found.setdefault((month, day), []).append((year, pk))
    for position, (month, day) in enumerate(days):
        if (month, day) in found:
            chosen = sorted(found[(month, day)])[:MOST]
            items = (
                Item.objects.published().with_listing_relations().in_bulk([pk for _, pk in chosen])
            )
            return OnThisDay(
                day=datetime.date(2000, month, day),
                today=position == 0,
                items=[items[pk] for _, pk in chosen if pk in items],
            )
    return None
