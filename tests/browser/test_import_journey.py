"""Import in the admin, in Chromium: import → preview → confirm → undo, by keyboard.

The journey runs in Polish (the archivists' language) and asserts on the pages' structure
(ids, roles), so it does not depend on the wording of the catalogue. The import page, the
preview and the batch page are checked with axe-core (WCAG 2.1 A/AA). With
KRONIKA_GUIDE_SCREENSHOTS=1 each main screen is saved, 1280×800, to
docs/archivist-guide/img/imports-<screen>.png for the archivist's guide.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test.utils import override_settings

from .conftest import WCAG_TAGS, open_context, watch
from .pages import axe_run, describe_violations, save_axe_report
from .test_admin_journeys import admin_page, archivist_account  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

GUIDE_IMAGES = Path(settings.BASE_DIR) / "docs" / "archivist-guide" / "img"
GUIDE_VIEWPORT = {"width": 1280, "height": 800}
NEW_IDENTIFIERS = ["MOK-IMPORT-0001", "MOK-IMPORT-0002"]


@pytest.fixture(scope="module")
def updated_item(demo_site, django_db_blocker) -> dict:
    """A demo item the file updates (read before Chromium starts: no ORM after that)."""
    from archive.models import Item

    with django_db_blocker.unblock():
        item = Item.objects.get(identifier=demo_site.facts["item-image"])
        return {
            "pk": item.pk,
            "identifier": item.identifier,
            "title": item.title,
            "item_type": item.item_type,
            "date": item.date,
            "subjects": ";".join(item.subjects.values_list("name", flat=True)),
        }


def write_catalogue_file(tmp_path: Path, updated_item: dict) -> Path:
    path = tmp_path / "nowe-nabytki.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["identifier", "title", "item_type", "date", "subjects"])
        writer.writerow(
            [
                updated_item["identifier"],
                "Tytuł poprawiony w arkuszu",
                updated_item["item_type"],
                updated_item["date"],
                updated_item["subjects"],
            ]
        )
        writer.writerow(
            [NEW_IDENTIFIERS[0], "Pocztówka z rynku", "photograph", "193X", "Pocztówki"]
        )
        writer.writerow([NEW_IDENTIFIERS[1], "Afisz dożynkowy", "document", "1937", "Dożynki"])
    return path


def check_page(watched, name: str) -> None:
    """A clean console under the CSP, then axe-core (whose injected script the CSP may
    report: what it logs is not the page's)."""
    page = watched.page
    assert watched.problems() == [], page.url
    response = axe_run(page, WCAG_TAGS)
    save_axe_report(name, page.url, response)
    assert not response["violations"], describe_violations(page.url, response["violations"])
    watched.console_errors.clear()


def guide_screenshot(page, screen: str) -> None:
    if os.environ.get("KRONIKA_GUIDE_SCREENSHOTS") != "1":
        return
    GUIDE_IMAGES.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(GUIDE_VIEWPORT)
    page.screenshot(path=str(GUIDE_IMAGES / f"imports-{screen}.png"))


def press_on(page, selector: str) -> None:
    """Reach an element with the Tab key, as a keyboard user does, and press Enter on it."""
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate(
            "selector => document.activeElement === document.querySelector(selector)", selector
        ):
            page.keyboard.press("Enter")
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


@pytest.fixture(scope="module")
def staging(tmp_path_factory):
    """The live server stages uploads in a temporary folder, and (like every test, by the
    suite's function-scoped fixture) finds static files without a manifest."""
    plain = "django.contrib.staticfiles.storage.StaticFilesStorage"
    staged = override_settings(
        KRONIKA_IMPORT_STAGING_DIR=str(tmp_path_factory.mktemp("import-staging")),
        STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": plain}},
    )
    staged.enable()
    yield
    staged.disable()


@pytest.fixture(scope="module")
def import_journey(
    chromium,
    demo_site,
    archivist_account,  # noqa: F811 - the fixture imported above
    updated_item,
    staging,
    tmp_path_factory,
    django_db_blocker,
):
    """The whole journey, run before any test transaction opens.

    A test marked django_db holds a transaction, and on SQLite Kronika's transactions take
    the write lock at once: the live server could not commit the import. Module fixtures are
    set up before the test's transaction, so the journey runs here, and really commits; it
    undoes what it imports (and the package restores the database when it ends).
    """
    context = open_context(chromium, viewport=GUIDE_VIEWPORT)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": archivist_account["session"],
                "url": demo_site.url,
            }
        ]
    )
    watched = watch(context.new_page())
    # The live server thread reads and writes the database (see the docstring).
    blocked = django_db_blocker.unblock()
    blocked.__enter__()
    try:
        run_journey(
            watched,
            demo_site,
            write_catalogue_file(tmp_path_factory.mktemp("csv"), updated_item),
            updated_item,
        )
        yield watched
    finally:
        blocked.__exit__(None, None, None)
        context.close()


def test_import_preview_confirm_and_undo_by_keyboard(import_journey):
    assert import_journey.problems() == [], import_journey.page.url


def run_journey(watched, demo_site, catalogue_file: Path, updated_item: dict) -> None:
    page = watched.page
    page.goto(demo_site.absolute("/pl/admin/archive/item/"))
    with page.expect_navigation():
        press_on(page, "#import-items-link")
    assert page.url.endswith("/pl/admin/archive/item/import/")
    check_page(watched, "admin-import")
    page.set_input_files("input[type=file]", str(catalogue_file))
    guide_screenshot(page, "upload")

    with page.expect_navigation():
        press_on(page, "input[type=submit]")
    # The preview: one update with old → new, two new items; nothing written yet.
    rows = page.locator("#import-rows tbody tr")
    assert rows.count() == 3
    assert page.locator(f"#line-2 del:has-text('{updated_item['title']}')").count() == 1
    assert page.locator("#line-2 ins:has-text('Tytuł poprawiony w arkuszu')").count() == 1
    assert page.locator("#line-2 .kronika-changes li").count() == 1  # only the title changes
    assert "1930–1939" in page.locator("#line-3").inner_text()
    assert page.locator("#import-new-terms").count() == 1
    check_page(watched, "admin-import-preview")
    guide_screenshot(page, "preview")

    with page.expect_navigation():
        press_on(page, "#import-confirm")
    assert "/admin/archive/importbatch/" in page.url
    assert page.locator("ul.messagelist li.success").count() == 1
    items = page.locator("#batch-items tbody tr")
    assert items.count() == 3
    check_page(watched, "admin-import-batch")
    guide_screenshot(page, "batch")

    with page.expect_navigation():
        press_on(page, "#batch-undo-button")
    assert page.locator("ul.messagelist li.success").count() == 1
    assert page.locator("#batch-undo-button").count() == 0
    for identifier in NEW_IDENTIFIERS:
        assert "(" in page.locator(f"#batch-items tr:has-text('{identifier}')").inner_text()
    check_page(watched, "admin-import-batch-undone")
    guide_screenshot(page, "undone")

    # The updated item has its title from before the import again.
    page.goto(demo_site.absolute(f"/pl/admin/archive/item/{updated_item['pk']}/change/"))
    assert page.locator("#id_title").input_value() == updated_item["title"]


def test_a_file_with_errors_shows_them_and_cannot_be_confirmed(
    admin_page,  # noqa: F811 - the fixture imported above
    demo_site,
    tmp_path,
    settings,
):
    settings.KRONIKA_IMPORT_STAGING_DIR = str(tmp_path / "staging")
    path = tmp_path / "bledy.csv"
    path.write_text(
        "identifier,title,item_type,date\nMOK-BLAD-1,,photograph,\nMOK-BLAD-2,Mapa,statek,"
        "32 maja 1920\n",
        encoding="utf-8",
    )
    watched = admin_page
    page = watched.page
    page.set_viewport_size(GUIDE_VIEWPORT)
    page.goto(demo_site.absolute("/pl/admin/archive/item/import/"))
    page.set_input_files("input[type=file]", str(path))
    with page.expect_navigation():
        press_on(page, "input[type=submit]")
    assert page.locator("#import-status[role=alert]").count() == 1
    assert page.locator("#import-confirm").count() == 0
    assert page.locator("#line-2 .errorlist li").count() == 1
    assert page.locator("#line-3 .errorlist li").count() == 2
    check_page(watched, "admin-import-preview-errors")
    guide_screenshot(page, "errors")
    with page.expect_navigation():
        press_on(page, "#import-cancel")
    assert page.url.endswith("/pl/admin/archive/item/")
