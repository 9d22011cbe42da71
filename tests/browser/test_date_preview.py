"""The admin's date field in Chromium: typing a phrase says at once how it is read, in a
live region screen readers announce; keyboard only; axe-core clean (issue 10, dates)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from .conftest import WCAG_TAGS
from .pages import axe_run, describe_violations
from .test_admin_journeys import admin_page, archivist_account  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

GUIDE_IMAGES = Path(settings.BASE_DIR) / "docs" / "archivist-guide" / "img"


def guide_screenshot(page, name: str) -> None:
    """A screenshot for the archivist's guide, only when KRONIKA_GUIDE_SCREENSHOTS=1."""
    if os.environ.get("KRONIKA_GUIDE_SCREENSHOTS") == "1":
        GUIDE_IMAGES.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(GUIDE_IMAGES / f"dates-{name}.png"))


def test_typing_a_phrase_shows_how_it_is_read(admin_page, demo_site):  # noqa: F811
    page = admin_page.page
    page.set_viewport_size({"width": 1280, "height": 800})
    response = page.goto(demo_site.absolute("/pl/admin/archive/item/add/"))
    assert response.status == 200
    field = page.locator("#id_date")
    reading = page.locator("#id_date_reading")
    assert reading.get_attribute("aria-live") == "polite"
    assert "id_date_reading" in (field.get_attribute("aria-describedby") or "")

    field.focus()
    page.keyboard.type("lata 30. XX w.")
    expect(reading).to_contain_text("1930–1939")
    expect(reading).to_contain_text("EDTF: 193X")
    field.scroll_into_view_if_needed()
    guide_screenshot(page, "preview")

    page.keyboard.press("Control+A")
    page.keyboard.type("30 lutego 1920")
    expect(reading).to_contain_text("30.02.1920")
    expect(reading).to_have_class("date-reading date-reading-error")

    page.keyboard.press("Control+A")
    page.keyboard.type("I poł. XIX w.")
    expect(reading).to_contain_text("1800–1849")

    assert admin_page.problems() == []  # before axe, whose probes add inline styles
    results = axe_run(page, WCAG_TAGS)
    violations = [
        violation
        for violation in results["violations"]
        if any("date" in " ".join(map(str, node["target"])) for node in violation["nodes"])
    ]
    assert not violations, describe_violations(page.url, violations)
