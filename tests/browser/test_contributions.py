"""Residents' contributions in Chromium (issue 14, section 4): a resident finds a
photograph, reaches "Wiesz coś więcej?" by keyboard, sends the form without consent (the
error state), then with consent and a photo of their own (the thank-you page); an
archivist approves it in the admin and it shows on the item page. The form, its error state
and the thank-you page are axe-core clean in Polish and English."""

from __future__ import annotations

import io

import pytest

from .conftest import LANGUAGES, WCAG_TAGS, committed_journey, screenshot
from .pages import axe_run, describe_violations
from .test_admin_journeys import archivist_account  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

VIEWPORT = {"width": 1280, "height": 900}
MEMORY = {
    "pl": "Drugi od lewej to mój dziadek, Szczepan Wiśniewski, kowal z Mszczonowa.",
    "en": "The man on the left is my grandfather, a blacksmith from Mszczonów.",
}


def axe_problems(page, name: str) -> list[str]:
    screenshot(page, f"contribution-{name}")
    response = axe_run(page, WCAG_TAGS)
    if response["violations"]:
        return [describe_violations(page.url, response["violations"])]
    return []


def own_photo() -> dict:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), "olive").save(buffer, "JPEG")
    return {"name": "moje-zdjecie.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def tab_to(page, selector: str, limit: int = 300) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    pytest.fail(f"{selector} cannot be reached with Tab.")


def resident_journey(page, demo_site, identifier: str, language: str) -> list[str]:
    problems: list[str] = []
    page.goto(demo_site.absolute(f"/{language}/items/{identifier}/"), wait_until="load")
    tab_to(page, "a.contribute-link")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/{language}/items/{identifier}/contribute/")
    problems += axe_problems(page, f"{language}-form")

    # The text typed, consent forgotten: the error state keeps the text.
    page.locator("#id_kind_1").check()
    page.fill("#id_text", MEMORY[language])
    page.locator("#id_text").focus()
    tab_to(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#error-summary").is_visible()
    assert page.input_value("#id_text") == MEMORY[language]
    assert page.locator("#error-summary a[href='#id_consent']").count() == 1
    problems += axe_problems(page, f"{language}-error")

    # Consent ticked from the keyboard, a photo of one's own attached, sent.
    page.locator("#id_photo").set_input_files(own_photo())
    page.locator("#id_consent").focus()
    page.keyboard.press("Space")
    assert page.locator("#id_consent").is_checked()
    tab_to(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/items/{identifier}/contribute/thanks/"), page.url
    assert "/contributions/withdraw/" in page.locator(".withdraw-link a").inner_text()
    problems += axe_problems(page, f"{language}-thanks")
    return problems


@pytest.fixture(scope="module")
def contribution_journeys(chromium, demo_site, archivist_account, django_db_blocker):  # noqa: F811
    """Both journeys, committed (module scope, before any test transaction: see
    committed_journey), and the archivist's approval of the Polish contribution."""
    from contributions.models import Contribution

    identifier = demo_site.facts["item-image"]
    problems: list[str] = []
    for language in LANGUAGES:
        with committed_journey(chromium, demo_site, None, django_db_blocker, VIEWPORT) as w:
            problems += resident_journey(w.page, demo_site, identifier, language)
            # The error state answers 400, which Chromium logs as a console error.
            form = demo_site.absolute(f"/{language}/items/{identifier}/contribute/")
            problems += w.problems(missing_page_url=form)
    with django_db_blocker.unblock():
        sent = {c.text: c for c in Contribution.objects.filter(item__identifier=identifier)}
    polish = sent[MEMORY["pl"]]
    with committed_journey(
        chromium, demo_site, archivist_account["session"], django_db_blocker, VIEWPORT
    ) as watched:
        page = watched.page
        page.goto(
            demo_site.absolute(f"/pl/admin/contributions/contribution/{polish.pk}/change/"),
            wait_until="load",
        )
        assert page.locator("img.contribution-photo").count() == 1
        problems += axe_problems(page, "admin")
        page.select_option("#id_state", "approved")
        with page.expect_navigation():
            page.click("input[name=_save]")
        assert "/change/" not in page.url
        page.goto(demo_site.absolute(f"/pl/items/{identifier}/"), wait_until="load")
        shown = page.locator(".item-contributions").inner_text()
    with django_db_blocker.unblock():
        states = {c.text: c.state for c in Contribution.objects.filter(item__identifier=identifier)}
        Contribution.objects.filter(item__identifier=identifier).delete()
    yield {"problems": problems, "shown": shown, "states": states}


def test_the_form_its_errors_and_the_thanks_are_axe_clean(contribution_journeys):
    assert contribution_journeys["problems"] == []


def test_an_approved_memory_shows_on_the_item_page(contribution_journeys):
    assert MEMORY["pl"] in contribution_journeys["shown"]
    assert MEMORY["en"] not in contribution_journeys["shown"]  # still waiting
    assert contribution_journeys["states"] == {MEMORY["pl"]: "approved", MEMORY["en"]: "new"}
