"""The archivists' admin: pages, the alt-text publishing rule in one save, bulk actions."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from archive.models import Item, Licence, Status
from curation.models import CollectionItem
from media.models import MediaFile
from tests.factories import (
    AgentFactory,
    CollectionFactory,
    CollectionItemFactory,
    ItemFactory,
    MediaFileFactory,
    PlaceFactory,
    SubjectFactory,
    image_bytes,
)

pytestmark = pytest.mark.django_db

INLINE_PREFIXES = ("item_creators", "media_files", "memberships")


def admin_url(name: str, *args, language: str = "en") -> str:
    """Admin URLs under /en/, so assertions on messages do not depend on the catalogue."""
    with translation.override(language):
        return reverse(name, args=args)


def stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def item_post(item=None, **fields) -> dict:
    """The main form's fields as the admin page posts them, with empty inlines."""
    data = {
        "identifier": item.identifier if item else "MOK-F-0100",
        "title": item.title if item else "Rynek w Mszczonowie",
        "title_en": "",
        "item_type": item.item_type if item else "photograph",
        "description": "",
        "description_en": "",
        "date": item.date if item else "1920~",
        "licence": str(item.licence_id if item else Licence.objects.get(code="InC").pk),
        "rights_holder": "",
        "source": "",
        "status": item.status if item else Status.DRAFT,
        "_save": "Save",
    }
    for prefix in INLINE_PREFIXES:
        data.update(management(prefix, 0))
    data.update(fields)
    return data


def media_post(index: int, media=None, item=None, **fields) -> dict:
    """One form of the media inline: an existing file (media) or a new upload (fields)."""
    data = {
        "id": str(media.pk) if media else "",
        "item": str(item.pk) if item else "",
        "alt_text": media.alt_text if media else "",
        "alt_text_en": "",
        "caption": "",
        "caption_en": "",
        "credit": "",
        "long_description": "",
        "order": "0",
    }
    data.update(fields)
    return {f"media_files-{index}-{key}": value for key, value in data.items()}


def upload(content: bytes | None = None, name: str = "rynek.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content or image_bytes(), content_type="image/jpeg")


def thumbnail_url(media, width: int) -> str:
    from media import public

    return public.thumbnail(media, width=width)["url"]


def page_text(response) -> str:
    return response.content.decode()


# --- pages -----------------------------------------------------------------------------


def test_admin_shows_the_kronika_header(archivist_client):
    response = archivist_client.get(admin_url("admin:index"))
    assert response.status_code == 200
    assert "Kronika – catalogue" in page_text(response)


@pytest.mark.parametrize(
    ("model", "factory"),
    [
        ("archive_item", ItemFactory),
        ("archive_subject", SubjectFactory),
        ("archive_place", PlaceFactory),
        ("archive_agent", AgentFactory),
        ("archive_licence", lambda: Licence.objects.get(code="CC-BY-4.0")),
        ("curation_collection", CollectionFactory),
        ("media_mediafile", MediaFileFactory),
    ],
)
def test_changelist_add_and_change_pages_open(archivist_client, model, factory):
    obj = factory()
    for url in (
        admin_url(f"admin:{model}_changelist", language="pl"),
        admin_url(f"admin:{model}_add", language="pl"),
        admin_url(f"admin:{model}_change", obj.pk, language="pl"),
    ):
        assert url.startswith("/pl/admin/")
        assert archivist_client.get(url).status_code == 200, url


def test_admin_is_closed_to_visitors(client):
    response = client.get(admin_url("admin:archive_item_changelist", language="pl"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_item_change_page_shows_inlines_previews_and_read_only_dates(archivist_client):
    item = ItemFactory(date="193X")
    media = MediaFileFactory(item=item, alt_text="Rynek zimą")
    CollectionItemFactory(item=item)
    item.item_creators.create(agent=AgentFactory(name="Jan Kowalski"), role="photographer")
    response = archivist_client.get(admin_url("admin:archive_item_change", item.pk))
    text = page_text(response)
    assert response.status_code == 200
    assert f'src="{thumbnail_url(media, 240)}"' in text and 'alt="Rynek zimą"' in text
    assert "Jan Kowalski" in text
    assert "1930" in text and "1939" in text
    assert 'name="date_start"' not in text  # derived, shown read-only
    assert media.checksum in text
    assert item.get_absolute_url() in archivist_client.get(
        admin_url("admin:view_on_site", _item_content_type(), item.pk)
    ).get("Location", "")


def _item_content_type() -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Item).pk


def test_item_changelist_lists_items_with_thumbnail_and_search(archivist_client):
    item = ItemFactory(identifier="MOK-F-0001", title="Kościół św. Jana")
    media = MediaFileFactory(item=item, alt_text="Kościół od strony rynku")
    ItemFactory(identifier="MOK-F-0002", title="Młyn")
    response = archivist_client.get(admin_url("admin:archive_item_changelist"), {"q": "Kościół"})
    text = page_text(response)
    assert "MOK-F-0001" in text and "MOK-F-0002" not in text
    assert f'src="{thumbnail_url(media, 96)}"' in text
    assert media.file.url not in text  # never the original in a list
    assert 'alt="Kościół od strony rynku"' in text


def test_item_changelist_filters_by_collection_and_subject(archivist_client):
    collection = CollectionFactory()
    subject = SubjectFactory()
    inside = ItemFactory(identifier="IN-1")
    inside.subjects.add(subject)
    CollectionItemFactory(collection=collection, item=inside)
    ItemFactory(identifier="OUT-1")
    url = admin_url("admin:archive_item_changelist")
    for params in ({"collections__id__exact": collection.pk}, {"subjects__id__exact": subject.pk}):
        text = page_text(archivist_client.get(url, params))
        assert "IN-1" in text and "OUT-1" not in text


def test_item_changelist_query_count_does_not_grow_with_items(
    archivist_client, django_assert_max_num_queries
):
    subjects = [SubjectFactory() for _ in range(3)]
    collection = CollectionFactory()
    for n in range(30):
        item = ItemFactory(identifier=f"MOK-F-{n:04d}")
        item.subjects.set(subjects)
        MediaFileFactory(item=item)
        CollectionItemFactory(collection=collection, item=item)
    with django_assert_max_num_queries(12):
        response = archivist_client.get(admin_url("admin:archive_item_changelist"))
    assert response.status_code == 200
    assert page_text(response).count("<img ") >= 30


@pytest.mark.parametrize(
    ("url_name", "factory"),
    [
        ("admin:curation_collection_changelist", CollectionFactory),
        ("admin:archive_subject_changelist", SubjectFactory),
        ("admin:archive_agent_changelist", AgentFactory),
        ("admin:archive_place_changelist", PlaceFactory),
    ],
)
def test_vocabulary_changelists_count_items_without_n_plus_one(
    archivist_client, django_assert_max_num_queries, url_name, factory
):
    for _ in range(20):
        factory()
    with django_assert_max_num_queries(8):
        response = archivist_client.get(admin_url(url_name))
    assert response.status_code == 200


def test_collection_changelist_shows_parent_and_item_count(archivist_client):
    parent = CollectionFactory(title="Mszczonów dawniej")
    child = CollectionFactory(title="Kościoły", parent=parent)
    for _ in range(3):
        CollectionItemFactory(collection=child)
    response = archivist_client.get(admin_url("admin:curation_collection_changelist"))
    text = page_text(response)
    assert "Mszczonów dawniej" in text
    assert '<td class="field-item_count">3</td>' in text


def test_collection_add_form_saves_ordered_items(archivist_client):
    first, second = ItemFactory(), ItemFactory()
    data = {
        "title": "Szkoły",
        "title_en": "Schools",
        "slug": "szkoly",
        "order": "0",
        "description": "",
        "description_en": "",
        "parent": "",
        "cover_item": str(first.pk),
        **management("memberships", 2),
        "memberships-0-item": str(second.pk),
        "memberships-0-order": "1",
        "memberships-1-item": str(first.pk),
        "memberships-1-order": "2",
        "_save": "Save",
    }
    response = archivist_client.post(admin_url("admin:curation_collection_add"), data)
    assert response.status_code == 302, page_text(response)
    ordered = CollectionItem.objects.filter(collection__slug="szkoly").order_by("order")
    assert [m.item for m in ordered] == [second, first]


# --- the alt-text rule, in one save ------------------------------------------------------


def test_add_item_with_image_and_alt_text_published_in_one_post(archivist_client, media_root):
    data = item_post(status=Status.PUBLISHED)
    data.update(management("media_files", 1))
    data.update(media_post(0, file=upload(), alt_text="Rynek z lotu ptaka"))
    response = archivist_client.post(admin_url("admin:archive_item_add"), data)
    assert response.status_code == 302, page_text(response)
    item = Item.objects.get(identifier="MOK-F-0100")
    assert item.status == Status.PUBLISHED and item.published_at is not None
    assert (item.date_start, item.date_end) == (1919, 1921)
    media = item.media_files.get()
    assert media.alt_text == "Rynek z lotu ptaka"
    assert (media.kind, media.original_name) == ("image", "rynek.jpg")
    assert [p.name for p in stored_files(media_root)] == [media.file.name.rsplit("/", 1)[1]]
    assert (media_root / media.file.name).is_file()


def test_add_published_item_with_image_without_alt_text_is_refused_and_writes_nothing(
    archivist_client, media_root
):
    data = item_post(status=Status.PUBLISHED)
    data.update(management("media_files", 1))
    data.update(media_post(0, file=upload(name="bez-opisu.jpg"), alt_text=" "))
    response = archivist_client.post(admin_url("admin:archive_item_add"), data)
    assert response.status_code == 200
    text = page_text(response)
    assert "Please correct the error below." in text
    assert _media_form(response)[1].errors["alt_text"] == ["The image has no alt-text."]
    assert "bez-opisu.jpg" in text  # the kept file, named beside the file input
    assert not Item.objects.exists()
    assert not MediaFile.objects.exists()
    # Only the kept copy for the next submission, never an original or a derivative.
    assert {p.relative_to(media_root).parts[0] for p in stored_files(media_root)} == {"staging"}


def test_add_draft_item_with_image_without_alt_text_is_saved(archivist_client):
    data = item_post()
    data.update(management("media_files", 1))
    data.update(media_post(0, file=upload()))
    response = archivist_client.post(admin_url("admin:archive_item_add"), data)
    assert response.status_code == 302, page_text(response)
    assert Item.objects.get().status == Status.DRAFT
    assert MediaFile.objects.get().alt_text == ""


def test_fixing_alt_text_and_publishing_in_one_save(archivist_client):
    item = ItemFactory(status=Status.DRAFT)
    media = MediaFileFactory(item=item, alt_text="")
    data = item_post(item, status=Status.PUBLISHED)
    data.update(management("media_files", 1, initial=1))
    data.update(media_post(0, media=media, item=item, alt_text="Dzwonnica przy kościele"))
    response = archivist_client.post(admin_url("admin:archive_item_change", item.pk), data)
    assert response.status_code == 302, page_text(response)
    item.refresh_from_db()
    media.refresh_from_db()
    assert item.status == Status.PUBLISHED
    assert media.alt_text == "Dzwonnica przy kościele"


def test_publishing_with_an_existing_image_lacking_alt_text_is_refused(archivist_client):
    item = ItemFactory(status=Status.DRAFT)
    media = MediaFileFactory(item=item, alt_text="")
    data = item_post(item, status=Status.PUBLISHED)
    data.update(management("media_files", 1, initial=1))
    data.update(media_post(0, media=media, item=item))
    response = archivist_client.post(admin_url("admin:archive_item_change", item.pk), data)
    assert response.status_code == 200
    assert _media_form(response)[1].has_error("alt_text")
    assert media.display_name in page_text(response)
    item.refresh_from_db()
    assert item.status == Status.DRAFT


def test_deleting_the_image_without_alt_text_lets_the_item_be_published(archivist_client):
    item = ItemFactory(status=Status.DRAFT)
    media = MediaFileFactory(item=item, alt_text="")
    data = item_post(item, status=Status.PUBLISHED)
    data.update(management("media_files", 1, initial=1))
    data.update(media_post(0, media=media, item=item, DELETE="on"))
    response = archivist_client.post(admin_url("admin:archive_item_change", item.pk), data)
    assert response.status_code == 302, page_text(response)
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED
    assert not MediaFile.objects.exists()


def test_clearing_alt_text_of_a_published_item_is_refused(archivist_client):
    item = ItemFactory(status=Status.PUBLISHED)
    media = MediaFileFactory(item=item, alt_text="Pomnik na placu")
    data = item_post(item)
    data.update(management("media_files", 1, initial=1))
    data.update(media_post(0, media=media, item=item, alt_text=""))
    response = archivist_client.post(admin_url("admin:archive_item_change", item.pk), data)
    assert response.status_code == 200
    text = page_text(response)
    assert _media_form(response)[1].errors["alt_text"] == [
        "An image of a published item needs alt-text."
    ]
    assert "An image of a published item needs alt-text." in text
    media.refresh_from_db()
    assert media.alt_text == "Pomnik na placu"


def test_adding_an_image_without_alt_text_to_a_published_item_is_refused(
    archivist_client, media_root
):
    item = ItemFactory(status=Status.PUBLISHED)
    data = item_post(item)
    data.update(management("media_files", 1))
    data.update(media_post(0, item=item, file=upload(name="nowe.jpg")))
    response = archivist_client.post(admin_url("admin:archive_item_change", item.pk), data)
    assert response.status_code == 200
    assert "nowe.jpg" in page_text(response)
    assert _media_form(response)[1].has_error("alt_text")
    assert not MediaFile.objects.exists()
    assert {p.relative_to(media_root).parts[0] for p in stored_files(media_root)} == {"staging"}


def test_item_creators_are_saved_through_the_inline(archivist_client):
    agent = AgentFactory(name="Jan Kowalski")
    subject, place = SubjectFactory(), PlaceFactory()
    data = item_post(subjects=[str(subject.pk)], places=[str(place.pk)])
    data.update(management("item_creators", 1))
    data.update(
        {
            "item_creators-0-agent": str(agent.pk),
            "item_creators-0-role": "photographer",
            "item_creators-0-order": "0",
        }
    )
    response = archivist_client.post(admin_url("admin:archive_item_add"), data)
    assert response.status_code == 302, page_text(response)
    item = Item.objects.get()
    assert [(c.agent.name, c.role) for c in item.item_creators.all()] == [
        ("Jan Kowalski", "photographer")
    ]
    assert list(item.subjects.all()) == [subject] and list(item.places.all()) == [place]


def test_invalid_date_is_a_form_error(archivist_client):
    response = archivist_client.post(admin_url("admin:archive_item_add"), item_post(date="19x5"))
    assert response.status_code == 200
    assert "EDTF" in page_text(response)
    assert not Item.objects.exists()


# --- bulk actions ------------------------------------------------------------------------


def test_publish_action_publishes_good_items_and_names_the_refused_one(archivist_client):
    good = [ItemFactory(status=Status.DRAFT) for _ in range(2)]
    MediaFileFactory(item=good[0], alt_text="Szkoła podstawowa")
    bad = ItemFactory(status=Status.DRAFT, identifier="MOK-F-0666")
    MediaFileFactory(item=bad, alt_text="", original_name="ciemne.jpg")
    response = archivist_client.post(
        admin_url("admin:archive_item_changelist"),
        {"action": "publish_selected", "_selected_action": [i.pk for i in [*good, bad]]},
        follow=True,
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "MOK-F-0666 was not published" in text
    assert "ciemne.jpg" in text
    assert "2 items were published." in text
    statuses = dict(Item.objects.values_list("identifier", "status"))
    assert statuses == {
        good[0].identifier: Status.PUBLISHED,
        good[1].identifier: Status.PUBLISHED,
        "MOK-F-0666": Status.DRAFT,
    }


def test_unpublish_action_makes_items_drafts(archivist_client):
    items = [ItemFactory(status=Status.PUBLISHED) for _ in range(3)]
    keep = ItemFactory(status=Status.PUBLISHED)
    response = archivist_client.post(
        admin_url("admin:archive_item_changelist"),
        {"action": "unpublish_selected", "_selected_action": [i.pk for i in items]},
        follow=True,
    )
    assert "3 items were unpublished" in page_text(response)
    assert set(Item.objects.filter(status=Status.DRAFT)) == set(items)
    keep.refresh_from_db()
    assert keep.status == Status.PUBLISHED and keep.published_at is not None
    assert all(i.published_at is None for i in Item.objects.filter(status=Status.DRAFT))


@pytest.mark.parametrize(
    ("app_label", "model_name", "field_name", "make", "term", "expected"),
    [
        (
            "archive",
            "item",
            "subjects",
            lambda: SubjectFactory(name="Kościoły", slug="koscioly"),
            "koscio",
            "Kościoły",
        ),
        ("archive", "item", "licence", lambda: None, "CC-BY-SA", "CC-BY-SA-4.0"),
        ("archive", "item", "related_items", lambda: ItemFactory(title="Młyn"), "Młyn", "Młyn"),
        (
            "archive",
            "itemcreator",
            "agent",
            lambda: AgentFactory(name="Jan Kowalski"),
            "Kow",
            "Jan",
        ),
        (
            "curation",
            "collection",
            "cover_item",
            lambda: ItemFactory(title="Ratusz"),
            "ratusz",
            "Ratusz",
        ),
        (
            "curation",
            "collectionitem",
            "collection",
            lambda: CollectionFactory(title="Szkoły"),
            "Szk",
            "Szkoły",
        ),
    ],
)
def test_autocomplete_fields_find_records(
    archivist_client, app_label, model_name, field_name, make, term, expected
):
    make()
    response = archivist_client.get(
        admin_url("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    assert any(expected in result["text"] for result in response.json()["results"])


# --- editing a version someone else has replaced ----------------------------------------


def opened_version(client, item) -> str:
    """The hidden version field of the change page, as the browser would send it back."""
    import html
    import re

    page = page_text(client.get(admin_url("admin:archive_item_change", item.pk)))
    match = re.search(r'<input type="hidden" name="version" value="([^"]*)"', page)
    assert match, "the change form has no version field"
    return html.unescape(match.group(1))


def test_saving_over_someone_elses_newer_version_is_refused_naming_their_fields(
    archivist_client,
):
    item = ItemFactory(status=Status.DRAFT, title="Rynek", description="Opis pierwszy")
    version = opened_version(archivist_client, item)
    # Meanwhile a colleague changes the description (through the API, another tab...).
    Item.objects.filter(pk=item.pk).update(description="Opis kolegi")
    Item.objects.get(pk=item.pk).save()

    data = item_post(item, title="Rynek w 1920 r.", version=version)
    response = archivist_client.post(admin_url("admin:archive_item_change", item.pk), data)

    assert response.status_code == 200
    text = page_text(response)
    assert "Someone else changed this item since you opened it" in text
    assert "description" in text.split("Changed since you opened it:")[1][:200]
    item.refresh_from_db()
    assert (item.title, item.description) == ("Rynek", "Opis kolegi")


def test_of_two_admin_edits_of_one_version_the_second_is_refused(archivist_client):
    item = ItemFactory(status=Status.DRAFT, title="Rynek")
    first_tab = opened_version(archivist_client, item)
    second_tab = opened_version(archivist_client, item)
    url = admin_url("admin:archive_item_change", item.pk)

    first = archivist_client.post(url, item_post(item, title="Pierwsza", version=first_tab))
    second = archivist_client.post(url, item_post(item, title="Druga", version=second_tab))

    assert first.status_code == 302
    assert second.status_code == 200
    assert "Someone else changed this item" in page_text(second)
    item.refresh_from_db()
    assert item.title == "Pierwsza"


def test_saving_the_current_version_is_accepted(archivist_client):
    item = ItemFactory(status=Status.DRAFT, title="Rynek")
    version = opened_version(archivist_client, item)
    data = item_post(item, title="Rynek nocą", version=version)
    response = archivist_client.post(admin_url("admin:archive_item_change", item.pk), data)
    assert response.status_code == 302, page_text(response)
    item.refresh_from_db()
    assert item.title == "Rynek nocą"


def test_identifier_differing_only_in_case_is_refused(archivist_client):
    ItemFactory(identifier="MOK-F-0001")
    data = item_post(identifier="mok-f-0001")
    response = archivist_client.post(admin_url("admin:archive_item_add"), data)
    assert response.status_code == 200
    assert "An item with this identifier already exists" in page_text(response)
    assert Item.objects.filter(identifier__iexact="mok-f-0001").count() == 1


# --- names in the archivists' language (issue 16, item 18) ---------------------------------


def _project_models():
    from pathlib import Path

    from django.apps import apps
    from django.conf import settings

    base = Path(settings.BASE_DIR).resolve()
    for app in apps.get_app_configs():
        if Path(app.path).resolve().parent == base:  # the project's own apps, not .venv's
            yield app, list(app.get_models())


def test_every_app_model_and_field_has_a_translatable_name():
    from django.utils.functional import Promise

    untranslated = []
    for app, models in _project_models():
        if not isinstance(app.verbose_name, Promise):
            untranslated.append(f"app {app.label}")
        for model in models:
            opts = model._meta
            for attribute in ("verbose_name", "verbose_name_plural"):
                if not isinstance(getattr(opts, attribute), Promise):
                    untranslated.append(f"{opts.label}.Meta.{attribute}")
            for field in opts.get_fields():
                if field.auto_created:
                    continue
                if not isinstance(field.verbose_name, Promise):
                    untranslated.append(f"{opts.label}.{field.name}")
    assert untranslated == []


def test_collection_column_of_the_item_inline_uses_the_field_name(archivist_client):
    from curation.models import CollectionItem as Membership

    item = ItemFactory()
    CollectionItemFactory(item=item)
    with translation.override("pl"):
        label = str(Membership._meta.get_field("collection").verbose_name)
        response = archivist_client.get(
            admin_url("admin:archive_item_change", item.pk, language="pl")
        )
    assert label == "kolekcja"
    assert "Kolekcja" in page_text(response)


def _history(item) -> list[str]:
    from django.contrib.admin.models import LogEntry

    entries = LogEntry.objects.filter(object_id=str(item.pk)).order_by("pk")
    with translation.override("pl"):
        return [entry.get_change_message() for entry in entries]


def test_history_names_changed_fields_in_the_readers_language(archivist_client):
    item = ItemFactory(title="Rynek", description="")
    data = item_post(item, title="Rynek w Mszczonowie", description="Widok od kościoła.")
    response = archivist_client.post(admin_url("admin:archive_item_change", item.pk), data)
    assert response.status_code == 302, page_text(response)
    [message] = _history(item)
    with translation.override("pl"):
        title, description = translation.gettext("title"), translation.gettext("description")
    assert title == "tytuł"
    assert title in message and description in message
    assert "Title" not in message and "Description" not in message


def test_history_of_an_inline_change_names_its_fields_in_the_readers_language(archivist_client):
    item = ItemFactory(status=Status.DRAFT)
    media = MediaFileFactory(item=item, alt_text="")
    data = item_post(item)
    data.update(management("media_files", 1, initial=1))
    data.update(media_post(0, media=media, item=item, alt_text="Dzwonnica"))
    response = archivist_client.post(admin_url("admin:archive_item_change", item.pk), data)
    assert response.status_code == 302, page_text(response)
    [message] = _history(item)
    with translation.override("pl"):
        alt_text = translation.gettext("alt-text")
    assert alt_text in message and "Alt-text" not in message


# --- bulk actions leave history (issue 16, item 20) ----------------------------------------


def test_publish_action_writes_history_for_each_published_item(archivist_client, archivist):
    items = [ItemFactory(status=Status.DRAFT) for _ in range(2)]
    refused = ItemFactory(status=Status.DRAFT)
    MediaFileFactory(item=refused, alt_text="")
    archivist_client.post(
        admin_url("admin:archive_item_changelist"),
        {"action": "publish_selected", "_selected_action": [i.pk for i in [*items, refused]]},
    )
    for item in items:
        [message] = _history(item)
        assert "status" in message
    assert _history(refused) == []
    history = archivist_client.get(admin_url("admin:archive_item_history", items[0].pk))
    assert "status: published (bulk action)" in page_text(history)
    from django.contrib.admin.models import LogEntry

    assert set(LogEntry.objects.values_list("user", flat=True)) == {archivist.pk}


def test_unpublish_action_writes_history_for_each_item(archivist_client):
    items = [ItemFactory(status=Status.PUBLISHED) for _ in range(3)]
    draft = ItemFactory(status=Status.DRAFT)
    archivist_client.post(
        admin_url("admin:archive_item_changelist"),
        {"action": "unpublish_selected", "_selected_action": [i.pk for i in [*items, draft]]},
    )
    for item in items:
        assert len(_history(item)) == 1
    assert _history(draft) == []
    history = archivist_client.get(admin_url("admin:archive_item_history", items[0].pk))
    assert "status: draft (bulk action)" in page_text(history)


# --- a refused save keeps the chosen file (issue 16, item 17) ------------------------------


def _media_form(response, index: int = 0):
    [formset] = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "media_files"
    ]
    return formset, formset.forms[index]


def _kept_token(response) -> str:
    _formset, form = _media_form(response)
    token = form["staged_file"].value()
    assert token and f'value="{token}"' in page_text(response)
    return token


def test_a_refused_save_keeps_the_chosen_file_for_the_next_one(
    archivist_client, media_root, django_capture_on_commit_callbacks
):
    data = item_post(date="nie wiadomo kiedy")
    data.update(management("media_files", 1))
    data.update(media_post(0, file=upload(name="rynek-1920.jpg"), alt_text="Rynek"))
    refused = archivist_client.post(admin_url("admin:archive_item_add"), data)
    assert refused.status_code == 200
    assert refused.context["adminform"].form.has_error("date")
    assert "rynek-1920.jpg" in page_text(refused)  # said beside the file input
    token = _kept_token(refused)
    assert [p.parent.parent.name for p in stored_files(media_root)] == ["staging"]

    data = item_post(date="1920")
    data.update(management("media_files", 1))
    data.update(media_post(0, alt_text="Rynek", staged_file=token))  # no file chosen again
    with django_capture_on_commit_callbacks(execute=True):
        saved = archivist_client.post(admin_url("admin:archive_item_add"), data)
    assert saved.status_code == 302, page_text(saved)
    media = Item.objects.get(identifier="MOK-F-0100").media_files.get()
    assert (media.kind, media.original_name, media.alt_text) == ("image", "rynek-1920.jpg", "Rynek")
    assert (media_root / media.file.name).is_file()
    folders = {p.relative_to(media_root).parts[0] for p in stored_files(media_root)}
    assert "staging" not in folders  # the kept copy went once the item was saved


def test_missing_alt_text_is_shown_at_the_field_and_the_file_is_kept(archivist_client):
    data = item_post(status=Status.PUBLISHED)
    data.update(management("media_files", 1))
    data.update(media_post(0, file=upload(name="kapliczka.jpg")))
    refused = archivist_client.post(admin_url("admin:archive_item_add"), data)
    assert refused.status_code == 200
    formset, form = _media_form(refused)
    assert form.errors["alt_text"] == ["The image has no alt-text."]
    assert list(formset.non_form_errors()) == []
    token = _kept_token(refused)

    data = item_post(status=Status.PUBLISHED)
    data.update(management("media_files", 1))
    data.update(media_post(0, alt_text="Kapliczka przy drodze", staged_file=token))
    saved = archivist_client.post(admin_url("admin:archive_item_add"), data)
    assert saved.status_code == 302, page_text(saved)
    item = Item.objects.get(identifier="MOK-F-0100")
    assert item.status == Status.PUBLISHED
    assert item.media_files.get().original_name == "kapliczka.jpg"


def test_a_newly_chosen_file_replaces_the_kept_one(archivist_client):
    data = item_post(date="zła data")
    data.update(management("media_files", 1))
    data.update(media_post(0, file=upload(name="pierwszy.jpg"), alt_text="Rynek"))
    token = _kept_token(archivist_client.post(admin_url("admin:archive_item_add"), data))
    data = item_post()
    data.update(management("media_files", 1))
    data.update(media_post(0, file=upload(name="drugi.jpg"), alt_text="Rynek", staged_file=token))
    assert archivist_client.post(admin_url("admin:archive_item_add"), data).status_code == 302
    assert MediaFile.objects.get().original_name == "drugi.jpg"


def test_a_forged_or_expired_token_keeps_nothing(archivist_client, media_root):
    from django.core import signing

    from media import staging

    forged = signing.dumps({"name": "originals/ab/secret.jpg", "original": "x.jpg"})
    data = item_post()
    data.update(management("media_files", 1))
    data.update(media_post(0, alt_text="Rynek", staged_file=forged))
    response = archivist_client.post(admin_url("admin:archive_item_add"), data)
    assert response.status_code == 200
    assert _media_form(response)[1].has_error("file")
    assert not MediaFile.objects.exists()
    token = staging.stage(upload(name="stary.jpg"))
    assert staging.staged_upload(token) is not None
    later = timezone.now() + staging.MAX_AGE + datetime.timedelta(minutes=1)
    assert staging.delete_expired(now=later) == 1
    assert staging.staged_upload(token) is None
    assert stored_files(media_root) == []


def test_kept_files_are_never_served(archivist_client, media_root):
    from media import staging

    staging.stage(upload(name="prywatny.jpg"))
    [kept] = stored_files(media_root)
    name = kept.relative_to(media_root).as_posix()
    assert name.startswith("staging/")
    assert archivist_client.get(f"/media/{name}").status_code == 404


def test_a_refused_save_of_the_media_admin_keeps_the_file(archivist_client):
    item = ItemFactory(status=Status.PUBLISHED)
    data = {
        "item": str(item.pk),
        "file": upload(name="mlyn.jpg"),
        "order": "0",
        "alt_text": "",
        "_save": "Save",
    }
    refused = archivist_client.post(admin_url("admin:media_mediafile_add"), data)
    assert refused.status_code == 200
    form = refused.context["adminform"].form
    assert form.has_error("alt_text")
    token = form["staged_file"].value()
    assert token
    data.update(file="", alt_text="Młyn wodny", staged_file=token)
    del data["file"]
    saved = archivist_client.post(admin_url("admin:media_mediafile_add"), data)
    assert saved.status_code == 302, page_text(saved)
    assert MediaFile.objects.get().original_name == "mlyn.jpg"


# --- the admin under the site's Content-Security-Policy (issue 16, item 19) ----------------


def _inline_code(html: str) -> list[str]:
    """What `style-src 'self'` / `script-src 'self'` would block: style attributes, inline
    event handlers and scripts without a src (JSON data blocks are not run)."""
    found = re.findall(r"<[^>]+\sstyle=\"[^\"]*\"", html)
    found += re.findall(r"<[^>]+\son[a-z]+=\"[^\"]*\"", html)
    found += [
        tag
        for tag in re.findall(r"<script\b[^>]*>", html)
        if " src=" not in tag and 'type="application/json"' not in tag
    ]
    found += re.findall(r"<style\b[^>]*>", html)
    return found


def test_admin_pages_work_under_the_sites_own_policy(archivist_client):
    from django.test import Client

    item = ItemFactory()
    media = MediaFileFactory(item=item, alt_text="")  # the "no alt-text" warning is shown too
    CollectionItemFactory(item=item)
    public_policy = Client().get("/pl/")["Content-Security-Policy"]
    assert "'unsafe-inline'" not in public_policy
    pages = [
        admin_url("admin:index"),
        admin_url("admin:archive_item_changelist"),
        admin_url("admin:archive_item_change", item.pk),
        admin_url("admin:archive_item_add"),
        admin_url("admin:archive_item_history", item.pk),
        admin_url("admin:media_mediafile_changelist"),
        admin_url("admin:media_mediafile_change", media.pk),
        admin_url("admin:media_mediafile_accessibility"),
        admin_url("admin:curation_collection_changelist"),
    ]
    for url in pages:
        response = archivist_client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Security-Policy"] == public_policy, url
        assert _inline_code(page_text(response)) == [], url
