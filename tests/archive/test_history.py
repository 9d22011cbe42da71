"""Versions of every change (archive/audit.py): who, when, which channel, what; diff, revert,
restore of deleted items (archive/versions.py)."""

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone, translation
from rest_framework.test import APIClient

from archive import audit, versions
from archive.batches import ImportBatch
from archive.models import (
    Agent,
    Item,
    ItemCreator,
    Licence,
    NamedPeriod,
    Place,
    Status,
    Subject,
)
from curation.models import Collection, CollectionItem, Lesson, Story
from interop.models import DeletedRecord
from media.models import MediaFile
from search.models import OutboxEntry
from tests.archive.commands import run_import
from tests.factories import (
    AgentFactory,
    CollectionFactory,
    ItemFactory,
    MediaFileFactory,
    PlaceFactory,
    SubjectFactory,
)

pytestmark = pytest.mark.django_db


def versions_of(obj) -> list:
    """Oldest first."""
    return list(
        type(obj)
        .history.filter(**{type(obj)._meta.pk.attname: obj.pk})
        .order_by("history_date", "history_id")
    )


def latest(obj):
    return versions_of(obj)[-1]


# --- recording -------------------------------------------------------------------------------


def test_a_save_in_the_shell_is_a_version_with_its_relations():
    subject, place = SubjectFactory(name="Kościoły"), PlaceFactory(name="Mszczonów")
    agent = AgentFactory(name="Jan Kowalski")
    item = ItemFactory(status=Status.DRAFT)
    item.subjects.add(subject)
    item.places.add(place)
    ItemCreator.objects.create(item=item, agent=agent, role="photographer", order=0)
    version = latest(item)
    assert version.history_channel == "shell"
    assert version.history_relations["subjects"] == [subject.pk]
    assert version.history_relations["places"] == [place.pk]
    assert version.history_relations["creators"] == [[agent.pk, "photographer", 0]]


def test_changes_inside_one_channel_context_make_one_version():
    item = ItemFactory(status=Status.DRAFT)
    before = len(versions_of(item))
    subjects = [SubjectFactory(), SubjectFactory()]
    with audit.history_channel("command", reference="test"):
        item.title = "Nowy tytuł"
        item.save()
        item.subjects.set(subjects)
        CollectionItem.objects.create(collection=CollectionFactory(), item=item)
    after = versions_of(item)
    assert len(after) == before + 1
    version = after[-1]
    assert (version.history_channel, version.history_reference) == ("command", "test")
    assert version.title == "Nowy tytuł"
    assert sorted(version.history_relations["subjects"]) == sorted(s.pk for s in subjects)
    assert len(version.history_relations["collections"]) == 1


def test_unknown_channel_is_refused():
    with pytest.raises(ValueError), audit.history_channel("telepathy"):
        pass


def test_every_catalogue_model_keeps_versions():
    media = MediaFileFactory(alt_text="Kościół")
    media.alt_text = "Kościół św. Jana"
    media.save()
    collection = CollectionFactory()
    collection.title = "Inna"
    collection.save()
    licence = Licence.objects.get(code="PDM")
    licence.name = "Znak domeny publicznej"
    licence.save()
    period = NamedPeriod.objects.get(name="PRL")
    period.note = "Polska Rzeczpospolita Ludowa, 1952–1989 (konstytucja lipcowa)."
    period.save()
    records = [
        media,
        collection,
        licence,
        period,
        SubjectFactory(),
        PlaceFactory(),
        AgentFactory(),
    ]
    for record in records:
        assert versions_of(record), type(record)
    assert [v.alt_text for v in versions_of(media)] == ["Kościół", "Kościół św. Jana"]
    assert {m for m in audit.versioned_models()} == {
        Item,
        Subject,
        Place,
        Agent,
        Licence,
        NamedPeriod,
        Collection,
        MediaFile,
        Lesson,
        Story,
    }


def test_a_collection_version_lists_its_items_in_order():
    collection = CollectionFactory()
    first, second = ItemFactory(), ItemFactory()
    collection.items.add(first, through_defaults={"order": 1})
    CollectionItem.objects.create(collection=collection, item=second, order=0)
    assert latest(collection).history_relations == {"items": [[second.pk, 0], [first.pk, 1]]}
    assert latest(first).history_relations["collections"] == [[collection.pk, 1]]


def test_related_items_change_both_items_versions():
    first, second = ItemFactory(), ItemFactory()
    first.related_items.add(second)
    assert latest(first).history_relations["related_items"] == [second.pk]
    assert latest(second).history_relations["related_items"] == [first.pk]


def test_deleting_a_subject_gives_its_items_a_version_without_it():
    subject = SubjectFactory()
    item = ItemFactory()
    item.subjects.add(subject)
    subject.delete()
    assert latest(item).history_relations["subjects"] == []


def test_history_can_be_switched_off(settings):
    settings.SIMPLE_HISTORY_ENABLED = False
    item = ItemFactory()
    item.subjects.add(SubjectFactory())
    assert versions_of(item) == []


# --- channels --------------------------------------------------------------------------------


CSV = (
    "identifier,title,item_type,date,subjects,places,creators,collections,status\n"
    "MOK-H-0001,Rynek,photograph,1920,Kościoły;Rynek,Mszczonów,Jan Kowalski,Pocztówki,draft\n"
    "MOK-H-0002,Kościół,photograph,1930,Kościoły,,,,draft\n"
)


def write_csv(tmp_path: Path, text: str = CSV) -> Path:
    path = tmp_path / "katalog.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_import_writes_one_version_per_item_tagged_with_its_batch(tmp_path):
    path = write_csv(tmp_path)
    assert run_import(path)[0] == 0
    item = Item.objects.get(identifier="MOK-H-0001")
    [version] = versions_of(item)
    assert (version.history_type, version.history_channel) == ("+", "import")
    # The version names the import's batch (and its file), which the batch page can undo.
    batch = ImportBatch.objects.get()
    assert version.history_reference == f"batch {batch.pk}: katalog.csv"
    relations = version.history_relations
    assert sorted(Subject.objects.get(pk=pk).name for pk in relations["subjects"]) == [
        "Kościoły",
        "Rynek",
    ]
    assert [Agent.objects.get(pk=a).name for a, _r, _o in relations["creators"]] == ["Jan Kowalski"]
    assert [Collection.objects.get(pk=c).title for c, _o in relations["collections"]] == [
        "Pocztówki"
    ]
    # The vocabulary records the import created are versions of the import too.
    assert latest(Subject.objects.get(name="Rynek")).history_channel == "import"

    path.write_text(CSV.replace("Rynek,photograph", "Rynek w 1920,photograph"), "utf-8")
    assert run_import(path)[0] == 0
    updated = versions_of(item)
    assert [v.history_type for v in updated] == ["+", "~"]
    assert updated[-1].title == "Rynek w 1920"
    assert versions.diff(updated[0], updated[1])[0].new == "Rynek w 1920"


def test_an_import_inside_a_callers_channel_keeps_its_reference(tmp_path):
    from archive.importing import import_catalogue

    with audit.history_channel("import", reference="partia 7"):
        result = import_catalogue(write_csv(tmp_path))
    assert result.ok
    assert latest(Item.objects.get(identifier="MOK-H-0002")).history_reference == "partia 7"


def test_a_dry_run_writes_no_version(tmp_path):
    assert run_import(write_csv(tmp_path), "--dry-run")[0] == 0
    assert not Item.history.exists()


def test_a_command_is_recorded_as_command(tmp_path):
    call_command("load_demo", verbosity=0)
    item = Item.objects.order_by("pk").first()
    version = latest(item)
    assert (version.history_channel, version.history_reference) == ("command", "load_demo")


def test_api_writes_are_recorded_as_api_with_the_user(archivist):
    archivist_api = APIClient()
    archivist_api.force_authenticate(archivist)
    subject = SubjectFactory(name="Kościoły")
    agent = AgentFactory(name="Jan Kowalski")
    response = archivist_api.post(
        "/api/v1/items/",
        {
            "identifier": "MOK-A-0300",
            "title": "Dzwon",
            "item_type": "artifact",
            "subjects": [subject.slug],
            "creators": [{"agent": agent.slug, "role": "author"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    item = Item.objects.get(identifier="MOK-A-0300")
    [version] = versions_of(item)
    assert version.history_channel == "api"
    assert version.history_user == archivist
    assert version.history_username == archivist.username
    assert version.history_relations["subjects"] == [subject.pk]
    assert version.history_relations["creators"] == [[agent.pk, "author", 0]]

    response = archivist_api.patch(
        f"/api/v1/items/{item.identifier}/", {"title": "Dzwon kościelny"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert [v.title for v in versions_of(item)] == ["Dzwon", "Dzwon kościelny"]


# --- diff ------------------------------------------------------------------------------------


@translation.override("en")
def test_diff_names_fields_choices_and_relations():
    church = SubjectFactory(name="Kościoły")
    item = ItemFactory(title="Rynek", status=Status.DRAFT)
    item.title = "Rynek w Mszczonowie"
    item.item_type = "map"
    item.save()
    item.subjects.add(church)
    old, new = versions_of(item)[-3], versions_of(item)[-1]
    changes = {c.name: c for c in versions.diff(old, new)}
    assert (changes["title"].old, changes["title"].new) == ("Rynek", "Rynek w Mszczonowie")
    assert (changes["item_type"].old, changes["item_type"].new) == ("photograph", "map")
    assert (changes["subjects"].old, changes["subjects"].new) == ("—", "Kościoły")
    assert changes["subjects"].label == "subjects"
    assert "modified" not in changes and "date_start" not in changes


@translation.override("en")
def test_diff_names_a_deleted_record_by_its_last_version():
    subject = SubjectFactory(name="Młyny")
    item = ItemFactory()
    item.subjects.add(subject)
    version = latest(item)
    subject.delete()
    [change] = versions.diff(versions_of(item)[0], version)
    assert change.new == "Młyny (deleted)"


# --- revert ----------------------------------------------------------------------------------


def test_revert_brings_back_fields_and_relations_and_is_a_version():
    church, market = SubjectFactory(name="Kościoły"), SubjectFactory(name="Rynek")
    agent = AgentFactory()
    item = ItemFactory(title="Kościół", date="1920", status=Status.DRAFT)
    item.subjects.add(church)
    ItemCreator.objects.create(item=item, agent=agent, role="author")
    good = latest(item)
    with audit.history_channel("command"):
        item.title = "Zły tytuł"
        item.date = "1930"
        item.save()
        item.subjects.set([market])
        item.item_creators.all().delete()
    outcome = versions.revert(good)
    item.refresh_from_db()
    assert (item.title, item.date, item.date_start) == ("Kościół", "1920", 1920)
    assert list(item.subjects.all()) == [church]
    assert [(c.agent, c.role) for c in item.item_creators.all()] == [(agent, "author")]
    assert outcome.missing == []
    last = latest(item)
    assert last.history_change_reason == f"revert:{good.history_id}"
    with translation.override("en"):
        assert versions.reason_text(last) == f"Reverted to version {good.history_id}."
    assert last.history_relations == good.history_relations


def test_revert_that_would_publish_without_alt_text_is_refused():
    item = ItemFactory(status=Status.PUBLISHED)
    published = latest(item)
    item.unpublish()
    MediaFileFactory(item=item, alt_text="")
    count = len(versions_of(item))
    with pytest.raises(ValidationError) as refused:
        versions.revert(published)
    assert refused.value.error_dict["status"][0].code == "missing_alt_text"
    item.refresh_from_db()
    assert item.status == Status.DRAFT
    assert len(versions_of(item)) == count


def test_revert_to_an_identifier_another_item_took_is_refused():
    item = ItemFactory(identifier="MOK-X-1")
    old = latest(item)
    item.identifier = "MOK-X-2"
    item.save()
    ItemFactory(identifier="MOK-X-1")
    with pytest.raises(ValidationError) as refused:
        versions.revert(old)
    assert "identifier" in refused.value.message_dict


def test_revert_leaves_out_relations_to_records_deleted_since():
    gone, kept = SubjectFactory(name="Zniknięty"), SubjectFactory(name="Został")
    item = ItemFactory()
    item.subjects.add(gone, kept)
    version = latest(item)
    gone.delete()
    with translation.override("en"):
        outcome = versions.revert(version)
    assert list(item.subjects.all()) == [kept]
    assert outcome.missing == ["Zniknięty (deleted)"]


def test_media_revert_restores_alt_text_not_the_file():
    media = MediaFileFactory(alt_text="Kościół")
    first = latest(media)
    media.alt_text = "Coś innego"
    media.save()
    versions.revert(first)
    media.refresh_from_db()
    assert media.alt_text == "Kościół"
    assert media.file.name == first.file


def test_collection_revert_restores_its_items_and_order():
    collection = CollectionFactory()
    a, b, c = ItemFactory(), ItemFactory(), ItemFactory()
    with audit.history_channel("command"):
        CollectionItem.objects.create(collection=collection, item=a, order=0)
        CollectionItem.objects.create(collection=collection, item=b, order=1)
    version = latest(collection)
    with audit.history_channel("command"):
        CollectionItem.objects.filter(item=a).delete()
        CollectionItem.objects.create(collection=collection, item=c, order=5)
    versions.revert(version)
    assert list(collection.memberships.values_list("item", "order")) == [(a.pk, 0), (b.pk, 1)]


# --- deleted items ---------------------------------------------------------------------------


def test_a_deleted_item_is_restored_with_relations_and_its_tombstone_goes():
    subject = SubjectFactory()
    collection = CollectionFactory()
    agent = AgentFactory()
    item = ItemFactory(identifier="MOK-R-1", status=Status.PUBLISHED, date="1920~")
    item.subjects.add(subject)
    CollectionItem.objects.create(collection=collection, item=item, order=3)
    ItemCreator.objects.create(item=item, agent=agent, role="author", order=0)
    created = Item.objects.get(pk=item.pk).created
    pk = item.pk
    item.delete()
    assert DeletedRecord.objects.filter(identifier="MOK-R-1").exists()
    [deletion] = versions.deleted_items()
    assert deletion.identifier == "MOK-R-1"
    assert sorted(deletion.history_relations) == [
        "collections",
        "creators",
        "places",
        "related_items",
        "subjects",
    ]
    OutboxEntry.objects.all().delete()

    outcome = versions.restore(deletion)
    item = Item.objects.get(pk=pk)
    assert outcome.obj == item
    assert (item.identifier, item.status, item.date_start) == ("MOK-R-1", Status.PUBLISHED, 1919)
    assert item.created == created
    assert list(item.subjects.all()) == [subject]
    assert list(item.memberships.values_list("collection", "order")) == [(collection.pk, 3)]
    assert [c.agent for c in item.item_creators.all()] == [agent]
    assert not DeletedRecord.objects.filter(identifier="MOK-R-1").exists()
    assert OutboxEntry.objects.filter(item_id=pk).exists()
    assert list(versions.deleted_items()) == []
    with translation.override("en"):
        assert versions.reason_text(latest(item)).startswith("Restored after deletion")


def test_a_published_item_restored_as_a_draft_keeps_its_tombstone():
    item = ItemFactory(identifier="MOK-R-2", status=Status.PUBLISHED)
    item.delete()
    versions.restore(versions.deleted_items().get(), publish=False)
    assert Item.objects.get(identifier="MOK-R-2").status == Status.DRAFT
    assert DeletedRecord.objects.filter(identifier="MOK-R-2").exists()


def test_restore_brings_back_media_whose_file_is_still_stored(media_root):
    item = ItemFactory(status=Status.DRAFT)
    kept = MediaFileFactory(item=item, alt_text="Dzwonnica")
    twin = MediaFileFactory(file=kept.file.name)  # another record shares the file: it stays
    assert twin.file.name == kept.file.name
    item.delete()
    outcome = versions.restore(versions.deleted_items().get())
    [media] = outcome.obj.media_files.all()
    assert media.alt_text == "Dzwonnica" and media.file.name == kept.file.name
    assert outcome.media_missing == []


def test_restore_names_the_media_whose_files_were_removed(
    media_root, django_capture_on_commit_callbacks
):
    item = ItemFactory(status=Status.DRAFT)
    MediaFileFactory(item=item, alt_text="Dzwonnica", original_name="dzwon.jpg")
    with django_capture_on_commit_callbacks(execute=True):
        item.delete()
    outcome = versions.restore(versions.deleted_items().get())
    assert outcome.media_missing == ["dzwon.jpg"]
    assert not outcome.obj.media_files.exists()


def test_restore_after_the_period_is_refused(settings):
    settings.KRONIKA_RESTORE_DAYS = 30
    item = ItemFactory()
    item.delete()
    deletion = Item.history.get(history_type="-")
    Item.history.filter(pk=deletion.pk).update(
        history_date=timezone.now() - datetime.timedelta(days=31)
    )
    assert list(versions.deleted_items()) == []
    deletion.refresh_from_db()
    with translation.override("en"), pytest.raises(ValidationError, match="30 days"):
        versions.restore(deletion)
    assert not Item.objects.filter(pk=item.pk).exists()


def test_restore_refused_when_a_new_item_took_the_identifier():
    item = ItemFactory(identifier="MOK-R-3")
    item.delete()
    ItemFactory(identifier="MOK-R-3")
    with pytest.raises(ValidationError):
        versions.restore(versions.deleted_items().get())


def test_purge_forgets_only_records_deleted_before_the_period(settings):
    settings.KRONIKA_RESTORE_DAYS = 30
    old, recent, alive = ItemFactory(), ItemFactory(), ItemFactory()
    old_pk, recent_pk = old.pk, recent.pk
    old.delete()
    recent.delete()
    Item.history.filter(id=old_pk).update(history_date=timezone.now() - datetime.timedelta(days=40))
    call_command("purge_history", verbosity=0)
    assert not Item.history.filter(id=old_pk).exists()
    assert Item.history.filter(id=recent_pk).count() == 2
    assert Item.history.filter(id=alive.pk).exists()


def test_api_collection_writes_and_admin_vocabulary_saves_name_their_channel(
    archivist, archivist_client
):
    api = APIClient()
    api.force_authenticate(archivist)
    response = api.post(
        "/api/v1/collections/", {"title": "Pocztówki", "slug": "pocztowki"}, format="json"
    )
    assert response.status_code == 201, response.content
    collection = Collection.objects.get(slug="pocztowki")
    assert (latest(collection).history_channel, latest(collection).history_user) == (
        "api",
        archivist,
    )
    subject = SubjectFactory(name="Młyny", slug="mlyny")
    with translation.override("en"):
        from django.urls import reverse

        url = reverse("admin:archive_subject_change", args=[subject.pk])
    response = archivist_client.post(url, {"name": "Młyny wodne", "name_en": "", "slug": "mlyny"})
    assert response.status_code == 302
    assert (latest(subject).history_channel, latest(subject).name) == ("admin", "Młyny wodne")
