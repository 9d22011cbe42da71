"""The admin's history: versions with their changes, revert, deleted items and restore."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from archive.models import Item, ItemCreator, Status
from interop.models import DeletedRecord
from tests.archive.test_admin import admin_url, item_post, management, page_text
from tests.factories import (
    AgentFactory,
    CollectionFactory,
    ItemFactory,
    MediaFileFactory,
    SubjectFactory,
)

pytestmark = pytest.mark.django_db


def versions_of(item) -> list:
    return list(Item.history.filter(id=item.pk).order_by("history_date", "history_id"))


@pytest.fixture
def cataloguer(django_user_model):
    """Staff who may view, add and change items, but not publish."""
    user = django_user_model.objects.create_user(
        username="katalogujaca", password="tajne-haslo-123", is_staff=True
    )
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="archive",
            codename__in=["view_item", "change_item", "add_item"],
        )
    )
    return user


@pytest.fixture
def cataloguer_client(cataloguer):
    client = Client()
    client.force_login(cataloguer)
    return client


def test_an_admin_save_is_one_version_with_user_channel_and_relations(archivist_client, archivist):
    item = ItemFactory(title="Rynek", status=Status.DRAFT)
    subject = SubjectFactory(name="Kościoły")
    agent = AgentFactory(name="Jan Kowalski")
    before = len(versions_of(item))
    data = item_post(item, title="Rynek w Mszczonowie", subjects=[str(subject.pk)])
    data.update(management("item_creators", 1))
    data.update(
        {
            "item_creators-0-agent": str(agent.pk),
            "item_creators-0-role": "photographer",
            "item_creators-0-order": "0",
            "item_creators-0-item": str(item.pk),
        }
    )
    response = archivist_client.post(admin_url("admin:archive_item_change", item.pk), data)
    assert response.status_code == 302, page_text(response)
    after = versions_of(item)
    assert len(after) == before + 1
    version = after[-1]
    assert (version.history_channel, version.history_user) == ("admin", archivist)
    assert version.title == "Rynek w Mszczonowie"
    assert version.history_relations["subjects"] == [subject.pk]
    assert version.history_relations["creators"] == [[agent.pk, "photographer", 0]]


def test_history_page_lists_versions_with_their_changes(archivist_client):
    item = ItemFactory(title="Rynek", status=Status.DRAFT)
    item.title = "Rynek w Mszczonowie"
    item.save()
    item.subjects.add(SubjectFactory(name="Kościoły"))
    response = archivist_client.get(admin_url("admin:archive_item_history", item.pk))
    text = page_text(response)
    assert response.status_code == 200
    assert "Versions" in text
    assert "Rynek</del>" in text and "Rynek w Mszczonowie</ins>" in text
    assert "Subjects</strong>" in text and "Kościoły</ins>" in text
    assert "shell" in text
    assert admin_url("admin:archive_item_deleted") in text


def test_other_catalogue_admins_have_the_versions_too(archivist_client):
    media = MediaFileFactory(alt_text="Kościół")
    media.alt_text = "Kościół św. Jana"
    media.save()
    collection = CollectionFactory()
    subject = SubjectFactory()
    for name, obj in (
        ("admin:media_mediafile_history", media),
        ("admin:curation_collection_history", collection),
        ("admin:archive_subject_history", subject),
    ):
        response = archivist_client.get(admin_url(name, obj.pk))
        assert response.status_code == 200, name
        assert "version " in page_text(response)
    text = page_text(archivist_client.get(admin_url("admin:media_mediafile_history", media.pk)))
    assert "Kościół św. Jana</ins>" in text


def test_revert_from_the_version_page_is_recorded(archivist_client):
    item = ItemFactory(title="Kościół", status=Status.DRAFT)
    first = versions_of(item)[-1]
    item.title = "Zły tytuł"
    item.save()
    url = admin_url("admin:archive_item_version", item.pk, first.history_id)
    page = archivist_client.get(url)
    assert page.status_code == 200
    assert "Revert to this version" in page_text(page)
    assert "Zły tytuł</del>" in page_text(page)
    response = archivist_client.post(url, follow=True)
    assert "Reverted to version" in page_text(response)
    item.refresh_from_db()
    assert item.title == "Kościół"
    last = versions_of(item)[-1]
    assert last.history_channel == "admin"
    assert last.history_change_reason == f"revert:{first.history_id}"


def test_a_revert_that_breaks_the_alt_text_rule_is_refused_with_the_reason(archivist_client):
    item = ItemFactory(status=Status.PUBLISHED)
    published = versions_of(item)[-1]
    item.unpublish()
    MediaFileFactory(item=item, alt_text="")
    url = admin_url("admin:archive_item_version", item.pk, published.history_id)
    response = archivist_client.post(url, follow=True)
    assert "was not reverted" in page_text(response)
    assert "alt-text" in page_text(response)
    item.refresh_from_db()
    assert item.status == Status.DRAFT


def test_a_revert_that_publishes_needs_the_publishing_right(cataloguer_client):
    item = ItemFactory(title="Kościół", status=Status.PUBLISHED)
    published = versions_of(item)[-1]
    item.unpublish()
    url = admin_url("admin:archive_item_version", item.pk, published.history_id)
    page = cataloguer_client.get(url)
    assert page.status_code == 200
    assert "which you may not do" in page_text(page)
    assert cataloguer_client.post(url).status_code == 403
    item.refresh_from_db()
    assert item.status == Status.DRAFT


def test_a_revert_of_a_draft_needs_only_the_change_permission(cataloguer_client):
    item = ItemFactory(title="Kościół", status=Status.DRAFT)
    first = versions_of(item)[-1]
    item.title = "Zły"
    item.save()
    url = admin_url("admin:archive_item_version", item.pk, first.history_id)
    assert cataloguer_client.post(url).status_code == 302
    item.refresh_from_db()
    assert item.title == "Kościół"


def test_a_revert_needs_the_change_permission(django_user_model):
    viewer = django_user_model.objects.create_user(username="gosc", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_item"))
    client = Client()
    client.force_login(viewer)
    item = ItemFactory(title="Kościół", status=Status.DRAFT)
    first = versions_of(item)[-1]
    item.title = "Zły"
    item.save()
    url = admin_url("admin:archive_item_version", item.pk, first.history_id)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 403
    item.refresh_from_db()
    assert item.title == "Zły"


def test_deleted_items_are_listed_and_restored(archivist_client):
    item = ItemFactory(identifier="MOK-U-1", title="Usunięty", status=Status.PUBLISHED)
    agent = AgentFactory()
    ItemCreator.objects.create(item=item, agent=agent)
    pk = item.pk
    response = archivist_client.post(
        admin_url("admin:archive_item_delete", pk), {"post": "yes"}, follow=True
    )
    assert response.status_code == 200
    assert DeletedRecord.objects.filter(identifier="MOK-U-1").exists()
    listing = archivist_client.get(admin_url("admin:archive_item_deleted"))
    assert "MOK-U-1" in page_text(listing)
    deletion = Item.history.get(id=pk, history_type="-")
    assert deletion.history_channel == "admin"
    response = archivist_client.post(
        admin_url("admin:archive_item_restore", deletion.history_id), follow=True
    )
    assert "MOK-U-1 was restored." in page_text(response)
    item = Item.objects.get(pk=pk)
    assert item.status == Status.PUBLISHED
    assert [c.agent for c in item.item_creators.all()] == [agent]
    assert not DeletedRecord.objects.filter(identifier="MOK-U-1").exists()
    assert "MOK-U-1" not in page_text(archivist_client.get(admin_url("admin:archive_item_deleted")))
    changelist = archivist_client.get(admin_url("admin:archive_item_changelist"))
    assert admin_url("admin:archive_item_deleted") in page_text(changelist)


def test_restore_without_the_publishing_right_brings_back_a_draft(cataloguer_client):
    item = ItemFactory(identifier="MOK-U-2", status=Status.PUBLISHED)
    pk = item.pk
    item.delete()
    deletion = Item.history.get(id=pk, history_type="-")
    response = cataloguer_client.post(
        admin_url("admin:archive_item_restore", deletion.history_id), follow=True
    )
    assert "comes back as a draft" in page_text(response)
    assert Item.objects.get(pk=pk).status == Status.DRAFT
    assert DeletedRecord.objects.filter(identifier="MOK-U-2").exists()


def test_restore_needs_the_add_permission_and_a_post(django_user_model, archivist_client):
    item = ItemFactory()
    pk = item.pk
    item.delete()
    deletion = Item.history.get(id=pk, history_type="-")
    url = admin_url("admin:archive_item_restore", deletion.history_id)
    assert archivist_client.get(url).status_code == 405
    viewer = django_user_model.objects.create_user(username="gosc", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="change_item"))
    client = Client()
    client.force_login(viewer)
    assert client.post(url).status_code == 403
    assert not Item.objects.filter(pk=pk).exists()


def test_history_pages_work_under_the_sites_own_policy(archivist_client):
    from tests.archive.test_admin import _inline_code

    item = ItemFactory()
    item.title = "Inny"
    item.save()
    version = versions_of(item)[0]
    deleted = ItemFactory()
    deleted.delete()
    for url in (
        admin_url("admin:archive_item_history", item.pk),
        admin_url("admin:archive_item_version", item.pk, version.history_id),
        admin_url("admin:archive_item_deleted"),
    ):
        response = archivist_client.get(url)
        assert response.status_code == 200, url
        assert _inline_code(page_text(response)) == [], url
