"""The HTML search page: a real form with checkboxes, announced counts, empty state,
did-you-mean, removable filters and keyboard-operable pagination; no JavaScript needed."""

import re

import pytest

from search.backends import base
from search.outbox import drain
from tests.factories import ItemFactory, PlaceFactory, SubjectFactory
from tests.web.conftest import fetch

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def database_search(settings):
    settings.SEARCH_BACKEND = ""  # the database's own engine: SQLite FTS5 or PostgreSQL
    base._load.cache_clear()
    for backend in base.indexing_backends():
        backend.clear()
    yield
    base._load.cache_clear()


@pytest.fixture
def catalogue():
    church = ItemFactory(
        identifier="MOK-Z-0001",
        title="Kościół św. Jana Chrzciciela",
        item_type="monument",
        date="1920~",
        description="Murowany kościół parafialny w Mszczonowie.",
    )
    church.places.add(PlaceFactory(name="Mszczonów", slug="mszczonow"))
    church.subjects.add(SubjectFactory(name="Kościoły", slug="koscioly"))
    ItemFactory(
        identifier="MOK-F-0001", title="Rynek w Mszczonowie", item_type="photograph", date="193X"
    )
    for n in range(5):
        ItemFactory(identifier=f"MOK-D-{n:04d}", title=f"Dokument numer {n}", item_type="document")
    drain()
    return church


def test_results_are_counted_in_a_status_region_and_in_the_title(client, catalogue):
    html = fetch(client, "/en/search/?q=kościół")
    assert re.search(r'<p class="result-count" role="status"[^>]*>\s*1 item found\.', html)
    assert "<title>Search: kościół (1 item found) – Kronika" in html
    assert 'href="/en/items/MOK-Z-0001/?from=search' in html
    assert "Monument · about 1920 · " in html  # type and date in words
    assert "<mark>" in html


def test_polish_titles_on_english_results_are_marked_as_polish(client, catalogue):
    ItemFactory(
        identifier="MOK-F-0002", title="Młyn wodny", title_en="Water mill", item_type="photograph"
    )
    drain()
    html = fetch(client, "/en/search/?q=rynek")
    assert re.search(
        r'<a href="/en/items/MOK-F-0001/\?from=[^"]*" lang="pl">Rynek w Mszczonowie</a>', html
    )
    html = fetch(client, "/en/search/?q=młyn")
    assert re.search(r'<a href="/en/items/MOK-F-0002/\?from=[^"]*">Water mill</a>', html)
    html = fetch(client, "/pl/search/?q=rynek")
    assert re.search(r'<a href="/pl/items/MOK-F-0001/\?from=[^"]*">Rynek w Mszczonowie</a>', html)
    # A snippet cut from the Polish description says so too (WCAG 3.1.2 language of parts).
    html = fetch(client, "/en/search/?q=murowany")
    assert re.search(r'<p class="snippet" lang="pl">.*<mark>Murowany</mark>', html)
    html = fetch(client, "/pl/search/?q=murowany")
    assert re.search(r'<p class="snippet">.*<mark>Murowany</mark>', html)


def test_facets_are_a_real_form_of_labelled_checkboxes(client, catalogue):
    html = fetch(client, "/en/search/?q=mszczonow")
    form = re.search(
        r'<form method="get" action="/en/search/" class="facets".*?</form>', html, re.DOTALL
    )
    assert form, "the facet form"
    form = form.group(0)
    checkboxes = re.findall(
        r'<input type="checkbox" name="(\w+)" value="([^"]+)" id="([^"]+)"', form
    )
    assert ("item_type", "monument") in {(n, v) for n, v, _ in checkboxes}
    for _name, _value, control_id in checkboxes:
        assert f'<label for="{control_id}">' in form
    assert '<button type="submit">Apply filters</button>' in form
    # Everything works without JavaScript: the one script only opens the filter panel on
    # wide screens; the panel is a plain <details> a visitor opens by hand.
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/js/search.js" defer>']


def test_chosen_filter_stays_checked_and_can_be_removed_by_a_link(client, catalogue):
    html = fetch(client, "/en/search/?q=mszczonow&item_type=monument")
    assert 'name="item_type" value="monument" id="facet-item_type-0" checked' in html or re.search(
        r'value="monument" id="[^"]+" checked', html
    )
    assert "Rynek w Mszczonowie" not in html
    remove = re.search(r'<a href="([^"]+)">Remove filter Type: monument</a>', html)
    assert remove
    assert "item_type" not in remove.group(1) and "q=mszczonow" in remove.group(1)


def test_filter_outside_the_top_values_is_kept_in_the_form(client, catalogue):
    html = fetch(client, "/en/search/?item_type=artwork")  # nothing of that type exists
    assert re.search(r'name="item_type" value="artwork" id="[^"]+" checked', html)
    assert "Nothing matches these filters." in html
    assert "search again without the filters" in html


def test_empty_state_offers_suggestions_and_did_you_mean(client, catalogue):
    html = fetch(client, "/en/search/?q=zzzzqqq")
    assert "0 items found" in html
    assert "Nothing matches “zzzzqqq”." in html
    assert "check the spelling" in html
    assert 'href="/en/browse/"' in html


def test_a_nul_byte_in_the_query_is_read_as_a_space(client, catalogue):
    html = fetch(client, "/en/search/?q=ko%C5%9Bci%C3%B3%C5%82%00&place=mszczonow%00")
    assert "1 item found" in html and 'href="/en/items/MOK-Z-0001/?from=search' in html


def test_a_corrected_typo_is_said_plainly(client, catalogue):
    html = fetch(client, "/en/search/?q=dokumnet")
    assert "so these are the results for <strong>dokument</strong>" in html
    assert "Dokument numer 1" in html


def test_pagination_is_plain_links_with_the_current_page_marked(client, catalogue):
    html = fetch(client, "/en/search/?q=dokument&page_size=2&page=2")
    nav = re.search(r'<nav aria-label="Result pages" class="pagination">.*?</nav>', html, re.DOTALL)
    assert nav
    nav = nav.group(0)
    assert 'rel="prev"' in nav and 'rel="next"' in nav
    assert re.search(r'href="\?q=dokument&amp;page_size=2&amp;page=2" aria-current="page"', nav)
    assert 'href="?q=dokument&amp;page_size=2&amp;page=3"' in nav
    assert '<ol class="results" start="3"' in html
    assert "page 2 of 3" in html


def test_page_past_the_end_is_a_404_that_says_so(client, catalogue):
    html = fetch(client, "/en/search/?q=dokument&page=99", status=404)
    assert "There is no such page of results." in html


def test_hostile_query_text_is_escaped_everywhere(client, catalogue):
    hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    response = client.get("/en/search/", {"q": hostile, "item_type": hostile})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>alert" not in body
    assert "<img src=x" not in body
    assert "&lt;script&gt;" in body


def test_search_page_runs_a_bounded_number_of_queries(
    client, catalogue, django_assert_max_num_queries
):
    # A process reads the index's facet bitmaps once per index version (PostgreSQL: four
    # queries, search/backends/bitmaps.py), then every search asks only for the version.
    fetch(client, "/en/search/?q=mszczonow")
    with django_assert_max_num_queries(12):
        fetch(client, "/en/search/?q=dokument")


# --- layout and filters as a visitor meets them (issue 16) ----------------------------------


def test_results_come_before_the_filters_which_fold_away_in_a_details_region(client, catalogue):
    html = fetch(client, "/en/search/?q=mszczonow")
    results, panel = html.index('<ol class="results"'), html.index('<details class="facets-panel"')
    assert results < panel, "on a phone the results must come first"
    assert re.search(r'<details class="facets-panel" id="facets">\s*<summary><h2', html)
    # A keyboard user gets from the results to the filters in one step, at every width.
    assert '<a href="#facets">Skip to narrowing the results</a>' in html
    # Chosen filters open the panel without any script.
    html = fetch(client, "/en/search/?q=mszczonow&item_type=monument")
    assert '<details class="facets-panel" id="facets" open>' in html


def test_every_facet_group_has_its_own_apply_button(client, catalogue):
    html = fetch(client, "/en/search/?q=mszczonow")
    fieldsets = re.findall(r"<fieldset>.*?</fieldset>", html, re.DOTALL)
    with_values = [f for f in fieldsets if 'type="checkbox"' in f]
    assert len(with_values) >= 2
    for fieldset in with_values:
        assert "Apply filters</button>" in fieldset


def test_a_search_without_results_spans_the_page_not_a_facet_column(client, catalogue):
    html = fetch(client, "/en/search/?q=tramwaj")
    assert 'class="empty-state"' in html
    assert '<div class="search-layout">' in html  # no second column without filters


def test_the_year_filter_shows_as_a_chip_that_removes_only_the_years(client, catalogue):
    html = fetch(client, "/en/search/?q=&item_type=document&date_from=1900&date_to=1939")
    chip = re.search(r'<a href="([^"]+)">Remove filter Years: 1900–1939</a>', html)
    assert chip, "the applied year filter is not shown among the chosen filters"
    remove = chip.group(1).replace("&amp;", "&")
    assert "date_from" not in remove and "date_to" not in remove
    assert "item_type=document" in remove
    html = fetch(client, "/en/search/?q=&date_from=1900")
    assert "Remove filter Years: from 1900</a>" in html
    html = fetch(client, "/en/search/?q=&date_to=1939")
    assert "Remove filter Years: until 1939</a>" in html


def test_a_reversed_year_range_is_swapped_and_the_page_says_so(client, catalogue):
    right = fetch(client, "/en/search/?q=&date_from=1900&date_to=1939")
    html = fetch(client, "/en/search/?q=&date_from=1939&date_to=1900")
    assert "The years were given the wrong way round, so the results are for 1900–1939." in html
    assert re.search(r'id="date-from" name="date_from"[^>]* value="1900"', html)
    found = re.findall(r'href="/en/items/([^/"]+)/', html)
    assert found and found == re.findall(r'href="/en/items/([^/"]+)/', right)
    assert "wrong way round" not in right
