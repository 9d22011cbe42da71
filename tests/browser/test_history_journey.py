"""History in Chromium: an item changed, its History page, a version's diff, the revert by
keyboard, the deleted items page; each page axe-core clean (issue 10, section 3).

With KRONIKA_GUIDE_SCREENSHOTS=1 the main screens are saved for the archivist's guide
(docs/archivist-guide/img/history-*.png, 1280×800).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

from .conftest import WCAG_TAGS
from .pages import axe_run, describe_violations
from .test_admin_journeys import admin_page, archivist_account  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

GUIDE_IMAGES = Path(settings.BASE_DIR) / "docs" / "archivist-guide" / "img"


def guide_screenshot(page, screen: str) -> None:
    if os.environ.get("KRONIKA_GUIDE_SCREENSHOTS") == "1":
        GUIDE_IMAGES.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(GUIDE_IMAGES / f"history-{screen}.png"))


def axe_problems(page) -> list[str]:
    response = axe_run(page, WCAG_TAGS)
    return [describe_violations(page.url, response["violations"])] if response["violations"] else []


def test_change_history_diff_and_revert_by_keyboard(admin_page, demo_site, archivist_account):  # noqa: F811
    from archive.models import Item

    page = admin_page.page
    page.set_viewport_size({"width": 1280, "height": 800})
    pk = archivist_account["item"]
    original = Item.objects.get(pk=pk).title
    changed = f"{original} (poprawka)"

    page.goto(demo_site.absolute(f"/en/admin/archive/item/{pk}/change/"))
    page.fill("#id_title", changed)
    with page.expect_navigation():
        page.click("input[name=_save]")
    # The live server's writes are read back through pages: the test's own connection
    # keeps the snapshot it started with.
    assert "/change/" not in page.url, page.locator("#content").inner_text()[:3000]

    page.goto(demo_site.absolute(f"/en/admin/archive/item/{pk}/history/"))
    versions = page.locator(".kronika-versions tbody tr")
    count = versions.count()
    assert count >= 2
    newest = versions.nth(0)
    assert changed in newest.locator("ins").all_inner_texts()
    assert "admin" in newest.inner_text()
    problems = axe_problems(page)
    guide_screenshot(page, "versions")

    # The older version, reached and reverted by keyboard.
    older = versions.nth(1).locator("th a")
    older.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/history/" in page.url and page.locator("del", has_text=changed).count() == 1
    problems += axe_problems(page)
    guide_screenshot(page, "version")
    page.get_by_role("button", name="Revert to this version").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Reverted to version" in page.locator(".messagelist").inner_text()
    assert page.locator(".kronika-versions tbody tr").count() == count + 1
    page.goto(demo_site.absolute(f"/en/admin/archive/item/{pk}/change/"))
    assert page.input_value("#id_title") == original

    page.goto(demo_site.absolute("/en/admin/archive/item/deleted/"))
    assert page.locator("h1").inner_text() == "Deleted items"
    problems += axe_problems(page)
    guide_screenshot(page, "deleted")
    assert problems == [], "\n".join(problems)
    assert admin_page.problems() == []
