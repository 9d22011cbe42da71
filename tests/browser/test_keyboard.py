"""A visitor who uses only the keyboard: search, narrow the results, open one, come back.

Every step is done with `page.keyboard` (Tab, typing, Space, Enter); the only non-keyboard
action is the browser's own Back, which a keyboard user reaches with Alt+Left (a shortcut
of the browser's window, which headless Chromium does not have). At each stop the test
checks that focus is where the visitor expects it and that it can be seen.
"""

import pytest

from .conftest import LANGUAGES, SEARCH_WORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

MAX_TABS = 60

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    type: el.type || '',
    name: el.name || '',
    value: el.value || '',
    href: el.getAttribute('href') || '',
    text: (el.textContent || '').trim(),
    checked: !!el.checked,
    ringVisible: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
      || style.boxShadow !== 'none',
    onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
      && box.top < innerHeight && box.left < innerWidth,
  };
}"""


def focused(page) -> dict | None:
    return page.evaluate(FOCUSED)


def assert_focus_is_visible(page, where: str) -> dict:
    state = focused(page)
    assert state is not None, f"{where}: nothing has focus"
    assert state["onScreen"], f"{where}: the focused element is off screen: {state}"
    assert state["ringVisible"], f"{where}: the focused element shows no focus ring: {state}"
    return state


def tab_until(page, selector: str, what: str) -> dict:
    """Presses Tab until an element matching the selector has focus; fails after MAX_TABS."""
    stops = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => !!document.activeElement?.matches(s)", selector):
            return assert_focus_is_visible(page, what)
        state = focused(page) or {}
        stops.append(f"{state.get('tag')}#{state.get('id')}{state.get('href', '')}")
    pytest.fail(f"{MAX_TABS} presses of Tab never reached {what} ({selector}); stops: {stops}")


def results_shown(page) -> int:
    return page.locator("ol.results > li").count()


@pytest.mark.parametrize("language", LANGUAGES)
def test_keyboard_only_visitor_searches_filters_opens_a_result_and_returns(
    demo_site, watched_page, language
):
    page = watched_page.page
    page.goto(demo_site.absolute(demo_site.path(language, "home")))

    # The first Tab on a page reaches the skip link, and it shows itself.
    page.keyboard.press("Tab")
    skip = assert_focus_is_visible(page, "first Tab on the home page")
    assert skip["href"] == "#main", f"the first Tab should reach the skip link, got {skip}"

    # Tab to the search box, type, Enter.
    tab_until(page, "input[type=search]", "the search box on the home page")
    page.keyboard.type(SEARCH_WORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"q={SEARCH_WORD}" in page.url
    found = results_shown(page)
    assert found > 0, f"no results for {SEARCH_WORD!r} at {page.url}"

    # A new page starts focus at the top: skip link, then Enter moves focus into <main>.
    page.keyboard.press("Tab")
    assert focused(page)["href"] == "#main", "after the search, Tab should reach the skip link"
    page.keyboard.press("Enter")
    in_main = page.evaluate("document.getElementById('main')?.contains(document.activeElement)")
    assert in_main, f"Enter on the skip link left focus on {focused(page)}"

    # Tick the first facet checkbox with Space and submit the facet form with Enter.
    box = tab_until(page, "form.facets input[type=checkbox]", "the first facet checkbox")
    assert not box["checked"]
    page.keyboard.press("Space")
    assert focused(page)["checked"], "Space did not tick the focused checkbox"
    tab_until(
        page,
        "form.facets button[type=submit], form.facets input[type=submit]",
        "the button that applies the filters",
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"{box['name']}={box['value']}" in page.url, page.url
    filtered_url = page.url
    narrowed = results_shown(page)
    assert 0 < narrowed <= found, f"{narrowed} results after the filter, {found} before"
    ticked = page.locator(f"form.facets input[name='{box['name']}'][value='{box['value']}']")
    assert ticked.is_checked(), "the applied filter is not shown as ticked"

    # Open the first result with Enter: its page has the result's title as its heading.
    link = tab_until(page, "ol.results a", "the first result's link")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    heading = page.locator("main h1").first.inner_text().strip()
    assert heading == link["text"], f"opened {page.url}: <h1> {heading!r} != {link['text']!r}"

    # Back: the same filtered results, filter still ticked, and the keyboard still gets there.
    page.go_back(wait_until="load")
    assert page.url == filtered_url
    assert results_shown(page) == narrowed
    assert ticked.is_checked(), "after going back the applied filter is no longer ticked"
    # Focus is either restored to the link that was followed (back/forward cache) or back at
    # the top of the page, from where Tab reaches the same first result again.
    restored = focused(page)
    if restored is None or restored["tag"] == "main":
        restored = tab_until(page, "ol.results a", "the first result's link after going back")
    else:
        restored = assert_focus_is_visible(page, "focus restored after going back")
    assert restored["text"] == link["text"], f"after going back focus is on {restored}"
    assert watched_page.problems() == []
