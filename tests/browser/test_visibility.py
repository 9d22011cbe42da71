"""What a person sees, not only what the markup says: every link and control can be seen and
clicked, focus stays in view, and the search page puts results where people look.

axe-core reads the DOM; it does not notice a link drawn under the next card, a focus ring
hidden behind another box, or a result four screens down on a phone. These tests ask
Chromium where things are drawn, at a desktop width (1280 px) and a phone width (375 px).
"""

import pytest

from .conftest import DESKTOP, LANGUAGES, PHONE, open_context, screenshot, watch
from .pages import PAGE_TYPES, open_page, page_paths

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
MAX_TAB_STOPS = 250
MAX_TABS_TO_FIRST_RESULT = 5

INTERACTIVE = (
    "a[href], button, input:not([type=hidden]), select, textarea, summary, "
    "[tabindex]:not([tabindex='-1'])"
)

# A short readable name of an element, for failure messages.
DESCRIBE = """(el) => {
  if (!el) return 'nothing';
  const id = el.id ? '#' + el.id : '';
  const cls = el.classList && el.classList.length ? '.' + [...el.classList].join('.') : '';
  const text = (el.textContent || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
  const href = el.getAttribute && el.getAttribute('href') ? ` href=${el.getAttribute('href')}` : '';
  return `<${el.tagName.toLowerCase()}${id}${cls}${href}> "${text}"`;
}"""

# Is the element drawn where it can be seen and clicked? Measured at the centre of its first
# box (a link that wraps has one box per line): the topmost element there must be the
# element itself, something inside it, or its label. `where` says why when it is not.
OBSCURED = f"""(el) => {{
  const describe = {DESCRIBE};
  const boxes = [...el.getClientRects()].filter((r) => r.width >= 1 && r.height >= 1);
  if (!boxes.length) return `${{describe(el)}} has zero size`;
  const box = boxes[0];
  const x = Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(box.top + box.height / 2, 0), innerHeight - 1);
  if (box.bottom <= 0 || box.top >= innerHeight || box.right <= 0 || box.left >= innerWidth)
    return `${{describe(el)}} is outside the window (top ${{Math.round(box.top)}})`;
  const hit = document.elementFromPoint(x, y);
  const labels = el.labels ? [...el.labels] : [];
  if (hit && (hit === el || el.contains(hit) || labels.some((l) => l.contains(hit)))) return '';
  const at = `(${{Math.round(x)}}, ${{Math.round(y)}})`;
  return `${{describe(el)}} is covered by ${{describe(hit)}} at ${{at}}`;
}}"""

# Every visible interactive element: brought into view (focused first, so a skip link that
# shows itself on focus is measured as shown) and checked with OBSCURED.
ALL_INTERACTIVE = f"""() => {{
  const obscured = {OBSCURED};
  const problems = [];
  let checked = 0;
  for (const el of document.querySelectorAll({INTERACTIVE!r})) {{
    if (!el.checkVisibility({{visibilityProperty: true}})) continue;
    if (el.disabled) continue;
    el.focus({{preventScroll: true}});
    el.scrollIntoView({{block: 'center', inline: 'center'}});
    checked += 1;
    const problem = obscured(el);
    if (problem) problems.push(problem);
  }}
  if (document.activeElement) document.activeElement.blur();
  return {{checked, problems}};
}}"""

FOCUSED_PROBLEM = f"""() => {{
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  return ({OBSCURED})(el);
}}"""


def _page(chromium, size):
    context = open_context(chromium, viewport=size)
    return context, watch(context.new_page())


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_every_link_and_control_can_be_seen_and_clicked(
    demo_site, chromium, page_type, language, width
):
    """No link or control has zero size or lies under another element (WCAG 2.4.7 and
    2.4.11 as people meet them: a link under the next card can be neither seen, clicked
    nor followed by its focus ring)."""
    context, watched = _page(chromium, WIDTHS[width])
    try:
        paths, _how = page_paths(watched.page, demo_site, language, page_type)
        problems, checked = [], 0
        for path in paths:
            open_page(watched, demo_site, language, page_type, path)
            found = watched.page.evaluate(ALL_INTERACTIVE)
            checked += found["checked"]
            problems += [f"{path}: {p}" for p in found["problems"]]
    finally:
        context.close()
    assert checked > 0, f"{page_type}: no interactive element was checked"
    assert not problems, f"Hidden or covered controls at {width} width:\n" + "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "page_type", ["home", "search-results", "search-filtered", "item-image", "collections"]
)
def test_focus_stays_in_view_and_uncovered_at_every_tab(demo_site, chromium, page_type, width):
    """Tab through the whole page: every stop is on screen and not hidden under anything."""
    context, watched = _page(chromium, WIDTHS[width])
    page = watched.page
    try:
        path = demo_site.path("pl", page_type)
        open_page(watched, demo_site, "pl", page_type, path)
        problems, stops, first = [], 0, None
        for _ in range(MAX_TAB_STOPS):
            page.keyboard.press("Tab")
            here = page.evaluate(
                "() => document.activeElement && document.activeElement.outerHTML.slice(0, 80)"
            )
            if stops and (here is None or here == first):
                break  # back to the start: every stop has been visited
            first = first or here
            stops += 1
            problem = page.evaluate(FOCUSED_PROBLEM)
            if problem:
                problems.append(f"Tab {stops}: {problem}")
    finally:
        context.close()
    assert stops > 3, f"{path}: only {stops} Tab stops"
    assert not problems, f"{path} at {width} width, focus out of view:\n" + "\n".join(problems)


def _tabs_from_search_button_to_first_result(page) -> tuple[int, list[str]]:
    page.focus("form[role=search] button[type=submit]")
    stops = []
    for count in range(1, 61):
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement?.matches('ol.results a')"):
            return count, stops
        stops.append(page.evaluate(f"() => ({DESCRIBE})(document.activeElement)"))
    return 61, stops


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_type", ["search-results", "search-filtered"])
def test_few_tabs_lead_from_the_search_button_to_the_first_result(
    demo_site, chromium, language, page_type, width
):
    context, watched = _page(chromium, WIDTHS[width])
    try:
        open_page(watched, demo_site, language, page_type, demo_site.path(language, page_type))
        count, stops = _tabs_from_search_button_to_first_result(watched.page)
    finally:
        context.close()
    assert count <= MAX_TABS_TO_FIRST_RESULT, (
        f"{count} presses of Tab from the search button to the first result at {width} "
        f"width (at most {MAX_TABS_TO_FIRST_RESULT}); stops: {stops}"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_phone_shows_the_first_result_on_the_first_screen(demo_site, chromium, language):
    context, watched = _page(chromium, PHONE)
    try:
        path = demo_site.path(language, "search-results")
        open_page(watched, demo_site, language, "search-results", path)
        top = watched.page.evaluate(
            "() => document.querySelector('ol.results > li').getBoundingClientRect().top"
        )
        panel_open = watched.page.evaluate("() => document.getElementById('facets').open")
    finally:
        context.close()
    assert top < PHONE["height"] * 0.75, f"{path}: the first result starts at {top}px on a phone"
    assert not panel_open, "on a phone the filters start folded away"


@pytest.mark.parametrize("language", LANGUAGES)
def test_phone_keyboard_user_opens_the_filters_and_applies_one(demo_site, chromium, language):
    """The folded "Narrow the results" region opens with Enter; a filter is applied from the
    button of its own group, a few Tabs after ticking it."""
    context, watched = _page(chromium, PHONE)
    page = watched.page
    try:
        open_page(
            watched,
            demo_site,
            language,
            "search-results",
            demo_site.path(language, "search-results"),
        )
        page.focus("#facets > summary")
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.getElementById('facets').open")
        page.keyboard.press("Tab")
        box = page.evaluate(
            "() => { const el = document.activeElement;"
            " return {name: el.name, value: el.value, type: el.type}; }"
        )
        assert box["type"] == "checkbox", f"the first Tab in the open region reached {box}"
        page.keyboard.press("Space")
        tabs = 0
        while tabs < 25 and not page.evaluate(
            "() => document.activeElement?.matches('form.facets button[type=submit]')"
        ):
            page.keyboard.press("Tab")
            tabs += 1
        assert tabs < 25, "no apply button within 25 Tabs of the ticked box"
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert f"{box['name']}={box['value']}" in page.url
    finally:
        context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_search_without_results_uses_the_width_of_the_page(demo_site, chromium, language):
    context, watched = _page(chromium, DESKTOP)
    try:
        path = demo_site.path(language, "search-no-results")
        open_page(watched, demo_site, language, "search-no-results", path)
        widths = watched.page.evaluate(
            """() => ({
              empty: document.querySelector('.empty-state').getBoundingClientRect().width,
              main: document.querySelector('main').getBoundingClientRect().width,
            })"""
        )
    finally:
        context.close()
    assert widths["empty"] >= 0.5 * widths["main"], f"{path}: squeezed into a column: {widths}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page_type", ["search-results", "search-no-results", "item-image"])
def test_screenshots_for_review(demo_site, chromium, page_type, width):
    """Keeps what a person sees at both widths in var/artifacts/screenshots/ for review."""
    context, watched = _page(chromium, WIDTHS[width])
    try:
        for language in LANGUAGES:
            path = demo_site.path(language, page_type)
            open_page(watched, demo_site, language, page_type, path)
            shot = screenshot(watched.page, f"{language}-{page_type}-{WIDTHS[width]['width']}px")
            assert shot.stat().st_size > 0
    finally:
        context.close()
