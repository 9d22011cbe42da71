"""Public lesson and story pages: lists and filters, pages in Polish and English, drafts
private, Markdown sanitised, "This item appears in", constant query counts."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from archive.models import Status
from curation.models import Audience, SchoolSubject, StoryBlock
from tests.curation.factories import (
    LessonFactory,
    LessonStepFactory,
    StoryBlockFactory,
    StoryBlockItemFactory,
    StoryFactory,
)
from tests.factories import ItemFactory, MediaFileFactory

pytestmark = pytest.mark.django_db


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def lesson_for(audience: str, subject: str, **fields):
    lesson = LessonFactory(**fields)
    lesson.audiences.add(Audience.objects.get(code=audience))
    lesson.school_subjects.add(SchoolSubject.objects.get(code=subject))
    return lesson


@pytest.mark.parametrize("language", ["pl", "en"])
def test_lesson_list_shows_published_lessons_with_audience_subject_and_duration(client, language):
    lesson_for("klasy-7-8", "historia", title="Wojna", title_en="The war", duration_minutes=45)
    LessonFactory(title="Szkic lekcji", status=Status.DRAFT)
    html = page(client, f"/{language}/lessons/")
    assert ("The war" if language == "en" else "Wojna") in html
    assert ("grades 7–8" if language == "en" else "klasy 7–8") in html
    assert ("history" if language == "en" else "historia") in html
    assert "45" in html
    assert "Szkic lekcji" not in html
    assert html.count("<h1") == 1


def test_lesson_list_filters_by_audience_and_subject_with_labelled_checkboxes(client):
    lesson_for("klasy-7-8", "historia", title="Wojna w Mszczonowie")
    lesson_for("klasy-4-6", "muzyka", title="Pieśni ludowe")
    html = page(client, "/en/lessons/?audience=klasy-7-8")
    assert "Wojna w Mszczonowie" in html
    assert "Pieśni ludowe" not in html
    html = page(client, "/en/lessons/?subject=muzyka")
    assert "Pieśni ludowe" in html
    assert "Wojna w Mszczonowie" not in html
    html = page(client, "/en/lessons/?audience=klasy-7-8&subject=muzyka")
    assert "Wojna w Mszczonowie" not in html and "Pieśni ludowe" not in html
    # Every checkbox has a label; the form works without JavaScript (GET).
    assert 'method="get"' in html
    assert '<label for="id_audience_2">grades 7–8</label>' in html
    assert 'value="klasy-7-8"' in html and "checked" in html


def test_unknown_filter_value_is_not_an_error(client):
    lesson_for("klasy-7-8", "historia", title="Wojna w Mszczonowie")
    html = page(client, "/en/lessons/?audience=nie-ma-takiej")
    assert "<h1" in html


@pytest.mark.parametrize("language", ["pl", "en"])
def test_lesson_page_shows_goals_references_steps_items_tasks_and_notes(client, language):
    item = ItemFactory(title="Zniszczony rynek", title_en="The ruined market", date="1939")
    MediaFileFactory(item=item, alt_text="Ruiny kamienic przy rynku")
    lesson = lesson_for(
        "klasy-7-8",
        "historia",
        title="Wojna",
        goals="- Uczeń opisuje zniszczenia",
        teacher_notes="Uwaga dla nauczyciela",
        duration_minutes=45,
    )
    lesson.curriculum_references.create(
        school_subject=SchoolSubject.objects.get(code="historia"),
        stage="4-8",
        requirement="XXXIV.2",
    )
    LessonStepFactory(lesson=lesson, heading="Rynek", item=item, tasks="Co widzisz?\nKiedy?")
    html = page(client, f"/{language}/lessons/{lesson.slug}/")
    assert "Uczeń opisuje zniszczenia" in html
    assert "XXXIV.2" in html
    assert 'alt="Ruiny kamienic przy rynku"' in html
    assert ("The ruined market" if language == "en" else "Zniszczony rynek") in html
    assert item.get_absolute_url() in html
    assert "<li>Co widzisz?</li>" in html and "<li>Kiedy?</li>" in html
    assert '<details class="teacher-notes">' in html
    assert "Uwaga dla nauczyciela" in html


def test_lesson_step_hides_a_draft_item_from_the_public(client):
    lesson = LessonFactory()
    LessonStepFactory(lesson=lesson, item=ItemFactory(title="Tajny szkic", status=Status.DRAFT))
    assert "Tajny szkic" not in page(client, f"/pl/lessons/{lesson.slug}/")


def test_draft_lesson_and_story_are_404_for_the_public_and_previews_for_staff(
    archivist_client,
):
    client = Client()  # archivist_client is the logged-in `client`
    lesson = LessonFactory(status=Status.DRAFT, title="Lekcja robocza")
    story = StoryFactory(status=Status.REVIEW, title="Opowieść robocza")
    for url in (f"/pl/lessons/{lesson.slug}/", f"/en/stories/{story.slug}/"):
        page(client, url, status=404)
        html = page(archivist_client, url)
        assert "notice-draft" in html
        assert 'name="robots" content="noindex"' in html
    assert "Lekcja robocza" not in page(client, "/pl/lessons/")
    assert "Opowieść robocza" not in page(client, "/pl/stories/")


def test_markdown_in_lessons_and_stories_is_sanitised(client):
    evil = "Tekst <script>alert('x')</script> [link](javascript:alert(1)) **mocny**"
    lesson = LessonFactory(summary=evil, goals=evil, teacher_notes=evil)
    LessonStepFactory(lesson=lesson, text=evil)
    story = StoryFactory(summary=evil)
    StoryBlockFactory(story=story, text=evil)
    for url in (f"/pl/lessons/{lesson.slug}/", f"/pl/stories/{story.slug}/"):
        html = page(client, url)
        assert "<script>alert" not in html
        assert "javascript:alert" not in html
        assert "<strong>mocny</strong>" in html


@pytest.mark.parametrize("language", ["pl", "en"])
def test_story_page_renders_each_kind_of_block(client, language):
    story = StoryFactory(title="Herb Mszczonowa", author="Anna Nowak", summary="Lead opowieści")
    StoryBlockFactory(story=story, kind=StoryBlock.Kind.TEXT, text="Akapit *pierwszy*", order=1)
    StoryBlockFactory(
        story=story,
        kind=StoryBlock.Kind.QUOTE,
        text="Słowa kronikarza",
        source="Kronika parafialna, 1890",
        order=2,
    )
    single = StoryBlockItemFactory(
        block__story=story, block__order=3, caption="Pieczęć miasta", item__title="Pieczęć"
    )
    MediaFileFactory(item=single.item, alt_text="Odcisk pieczęci z herbem")
    pair = StoryBlockFactory(story=story, kind=StoryBlock.Kind.PAIR, order=4)
    StoryBlockItemFactory(block=pair, item__title="Herb dawny", order=1)
    StoryBlockItemFactory(block=pair, item__title="Herb dzisiejszy", order=2)
    html = page(client, f"/{language}/stories/{story.slug}/")
    assert "Anna Nowak" in html and "Lead opowieści" in html
    assert "<em>pierwszy</em>" in html
    assert "<blockquote" in html and "<cite>Kronika parafialna, 1890</cite>" in html
    assert "Pieczęć miasta" in html
    assert 'alt="Odcisk pieczęci z herbem"' in html
    assert "story-items-pair" in html
    assert html.index("Herb dawny") < html.index("Herb dzisiejszy")
    assert html.index("Słowa kronikarza") < html.index("Pieczęć miasta")


def test_story_list_links_published_stories(client):
    StoryFactory(title="Zabytki gminy")
    StoryFactory(title="Szkic", status=Status.DRAFT)
    html = page(client, "/en/stories/")
    assert "Zabytki gminy" in html and "Szkic" not in html


@pytest.mark.parametrize("url", ["/pl/", "/en/collections/"])
def test_home_and_navigation_link_to_lessons_and_stories(client, url):
    html = page(client, url)
    assert 'href="/' + url.split("/")[1] + '/lessons/"' in html
    assert 'href="/' + url.split("/")[1] + '/stories/"' in html


def test_item_page_lists_published_lessons_and_stories_that_use_it(client):
    item = ItemFactory()
    LessonStepFactory(lesson__title="Lekcja o rynku", item=item)
    StoryBlockItemFactory(block__story__title="Opowieść o rynku", item=item)
    LessonStepFactory(lesson__title="Lekcja robocza", lesson__status=Status.DRAFT, item=item)
    StoryFactory(title="Okładkowa", cover_item=item)
    html = page(client, item.get_absolute_url())
    assert "appears-in-heading" in html
    assert "Lekcja o rynku" in html and "Opowieść o rynku" in html and "Okładkowa" in html
    assert "Lekcja robocza" not in html


def test_item_page_has_no_appears_in_section_when_unused(client):
    html = page(client, ItemFactory().get_absolute_url())
    assert "appears-in-heading" not in html


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        page(client, url)
    return len(queries)


def test_lesson_page_queries_do_not_grow_with_steps(client):
    def lesson_with(steps: int):
        lesson = lesson_for("klasy-7-8", "historia")
        lesson.curriculum_references.create(requirement="I.1")
        for _ in range(steps):
            item = ItemFactory()
            MediaFileFactory(item=item)
            LessonStepFactory(lesson=lesson, item=item, tasks="Pytanie")
        return lesson

    small, large = lesson_with(2), lesson_with(12)
    page(client, f"/pl/lessons/{small.slug}/")  # warm caches (site settings, periods)
    assert queries_for(client, f"/pl/lessons/{large.slug}/") == queries_for(
        client, f"/pl/lessons/{small.slug}/"
    )


def test_story_page_queries_do_not_grow_with_blocks(client):
    def story_with(blocks: int):
        story = StoryFactory()
        for order in range(blocks):
            entry = StoryBlockItemFactory(block__story=story, block__order=order)
            MediaFileFactory(item=entry.item)
            StoryBlockFactory(story=story, text="Tekst", order=order)
        return story

    small, large = story_with(2), story_with(12)
    page(client, f"/pl/stories/{small.slug}/")
    assert queries_for(client, f"/pl/stories/{large.slug}/") == queries_for(
        client, f"/pl/stories/{small.slug}/"
    )


def test_lesson_list_queries_do_not_grow_with_lessons(client):
    for _ in range(2):
        lesson_for("klasy-7-8", "historia", cover_item=MediaFileFactory().item)
    page(client, "/pl/lessons/")
    few = queries_for(client, "/pl/lessons/")
    for _ in range(8):
        lesson_for("klasy-4-6", "muzyka", cover_item=MediaFileFactory().item)
    assert queries_for(client, "/pl/lessons/") == few


def test_lesson_page_has_the_downloads_include_for_the_classroom(client):
    lesson = LessonFactory()
    response = client.get(f"/pl/lessons/{lesson.slug}/")
    names = [t.name for t in response.templates]
    assert "curation/includes/lesson_downloads.html" in names
