"""The item page in Chromium: one printed A4 page, the zoom viewer in view and not trapping
the phone, the people page and the previous/next links, keyboard and axe-core clean.

The print PDF and screenshots are saved to var/artifacts/ (git-ignored) to be looked at.
"""

import io

import pytest
from django.test.utils import override_settings

from .conftest import SCREENSHOTS, WCAG_TAGS, open_context, screenshot, watch
from .pages import axe_run, describe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}


def _item_path(demo_site, language: str = "pl") -> str:
    return demo_site.path(language, "item-image")


@pytest.mark.parametrize("language", ["pl", "en"])
def test_item_prints_on_one_a4_page_without_links_to_click(demo_site, watched_page, language):
    from pypdf import PdfReader

    page = watched_page.page
    page.goto(demo_site.absolute(_item_path(demo_site, language)))
    page.wait_for_load_state("networkidle")
    pdf = page.pdf(format="A4", print_background=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / f"{language}-item-print.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert demo_site.facts["item-image"] in text  # the identifier
    assert "creativecommons.org" in text or "rightsstatements.org" in text  # licence URL
    page.emulate_media(media="print")
    for hidden in (".site-footer", ".media-download", ".item-related", ".skip-link"):
        for element in page.locator(hidden).all():
            assert not element.is_visible(), hidden
    assert page.locator(".citation").is_visible()
    screenshot(page, f"{language}-item-print-media")


def test_item_page_on_a_phone_and_on_a_desktop(demo_site, chromium):
    for name, options in (
        ("phone", PHONE),
        ("desktop", {"viewport": {"width": 1280, "height": 900}}),
    ):
        context = open_context(chromium, **options)
        page = watch(context.new_page()).page
        page.goto(demo_site.absolute(_item_path(demo_site)))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= options["viewport"]["width"], name  # no sideways scrolling
        download = page.locator(".media-download a").first
        assert download.is_visible()
        box = download.bounding_box()
        assert box["height"] >= 24, name  # a target a finger can hit
        screenshot(page, f"pl-item-{name}")
        context.close()


@override_settings(KRONIKA_ZOOM_MIN_SIDE=1000)
def test_zoom_viewer_keeps_its_buttons_in_view_and_leaves_the_page_scrollable(demo_site, chromium):
    for name, options in (
        ("desktop", {"viewport": {"width": 1280, "height": 720}}),
        ("phone", PHONE),
    ):
        context = open_context(chromium, **options)
        watched = watch(context.new_page())
        page = watched.page
        page.goto(demo_site.absolute(_item_path(demo_site)))
        opener = page.locator(".media-figure .zoom-button").first
        opener.click()
        stage = page.locator(".zoom-stage").first
        stage.wait_for(state="visible")
        page.wait_for_function("document.activeElement.closest('.zoom-stage') !== null")
        toolbar = page.locator(".zoom-toolbar").first.bounding_box()
        height = options["viewport"]["height"]
        # Within a pixel: scrolling lands on fractional offsets (e.g. -0.4 px with a header
        # of fractional height), which no one can see.
        assert toolbar["y"] >= -1 and toolbar["y"] + toolbar["height"] <= height + 1, name
        stage_box = stage.bounding_box()
        assert stage_box["height"] <= 0.7 * height + 1, name
        assert stage_box["height"] <= 651, name
        screenshot(page, f"pl-item-zoom-{name}")
        # Closing while tiles still load makes OpenSeadragon log "Image load aborted" as a
        # console error (nothing a visitor sees): close once the tiles are in.
        page.wait_for_load_state("networkidle")
        page.keyboard.press("Escape")
        assert opener.is_visible()
        # OpenSeadragon also cancels tile requests it no longer needs when the stage settles
        # (its own console message "Image load aborted"): not an error a visitor meets.
        problems = [p for p in watched.problems() if not p.endswith("Image load aborted.")]
        assert not problems, (name, problems)
        context.close()


def test_people_page_and_pager_are_reachable_and_pass_axe(demo_site, watched_page):
    page = watched_page.page
    collection = demo_site.path("pl", "collection")
    page.goto(demo_site.absolute(collection))
    page.locator(".cards .card-title a").nth(1).click()
    page.wait_for_load_state()
    assert "from=collection" in page.url
    assert page.locator('.item-pager a[rel="prev"]').count() == 1
    assert page.locator('.item-pager a[rel="next"]').count() <= 1
    # Keyboard: Tab from the top of the content reaches the previous-item link first.
    page.locator("#main").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.item-pager') !== null")
    problems = []
    response = axe_run(page, WCAG_TAGS)
    if response["violations"]:
        problems.append(describe_violations(page.url, response["violations"]))
    screenshot(page, "pl-item-with-pager")

    # The people page, reached from a creator's name on an item page.
    page.goto(demo_site.absolute(_item_path(demo_site)))
    person = page.locator(".metadata a[href*='/people/']").first
    assert person.count() == 1, "the demo item with an image names no person"
    name = person.inner_text()
    person.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == name
    assert page.locator(".cards .card").count() >= 1
    response = axe_run(page, WCAG_TAGS)
    if response["violations"]:
        problems.append(describe_violations(page.url, response["violations"]))
    screenshot(page, "pl-person")
    assert not problems, "\n".join(problems)
