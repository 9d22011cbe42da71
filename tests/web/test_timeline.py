"""The timeline (browse/periods/): decades open to their years; a year counts only the
items dated to that very year, rough dates stand beside their year, spans stay in the
decade; a sample picture per period; drafts nowhere; a constant number of queries."""

import re

import pytest

from archive.models import Status
from archive.timeline import KNOWN, LOOSE, UNCERTAIN, build_timeline, date_precision
from tests.factories import ItemFactory, MediaFileFactory
from tests.web.conftest import fetch

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("date", "start", "end", "expected"),
    [
        ("1920", 1920, 1920, (KNOWN, 1920)),
        ("1920-05-03", 1920, 1920, (KNOWN, 1920)),
        ("1920~", 1919, 1921, (UNCERTAIN, 1920)),
        ("1920-05?", 1919, 1921, (UNCERTAIN, 1920)),
        ("1920%", 1918, 1922, (UNCERTAIN, 1920)),
        ("192X", 1920, 1929, (LOOSE, None)),
        ("1918/1923", 1918, 1923, (LOOSE, None)),
        ("", None, None, (LOOSE, None)),
    ],
)
def test_dates_are_read_as_a_known_year_an_uncertain_year_or_loosely(date, start, end, expected):
    assert date_precision(date, start, end) == expected


def _decades():
    centuries, _ = build_timeline()
    return {decade.decade: decade for century in centuries for decade in century.decades}


def test_about_1920_is_shown_beside_1920_and_not_counted_in_it(client):
    ItemFactory.create_batch(2, date="1920")
    ItemFactory(date="1920~")  # "ok. 1920": 1919–1921
    ItemFactory(date="1925?")
    ItemFactory(date="192X")
    ItemFactory(date="1918/1923")
    ItemFactory(date="1920", status=Status.DRAFT)  # drafts count nowhere
    decades = _decades()
    twenties = decades[1920]
    assert twenties.count == 6  # every item overlapping the decade, as the facet counts
    assert [(y.year, y.known, y.uncertain) for y in twenties.year_list] == [
        (1920, 2, 1),
        (1925, 0, 1),
    ]
    assert (twenties.known, twenties.uncertain, twenties.loose) == (2, 2, 2)
    tens = decades[1910]  # reached by 1920~ (1919) and the span (1918): no year of its own
    assert (tens.count, tens.year_list, tens.loose) == (2, [], 2)

    html = fetch(client, "/en/browse/periods/")
    assert re.search(
        r'<a href="/en/search/\?date_from=1920&amp;date_to=1920">1920</a>\s*'
        r'<span class="count">2 items</span>\s*'
        r'<span class="count count-uncertain">and 1 item dated about 1920</span>',
        html,
    )
    assert re.search(
        r'<a href="/en/search/\?date_from=1925&amp;date_to=1925">1925</a>\s*'
        r'<span class="count count-uncertain">and 1 item dated about 1925</span>',
        html,
    )
    assert "2 items of this decade have no single year" in html
    assert 'href="/en/search/?decade=1920">the 1920s (1920–1929)</a>' in html


def test_each_period_shows_a_published_sample_picture_of_its_own(client):
    draft = ItemFactory(date="1921", status=Status.DRAFT, title="Szkic")
    MediaFileFactory(item=draft)
    about = ItemFactory(date="1921~", title="Około")
    MediaFileFactory(item=about)
    known = ItemFactory(date="1921", title="Rynek w 1921")
    MediaFileFactory(item=known)
    span = ItemFactory(date="1915/1935", title="Długi okres")
    MediaFileFactory(item=span)
    twenties = _decades()[1920]
    assert twenties.sample.title in {"Około", "Rynek w 1921"}  # dated within the decade
    (year,) = twenties.year_list
    assert year.sample.title == "Rynek w 1921"  # the year's own item before a rough one
    html = fetch(client, "/en/browse/periods/")
    assert "Rynek w 1921" in html
    assert "Szkic" not in html
    assert "Długi okres" not in html  # a span is no sample of a decade it only passes


def test_the_timeline_costs_the_same_queries_for_any_catalogue(django_assert_num_queries):
    def build(n):
        for i in range(n):
            item = ItemFactory(date=str(1900 + i * 7), title=f"T{n}-{i}")
            if i % 2 == 0:
                MediaFileFactory(item=item)
            ItemFactory(date=f"{1900 + i * 3}~")
            ItemFactory(date=f"{190 + i % 10}X")

    build(2)
    with django_assert_num_queries(3) as small:  # dates, sample items, their media files
        build_timeline()
    build(12)
    with django_assert_num_queries(len(small.captured_queries)):
        build_timeline()
