"""Items dated before the common era (EDTF's negative years: 500 BC is -0499) on every page
that shows, filters or sorts by date: shown as BC without an off-by-one, sorted before the
common era, found by negative year filters, never a 500."""

import re

import pytest
from django.utils import translation

from archive.models import Status
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def items():
    dates = {
        "MOK-BC-1": "500 p.n.e.",
        "MOK-BC-2": "V w. p.n.e.",
        "MOK-BC-3": "15 marca 44 p.n.e.",
        "MOK-BC-4": "I w. p.n.e. – I w. n.e.",
        "MOK-AD-1": "1920",
    }
    for identifier, date in dates.items():
        ItemFactory(
            identifier=identifier, title=f"Rzecz {identifier}", date=date, status=Status.PUBLISHED
        )
    return dates


def test_the_item_page_shows_bc_years_as_written_and_in_words(client, items):
    page = client.get("/en/items/MOK-BC-1/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "500 p.n.e." in html and "500 BC" in html
    assert "499 BC" not in html
    html = client.get("/en/items/MOK-BC-3/").content.decode()
    assert "15 March 44 BC" in html


def test_the_timeline_puts_bc_centuries_first_with_bc_labels(client, items):
    page = client.get("/en/browse/periods/")
    assert page.status_code == 200
    html = page.content.decode()
    headings = re.findall(r"<h2 id=\"century-(-?\d+)\">([^<]+)</h2>", html)
    numbers = [int(number) for number, _ in headings]
    assert numbers == sorted(numbers) and numbers[0] < 0 < numbers[-1]
    assert ("-5", "V century BC") in headings
    assert ">500 BC</a>" in html
    assert "-499" not in re.sub(r'href="[^"]*"', "", html)


def test_api_filters_and_sorting_take_negative_years(client, items):
    answer = client.get("/api/v1/items/", {"date_from": -600, "date_to": -300})
    assert answer.status_code == 200
    found = {item["identifier"] for item in answer.json()["results"]}
    assert found == {"MOK-BC-1", "MOK-BC-2"}
    answer = client.get("/api/v1/items/", {"ordering": "date"})
    assert answer.status_code == 200
    order = [item["identifier"] for item in answer.json()["results"]]
    assert order[0] in ("MOK-BC-1", "MOK-BC-2") and order[-1] == "MOK-AD-1"


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": -600, "date_to": -400},
        {"date_from": -500},
        {"date_to": -1},
        {"q": "rzecz", "date_from": -600},
        {"decade": -500},
    ],
)
def test_the_search_page_takes_negative_year_filters(client, items, query):
    assert client.get("/en/search/", query).status_code == 200
