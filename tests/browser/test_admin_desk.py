"""The archivist's desk and a batch edit, in Chromium, by keyboard; axe-core clean.

Screenshots for the archivist's guide (docs/archivist-guide/img/desk-*.png) are saved
when KRONIKA_GUIDE_SCREENSHOTS=1.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

from .conftest import WCAG_TAGS, committed_journey
from .pages import axe_run, describe_violations
from .test_admin_journeys import _open, admin_page, archivist_account  # noqa: F401 (fixtures)

# Every test is marked django_db, so pytest-django runs them among the other browser tests,
# before any transactional test empties the tables the package's demo catalogue relies on.
# The batch edit writes through the live server, which SQLite refuses while a test holds a
# transaction: that journey runs in a module fixture, before the test's transaction opens.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

GUIDE_IMAGES = Path(settings.BASE_DIR) / "docs" / "archivist-guide" / "img"
PREFIX = "DESK-B-"


def guide_screenshot(page, screen: str) -> None:
    """A 1280×800 picture of a screen for the guide, only when asked for."""
    if os.environ.get("KRONIKA_GUIDE_SCREENSHOTS") != "1":
        return
    GUIDE_IMAGES.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=str(GUIDE_IMAGES / f"desk-{screen}.png"))


@pytest.fixture(scope="module")
def desk_items(demo_site, django_db_blocker):
    """Two drafts of our own (committed, the live server reads them), removed afterwards,
    so the batch edit leaves the demo as it was."""
    from archive.models import Item, Status

    with django_db_blocker.unblock():
        items = [
            Item.objects.create(
                identifier=f"{PREFIX}{n}",
                title=f"Kartka pocztowa z Mszczonowa {n}",
                item_type="photograph",
                status=Status.REVIEW,
            )
            for n in (1, 2)
        ]
    yield [item.identifier for item in items]
    with django_db_blocker.unblock():
        from django.contrib.admin.models import LogEntry

        LogEntry.objects.filter(object_id__in=[str(i.pk) for i in items]).delete()
        Item.objects.filter(pk__in=[i.pk for i in items]).delete()


def assert_axe_clean(page, path: str) -> None:
    violations = axe_run(page, WCAG_TAGS)["violations"]
    assert violations == [], describe_violations(path, violations)


def test_desk_is_axe_clean_and_its_links_open_the_queues(admin_page, demo_site, desk_items):  # noqa: F811
    page = admin_page.page
    _open(admin_page, demo_site, "/pl/admin/")
    desk = page.locator("section.kronika-desk")
    assert desk.locator("h2").count() == 1
    review_count = desk.locator("#desk-review td").inner_text()
    assert int(review_count) >= 2
    guide_screenshot(page, "home")
    assert_axe_clean(page, "/pl/admin/")
    # Keyboard: Tab until the "ready for review" link has the focus, then Enter.
    link = desk.locator("#desk-review a")
    for _ in range(60):
        page.keyboard.press("Tab")
        if link.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("the desk's first link cannot be reached with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "status__exact=review" in page.url
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == int(review_count)
    assert admin_page.problems() == []


@pytest.fixture(scope="module")
def batch_edit(chromium, demo_site, archivist_account, desk_items, django_db_blocker):  # noqa: F811
    """The batch edit by keyboard, run with the database open to the live server."""
    with committed_journey(
        chromium,
        demo_site,
        archivist_account["session"],
        django_db_blocker,
        {"width": 1280, "height": 900},
    ) as watched:
        run_batch_edit(watched, demo_site, desk_items)
        yield watched


def run_batch_edit(admin_page, demo_site, desk_items) -> None:  # noqa: F811
    page = admin_page.page
    _open(admin_page, demo_site, f"/pl/admin/archive/item/?q={PREFIX}")
    # Select both items with the keyboard: focus each row's checkbox and press Space.
    for identifier in desk_items:
        checkbox = page.locator("#result_list tbody tr", has_text=identifier).locator(
            "input.action-select"
        )
        checkbox.focus()
        page.keyboard.press("Space")
        assert checkbox.is_checked()
    action = page.locator("select[name=action]")
    action.focus()
    for _ in range(30):  # a closed select moves to the next option with the arrow key
        if action.input_value() == "batch_set_rights_holder":
            break
        page.keyboard.press("ArrowDown")
    assert action.input_value() == "batch_set_rights_holder"
    page.keyboard.press("Tab")  # to the "Go" button
    assert page.evaluate("document.activeElement.name") == "index"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The confirmation page: names both items, asks for the holder.
    assert page.locator(".kronika-batch-items li").count() == 2
    guide_screenshot(page, "batch-confirm")
    assert_axe_clean(page, "batch edit confirmation")
    field = page.locator("#id_batch-term")
    assert page.locator("label[for=id_batch-term]").count() == 1
    field.focus()
    page.keyboard.type("Gmina Mszczonów")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("ul.messagelist li.success").count() == 1
    guide_screenshot(page, "batch-done")
    with page.expect_navigation():
        page.locator("#result_list tbody tr", has_text=desk_items[0]).locator("th a").click()
    assert page.locator("#id_rights_holder").input_value() == "Gmina Mszczonów"


def test_batch_edit_by_keyboard_is_axe_clean(batch_edit, desk_items):
    from archive.models import Item

    assert batch_edit.problems() == [], batch_edit.page.url
    holders = set(
        Item.objects.filter(identifier__in=desk_items).values_list("rights_holder", flat=True)
    )
    assert holders == {"Gmina Mszczonów"}
