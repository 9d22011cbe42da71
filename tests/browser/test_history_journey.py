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

from .conftest import WCAG_TAGS, committed_journey
from .pages import axe_run, describe_violations
from .test_admin_journeys import archivist_account  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

GUIDE_IMAGES = Path(settings.BASE_DIR) / "docs" / "archivist-guide" / "img"
VIEWPORT = {"width": 1280, "height": 800}


def guide_screenshot(page, screen: str) -> None:
    if os.environ.get("KRONIKA_GUIDE_SCREENSHOTS") == "1":
        GUIDE_IMAGES.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(GUIDE_IMAGES / f"history-{screen}.png"))


def axe_problems(page) -> list[str]:
    response = axe_run(page, WCAG_TAGS)
    if response["violations"]:
        return [describe_violations(page.url, response["violations"])]
    return []


@pytest.fixture(scope="module")
def history_journey(chromium, demo_site, archivist_account, django_db_blocker):  # noqa: F811
    """The whole journey, run before any test transaction opens: a test marked django_db
    holds a transaction, and on SQLite Kronika's transactions take the write lock at once,
    so the live server could not save. The journey ends with the item as it began."""
    from archive.models import Item

    pk = archivist_account["item"]
    with django_db_blocker.unblock():
        original = Item.objects.get(pk=pk).title
    with committed_journey(
        chromium, demo_site, archivist_account["session"], django_db_blocker, VIEWPORT
    ) as watched:
        problems = run_journey(watched.page, demo_site, pk, original)
        yield watched, problems


def run_journey(page, demo_site, pk: int, original: str) -> list[str]:
    changed = f"{original} (poprawka)"
    response = page.goto(demo_site.absolute(f"/en/admin/archive/item/{pk}/change/"))
    assert response.status == 200, (response.status, page.content()[:2000])
    page.fill("#id_title", changed)
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert "/change/" not in page.url, page.locator(".errornote").all_inner_texts()

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
    versions.nth(1).locator("th a").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("del", has_text=changed).count() == 1
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
    return problems


def test_change_history_diff_and_revert_by_keyboard(history_journey):
    watched, problems = history_journey
    assert problems == [], "\n".join(problems)
    assert watched.problems() == [], watched.page.url
