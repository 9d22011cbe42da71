"""Import batches: every import recorded; undo exact, refused over later work, editors only."""

import csv
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from archive.batches import ImportBatch, UndoRefused, item_states, undo_batch
from archive.importing import BatchInfo, import_catalogue
from archive.models import Agent, Item, ItemCreator, Place, Status, Subject
from curation.models import CollectionItem
from interop.models import DeletedRecord
from media.models import MediaFile
from search.models import OutboxEntry
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

HEADER = [
    "identifier",
    "title",
    "item_type",
    "date",
    "subjects",
    "places",
    "creators",
    "collections",
    "status",
    "image",
    "alt_text",
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def write_csv(folder: Path, rows, header=HEADER) -> Path:
    path = folder / "katalog.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "import"
    (folder / "zdjecia").mkdir(parents=True)
    (folder / "zdjecia" / "nowe.jpg").write_bytes(image_bytes(50, 40, color="navy"))
    return folder


@pytest.fixture
def existing():
    """A published item with every kind of relation, as cataloguers left it."""
    item = ItemFactory(
        identifier="MOK-F-0001",
        title="Kościół przed",
        date="1920",
        status=Status.PUBLISHED,
        rights_holder="MOK",
    )
    item.subjects.add(SubjectFactory(name="Stary temat", slug="stary-temat"))
    item.places.add(PlaceFactory(name="Mszczonów", slug="mszczonow"))
    ItemCreator.objects.create(
        item=item, agent=AgentFactory(name="Jan Kowalski", slug="jan-kowalski"), role="author"
    )
    CollectionItemFactory(item=item, collection=CollectionFactory(slug="stara"), order=7)
    MediaFileFactory(item=item, alt_text="Stary opis obrazu")
    return Item.objects.get(pk=item.pk)


def import_file(path, user=None):
    result = import_catalogue(path, record=BatchInfo(channel="admin", user=user))
    assert result.ok, [str(e) for e in result.errors]
    return result


def test_undo_restores_updated_items_exactly_and_removes_created_ones(folder, existing, archivist):
    before = item_states([existing.pk])[existing.pk]
    media_files_before = set(Path(m.file.path) for m in MediaFile.objects.all())
    path = write_csv(
        folder,
        [
            [
                "MOK-F-0001",
                "Kościół po",
                "photograph",
                "1930~",
                "Nowy temat;Stary temat",
                "Żyrardów",
                "Anna Nowak",
                "Nowa kolekcja",
                "draft",
                "zdjecia/nowe.jpg",
                "Nowy obraz",
            ],
            ["MOK-F-0002", "Nowy obiekt", "document", "", "Nowy temat", "", "", "", "", "", ""],
        ],
    )
    result = import_file(path, archivist)
    batch = result.batch
    item = Item.objects.get(pk=existing.pk)
    assert item.title == "Kościół po" and item.media_files.count() == 2
    assert DeletedRecord.objects.filter(identifier="MOK-F-0001").exists()  # unpublished

    undone = undo_batch(batch, archivist)

    assert (undone.removed, undone.restored) == (1, 1)
    assert item_states([existing.pk])[existing.pk] == before
    assert not Item.objects.filter(identifier="MOK-F-0002").exists()
    assert list(Item.objects.get(pk=existing.pk).item_creators.values_list("role")) == [("author",)]
    assert CollectionItem.objects.get(item=existing).order == 7
    # The image the import attached is gone, from the database and from the disk.
    assert set(Path(m.file.path) for m in MediaFile.objects.all()) == media_files_before
    stored = [p for p in Path(MediaFile.objects.first().file.path).parent.rglob("*") if p.is_file()]
    assert len(stored) == 1
    # Published again: no tombstone for harvesters; the search index hears of both items.
    assert not DeletedRecord.objects.filter(identifier="MOK-F-0001").exists()
    assert OutboxEntry.objects.filter(item_id=existing.pk).exists()
    # Names the import created and nothing uses any more are removed too.
    assert not Subject.objects.filter(name="Nowy temat").exists()
    assert not Place.objects.filter(name="Żyrardów").exists()
    assert not Agent.objects.filter(name="Anna Nowak").exists()
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.UNDONE and batch.undone_by == archivist


def test_undo_of_a_published_new_item_leaves_a_tombstone(folder, archivist):
    path = write_csv(
        folder,
        [["MOK-F-0009", "Opublikowany", "document", "", "", "", "", "", "published", "", ""]],
    )
    batch = import_file(path).batch
    pk = Item.objects.get(identifier="MOK-F-0009").pk
    undo_batch(batch, archivist)
    assert DeletedRecord.objects.filter(identifier="MOK-F-0009").exists()
    assert OutboxEntry.objects.filter(item_id=pk, action=OutboxEntry.Action.DELETE).exists()


def later_edits():
    def title(item):
        item.title = "Poprawione później"
        item.save()

    def subject(item):
        item.subjects.add(SubjectFactory(name="Dodany później", slug="dodany-pozniej"))

    def creator_role(item):
        ItemCreator.objects.filter(item=item).update(role="photographer")

    def collection_order(item):
        CollectionItem.objects.filter(item=item).update(order=99)

    def alt_text(item):
        MediaFile.objects.filter(item=item).update(alt_text="Poprawiony opis")

    def new_image(item):
        MediaFileFactory(item=item)

    return [title, subject, creator_role, collection_order, alt_text, new_image]


@pytest.mark.parametrize("edit", later_edits(), ids=lambda f: f.__name__)
def test_undo_is_refused_when_an_item_was_changed_after_the_import(folder, existing, edit):
    # Only these columns: the item keeps its relations, which the edits then change.
    path = write_csv(
        folder,
        [["MOK-F-0001", "Kościół po", "photograph"], ["MOK-F-0002", "Nowy", "document"]],
        header=["identifier", "title", "item_type"],
    )
    batch = import_file(path).batch
    edited = Item.objects.get(identifier="MOK-F-0001")
    edit(edited)
    state = item_states([edited.pk])
    with pytest.raises(UndoRefused) as refused:
        undo_batch(batch, None)
    assert [e.identifier for e in refused.value.changed] == ["MOK-F-0001"]
    # Nothing was undone: the later work and the created item are still there.
    assert item_states([edited.pk]) == state
    assert Item.objects.filter(identifier="MOK-F-0002").exists()
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.APPLIED


def test_a_later_change_to_a_created_item_refuses_the_undo(folder):
    path = write_csv(folder, [["MOK-F-0002", "Nowy", "document", "", "", "", "", "", "", "", ""]])
    batch = import_file(path).batch
    Item.objects.get(identifier="MOK-F-0002").places.add(PlaceFactory())
    with pytest.raises(UndoRefused):
        undo_batch(batch, None)
    assert Item.objects.filter(identifier="MOK-F-0002").exists()


def test_a_batch_cannot_be_undone_twice(folder, archivist):
    path = write_csv(folder, [["MOK-F-0002", "Nowy", "document", "", "", "", "", "", "", "", ""]])
    batch = import_file(path).batch
    undo_batch(batch, archivist)
    with pytest.raises(UndoRefused, match="already been undone"):
        undo_batch(batch, archivist)


def test_the_undo_is_recorded_in_history_by_whom_and_for_which_batch(folder, existing, archivist):
    path = write_csv(
        folder, [["MOK-F-0001", "Kościół po", "photograph", "", "", "", "", "", "", "", ""]]
    )
    batch = import_file(path).batch
    undo_batch(batch, archivist)
    versions = list(Item.history.filter(id=existing.pk).order_by("history_id"))
    imported, undone = versions[-2:]
    assert imported.history_reference.startswith(f"batch {batch.pk}:")
    assert (imported.title, undone.title) == ("Kościół po", "Kościół przed")
    assert undone.history_channel == "import"
    assert undone.history_reference == f"undo of batch {batch.pk}"
    assert undone.history_user == archivist


def test_the_command_records_a_batch_without_a_user(folder):
    path = write_csv(folder, [["MOK-F-0002", "Nowy", "document", "", "", "", "", "", "", "", ""]])
    out = io.StringIO()
    call_command("import_catalogue", str(path), stdout=out)
    assert out.getvalue().strip() == "Imported 1 rows: 1 created, 0 updated, 0 images."
    batch = ImportBatch.objects.get()
    assert (batch.user, batch.channel, batch.file_name) == (None, "command", "katalog.csv")
    assert batch.entries.get().identifier == "MOK-F-0002"


def test_a_dry_run_or_a_failed_import_records_no_batch(folder):
    good = write_csv(folder, [["MOK-F-0002", "Nowy", "document", "", "", "", "", "", "", "", ""]])
    call_command("import_catalogue", str(good), "--dry-run", stdout=io.StringIO())
    bad = write_csv(folder, [["MOK-F-0003", "", "document", "", "", "", "", "", "", "", ""]])
    result = import_catalogue(bad)
    assert not result.ok and result.batch is None
    assert not ImportBatch.objects.exists()


# --- the admin -----------------------------------------------------------------------------


def test_admin_undo_button_undoes_the_import(folder, archivist_client):
    path = write_csv(folder, [["MOK-F-0002", "Nowy", "document", "", "", "", "", "", "", "", ""]])
    batch = import_file(path).batch
    page = archivist_client.get(batch.get_absolute_url())
    assert 'id="batch-undo-button"' in page.content.decode()
    response = archivist_client.post(
        reverse("admin:archive_importbatch_undo", args=[batch.pk]), follow=True
    )
    assert "The import was undone" in response.content.decode()
    assert not Item.objects.exists()
    assert 'id="batch-undo-button"' not in response.content.decode()


def test_admin_refusal_lists_the_items_changed_since(folder, existing, archivist_client):
    path = write_csv(
        folder, [["MOK-F-0001", "Kościół po", "photograph", "", "", "", "", "", "", "", ""]]
    )
    batch = import_file(path).batch
    item = Item.objects.get(identifier="MOK-F-0001")
    item.title = "Poprawione później"
    item.save()
    response = archivist_client.post(
        reverse("admin:archive_importbatch_undo", args=[batch.pk]), follow=True
    )
    html = response.content.decode()
    assert "these items were changed after it" in html
    assert (
        f'<a href="{reverse("admin:archive_item_change", args=[item.pk])}">MOK-F-0001</a>' in html
    )
    assert Item.objects.get(pk=item.pk).title == "Poprawione później"


def test_only_editors_may_undo(folder, client, django_user_model):
    path = write_csv(folder, [["MOK-F-0002", "Nowy", "document", "", "", "", "", "", "", "", ""]])
    batch = import_file(path).batch
    cataloguer = django_user_model.objects.create_user(
        "katalogujaca", password="x-haslo-123", is_staff=True
    )
    cataloguer.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_importbatch", "add_item", "change_item", "view_item"]
        )
    )
    client.force_login(cataloguer)
    page = client.get(batch.get_absolute_url())
    assert page.status_code == 200
    assert 'id="batch-undo-button"' not in page.content.decode()
    undo = reverse("admin:archive_importbatch_undo", args=[batch.pk])
    assert client.post(undo).status_code == 403
    assert Item.objects.filter(identifier="MOK-F-0002").exists()
    # The editor's right is what it takes.
    cataloguer.user_permissions.add(Permission.objects.get(codename="publish_item"))
    cataloguer = django_user_model.objects.get(pk=cataloguer.pk)
    client.force_login(cataloguer)
    assert client.post(undo).status_code == 302
    assert not Item.objects.filter(identifier="MOK-F-0002").exists()


def test_undo_needs_post(folder, archivist_client):
    path = write_csv(folder, [["MOK-F-0002", "Nowy", "document", "", "", "", "", "", "", "", ""]])
    batch = import_file(path).batch
    undo = reverse("admin:archive_importbatch_undo", args=[batch.pk])
    assert archivist_client.get(undo).status_code == 405
    assert Item.objects.exists()


def test_batches_are_listed_read_only(folder, archivist_client):
    path = write_csv(folder, [["MOK-F-0002", "Nowy", "document", "", "", "", "", "", "", "", ""]])
    batch = import_file(path).batch
    listing = archivist_client.get(reverse("admin:archive_importbatch_changelist"))
    assert "katalog.csv" in listing.content.decode()
    assert archivist_client.get(reverse("admin:archive_importbatch_add")).status_code == 403
    page = archivist_client.get(batch.get_absolute_url()).content.decode()
    assert 'name="_save"' not in page
