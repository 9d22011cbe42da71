"""The timeline and "On this day" in Chromium: axe-core clean in both languages, and a
keyboard journey from a decade to a year's items (no script involved: <details>)."""

import pytest

from .conftest import LANGUAGES, WCAG_TAGS, reverse_in, screenshot
from .pages import axe_run, describe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

MAX_TABS = 120


@pytest.mark.parametrize("language", LANGUAGES)
def test_timeline_is_axe_clean_with_its_years_open(demo_site, watched_page, language):
    page = watched_page.page
    page.goto(demo_site.absolute(reverse_in(language, "archive:browse_periods")))
    assert page.locator("details.timeline-years").count() >= 3
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert page.locator(".timeline-years li a").first.is_visible()
    assert page.locator(".timeline-sample img").count() >= 1
    screenshot(page, f"{language}-timeline")
    assert watched_page.problems() == []
    response = axe_run(page, WCAG_TAGS)
    assert response["violations"] == [], describe_violations(page.url, response["violations"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_page_with_on_this_day_is_axe_clean(demo_site, watched_page, language):
    page = watched_page.page
    page.goto(demo_site.absolute(reverse_in(language, "archive:home")))
    assert watched_page.problems() == []
    response = axe_run(page, WCAG_TAGS)
    assert response["violations"] == [], describe_violations(page.url, response["violations"])


def test_a_keyboard_opens_a_decade_and_follows_a_year_to_its_items(demo_site, watched_page):
    page = watched_page.page
    page.goto(demo_site.absolute(reverse_in("pl", "archive:browse_periods")))
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    else:
        pytest.fail("Tab never reached a decade's years")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.parentElement.open")
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement.getAttribute('href') || ''")
        if "date_from=" in href:
            break
    else:
        pytest.fail("Tab never reached a year of the open decade")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?date_from=*")
    assert page.locator(".result").count() >= 1
