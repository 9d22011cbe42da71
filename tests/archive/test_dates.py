"""Hostile and odd dates: every channel answers a clear error, never a 500 (issue 15, 4–5).

The archive accepts years within KRONIKA_YEAR_MIN..KRONIKA_YEAR_MAX (default -10000..2100)
through one parser (archive/dates.py), so the model, the admin, the API and the importer
refuse the same dates with the same message; year filters of search and the API refuse
years outside the same range.
"""

import csv
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from rest_framework.test import APIClient

from archive.dates import check_year_range, parse_date
from archive.models import Item, Status
from tests.archive.commands import run_import
from tests.archive.test_admin import admin_url, item_post
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db

# Dates beyond the archive's years, written every way EDTF allows.
OUT_OF_RANGE = [
    "Y1E13",  # exponential year: ten trillion
    "Y1E19",  # past a 64-bit integer
    "Y-1E19",
    "Y1E30",
    "Y17E7",
    "Y-17E7",
    "Y1E999999999",  # the library would compute 10**999999999
    "Y170000002",  # Y-prefixed long years
    "Y-170000002",
    "Y99999",
    "Y-10001",
    "2101",  # a plain year after the range
    "2101-05-03",
    "2099/2101",  # an interval whose end is out of range
    "99XX",  # unspecified digits reaching past the range
    "XXXX",
    "2100~",  # about 2100 widens past it
]
# Dates that are not EDTF at all, or not a date the library can place.
NOT_EDTF = [
    "1984/Y1E19",
    "Y-1E19/1990",
    "../Y1E19",
    "Y1E19/..",
    "Y1S3",
    "-XXXX",
    "1E10",
    "garbage",
    "2001-13",
    "1945/1939",
    "1" * 80,
    "\x00",
]
HOSTILE = OUT_OF_RANGE + NOT_EDTF
# Odd but good: they must still be accepted everywhere.
ACCEPTED = [
    ("-0500", -500, -500),
    ("-9999", -9999, -9999),
    ("Y-10000", -10000, -10000),
    ("Y-1E4", -10000, -10000),
    ("Y1E3", 1000, 1000),
    ("2100", 2100, 2100),
    ("2001-21", 2001, 2001),  # spring 2001
    ("2001-24", 2001, 2001),  # winter 2001
    ("19XX-XX", 1900, 1999),
    ("1960/..", 1960, None),
    ("../1960", None, 1960),
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def date_error(text: str) -> str:
    with pytest.raises(ValidationError) as excinfo:
        parse_date(text)
    return " ".join(excinfo.value.messages)


@pytest.mark.parametrize("text", OUT_OF_RANGE)
def test_years_outside_the_archive_range_are_refused_naming_the_range(text):
    assert "outside the years this archive accepts (-10000 to 2100)" in date_error(text)


@pytest.mark.parametrize("text", NOT_EDTF)
def test_text_that_is_not_edtf_is_refused(text):
    assert date_error(text)


@pytest.mark.parametrize("text, start, end", ACCEPTED)
def test_odd_but_good_dates_are_accepted(text, start, end):
    interval = parse_date(text)
    assert (interval.start, interval.end) == (start, end)


def test_an_archaeological_archive_widens_the_range_in_settings(settings):
    settings.KRONIKA_YEAR_MIN, settings.KRONIKA_YEAR_MAX = -50000, 2200
    assert parse_date("Y-40000").start == -40000
    assert parse_date("2150").start == 2150
    assert "(-50000 to 2200)" in date_error("Y-60000")


@pytest.mark.parametrize("first, last", [(2100, -10000), (-(10**9), 2100), ("-10000", 2100)])
def test_check_refuses_a_year_range_that_is_not_one(settings, first, last):
    settings.KRONIKA_YEAR_MIN, settings.KRONIKA_YEAR_MAX = first, last
    assert [error.id for error in check_year_range()] == ["archive.E001"]


def test_check_accepts_the_default_range():
    assert check_year_range() == []


# --- every channel ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_model_full_clean_refuses_the_date(text):
    item = ItemFactory.build(date=text)
    with pytest.raises(ValidationError) as excinfo:
        item.full_clean()
    assert "date" in excinfo.value.message_dict


@pytest.mark.parametrize("text", [text for text in HOSTILE if "\x00" not in text])
def test_api_refuses_the_date_with_a_400_on_date(archivist, text):
    client = APIClient()
    client.force_authenticate(archivist)
    payload = {"identifier": "MOK-F-0900", "title": "Dziwna data", "item_type": "document"}
    response = client.post("/api/v1/items/", {**payload, "date": text}, format="json")
    assert response.status_code == 400, response.content
    assert "date" in response.json()["errors"], response.json()
    assert not Item.objects.exists()


@pytest.mark.parametrize("text", ["Y1E19", "Y-1E19", "Y1E30", "99XX", "1984/Y1E19"])
def test_api_update_refuses_the_date(archivist, text):
    item = ItemFactory(date="1920")
    client = APIClient()
    client.force_authenticate(archivist)
    response = client.patch(f"/api/v1/items/{item.identifier}/", {"date": text}, format="json")
    assert response.status_code == 400, response.content
    assert "date" in response.json()["errors"]
    item.refresh_from_db()
    assert (item.date, item.date_start) == ("1920", 1920)


@pytest.mark.parametrize("text", ["Y1E19", "Y-1E19", "Y1E30", "Y1E13", "XXXX", "1984/Y1E19"])
def test_admin_form_shows_the_date_error(archivist_client, text):
    response = archivist_client.post(admin_url("admin:archive_item_add"), item_post(date=text))
    assert response.status_code == 200
    page = response.content.decode()
    assert "errorlist" in page and ("EDTF" in page or "outside the years" in page)
    assert not Item.objects.exists()


def catalogue_file(tmp_path: Path, dates: list[str]) -> Path:
    path = tmp_path / "katalog.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["identifier", "title", "item_type", "date"])
        writer.writerow(["MOK-D-0001", "Dobra data", "document", "1920"])
        for number, text in enumerate(dates, start=2):
            writer.writerow([f"MOK-D-{number:04d}", "Zła data", "document", text])
    return path


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry-run", "import"])
def test_import_reports_every_hostile_date_by_line_and_column(tmp_path, dry_run):
    dates = [text for text in HOSTILE if "\x00" not in text]
    path = catalogue_file(tmp_path, dates)
    code, err = run_import(path, *(["--dry-run"] if dry_run else []))
    assert code == 1
    for line, text in enumerate(dates, start=3):
        assert f"line {line}, column date:" in err, (text, err)
    assert not Item.objects.exists()


# --- year filters ----------------------------------------------------------------------------

HUGE_YEARS = ["10000000000000000000", "-10000000000000000000", "1e30", "2101", "-10001"]


@pytest.mark.parametrize("value", HUGE_YEARS)
@pytest.mark.parametrize("name", ["date_from", "date_to"])
@pytest.mark.parametrize("url", ["/api/v1/items/", "/api/v1/search/"])
def test_api_year_filters_refuse_years_outside_the_range(client, url, name, value):
    response = client.get(url, {name: value})
    assert response.status_code == 400, response.content
    assert name in response.content.decode()


@pytest.mark.parametrize("value", HUGE_YEARS)
def test_search_page_survives_years_outside_the_range(client, value):
    ItemFactory(title="Rynek", date="1920", status=Status.PUBLISHED)
    response = client.get("/en/search/", {"date_from": value, "date_to": value})
    assert response.status_code in (200, 400)
    assert "<h1" in response.content.decode()


@pytest.mark.parametrize("name, value", [("date_from", "-10000"), ("date_to", "2100")])
def test_year_filters_accept_the_ends_of_the_range(client, name, value):
    assert client.get("/api/v1/items/", {name: value}).status_code == 200
    assert client.get("/api/v1/search/", {name: value}).status_code == 200


# --- the timeline ----------------------------------------------------------------------------


def test_timeline_ignores_years_stored_outside_the_range_before_it_was_enforced(client):
    """A row written before the range (or by raw SQL) cannot blow the page up."""
    kept = ItemFactory(date="1920", status=Status.PUBLISHED)
    odd = ItemFactory(date="1921", status=Status.PUBLISHED)
    # (Y1E13 made the page spell a Roman numeral of 10**8 M's; 10**9 keeps the test small.)
    Item.objects.filter(pk=odd.pk).update(date="Y1E9", date_start=10**9, date_end=10**9)
    response = client.get("/en/browse/periods/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "decade=1920" in page and kept.date == "1920"
    assert "decade=1000000000" not in page
    assert "MMMMMMMMMM" not in page  # no Roman numeral for the ten-millionth century


def test_timeline_counts_an_item_in_every_decade_it_overlaps_like_the_facet():
    from archive.views import decade_counts
    from search.documents import decades

    rows = [
        (1925, 1925, 2),
        (1938, 1941, 1),
        (1800, 1899, 3),
        (None, None, 4),
        (None, 1850, 1),
        (1990, None, 1),
        (-10000, 2100, 1),  # capped at the facet's 200 decades
        (10**13, 10**13, 5),  # out of range: on no decade
    ]
    expected: dict[int, int] = {}
    for start, end, n in rows[:-1]:
        for decade in decades(start, end):
            expected[decade] = expected.get(decade, 0) + n
    counts, undated = decade_counts(rows)
    assert counts == dict(sorted(expected.items()))
    assert list(counts) == sorted(counts)
    assert undated == 4
