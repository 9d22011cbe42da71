""" "On this day" on the home page: items dated to today's day and month in any year, else
the nearest day of the coming week; only dates to the day, only published items."""

import datetime

import pytest
from django.utils import timezone

from archive.anniversaries import MOST, days_ahead, on_this_day
from archive.models import Status
from tests.factories import ItemFactory
from tests.web.conftest import fetch

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 5)


def _titles(result) -> list[str]:
    return [item.title for item in result.items]


def test_items_of_todays_day_and_month_in_any_year_come_first():
    ItemFactory(date="1939-12-05", title="W 1939")
    ItemFactory(date="1878-12-05", title="W 1878")
    ItemFactory(date="1939-12-06", title="Nazajutrz")
    result = on_this_day(TODAY)
    assert result.today and result.day.month == 12 and result.day.day == 5
    assert _titles(result) == ["W 1878", "W 1939"]  # oldest first


def test_without_an_item_today_the_nearest_day_of_the_week_is_shown():
    ItemFactory(date="1939-12-09", title="Za cztery dni")
    ItemFactory(date="1950-12-07", title="Za dwa dni")
    ItemFactory(date="1950-12-13", title="Za osiem dni")  # beyond the week
    result = on_this_day(TODAY)
    assert not result.today and (result.day.month, result.day.day) == (12, 7)
    assert _titles(result) == ["Za dwa dni"]


def test_nothing_in_the_coming_week_shows_nothing():
    ItemFactory(date="1950-12-13")  # eight days on
    ItemFactory(date="1950-12-04")  # yesterday
    assert on_this_day(TODAY) is None


def test_the_week_runs_over_the_new_year():
    ItemFactory(date="1945-01-02", title="Styczeń")
    result = on_this_day(datetime.date(2026, 12, 30))
    assert (result.day.month, result.day.day) == (1, 2) and _titles(result) == ["Styczeń"]


def test_leap_day_items_come_up_after_the_28th_of_a_common_year():
    assert days_ahead(datetime.date(2027, 2, 27))[:4] == [(2, 27), (2, 28), (2, 29), (3, 1)]
    assert (2, 29) not in days_ahead(datetime.date(2026, 3, 1))
    ItemFactory(date="1940-02-29", title="Dzień przestępny")
    result = on_this_day(datetime.date(2027, 2, 27))
    assert (result.day.month, result.day.day) == (2, 29)


@pytest.mark.parametrize(
    "date",
    [
        "1939-12-05~",  # about that day: not pinned to it
        "1939-12-05?",
        "1939-12",  # a month
        "1939-12-01/1939-12-05",  # a span ending that day
        "1939-12-05/1939-12-09",
    ],
)
def test_only_items_dated_to_the_day_itself_count(date):
    ItemFactory(date=date)
    assert on_this_day(TODAY) is None


def test_drafts_are_never_on_this_day():
    ItemFactory(date="1939-12-05", status=Status.DRAFT, title="Szkic")
    assert on_this_day(TODAY) is None


def test_at_most_six_items_are_shown():
    for year in range(1900, 1910):
        ItemFactory(date=f"{year}-12-05")
    assert len(on_this_day(TODAY).items) == MOST


def test_on_this_day_costs_three_queries_whatever_is_found(django_assert_num_queries):
    for year in range(1900, 1905):
        ItemFactory(date=f"{year}-12-06")
    with django_assert_num_queries(3):  # candidates, the items, their media
        on_this_day(TODAY)


def test_home_page_shows_todays_items_without_script(client):
    today = timezone.localdate()
    ItemFactory(date=f"1939-{today.month:02d}-{today.day:02d}", title="Tego dnia w 1939")
    html = fetch(client, "/en/")
    assert 'id="on-this-day-heading">On this day, ' in html
    assert "Tego dnia w 1939" in html


def test_home_page_falls_back_to_the_coming_week(client):
    soon = timezone.localdate() + datetime.timedelta(days=3)
    ItemFactory(date=f"1944-{soon.month:02d}-{soon.day:02d}", title="Wkrótce")
    html = fetch(client, "/en/")
    assert f'id="on-this-day-heading">Coming up this week: {soon.day} ' in html
    assert "Wkrótce" in html


def test_home_page_without_anything_this_week_has_no_section(client):
    ItemFactory(date="")
    assert "on-this-day" not in fetch(client, "/en/")
