"""The fast rebuild writes the index that ordinary indexing writes, on every engine.

`rebuild_search_index` reads the catalogue as chunks of plain rows, builds and analyses
the documents in forked worker processes and writes them with each engine's bulk path
(SQLite: one transaction without per-chunk deletes; PostgreSQL: COPY into build tables,
each vocabulary pair and facet value once; OpenSearch: bulk bodies into a new index).
Ordinary indexing (the outbox) builds each document in this process, through the ORM's
reference path or the same rows, and writes it chunk by chunk. Both must give the same
index, row for row.
"""

import pytest
from django.db import connection
from django.utils import timezone

from archive.models import Licence, Status
from contributions.models import Contribution
from search.documents import DocumentStream, build_document, documents_queryset
from tests.factories import (
    AgentFactory,
    CollectionFactory,
    ItemFactory,
    MediaFileFactory,
    PlaceFactory,
    SubjectFactory,
)


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
