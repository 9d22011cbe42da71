"""The fast rebuild writes the index that ordinary indexing writes, on every engine.

`rebuild_search_index` reads the catalogue as chunks of plain rows, builds and analyses
the documents in forked worker processes and writes them with each engine's bulk path
(SQLite: one transaction without per-chunk deletes; PostgreSQL: COPY into build tables,
each vocabulary pair and facet value once; OpenSearch: bulk bodies into a new index).
Ordinary indexing (the outbox) builds each document in this process, through the ORM's
reference path or the same rows, and writes it chunk by chunk. Both must give the same
index, row for row.
"""

from collections.abc import Iterable

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Prefetch
from django.utils import timezone

from archive.models import Item, ItemCreator, Licence, Status
from contributions.models import Contribution
from media.public import thumbnail_url
from search.backends import base
from search.backends.parallel import rebuild_together
from search.documents import DocumentStream, FacetValue, SearchDocument, plain_text
from tests.factories import (
    AgentFactory,
    CollectionFactory,
    ItemFactory,
    MediaFileFactory,
    PlaceFactory,
    SubjectFactory,
)

# --- The reference: documents built from model instances through the ORM -----------------
# Kronika builds documents from plain rows (search/documents.py, DocumentStream). This is
# an independent way to the same documents, the one Kronika used before, kept here as the
# oracle the row path must agree with.


def documents_queryset():
    """Published items with everything a document needs, prefetched in a fixed number of
    queries per chunk (no N+1)."""
    from contributions.models import Contribution
    from media.models import MediaFile

    return (
        Item.objects.filter(status=Status.PUBLISHED)
        .select_related("licence")
        .prefetch_related(
            "subjects",
            "places",
            "collections",
            Prefetch("item_creators", queryset=ItemCreator.objects.select_related("agent")),
            Prefetch(
                "media_files",
                queryset=MediaFile.objects.only(
                    "id",
                    "item_id",
                    "file",
                    "kind",
                    "alt_text",
                    "alt_text_en",
                    "caption",
                    "caption_en",
                    "order",
                ),
            ),
            Prefetch(
                "contributions",
                queryset=Contribution.objects.filter(state=Contribution.State.APPROVED)
                .only("id", "item_id", "text")
                .order_by("moderated_at", "pk"),
                to_attr="approved_contributions",
            ),
        )
        .order_by("pk")
    )


def _approved_contributions(item: Item) -> list:
    """Prefetched by `documents_queryset`, or read for an item loaded another way."""
    from contributions.models import Contribution

    prefetched = getattr(item, "approved_contributions", None)
    if prefetched is not None:
        return prefetched
    return list(item.contributions.filter(state=Contribution.State.APPROVED))


def build_document(item: Item) -> SearchDocument:
    """The document of one item (expects the prefetches of `documents_queryset`)."""
    media = list(item.media_files.all())
    images = [m for m in media if m.is_image]
    thumbnail = images[0] if images else None
    subjects = list(item.subjects.all())
    places = list(item.places.all())
    collections = list(item.collections.all())
    agents = list(dict.fromkeys(ic.agent for ic in item.item_creators.all()))
    doc = SearchDocument(
        id=item.pk,
        identifier=item.identifier,
        title=item.title,
        title_en=item.title_en,
        description=plain_text(item.description),
        description_en=plain_text(item.description_en),
        item_type=item.item_type,
        date=item.date,
        date_start=item.date_start,
        date_end=item.date_end,
        subjects=_names(subjects, "name"),
        places=_names(places, "name"),
        creators=[a.name for a in agents],
        collections=_names(collections, "title"),
        alt_texts=[t for m in media for t in (m.alt_text, m.alt_text_en) if t],
        captions=[t for m in media for t in (m.caption, m.caption_en) if t],
        memories=[c.text for c in _approved_contributions(item)],
        has_media=bool(media),
        thumbnail_url=(
            thumbnail_url(thumbnail.checksum, thumbnail.width, thumbnail.height)
            if thumbnail
            else ""
        ),
        thumbnail_alt=thumbnail.alt_text if thumbnail else "",
        thumbnail_alt_en=thumbnail.alt_text_en if thumbnail else "",
    )
    doc.facets = {
        "item_type": [FacetValue(item.item_type, item.item_type)],
        "licence": [FacetValue(item.licence.code, item.licence.name, item.licence.name_en)]
        if item.licence_id
        else [],
        "collection": [FacetValue(c.slug, c.title, c.title_en) for c in collections],
        "subject": [FacetValue(s.slug, s.name, s.name_en) for s in subjects],
        "place": [FacetValue(p.slug, p.name, p.name_en) for p in places],
        "decade": [FacetValue(str(d), f"{d}–{d + 9}") for d in doc.decades],
        "has_media": [FacetValue("true" if media else "false", "")],
    }
    return doc


def _names(records: Iterable, field_name: str) -> list[str]:
    names = []
    for record in records:
        names.append(getattr(record, field_name))
        english = getattr(record, f"{field_name}_en", "")
        if english:
            names.append(english)
    return names


@pytest.fixture
def catalogue(db, licence):
    """Items with every relation a document reads, drafts among them, in several chunks."""
    places = [
        PlaceFactory(name="Mszczonów", slug="mszczonow"),
        PlaceFactory(name="Osuchów", name_en="Osuchow", slug="osuchow"),
    ]
    subjects = [
        SubjectFactory(name="Kościoły", name_en="Churches", slug="koscioly"),
        SubjectFactory(name="Straż pożarna", slug="straz"),
    ]
    collections = [
        CollectionFactory(title="Zabytki Mszczonowa", title_en="Monuments", slug="zabytki"),
        CollectionFactory(title="Pocztówki", slug="pocztowki"),
    ]
    agents = [AgentFactory(name="Jan Kowalski"), AgentFactory(name="Zakład Fotograficzny")]
    public_domain = Licence.objects.get_or_create(
        code="PDM", defaults={"name": "Domena publiczna", "name_en": "Public domain"}
    )[0]
    for n in range(12):
        item = ItemFactory(
            identifier=f"MOK-R-{n:03}",
            title=f"Kościół w Osuchowie, widok {n}" if n % 3 else f"Remiza\tstrażacka {n}",
            title_en=f"Church {n}" if n % 2 else "",
            description=(
                f"Murowany **kościół** po pożarze w {1900 + n} roku.\nDruga linia \\ {n}."
                if n % 2
                else f"Zwykły opis bez znaczników, numer {n}."
            ),
            date=str(1900 + n),
            date_start=1900 + n if n % 4 else None,
            date_end=1905 + n if n % 4 else None,
            status=Status.DRAFT if n % 5 == 4 else Status.PUBLISHED,
            licence=licence if n % 3 else public_domain,
        )
        item.subjects.set(subjects[: n % 3])
        item.places.set(places[n % 2 :])
        for collection in collections[: n % 3]:
            collection.items.add(item)
        for order, agent in enumerate(agents[: n % 3]):
            item.item_creators.create(agent=agent, role="photographer", order=order)
        if n % 2:
            MediaFileFactory(item=item, alt_text=f"Widok od strony rynku {n}", caption="Fot.")
        if n % 3 == 1:
            memory = Contribution(
                item=item,
                text=f"Pamiętam ten kościół, numer {n}.",
                consent_at=timezone.now(),
                state=Contribution.State.APPROVED,
                moderated_at=timezone.now(),
            )
            memory.new_withdrawal_key()
            memory.save()


def test_the_row_stream_builds_the_documents_of_the_reference_path(catalogue):
    reference = [build_document(item) for item in documents_queryset()]
    assert len(reference) == 10  # the drafts are left out
    assert list(DocumentStream()) == reference
    chunked = DocumentStream(chunk_size=3)
    assert [d for chunk in chunked.row_chunks() for d in chunk.documents()] == reference


def _snapshot(name: str, backend) -> list:
    """Everything an engine stores for the indexed documents (ids of facet values, which
    depend on the order they were first written in, replaced by the values)."""
    if name == "opensearch":
        client = backend.engine.client
        client.indices.refresh(index=backend.alias)
        hits = client.search(
            index=backend.alias, body={"query": {"match_all": {}}, "size": 100, "sort": ["_doc"]}
        )["hits"]["hits"]
        return sorted((hit["_id"], hit["_source"]) for hit in hits)
    with connection.cursor() as cursor:
        if name == "sqlite":
            cursor.execute("SELECT * FROM search_sqlite_fts ORDER BY rowid")
            fts = cursor.fetchall()
            cursor.execute("SELECT * FROM search_sqlite_doc ORDER BY item_id")
            docs = cursor.fetchall()
            cursor.execute(
                "SELECT iv.item_id, v.facet, v.value, v.label, v.label_en "
                "FROM search_sqlite_item_value iv JOIN search_sqlite_value v "
                "ON v.id = iv.value_id ORDER BY 1, 2, 3"
            )
            return [fts, docs, cursor.fetchall()]
        cursor.execute(
            "SELECT d.item_id, d.identifier, d.title_sort, d.date_start, d.date_end, "
            "d.tsv::text, d.title_tsv::text, d.data::text, "
            "ARRAY(SELECT concat_ws('|', x.facet, x.value, x.label, x.label_en) "
            "FROM search_pg_value x WHERE x.id = ANY(d.facet_ids) ORDER BY 1) "
            "FROM search_pg_doc d ORDER BY d.item_id"
        )
        docs = cursor.fetchall()
        cursor.execute("SELECT term, lemma FROM search_pg_term ORDER BY term, lemma")
        terms = cursor.fetchall()
        cursor.execute("SELECT facet, value, label, label_en FROM search_pg_value ORDER BY 1, 2")
        return [docs, terms, cursor.fetchall()]


def test_a_rebuild_in_worker_processes_writes_what_indexing_writes(search_backend, catalogue):
    name = search_backend.name
    search_backend.index(build_document(item) for item in documents_queryset())
    indexed = _snapshot(name, search_backend)
    assert search_backend.document_count() == 10
    search_backend.index_workers = 2
    # Chunks of three items: the first is analysed here, the others in two workers.
    assert search_backend.rebuild(DocumentStream(chunk_size=3)) == 10
    assert _snapshot(name, search_backend) == indexed


# --- One pass for every indexing backend ------------------------------------------------
# `rebuild_search_index` rebuilds the database backend and the engine (when there is one)
# from one read of the catalogue, each chunk analysed once for both (backends/parallel.py,
# `rebuild_together`). With the `opensearch` parameter the indexing backends are the
# database's (SQLite or PostgreSQL, as the test database is) AND OpenSearch.


def _snapshots() -> dict:
    return {b.name: _snapshot(b.name, b) for b in base.indexing_backends()}


def test_one_pass_writes_every_backend_what_indexing_writes(search_backend, catalogue, capsys):
    backends = base.indexing_backends()
    for backend in backends:
        backend.index(build_document(item) for item in documents_queryset())
    indexed = _snapshots()
    for backend in backends:
        backend.clear()
    call_command("rebuild_search_index", "--no-progress")
    out = capsys.readouterr().out
    for backend in backends:
        assert f"{backend.name}: indexed 10 published items" in out
    assert _snapshots() == indexed


def _rebuild_failing_at_second_chunk(fail) -> None:
    """A one-pass rebuild of every indexing backend in chunks of three items, in two
    worker processes, with `fail()` run as the second chunk is read."""
    stream = DocumentStream(chunk_size=3)
    read = []

    def on_chunk(n: int) -> None:
        read.append(n)
        if len(read) == 2:
            fail()

    stream.on_chunk = on_chunk
    plans = [backend.rebuild_plan() for backend in base.indexing_backends()]
    for plan in plans:
        plan.workers = 2
    rebuild_together(plans, stream)


def _engine_indices(engine) -> tuple[list[str], list[str]]:
    """The indices behind the engine's alias, and every index named like a rebuild's."""
    found = engine.engine.client.indices.get(index=f"{engine.alias}-*")
    return engine._indices(), sorted(found.body if hasattr(found, "body") else found)


def _drop_a_table_of_the_database_rebuild() -> None:
    """The database rebuild's next write fails (in its transaction: a rollback undoes it)."""
    table = "search_sqlite_item_value" if connection.vendor == "sqlite" else "search_pg_doc_build"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {table}")


def test_a_database_failure_mid_rebuild_keeps_every_old_index(search_backend, catalogue):
    call_command("rebuild_search_index", "--no-progress")
    before = _snapshots()
    engine = base.get_backend()
    engine_indices = None if engine.is_database_backend else _engine_indices(engine)
    Item.objects.filter(identifier="MOK-R-001").update(title="Wiatrak w Bronisławowie")

    with pytest.raises(Exception, match="no such table|does not exist"):
        _rebuild_failing_at_second_chunk(_drop_a_table_of_the_database_rebuild)

    # Every backend still serves its complete old index; no half-built one is left.
    assert _snapshots() == before
    if engine_indices is not None:
        assert _engine_indices(engine) == engine_indices
    # The next rebuild works and shows the change (the comparison above could fail).
    call_command("rebuild_search_index", "--no-progress")
    after = _snapshots()
    for name in after:
        assert after[name] != before[name]
        assert "Wiatrak" in repr(after[name])


@pytest.mark.parametrize(
    "search_backend", [pytest.param("opensearch", marks=pytest.mark.opensearch)], indirect=True
)
def test_an_engine_failure_mid_rebuild_keeps_every_old_index(search_backend, catalogue):
    call_command("rebuild_search_index", "--no-progress")
    before = _snapshots()
    engine = base.get_backend()
    serving, named = _engine_indices(engine)
    assert serving == named  # one index, behind the alias
    Item.objects.filter(identifier="MOK-R-001").update(title="Wiatrak w Bronisławowie")

    def close_the_new_index() -> None:
        # A closed index refuses every bulk request that follows (a real engine error).
        for index in set(_engine_indices(engine)[1]) - set(serving):
            engine.engine.client.indices.close(index=index)

    with pytest.raises(Exception, match="index_closed|closed"):
        _rebuild_failing_at_second_chunk(close_the_new_index)

    # The database backend rolled back its new index too: the old ones serve, and the
    # engine's half-built index is gone.
    assert _snapshots() == before
    assert _engine_indices(engine) == (serving, named)
    call_command("rebuild_search_index", "--no-progress")
    after = _snapshots()
    assert set(after) == {base.database_backend_name(), "opensearch"}
    for name in after:
        assert "Wiatrak" in repr(after[name]) and "Wiatrak" not in repr(before[name])
