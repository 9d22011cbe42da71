"""The lesson and story admin: composition, order, the publishing rule with the rows being
submitted, roles, actions, and the warning when an item a published lesson uses is
unpublished."""

import pytest
from django.contrib.messages import get_messages

from archive import roles
from archive.models import Licence, Status
from archive.roles import CATALOGUER, EDITOR
from curation.models import Lesson, LessonStep, StoryBlock
from tests.archive.test_admin import admin_url, item_post
from tests.curation.factories import (
    LessonFactory,
    LessonStepFactory,
    StoryBlockFactory,
    StoryBlockItemFactory,
    StoryFactory,
)
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def lesson_form(lesson=None, steps=(), status=Status.DRAFT, **fields) -> dict:
    """The lesson change form as a browser posts it; `steps`: dicts of step fields (with
    "id" for stored steps, "DELETE" to remove one)."""
    data = {
        "title": "Mszczonów w czasie wojny",
        "title_en": "",
        "slug": lesson.slug if lesson else "mszczonow-w-czasie-wojny",
        "author": "",
        "cover_item": "",
        "summary": "",
        "summary_en": "",
        "duration_minutes": "45",
        "goals": "",
        "goals_en": "",
        "teacher_notes": "",
        "teacher_notes_en": "",
        "status": status,
        "curriculum_references-TOTAL_FORMS": "0",
        "curriculum_references-INITIAL_FORMS": "0",
        "steps-TOTAL_FORMS": str(len(steps)),
        "steps-INITIAL_FORMS": str(sum(1 for s in steps if s.get("id"))),
    }
    for index, step in enumerate(steps):
        row = {"order": "", "heading": "", "heading_en": "", "text": "", "text_en": ""}
        row |= {"item": "", "tasks": "", "tasks_en": "", "lesson": lesson.pk if lesson else ""}
        row |= step
        for key, value in row.items():
            data[f"steps-{index}-{key}"] = value
    data.update(fields)
    return data


def change_url(obj) -> str:
    return f"/pl/admin/curation/{obj._meta.model_name}/{obj.pk}/change/"


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_lesson_admin_saves_steps_with_their_items_in_order(archivist_client):
    first, second = ItemFactory(), ItemFactory()
    response = archivist_client.post(
        "/pl/admin/curation/lesson/add/",
        lesson_form(
            steps=[
                {"heading": "Drugi", "order": "2", "item": second.pk, "tasks": "Opisz\nPorównaj"},
                {"heading": "Pierwszy", "order": "1", "item": first.pk},
            ]
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    lesson = Lesson.objects.get()
    assert [(s.heading, s.item) for s in lesson.steps.all()] == [
        ("Pierwszy", first),
        ("Drugi", second),
    ]
    assert lesson.steps.get(heading="Drugi").task_list == ["Opisz", "Porównaj"]


def test_steps_added_without_an_order_go_after_the_others(archivist_client):
    lesson = LessonFactory(status=Status.DRAFT)
    stored = LessonStepFactory(lesson=lesson, heading="Było", order=5)
    response = archivist_client.post(
        change_url(lesson),
        lesson_form(
            lesson,
            steps=[
                {"id": stored.pk, "heading": "Było", "order": "5"},
                {"heading": "Nowy", "order": ""},
            ],
        ),
    )
    assert response.status_code == 302
    assert list(lesson.steps.values_list("heading", "order")) == [("Było", 5), ("Nowy", 6)]


def test_publishing_a_lesson_with_a_draft_item_in_a_new_step_is_refused_and_nothing_saved(
    archivist_client,
):
    lesson = LessonFactory(status=Status.DRAFT, title="Stary tytuł")
    draft = ItemFactory(identifier="MOK-SZKIC-1", title="Szkic zdjęcia", status=Status.DRAFT)
    response = archivist_client.post(
        change_url(lesson),
        lesson_form(lesson, status=Status.PUBLISHED, steps=[{"heading": "Krok", "item": draft.pk}]),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "MOK-SZKIC-1 (Szkic zdjęcia)" in html
    lesson.refresh_from_db()
    assert lesson.status == Status.DRAFT
    assert lesson.title == "Stary tytuł"
    assert not LessonStep.objects.exists()


def test_removing_the_draft_step_while_publishing_is_allowed(archivist_client):
    lesson = LessonFactory(status=Status.DRAFT)
    step = LessonStepFactory(lesson=lesson, item=ItemFactory(status=Status.DRAFT))
    response = archivist_client.post(
        change_url(lesson),
        lesson_form(
            lesson,
            status=Status.PUBLISHED,
            steps=[{"id": step.pk, "heading": step.heading, "item": step.item_id, "DELETE": "on"}],
        ),
    )
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.status == Status.PUBLISHED
    assert not lesson.steps.exists()


def test_a_draft_cover_item_blocks_publishing(archivist_client):
    lesson = LessonFactory(status=Status.DRAFT)
    cover = ItemFactory(identifier="MOK-OKL", status=Status.REVIEW)
    response = archivist_client.post(
        change_url(lesson), lesson_form(lesson, status=Status.PUBLISHED, cover_item=cover.pk)
    )
    assert response.status_code == 200
    assert "MOK-OKL" in response.content.decode()
    lesson.refresh_from_db()
    assert lesson.status == Status.DRAFT


def test_cataloguer_cannot_publish_a_lesson_but_can_set_ready_for_review(client, role_user):
    client.force_login(role_user(CATALOGUER))
    lesson = LessonFactory(status=Status.DRAFT)
    refused = client.post(change_url(lesson), lesson_form(lesson, status=Status.PUBLISHED))
    assert refused.status_code == 200
    lesson.refresh_from_db()
    assert lesson.status == Status.DRAFT
    accepted = client.post(change_url(lesson), lesson_form(lesson, status=Status.REVIEW))
    assert accepted.status_code == 302
    lesson.refresh_from_db()
    assert lesson.status == Status.REVIEW


def test_cataloguer_has_no_publish_actions_and_editor_has(client, role_user):
    LessonFactory()
    StoryFactory()
    client.force_login(role_user(CATALOGUER))
    html = client.get("/pl/admin/curation/lesson/").content.decode()
    assert 'value="publish_selected"' not in html
    client.force_login(role_user(EDITOR))
    html = client.get("/pl/admin/curation/story/").content.decode()
    assert 'value="publish_selected"' in html


def test_publish_action_refuses_a_lesson_with_draft_items_and_publishes_the_others(
    client, role_user
):
    client.force_login(role_user(EDITOR))
    blocked = LessonFactory(status=Status.DRAFT, title="Z roboczym")
    LessonStepFactory(lesson=blocked, item=ItemFactory(identifier="MOK-R1", status=Status.DRAFT))
    ready = LessonFactory(status=Status.DRAFT, title="Gotowa")
    LessonStepFactory(lesson=ready, item=ItemFactory())
    response = client.post(
        "/pl/admin/curation/lesson/",
        {"action": "publish_selected", "_selected_action": [blocked.pk, ready.pk]},
        follow=True,
    )
    text = " ".join(messages_of(response))
    assert "MOK-R1" in text
    blocked.refresh_from_db()
    ready.refresh_from_db()
    assert blocked.status == Status.DRAFT
    assert ready.status == Status.PUBLISHED


def test_unpublish_action_needs_the_right(client, role_user):
    story = StoryFactory()
    client.force_login(role_user(CATALOGUER))
    client.post(
        "/pl/admin/curation/story/",
        {"action": "unpublish_selected", "_selected_action": [story.pk]},
    )
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED
    client.force_login(role_user(EDITOR, username="redaktorka"))
    client.post(
        "/pl/admin/curation/story/",
        {"action": "unpublish_selected", "_selected_action": [story.pk]},
    )
    story.refresh_from_db()
    assert story.status == Status.DRAFT


def story_form(story, blocks=(), status=Status.PUBLISHED) -> dict:
    data = {
        "title": story.title,
        "title_en": "",
        "slug": story.slug,
        "author": "",
        "cover_item": "",
        "summary": "",
        "summary_en": "",
        "status": status,
        "blocks-TOTAL_FORMS": str(len(blocks)),
        "blocks-INITIAL_FORMS": str(sum(1 for b in blocks if b.get("id"))),
    }
    for index, block in enumerate(blocks):
        row = {"order": "", "kind": "text", "heading": "", "heading_en": "", "text": ""}
        row |= {"text_en": "", "source": "", "story": story.pk} | block
        for key, value in row.items():
            data[f"blocks-{index}-{key}"] = value
    return data


def test_story_admin_adds_blocks_and_their_page_adds_items(archivist_client):
    story = StoryFactory(status=Status.DRAFT)
    response = archivist_client.post(
        change_url(story),
        story_form(story, [{"kind": "item", "heading": "Ratusz", "order": "1"}], Status.DRAFT),
    )
    assert response.status_code == 302
    block = story.blocks.get()
    item = ItemFactory()
    page = archivist_client.get(change_url(story)).content.decode()
    assert change_url(block) in page  # the block's "Change" link
    response = archivist_client.post(
        change_url(block),
        {
            "order": "1",
            "kind": "item",
            "heading": "Ratusz",
            "heading_en": "",
            "text": "",
            "text_en": "",
            "source": "",
            "entries-TOTAL_FORMS": "1",
            "entries-INITIAL_FORMS": "0",
            "entries-0-item": item.pk,
            "entries-0-caption": "Ratusz w 1930 r.",
            "entries-0-caption_en": "",
            "entries-0-order": "1",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(change_url(story))
    assert list(block.entries.values_list("item", "caption")) == [(item.pk, "Ratusz w 1930 r.")]


def block_form(block, items) -> dict:
    data = {
        "order": "1",
        "kind": block.kind,
        "heading": "",
        "heading_en": "",
        "text": "",
        "text_en": "",
        "source": "",
        "entries-TOTAL_FORMS": str(len(items)),
        "entries-INITIAL_FORMS": "0",
    }
    for index, item in enumerate(items):
        data |= {
            f"entries-{index}-item": item.pk,
            f"entries-{index}-caption": "",
            f"entries-{index}-caption_en": "",
            f"entries-{index}-order": str(index + 1),
        }
    return data


def test_a_pair_block_takes_exactly_two_items(archivist_client):
    block = StoryBlockFactory(kind=StoryBlock.Kind.PAIR, story__status=Status.DRAFT)
    response = archivist_client.post(change_url(block), block_form(block, [ItemFactory()]))
    assert response.status_code == 200
    assert not block.entries.exists()
    response = archivist_client.post(
        change_url(block), block_form(block, [ItemFactory(), ItemFactory()])
    )
    assert response.status_code == 302
    assert block.entries.count() == 2


def test_a_published_story_block_refuses_a_draft_item(archivist_client):
    block = StoryBlockFactory(kind=StoryBlock.Kind.ITEM)
    draft = ItemFactory(identifier="MOK-SZ-9", status=Status.DRAFT)
    response = archivist_client.post(change_url(block), block_form(block, [draft]))
    assert response.status_code == 200
    assert "MOK-SZ-9" in response.content.decode()
    assert not block.entries.exists()


def test_publishing_a_story_whose_blocks_use_a_draft_item_is_refused(archivist_client):
    story = StoryFactory(status=Status.DRAFT)
    entry = StoryBlockItemFactory(
        block__story=story, item=ItemFactory(identifier="MOK-D2", status=Status.DRAFT)
    )
    block = entry.block
    row = {"id": block.pk, "kind": block.kind, "order": "1"}
    response = archivist_client.post(change_url(story), story_form(story, [row]))
    assert response.status_code == 200
    assert "MOK-D2" in response.content.decode()
    story.refresh_from_db()
    assert story.status == Status.DRAFT
    # Deleting that block in the same form lets it be published.
    response = archivist_client.post(change_url(story), story_form(story, [row | {"DELETE": "on"}]))
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED


def test_unpublishing_an_item_used_by_a_published_lesson_warns_and_names_it(client, role_user):
    client.force_login(role_user(EDITOR))
    item = ItemFactory()
    LessonStepFactory(lesson__title="Wojna w Mszczonowie", item=item)
    StoryBlockItemFactory(block__story__title="Herb miasta", item=item)
    LessonStepFactory(lesson__title="Szkic lekcji", lesson__status=Status.DRAFT, item=item)
    response = client.post(
        "/pl/admin/archive/item/",
        {"action": "unpublish_selected", "_selected_action": [item.pk]},
        follow=True,
    )
    text = " ".join(messages_of(response))
    assert "Wojna w Mszczonowie" in text
    assert "Herb miasta" in text
    assert "Szkic lekcji" not in text


def test_unpublishing_an_item_in_its_form_warns_about_lessons(archivist_client):
    item = ItemFactory(title="Rynek", licence=Licence.objects.get(code="InC"))
    LessonStepFactory(lesson__title="Dawny rynek", item=item)
    response = archivist_client.post(
        admin_url("admin:archive_item_change", item.pk),
        item_post(item, status=Status.DRAFT),
        follow=True,
    )
    item.refresh_from_db()
    assert item.status == Status.DRAFT
    assert "Dawny rynek" in " ".join(messages_of(response))


def test_deleting_the_cover_item_of_a_published_story_warns(archivist_client):
    item = ItemFactory()
    StoryFactory(title="Herb miasta", cover_item=item)
    response = archivist_client.post(
        f"/pl/admin/archive/item/{item.pk}/delete/", {"post": "yes"}, follow=True
    )
    assert response.status_code == 200
    assert "Herb miasta" in " ".join(messages_of(response))


def test_deleting_an_item_a_lesson_step_uses_is_refused(archivist_client):
    item = ItemFactory(status=Status.DRAFT)
    LessonStepFactory(lesson__title="Lekcja o rynku", item=item)
    response = archivist_client.post(f"/pl/admin/archive/item/{item.pk}/delete/", {"post": "yes"})
    assert response.status_code == 200  # the page that names what protects it
    assert item.__class__.objects.filter(pk=item.pk).exists()


def test_audience_and_subject_admins_list_the_seeded_data(archivist_client):
    assert "klasy 7–8" in archivist_client.get("/pl/admin/curation/audience/").content.decode()
    html = archivist_client.get("/pl/admin/curation/schoolsubject/").content.decode()
    assert "edukacja regionalna" in html


def test_view_on_site_previews_a_draft_lesson_for_staff(archivist_client):
    lesson = LessonFactory(status=Status.DRAFT, title="Lekcja w przygotowaniu")
    page = archivist_client.get(change_url(lesson)).content.decode()
    assert "/r/" in page  # Django's "View on site" link
    preview = archivist_client.get(f"/pl/lessons/{lesson.slug}/")
    assert preview.status_code == 200
    assert "notice-draft" in preview.content.decode()


def test_story_block_has_keyboard_order_buttons_script(archivist_client):
    story = StoryFactory()
    page = archivist_client.get(change_url(story)).content.decode()
    assert "admin-order" in page
    assert 'class="kronika-order"' in page


def test_lesson_history_lists_versions_with_who_changed_the_status(archivist_client):
    lesson = LessonFactory(status=Status.DRAFT)
    archivist_client.post(change_url(lesson), lesson_form(lesson, status=Status.REVIEW))
    response = archivist_client.get(f"/en/admin/curation/lesson/{lesson.pk}/history/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "archiwistka" in html
    assert "Ready for review" in html or "ready for review" in html


def test_changing_a_gallery_to_text_with_its_items_still_there_is_refused(archivist_client):
    story = StoryFactory(status=Status.DRAFT)
    gallery = StoryBlockFactory(story=story, kind=StoryBlock.Kind.GALLERY)
    StoryBlockItemFactory(block=gallery)
    StoryBlockItemFactory(block=gallery)
    row = {"id": gallery.pk, "kind": "text", "order": "1"}
    response = archivist_client.post(change_url(story), story_form(story, [row], Status.DRAFT))
    assert response.status_code == 200
    gallery.refresh_from_db()
    assert gallery.kind == StoryBlock.Kind.GALLERY


def test_a_block_page_checks_items_used_in_another_block_of_a_published_story(
    archivist_client,
):
    story = StoryFactory()
    shared = ItemFactory()
    first = StoryBlockFactory(story=story, kind=StoryBlock.Kind.ITEM)
    StoryBlockItemFactory(block=first, item=shared)
    second = StoryBlockFactory(story=story, kind=StoryBlock.Kind.ITEM)
    StoryBlockItemFactory(block=second, item=shared)
    # The shared item became a draft behind the story's back (its unpublishing warned).
    type(shared).objects.filter(pk=shared.pk).update(status=Status.DRAFT)
    response = archivist_client.post(change_url(first), block_form(first, [ItemFactory()]))
    assert response.status_code == 200
    assert shared.identifier in response.content.decode()


@pytest.mark.parametrize("permission", ["curation.publish_lesson", "curation.publish_story"])
def test_one_status_rule_takes_the_narratives_permissions(role_user, permission):
    cataloguer, editor = role_user(CATALOGUER), role_user(EDITOR)
    assert not roles.can_change_status(cataloguer, Status.DRAFT, Status.PUBLISHED, permission)
    assert not roles.can_change_status(cataloguer, Status.PUBLISHED, Status.DRAFT, permission)
    assert roles.can_change_status(cataloguer, Status.DRAFT, Status.REVIEW, permission)
    assert roles.can_change_status(editor, Status.DRAFT, Status.PUBLISHED, permission)
    assert roles.allowed_statuses(cataloguer, None, permission) == [Status.DRAFT, Status.REVIEW]
