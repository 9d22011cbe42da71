"""The map of places in Chromium with the tile server unreachable (every request that is
not to the live server is refused): markers on a blank layer, the list intact, reachable
by keyboard, axe-core clean in both languages; the small map on an item page."""

import pytest

from .conftest import LANGUAGES, WCAG_TAGS, reverse_in, screenshot, watch
from .pages import axe_run, describe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

MAX_TABS = 80
# Places drawn on the map now: markers, and the places each cluster holds.
SHOWN = """() => [...document.querySelectorAll('.map-live .leaflet-marker-icon')].reduce(
  (n, el) => n + (el.classList.contains('marker-cluster')
    ? parseInt(el.querySelector('[aria-hidden]').textContent, 10) : 1), 0)"""
FOCUS = "() => { const el = document.activeElement; return el ? el.className || el.tagName : ''; }"


@pytest.fixture
def offline(browser_context, demo_site):
    """A page whose requests to anywhere but the live server fail, as with no network."""
    refused = []

    def route(route):
        if route.request.url.startswith(demo_site.url):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    browser_context.route("**/*", route)
    watched = watch(browser_context.new_page())
    watched.refused = refused
    return watched


def _problems(watched) -> list[str]:
    """Console errors and CSP violations, less the tile requests refused on purpose."""
    return [
        problem
        for problem in watched.problems()
        if "net::ERR_FAILED" not in problem or watched.refused == []
    ]


def _places_page(demo_site, language: str) -> str:
    return demo_site.absolute(reverse_in(language, "archive:browse_places"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_map_draws_markers_on_a_blank_layer_when_tiles_are_unreachable(
    demo_site, offline, language
):
    page = offline.page
    page.goto(_places_page(demo_site, language))
    page.wait_for_selector(".map-live .leaflet-marker-icon")
    page.wait_for_load_state("networkidle")
    assert offline.refused, "the map asked the tile server for nothing"
    assert all("tile.openstreetmap.org" in url for url in offline.refused)
    # The first view holds the archive's region (a far-away place, Irkutsk, is outside
    # it); zooming out brings every located place onto the map, as a marker or in a cluster.
    located = len(page.evaluate("JSON.parse(document.getElementById('map-markers').textContent)"))
    assert 4 <= page.evaluate(f"({SHOWN})()") < located
    zoom_out = page.locator(".leaflet-control-zoom-out")
    for _ in range(20):  # out to the whole world, where every place is in view
        if "leaflet-disabled" in (zoom_out.get_attribute("class") or ""):
            break
        zoom_out.click()
        page.wait_for_function("() => !document.querySelector('.leaflet-zoom-anim')")
    page.wait_for_function(f"(n) => ({SHOWN})() === n", arg=located)
    # No tile was drawn (none loaded) and the list of places is all there.
    assert page.locator(".leaflet-tile-loaded").count() == 0
    assert page.locator(".browse-list li").count() >= located
    assert page.locator(".map-help").is_visible()
    assert _problems(offline) == []
    screenshot(page, f"{language}-map-offline")
    response = axe_run(page, WCAG_TAGS)
    assert response["violations"] == [], describe_violations(page.url, response["violations"])


def _tab_to_marker(page) -> str:
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS)
        if "leaflet-marker-icon" in focused:
            return focused
    pytest.fail("Tab never reached a marker of the map")


def test_a_keyboard_reaches_a_place_and_its_items_through_the_clusters(demo_site, offline):
    page = offline.page
    page.goto(_places_page(demo_site, "pl"))
    page.wait_for_selector(".map-live .leaflet-marker-icon")
    focused = _tab_to_marker(page)
    for _ in range(8):
        if "marker-cluster" not in focused:
            break
        page.keyboard.press("Enter")  # zooms in on the cluster; the focus returns to the map
        page.wait_for_function("document.activeElement.classList.contains('map-canvas')")
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS)
    assert "map-marker" in focused, focused
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.closest('.map-popup') !== null")
    link = page.evaluate("document.activeElement.getAttribute('href')")
    assert link.startswith("/pl/search/?place=")
    popup = page.locator(".leaflet-popup")
    assert popup.is_visible()
    labels = page.evaluate("JSON.parse(document.getElementById('map-labels').textContent)")
    close = popup.locator(".leaflet-popup-close-button")
    assert close.get_attribute("aria-label") == labels["close"]  # not Leaflet's English
    page.keyboard.press("Escape")
    page.wait_for_function("document.activeElement.classList.contains('map-marker')")
    page.locator(".leaflet-popup").wait_for(state="detached")  # after its fade-out
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.closest('.map-popup') !== null")
    page.keyboard.press("Enter")  # follows the link to the place's items
    page.wait_for_url("**/search/?place=*")
    assert page.locator(".result").count() >= 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_item_page_shows_its_place_on_a_small_map(demo_site, offline, language):
    page = offline.page
    identifier = demo_site.facts["item-located"]
    page.goto(demo_site.absolute(reverse_in(language, "archive:item", identifier=identifier)))
    page.wait_for_selector(".item-map .map-marker")
    assert page.locator(".item-map .map-canvas").is_visible()
    assert _problems(offline) == []
    response = axe_run(page, WCAG_TAGS)
    assert response["violations"] == [], describe_violations(page.url, response["violations"])


def test_a_keyboard_opens_the_small_maps_popup_on_an_item_page(demo_site, offline):
    page = offline.page
    identifier = demo_site.facts["item-located"]
    page.goto(demo_site.absolute(reverse_in("pl", "archive:item", identifier=identifier)))
    page.wait_for_selector(".item-map .map-marker")
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.item-map .map-marker') !== null"):
            break
    else:
        pytest.fail("Tab never reached the small map's marker")
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.closest('.map-popup') !== null")
    assert page.locator(".item-map .leaflet-popup").is_visible()
    link = page.evaluate("document.activeElement.getAttribute('href')")
    assert link.startswith("/pl/search/?place=")
    page.keyboard.press("Escape")
    page.wait_for_function("document.activeElement.classList.contains('map-marker')")
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.closest('.map-popup') !== null")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?place=*")
    assert page.locator(".result").count() >= 1
