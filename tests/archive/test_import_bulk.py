"""The importer's bulk writes: new items, their versions, undo records and outbox entries are
written from the values the import holds (archive/bulk.py), and must be exactly what reading
the items back gives, on SQLite and PostgreSQL alike."""

import csv
import datetime
import zoneinfo
from pathlib import Path

import pytest
from django.utils import timezone, translation

from archive import audit
from archive.batches import (
    ImportBatch,
    ImportBatchItem,
    changed_since,
    fingerprint,
    item_states,
    undo_batch,
)
from archive.bulk import insert_rows
from archive.importing import (
    BatchInfo,
    CatalogueFileError,
    CatalogueImport,
    ImportResult,
    import_catalogue,
)
from archive.models import Item, Status
from search.models import OutboxEntry
from tests.factories import (
    AgentFactory,
    CollectionFactory,
    CollectionItemFactory,
    ItemFactory,
    SubjectFactory,
    image_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


HEADER = ["identifier", "title", "item_type", "date", "subjects", "places", "creators"]
HEADER += ["collections", "status", "image", "alt_text"]


def write_csv(path: Path, rows) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


@pytest.fixture
def catalogue(tmp_path):
    """A file whose new items have relations in an order unlike their records' pks, beside
    an item it updates and a new item with an image."""
    (tmp_path / "zdjecia").mkdir()
    (tmp_path / "zdjecia" / "nowe.jpg").write_bytes(image_bytes(40, 30, color="navy"))
    # Records that exist already get lower pks than those the import creates.
    SubjectFactory(name="Szkoły", slug="szkoly")
    AgentFactory(name="Zofia Nowak", slug="zofia-nowak")
    full = CollectionFactory(title="Pocztówki", slug="pocztowki")
    CollectionItemFactory(collection=full, order=4)
    ItemFactory(identifier="MOK-U-1", title="Stary tytuł", date="1920")
    rows = [
        ["MOK-N-1", "Rynek", "photograph", "1930~", "Rynek;Szkoły;rynek", "Mszczonów",
         "Anna Kowalska;Zofia Nowak", "Zdjęcia dawne;Pocztówki", "published", "", ""],
        ["MOK-N-2", "Młyn", "document", "lata 30. XX w.", "", "Osuchów;Mszczonów",
         "Zofia Nowak", "Pocztówki", "draft", "", ""],
        ["MOK-N-3", "Bez niczego", "map", "", "", "", "", "", "", "", ""],
        ["MOK-U-1", "Nowy tytuł", "photograph", "1921", "Szkoły", "", "Jan Wiśniewski", "",
         "draft", "", ""],
        ["MOK-N-4", "Z obrazem", "photograph", "1950", "Rynek", "", "", "", "published",
         "zdjecia/nowe.jpg", "Rynek zimą"],
    ]  # fmt: skip
    return write_csv(tmp_path / "katalog.csv", rows)


def test_versions_of_new_items_are_what_reading_them_back_gives(catalogue, archivist):
    result = import_catalogue(catalogue, record=BatchInfo(channel="admin", user=archivist))
    assert result.ok, [str(e) for e in result.errors]
    items = Item.objects.filter(identifier__startswith="MOK-N-")
    assert items.count() == 4
    tracked = [f.attname for f in Item.history.model.tracked_fields]
    for item in items:
        version = Item.history.get(id=item.pk)
        assert version.history_type == "+"
        assert version.history_relations == audit.item_relations([item.pk])[item.pk]
        assert {n: getattr(version, n) for n in tracked} == {n: getattr(item, n) for n in tracked}
        assert version.history_channel == "import"
        assert version.history_reference == f"batch {result.batch.pk}: katalog.csv"
        assert (version.history_user_id, version.history_username) == (
            archivist.pk,
            archivist.get_username(),
        )
    first = Item.history.get(id=items.get(identifier="MOK-N-1").pk).history_relations
    # Two spellings of one subject are one record; creators keep the file's order.
    assert len(first["subjects"]) == 2
    assert [c[2] for c in first["creators"]] == [0, 1]
    assert sorted(order for _pk, order in first["collections"]) == [0, 5]


def test_undo_records_of_new_items_are_what_reading_them_back_gives(catalogue):
    batch = import_catalogue(catalogue).batch
    entries = {e.identifier: e for e in ImportBatchItem.objects.filter(batch=batch)}
    assert set(entries) == {"MOK-N-1", "MOK-N-2", "MOK-N-3", "MOK-N-4", "MOK-U-1"}
    states = item_states(e.item_id for e in entries.values())
    for entry in entries.values():
        assert entry.after_fingerprint == fingerprint(states[entry.item_id]), entry.identifier
    assert entries["MOK-N-1"].action == ImportBatchItem.Action.CREATED
    assert entries["MOK-N-1"].before is None
    assert entries["MOK-U-1"].before["fields"]["title"] == "Stary tytuł"
    assert changed_since(batch) == []
    undo_batch(batch, None)
    assert not Item.objects.filter(identifier__startswith="MOK-N-").exists()
    assert Item.objects.get(identifier="MOK-U-1").title == "Stary tytuł"


def test_every_item_written_is_queued_for_the_search_index(catalogue):
    OutboxEntry.objects.all().delete()
    start = timezone.now()
    result = import_catalogue(catalogue)
    entries = OutboxEntry.objects.all()
    assert {e.item_id for e in entries} == set(result.item_pks)
    assert {(e.action, e.attempts, e.identifier, e.last_error) for e in entries} == {
        ("index", 0, "", "")
    }
    assert all(e.created >= start for e in entries)


def test_a_file_changed_after_checking_is_read_again(catalogue):
    """The checked rows are written only while the file is the one checked."""
    importer = CatalogueImport(catalogue)
    with open(catalogue.parent / "spool", "w+b") as spool:
        assert importer.validate(spool=spool).ok
        write_csv(catalogue, [["MOK-N-1", "Rynek", "photograph", "19x5", "", "", "", "", "",
                               "", ""]])  # fmt: skip
        with pytest.raises(CatalogueFileError, match="changed while it was being imported"):
            importer.write(ImportResult())
    assert not Item.objects.filter(identifier="MOK-N-1").exists()
    assert not ImportBatch.objects.exists()


def test_datetimes_and_json_written_in_bulk_read_back_the_same():
    """insert_rows adapts values as the field does: aware datetimes in any zone, JSON."""
    warsaw = datetime.datetime(
        2026, 12, 4, 21, 5, 7, 123456, tzinfo=zoneinfo.ZoneInfo("Europe/Warsaw")
    )
    insert_rows(
        OutboxEntry,
        ["item_id", "created"],
        [(1, warsaw), (2, timezone.now()), (3, warsaw)],
        constants={"identifier": "", "action": "index", "attempts": 0, "last_error": ""},
    )
    assert OutboxEntry.objects.get(item_id=1).created == warsaw
    assert OutboxEntry.objects.get(item_id=3).created == warsaw
    batch = ImportBatch.objects.create(channel="command", file_name="k.csv", checksum="0")
    before = {"fields": {"title": "Łódź „cudzysłów”", "date_start": None}, "subjects": [3, 1]}
    insert_rows(
        ImportBatchItem,
        ["item_id", "identifier", "action", "before", "after_fingerprint"],
        [(7, "MOK-1", "updated", before, "f" * 64), (8, "MOK-2", "created", None, "e" * 64)],
        constants={"batch_id": batch.pk},
    )
    assert ImportBatchItem.objects.get(item_id=7).before == before
    assert ImportBatchItem.objects.get(item_id=8).before is None
    assert ImportBatchItem.objects.filter(before__isnull=True).count() == 1


def test_a_published_new_item_gets_its_publication_time(catalogue):
    start = timezone.now()
    import_catalogue(catalogue)
    published = Item.objects.get(identifier="MOK-N-1")
    assert published.status == Status.PUBLISHED
    assert start <= published.published_at == published.created == published.modified
    assert Item.objects.get(identifier="MOK-N-2").published_at is None
