"""Search fixtures: the backend under test, a small Polish corpus, an unreachable engine.

The relevance suite runs once per backend through `search_backend`. `make test` runs the
SQLite one; `make test-services` selects the marked ones, which need a live service:
- postgres: run pytest with DATABASE_URL=postgres://… (the test database is PostgreSQL);
- opensearch: KRONIKA_TEST_SEARCH_URL=http://127.0.0.1:9200 (and SEARCH_BACKEND follows).
A marked parameter that runs without its service fails, saying what is missing.
When the test database is not SQLite (the ordinary suite re-run on PostgreSQL by
`make test-services`), the `[sqlite]` parameters are deselected: that backend lives in the
SQLite database and has nothing to test there.
"""

import importlib.util
import os

import pytest
from django.db import connection

from archive.models import Licence, Status
from search import analysis
from search.backends import base
from search.outbox import drain
from tests.factories import (
    AgentFactory,
    CollectionFactory,
    ItemFactory,
    MediaFileFactory,
    PlaceFactory,
    SubjectFactory,
)


def _database_is_sqlite() -> bool:
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


def pytest_collection_modifyitems(config, items):
    if _database_is_sqlite():
        return
    kept, dropped = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        if item.get_closest_marker("sqlite") or (
            callspec and callspec.params.get("search_backend") == "sqlite"
        ):
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(autouse=True)
def fresh_search_state():
    """Each test starts with an empty lemma-form memo (the table is rolled back)."""
    analysis.forget_recorded_forms()
    base._load.cache_clear()
    yield
    base._load.cache_clear()


def _require_module(name: str) -> None:
    if importlib.util.find_spec(f"search.backends.{name}") is None:
        pytest.fail(f"search/backends/{name}.py does not exist yet.")


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("opensearch", marks=pytest.mark.opensearch),
    ]
)
def search_backend(request, settings, db):
    """The configured backend for this run of the suite, with an empty index."""
    name = request.param
    if name == "sqlite" and connection.vendor != "sqlite":
        pytest.fail("The sqlite search backend needs the SQLite test database.")
    if name == "postgres":
        if connection.vendor != "postgresql":
            pytest.fail(
                "The postgres search tests need a PostgreSQL test database: run pytest with "
                "DATABASE_URL=postgres://… (make test-services does)."
            )
        _require_module("postgres")
    if name == "opensearch":
        url = os.environ.get("KRONIKA_TEST_SEARCH_URL")
        if not url:
            pytest.fail(
                "The opensearch search tests need KRONIKA_TEST_SEARCH_URL pointing at a live "
                "node (make test-services starts one)."
            )
        _require_module("engine")
        settings.SEARCH_URL = url
    settings.SEARCH_BACKEND = name
    backend = base.get_backend()
    for each in base.indexing_backends():
        each.clear()
    return backend


class UnreachableBackend(base.SearchBackend):
    """The only fake: an "external engine" whose connection is refused while `down`.

    When up it hands everything to the database's own backend (SQLite or PostgreSQL,
    whichever the test database is), so recovery is observable.
    """

    name = "unreachable-test-engine"
    is_database_backend = False
    down = True

    def _check(self):
        if type(self).down:
            raise base.BackendUnavailable("Connection refused (test engine is stopped)")

    @property
    def _store(self):
        return base.get_database_backend()

    def index(self, documents):
        self._check()
        return self._store.index(documents)

    def delete(self, ids):
        self._check()
        return self._store.delete(ids)

    def clear(self):
        self._check()
        return self._store.clear()

    def search(self, query):
        self._check()
        results = self._store.search(query)
        results.backend = self.name
        return results

    def suggest(self, text, limit=10):
        self._check()
        return self._store.suggest(text, limit)

    def is_available(self):
        return not type(self).down

    def document_count(self):
        self._check()
        return self._store.document_count()


@pytest.fixture
def licence():
    return Licence.objects.get_or_create(code="CC-BY-4.0", defaults={"name": "CC BY 4.0"})[0]


@pytest.fixture
def corpus(search_backend, licence):
    """A small catalogue of Mszczonów, drained into the index. Returns items by key."""
    mszczonow = PlaceFactory(name="Mszczonów", slug="mszczonow")
    grodzisk = PlaceFactory(name="Grodzisk Mazowiecki", slug="grodzisk-mazowiecki")
    koscioly = SubjectFactory(name="Kościoły", name_en="Churches", slug="koscioly")
    zydzi = SubjectFactory(
        name="Kultura żydowska", name_en="Jewish culture", slug="kultura-zydowska"
    )
    wojna = SubjectFactory(name="II wojna światowa", slug="ii-wojna-swiatowa")
    zabytki = CollectionFactory(title="Zabytki Mszczonowa", slug="zabytki")
    fotograf = AgentFactory(name="Jan Kowalski", slug="jan-kowalski")

    items = {}

    def make(key, subjects=(), places=(), collections=(), **fields):
        item = ItemFactory(identifier=f"MOK-{key}", **fields)
        item.subjects.set(subjects)
        item.places.set(places)
        for collection in collections:
            collection.items.add(item)
        items[key] = item
        return item

    make(
        "KOSCIOL",
        title="Kościół św. Jana Chrzciciela w Mszczonowie",
        title_en="St John the Baptist church in Mszczonów",
        item_type="monument",
        date="1377",
        description=(
            "Murowany **kościół** parafialny, przebudowany po [pożarze](http://x.pl) w 1939 roku."
        ),
        subjects=[koscioly],
        places=[mszczonow],
        collections=[zabytki],
        licence=licence,
    )
    MediaFileFactory(item=items["KOSCIOL"], alt_text="Widok kościoła od strony rynku")
    make(
        "SYNAGOGA",
        title="Synagoga w Mszczonowie",
        item_type="monument",
        date="185X",
        description="Dawna bożnica gminy żydowskiej, spalona w czasie wojny.",
        subjects=[zydzi, wojna],
        places=[mszczonow],
        collections=[zabytki],
    )
    make(
        "CMENTARZ",
        title="Cmentarz żydowski",
        item_type="monument",
        date="18XX",
        description="Kirkut przy ulicy Tarczyńskiej, macewy z XIX wieku.",
        subjects=[zydzi],
        places=[mszczonow],
    )
    make(
        "RYNEK",
        title="Rynek w Mszczonowie",
        item_type="photograph",
        date="1920~",
        description="Widok rynku; w tle wieża kościoła.",
        places=[mszczonow],
    )
    items["RYNEK"].item_creators.create(agent=fotograf, role="photographer")
    make(
        "POZAR",
        title="Pożar miasta",
        item_type="document",
        date="1939",
        description="Relacja o pożarze kościoła i synagogi we wrześniu 1939 roku.",
        subjects=[wojna],
        places=[mszczonow],
    )
    make(
        "MAPA",
        title="Mapa okolic Grodziska",
        item_type="map",
        date="1942/1945",
        description="W Grodzisku stacja kolejowa, na wschód bożnica.",
        places=[grodzisk],
    )
    make(
        "POCZTOWKA",
        title="Stara pocztówka",
        item_type="photograph",
        date="",
        description="Pozdrowienia z Mszczonowa.",
    )
    make(
        "SZKIC",
        title="Kościół szkic nieopublikowany",
        item_type="document",
        status=Status.DRAFT,
        description="Szkic synagogi i kościoła, roboczy.",
        places=[mszczonow],
    )
    report = drain()
    assert not report.failed, report.error
    return items
