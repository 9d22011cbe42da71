"""A lesson in the classroom, in Chromium: the worksheet printed to PDF (tasks and credits in
its text, no navigation), axe-core clean in print emulation, and a teacher's keyboard
journey: find a lesson for klasy 7–8, open it, download the ZIP, print the worksheet."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test.utils import override_settings
from pypdf import PdfReader

from .conftest import LANGUAGES, WCAG_TAGS, screenshot
from .pages import axe_run, describe_violations
from .test_keyboard import assert_focus_is_visible, tab_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

AUDIENCE = "klasy-7-8"
# Chromium's window.print() opens no dialog when headless: the page records the call.
PRINT_RECORDER = "window.print = () => { window.__printed = (window.__printed || 0) + 1; };"
TASKS = [
    "Opisz, co widzisz na pierwszej ilustracji.",
    "Który obiekt jest najstarszy? Uzasadnij odpowiedź.",
]


@pytest.fixture(scope="module")
def classroom_lesson(demo_site, django_db_blocker, tmp_path_factory):
    """A published lesson for klasy 7–8 made of demo items with images, one whose licence
    allows copies and one whose licence does not (committed: the live server reads it)."""
    from archive.models import Item
    from curation.models import Audience, Lesson, LessonStep

    cache = override_settings(KRONIKA_CLASSROOM_CACHE_DIR=str(tmp_path_factory.mktemp("zip")))
    cache.enable()
    with django_db_blocker.unblock():
        with_image = Item.objects.published().filter(media_files__kind="image").distinct()
        shared = with_image.filter(licence__allows_download=True).order_by("identifier").first()
        kept = with_image.filter(licence__allows_download=False).order_by("identifier").first()
        if shared is None or kept is None:
            pytest.fail(
                "The demo needs a published item with an image under a licence that allows "
                "copies and one under a licence that does not (archive/demo/items.py)."
            )
        audience, made_audience = Audience.objects.get_or_create(
            code=AUDIENCE, defaults={"name": "klasy 7–8", "name_en": "grades 7–8"}
        )
        lesson = Lesson.objects.create(
            title="Ślady przeszłości w Mszczonowie (lekcja próbna)",
            title_en="Traces of the past in Mszczonów (trial lesson)",
            slug="slady-przeszlosci-proba",
        )
        lesson.audiences.add(audience)
        for order, (item, task) in enumerate(zip([shared, kept], TASKS, strict=True)):
            LessonStep.objects.create(
                lesson=lesson, order=order, heading=f"Krok {order + 1}", item=item, tasks=task
            )
        lesson.publish()
        facts = {
            "slug": lesson.slug,
            "title": lesson.title,
            "shared": shared.identifier,
            "shared_licence": shared.licence.name,
            "kept": kept.identifier,
            "kept_licence": kept.licence.name,
        }
    yield facts
    with django_db_blocker.unblock():
        lesson.delete()
        if made_audience:
            audience.delete()
    cache.disable()


def squeezed(text: str) -> str:
    """Text without any whitespace: PDF extraction breaks long lines (URLs) anywhere."""
    return "".join(text.split())


def printed_text(page) -> tuple[str, int]:
    """The page printed to an A4 PDF: its text and how many images it holds."""
    page.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=False)))
    text = "\n".join(sheet.extract_text() for sheet in reader.pages)
    return text, sum(len(sheet.images) for sheet in reader.pages)


def assert_offline_worksheet_shows_its_images(context, zip_path, folder) -> None:
    """The ZIP's worksheet.html, unpacked and opened from disk, finds every picture."""
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(folder)
    page = context.new_page()
    try:
        page.goto((folder / "worksheet.html").as_uri())
        shown = page.eval_on_selector_all(
            "img", "(images) => images.map((i) => i.complete && i.naturalWidth > 0)"
        )
        assert shown == [True], f"pictures of the offline worksheet: {shown}"
    finally:
        page.close()


def worksheet_url(demo_site, language: str, slug: str) -> str:
    return demo_site.absolute(f"/{language}/lessons/{slug}/worksheet/")


@pytest.mark.parametrize("language", LANGUAGES)
def test_worksheet_printed_to_pdf_holds_tasks_and_credits(
    demo_site, watched_page, classroom_lesson, language
):
    page = watched_page.page
    page.goto(worksheet_url(demo_site, language, classroom_lesson["slug"]))
    toolbar = page.inner_text("nav.ws-toolbar")
    text, images = printed_text(page)
    screenshot(page, f"worksheet-print-{language}")  # as printed (an artefact to look at)
    flat = squeezed(text)
    for task in TASKS:
        assert squeezed(task) in flat
    for which in ("shared", "kept"):
        permalink = demo_site.absolute(f"/{language}/items/{classroom_lesson[which]}/")
        assert squeezed(permalink) in flat, f"{permalink} is not in the printed credits"
    if language == "pl":
        assert squeezed(classroom_lesson["shared_licence"]) in flat
        assert squeezed(classroom_lesson["kept_licence"]) in flat
    assert squeezed(toolbar) not in flat, "the worksheet's navigation was printed"
    assert images >= 2  # both pictures, sized to fit the page
    assert watched_page.problems() == []


@pytest.mark.parametrize("media", ["print", "screen"])
def test_worksheet_is_axe_clean(demo_site, watched_page, classroom_lesson, media):
    page = watched_page.page
    page.emulate_media(media=media)
    url = worksheet_url(demo_site, "pl", classroom_lesson["slug"])
    page.goto(url)
    screenshot(page, f"worksheet-{media}-pl")
    violations = axe_run(page, WCAG_TAGS)["violations"]
    assert violations == [], describe_violations(url, violations)


def test_teacher_finds_a_lesson_downloads_it_and_prints_the_worksheet_by_keyboard(
    demo_site, browser_context, classroom_lesson, tmp_path
):
    """Only Tab and Enter, from the lesson list filtered for klasy 7–8."""
    slug = classroom_lesson["slug"]
    browser_context.add_init_script(PRINT_RECORDER)
    page = browser_context.new_page()
    page.goto(demo_site.absolute(f"/pl/lessons/?audience={AUDIENCE}"))

    tab_until(page, f'a[href="/pl/lessons/{slug}/"]', "the lesson in the list")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/pl/lessons/{slug}/")

    tab_until(page, f'a[href="/pl/lessons/{slug}/download.zip"]', "the classroom download")
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    assert saved.name == f"{slug}.zip"
    with zipfile.ZipFile(saved) as archive:
        names = archive.namelist()
        credits = archive.read("credits.txt").decode()
    assert {"worksheet.html", "credits.txt", "credits.html"} <= set(names)
    assert len([name for name in names if name.startswith("images/")]) == 1
    assert classroom_lesson["shared"] in credits and classroom_lesson["kept"] in credits
    assert_offline_worksheet_shows_its_images(browser_context, saved, tmp_path / "unpacked")

    tab_until(page, f'a[href="/pl/lessons/{slug}/worksheet/"]', "the worksheet link")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_until(page, "button[data-print]", "the Print button")
    page.keyboard.press("Enter")
    assert page.evaluate("window.__printed") == 1
    assert_focus_is_visible(page, "the Print button after printing")
    text, _images = printed_text(page)
    assert squeezed(TASKS[0]) in squeezed(text)
