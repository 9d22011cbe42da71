"""Lesson and story pages as Chromium shows them: axe-core clean in Polish and English
(lesson list with its filters, lesson, story list, story), and the teacher's notes opened
from the keyboard. The lesson and story are made here from published demo items (the demo
lessons and stories come with the demo content of issue 11)."""

import pytest

from .conftest import LANGUAGES, WCAG_TAGS, screenshot
from .pages import axe_run, describe_violations, save_axe_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PAGE_TYPES = ("lessons", "lesson", "stories", "story")


@pytest.fixture(scope="module")
def narratives(demo_site, django_db_blocker):
    """A published lesson (3 steps with items, curriculum reference, teacher's notes) and a
    published story with a block of every kind, committed for the live server."""
    from archive.models import Item
    from curation.models import Audience, Lesson, SchoolSubject, Story, StoryBlock

    with django_db_blocker.unblock():
        items = list(
            Item.objects.published()
            .filter(media_files__isnull=False)
            .distinct()
            .order_by("identifier")[:4]
        )
        lesson = Lesson.objects.create(
            title="Rynek dawniej i dziś",
            title_en="The market square then and now",
            slug="rynek-dawniej-i-dzis-test",
            summary="Uczniowie porównują zdjęcia rynku.",
            goals="- porównuje źródła\n- opisuje zmiany",
            teacher_notes="Lekcja na 45 minut; **zdjęcia** wydrukuj wcześniej.",
            duration_minutes=45,
            cover_item=items[0],
            status="published",
        )
        lesson.audiences.add(Audience.objects.get(code="klasy-7-8"))
        lesson.school_subjects.add(SchoolSubject.objects.get(code="historia"))
        lesson.curriculum_references.create(
            school_subject=SchoolSubject.objects.get(code="historia"),
            stage="4-8",
            requirement="XXXIV.2",
        )
        for order, item in enumerate(items[:3], start=1):
            lesson.steps.create(
                order=order, heading=f"Krok {order}", item=item, tasks="Co widzisz?\nKiedy?"
            )
        story = Story.objects.create(
            title="Herb Mszczonowa",
            title_en="The coat of arms of Mszczonów",
            slug="herb-mszczonowa-test",
            author="Zespół MOK",
            summary="Skąd się wziął herb miasta.",
            cover_item=items[0],
            status="published",
        )
        text = story.blocks.create(order=1, kind=StoryBlock.Kind.TEXT, text="Akapit *tekstu*.")
        story.blocks.create(order=2, kind="quote", text="Słowa kronikarza.", source="Kronika")
        single = story.blocks.create(order=3, kind="item", heading="Pieczęć")
        single.entries.create(item=items[0], caption="Pieczęć miasta")
        pair = story.blocks.create(order=4, kind="pair", heading="Dawniej i dziś")
        pair.entries.create(item=items[1], order=1)
        pair.entries.create(item=items[2], order=2)
        gallery = story.blocks.create(order=5, kind="gallery", heading="Galeria")
        for order, item in enumerate(items, start=1):
            gallery.entries.create(item=item, order=order)
        assert text.pk
    yield {"lesson": lesson.slug, "story": story.slug}
    with django_db_blocker.unblock():
        lesson.delete()
        for block in story.blocks.all():
            block.entries.all().delete()
        story.delete()


def path_of(language: str, page_type: str, slugs: dict) -> str:
    return {
        "lessons": f"/{language}/lessons/",
        "lesson": f"/{language}/lessons/{slugs['lesson']}/",
        "stories": f"/{language}/stories/",
        "story": f"/{language}/stories/{slugs['story']}/",
    }[page_type]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_narrative_pages_have_no_wcag_violations(
    demo_site, narratives, watched_page, language, page_type
):
    page = watched_page.page
    path = path_of(language, page_type, narratives)
    response = page.goto(demo_site.absolute(path), wait_until="load")
    assert response.status == 200, path
    if page_type in ("lesson", "story"):
        assert page.locator("main figure img").count() >= 1, f"{path}: no item image"
    name = f"{language}-{page_type}"
    screenshot(page, name)
    result = axe_run(page, WCAG_TAGS)
    save_axe_report(name, path, result)
    assert not result["violations"], describe_violations(path, result["violations"])
    assert not watched_page.problems(), watched_page.problems()


def test_teachers_notes_open_from_the_keyboard(demo_site, narratives, watched_page):
    page = watched_page.page
    page.goto(demo_site.absolute(path_of("pl", "lesson", narratives)), wait_until="load")
    details = page.locator("details.teacher-notes")
    assert details.get_attribute("open") is None
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('details.teacher-notes') !== null"):
            break
    else:
        pytest.fail("The teacher's notes cannot be reached with Tab.")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Enter")
    assert details.get_attribute("open") is not None
    assert page.get_by_text("wydrukuj wcześniej").is_visible()


def test_lesson_filters_work_from_the_keyboard(demo_site, narratives, watched_page):
    page = watched_page.page
    page.goto(demo_site.absolute("/en/lessons/"), wait_until="load")
    page.get_by_label("grades 7–8").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Show lessons").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/lessons/?audience=klasy-7-8*")
    assert page.get_by_role("link", name="The market square then and now").is_visible()


@pytest.fixture(scope="module")
def curator_session(demo_site, django_db_blocker):
    """A superuser's session key, committed for the live server (as in
    test_admin_journeys.py)."""
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    from .test_admin_journeys import password_backend

    with django_db_blocker.unblock():
        user = get_user_model().objects.create_superuser("kuratorka-lekcji", "", "Haslo-123-xyz")
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = password_backend()
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
    yield session.session_key
    with django_db_blocker.unblock():
        session.delete()
        user.delete()


def test_lesson_steps_are_reordered_from_the_keyboard_in_the_admin(
    demo_site, narratives, curator_session, browser_context
):
    from django.conf import settings

    from curation.models import Lesson

    from .conftest import watch

    browser_context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": curator_session, "url": demo_site.url}]
    )
    watched = watch(browser_context.new_page())
    page = watched.page
    lesson = Lesson.objects.get(slug=narratives["lesson"])
    path = f"/pl/admin/curation/lesson/{lesson.pk}/change/"
    assert page.goto(demo_site.absolute(path), wait_until="load").status == 200
    headings = "els => els.map(e => e.value)"
    rows = "#steps-group .inline-related:not(.empty-form)"
    selector = f"{rows} input[name$='-heading']"
    assert page.eval_on_selector_all(selector, headings) == ["Krok 1", "Krok 2", "Krok 3"]
    # The first step's "move down" button, reached and pressed from the keyboard.
    page.locator("#steps-group .kronika-order-button[aria-label='Przesuń w dół']").first.focus()
    page.keyboard.press("Enter")
    assert page.eval_on_selector_all(selector, headings) == ["Krok 2", "Krok 1", "Krok 3"]
    orders = page.eval_on_selector_all(f"{rows} input.kronika-order", headings)
    names = page.eval_on_selector_all(f"{rows} input.kronika-order", "els => els.map(e => e.name)")
    by_name = dict(zip(names, orders, strict=True))
    assert by_name["steps-0-order"] == "2" and by_name["steps-1-order"] == "1"
    # Focus stays on the button that moved the row, and a live region says where it is.
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Przesuń w dół"
    assert page.locator(f"{rows} [role=status]", has_text="Pozycja: 2").count() == 1
    assert watched.problems() == []


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_narrative_pages_reflow_at_320_css_pixels(demo_site, narratives, chromium, page_type):
    from .conftest import open_context, watch
    from .test_pages import _horizontal_overflow

    context = open_context(chromium, viewport={"width": 320, "height": 640})
    try:
        page = watch(context.new_page()).page
        path = path_of("pl", page_type, narratives)
        assert page.goto(demo_site.absolute(path), wait_until="load").status == 200
        screenshot(page, f"pl-{page_type}-320px")
        measured = _horizontal_overflow(page)
    finally:
        context.close()
    assert measured["scrollWidth"] <= 320, measured
