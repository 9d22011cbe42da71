"""Citing and reusing an item in Chromium: the credit line's copy button puts the text on
the clipboard, the field is there to select by hand without JavaScript, a picture that may
not be reused offers no download, and the page stays axe-core clean."""

import pytest

from .conftest import WCAG_TAGS, open_context, screenshot, watch
from .pages import axe_run, describe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _reusable_item_path() -> str:
    from django.utils import translation

    from archive.models import Item

    item = (
        Item.objects.published()
        .filter(media_files__isnull=False, licence__allows_download=True)
        .order_by("identifier")
        .first()
    )
    assert item is not None, "the demo catalogue has no openly licensed item with a file"
    with translation.override("en"):
        return item.get_absolute_url()


def test_credit_line_copies_with_the_button_and_the_page_passes_axe(demo_site, chromium):
    context = open_context(chromium, permissions=["clipboard-read", "clipboard-write"])
    watched = watch(context.new_page())
    page = watched.page
    page.goto(demo_site.absolute(_reusable_item_path()))
    field = page.locator(".credit-line-field").first
    button = page.locator(".copy-button").first
    assert button.is_visible()
    button.click()
    page.locator(".copy-status").first.wait_for(state="visible")
    assert page.locator(".copy-status").first.inner_text() == "Copied."
    assert page.evaluate("navigator.clipboard.readText()") == field.input_value()
    assert page.locator(".citation cite").count() == 1
    violations = axe_run(page, WCAG_TAGS)["violations"]
    assert not violations, describe_violations(page.url, violations)
    screenshot(page, "en-item-credit-copied")
    assert not watched.problems(), watched.problems()
    context.close()


def test_without_javascript_the_credit_line_is_selectable_and_no_button_shows(demo_site, chromium):
    context = open_context(chromium, java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_site.absolute(_reusable_item_path()))
    field = page.locator(".credit-line-field").first
    assert field.is_visible() and field.get_attribute("readonly") is not None
    assert not page.locator(".copy-button").first.is_visible()
    # Keyboard: the field takes focus, so its text can be selected and copied.
    field.focus()
    assert field.evaluate("el => el === document.activeElement")
    context.close()
