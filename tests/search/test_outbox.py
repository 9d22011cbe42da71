"""Indexing that loses nothing: outbox rows written with the change, drained after commit."""

import pytest
from django.core.management import call_command

from archive.models import Item
from search.backends import search
from search.backends.base import database_backend_name
from search.models import OutboxEntry
from search.outbox import drain, enqueue_items
from search.query import SearchQuery
from tests.factories import ItemFactory, MediaFileFactory, SubjectFactory
from tests.search.conftest import UnreachableBackend


def titles(text):
    return [h.title for h in search(SearchQuery.from_params({"q": text})).hits]


@pytest.fixture
def database_search(settings, db):
    """The database's own backend: SQLite under `make test`, PostgreSQL in the service tier."""
    settings.SEARCH_BACKEND = ""


def test_saving_an_item_indexes_it_after_commit(
    database_search, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ItemFactory(title="Młyn wodny nad Pisią")
    assert titles("młyn") == ["Młyn wodny nad Pisią"]
    assert OutboxEntry.objects.count() == 0


def test_the_outbox_row_is_written_in_the_same_transaction(database_search):
    item = ItemFactory(title="Dworzec kolejowy")
    assert OutboxEntry.objects.filter(item_id=item.pk).exists()


def test_alt_text_and_subject_changes_reach_the_index(
    database_search, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = ItemFactory(title="Zdjęcie bez opisu")
    with django_capture_on_commit_callbacks(execute=True):
        MediaFileFactory(item=item, alt_text="Strażacy przy remizie")
    assert titles("strażacy") == ["Zdjęcie bez opisu"]
    with django_capture_on_commit_callbacks(execute=True):
        item.subjects.add(SubjectFactory(name="Ochotnicza straż pożarna", slug="osp"))
    assert titles("ochotnicza") == ["Zdjęcie bez opisu"]


def test_bulk_writers_call_enqueue_items(database_search, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = Item.objects.bulk_create(
            [
                Item(
                    identifier=f"BULK-{n}",
                    title=f"Kapliczka {n}",
                    item_type="monument",
                    status="published",
                )
                for n in range(3)
            ]
        )
        enqueue_items([i.pk for i in created])
    assert len(titles("kapliczka")) == 3


def test_outbox_replays_after_the_engine_comes_back(settings, db, caplog):
    settings.SEARCH_BACKEND = "tests.search.conftest.UnreachableBackend"
    UnreachableBackend.down = True
    try:
        item = ItemFactory(title="Synagoga w Mszczonowie")  # the save succeeds
        report = drain()
        assert report.failed
        entry = OutboxEntry.objects.get(item_id=item.pk)
        assert entry.attempts == 1 and "Connection refused" in entry.last_error
        # Search degrades to the database backend, which the indexer kept up to date.
        results = search(SearchQuery.from_params({"q": "synagoga"}))
        assert results.degraded and results.backend == database_backend_name()
        assert [h.title for h in results.hits] == ["Synagoga w Mszczonowie"]
        assert "unavailable" in caplog.text

        UnreachableBackend.down = False
        assert not drain().failed
        assert OutboxEntry.objects.count() == 0
        results = search(SearchQuery.from_params({"q": "synagoga"}))
        assert not results.degraded and results.backend == "unreachable-test-engine"
        assert [h.title for h in results.hits] == ["Synagoga w Mszczonowie"]
    finally:
        UnreachableBackend.down = True


def test_rebuild_command_indexes_every_published_item(database_search, capsys):
    ItemFactory.create_batch(5)
    ItemFactory(status="draft")
    call_command("rebuild_search_index", "--no-progress")
    assert "indexed 5 published items" in capsys.readouterr().out
    assert search(SearchQuery()).count == 5
    assert OutboxEntry.objects.count() == 0


def test_process_search_outbox_command_fails_while_the_engine_is_down(settings, db):
    from django.core.management.base import CommandError

    settings.SEARCH_BACKEND = "tests.search.conftest.UnreachableBackend"
    ItemFactory()
    with pytest.raises(CommandError, match="unavailable"):
        call_command("process_search_outbox")
    assert OutboxEntry.objects.count() == 1
