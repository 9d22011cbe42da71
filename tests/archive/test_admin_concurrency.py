"""Two archivists, one record: every change form archivists use (items, collections, lessons,
stories, the vocabularies) refuses a save over a version someone else saved since it was
opened, names what changed, and keeps the other person's work. The forms are posted back
as a browser sends them (every control of the page's form, inlines included)."""

import lxml.html
import pytest

from archive.models import Item, Licence, Status
from curation.models import Collection
from tests.curation.factories import (
    LessonFactory,
    LessonStepFactory,
    StoryBlockFactory,
    StoryFactory,
)
from tests.factories import (
    AgentFactory,
    CollectionFactory,
    ItemFactory,
    PlaceFactory,
    SubjectFactory,
)

pytestmark = pytest.mark.django_db


def lesson():
    lesson = LessonFactory(title="Wojna", status=Status.DRAFT)
    LessonStepFactory(lesson=lesson, heading="Krok pierwszy", item=ItemFactory())
    return lesson


def story():
    story = StoryFactory(title="Herb", status=Status.DRAFT)
    StoryBlockFactory(story=story, kind="text", text="Początek")
    return story


# (make the record, the field the archivist edits, the field a colleague edits meanwhile)
RECORDS = {
    "item": (lambda: ItemFactory(status=Status.DRAFT, title="Rynek"), "title", "title_en"),
    "collection": (lambda: CollectionFactory(title="Szkoły"), "title", "title_en"),
    "lesson": (lesson, "title", "title_en"),
    "story": (story, "title", "title_en"),
    "subject": (lambda: SubjectFactory(name="Kościoły"), "name", "name_en"),
    "place": (lambda: PlaceFactory(name="Osuchów"), "name", "name_en"),
    "agent": (lambda: AgentFactory(name="Jan Kowalski"), "name", "name_en"),
    "licence": (lambda: Licence.objects.get(code="CC-BY-4.0"), "name", "name_en"),
}


def change_url(obj) -> str:
    meta = obj._meta
    return f"/en/admin/{meta.app_label}/{meta.model_name}/{obj.pk}/change/"


def opened_form(client, obj) -> dict:
    """The change form's controls as the browser would send them back unchanged."""
    response = client.get(change_url(obj))
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content)
    (form,) = [f for f in page.forms if f.get("id", "").endswith("_form")]
    data: dict[str, list[str]] = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    assert data.get("version", [""])[0], "the change form has no version field"
    return data


def colleague_changes(obj, field: str) -> None:
    """Someone else saves the record meanwhile (another tab, the API, an import)."""
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    setattr(fresh, field, "Zmiana kolegi")
    fresh.save()


@pytest.mark.parametrize("name", RECORDS)
def test_saving_over_a_newer_version_is_refused_and_names_the_field(archivist_client, name):
    make, mine, theirs = RECORDS[name]
    obj = make()
    data = opened_form(archivist_client, obj)
    colleague_changes(obj, theirs)

    data[mine] = ["Moja zmiana"]
    response = archivist_client.post(change_url(obj), data)

    assert response.status_code == 200
    text = response.content.decode()
    assert "Someone else changed this" in text
    field_label = str(type(obj)._meta.get_field(theirs).verbose_name)
    assert field_label in text.split("Changed since you opened it:")[1][:300]
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    assert getattr(fresh, theirs) == "Zmiana kolegi"
    assert getattr(fresh, mine) != "Moja zmiana"


@pytest.mark.parametrize("name", RECORDS)
def test_saving_the_version_opened_is_accepted(archivist_client, name):
    make, mine, _ = RECORDS[name]
    obj = make()
    data = opened_form(archivist_client, obj)

    data[mine] = ["Moja zmiana"]
    response = archivist_client.post(change_url(obj), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert getattr(type(obj)._default_manager.get(pk=obj.pk), mine) == "Moja zmiana"


@pytest.mark.parametrize("name", ["collection", "lesson", "item"])
def test_of_two_tabs_on_one_version_the_second_save_is_refused(archivist_client, name):
    make, mine, _ = RECORDS[name]
    obj = make()
    first, second = opened_form(archivist_client, obj), opened_form(archivist_client, obj)

    first[mine], second[mine] = ["Pierwsza"], ["Druga"]
    assert archivist_client.post(change_url(obj), first).status_code == 302
    refused = archivist_client.post(change_url(obj), second)

    assert refused.status_code == 200
    assert "Someone else changed this" in refused.content.decode()
    assert getattr(type(obj)._default_manager.get(pk=obj.pk), mine) == "Pierwsza"


def test_a_post_without_a_version_is_still_accepted(archivist_client):
    """Scripts and pages opened before this check keep working (last save wins)."""
    collection = CollectionFactory(title="Szkoły")
    data = opened_form(archivist_client, collection)
    del data["version"]
    data["title"] = ["Bez wersji"]
    assert archivist_client.post(change_url(collection), data).status_code == 302
    assert Collection.objects.get(pk=collection.pk).title == "Bez wersji"


def test_the_items_message_keeps_its_wording(archivist_client):
    item = ItemFactory(status=Status.DRAFT, title="Rynek")
    data = opened_form(archivist_client, item)
    colleague_changes(item, "description")
    response = archivist_client.post(change_url(item), data)
    assert "Someone else changed this item since you opened it" in response.content.decode()
    assert Item.objects.get(pk=item.pk).description == "Zmiana kolegi"
