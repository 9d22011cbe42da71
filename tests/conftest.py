import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test writes uploads to its own folder, never to var/media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.KRONIKA_IMPORT_STAGING_DIR = str(tmp_path / "import-staging")
    # Computed IIIF answers too (interop/iiif_image.py): a cache of its own per test.
    iiif = {**settings.CACHES["iiif"], "LOCATION": str(tmp_path / "iiif-cache")}
    settings.CACHES = {**settings.CACHES, "iiif": iiif}
    return tmp_path / "media"


@pytest.fixture(autouse=True)
def fresh_throttle_counts():
    """Throttle counters (API, contributions) live in the default cache: every test starts
    with none, whatever ran before it in the same process."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def password_check_slots(settings, tmp_path):
    """Every test has its own password-check slots (api.throttling), so test runs side by
    side in one checkout never take each other's."""
    settings.KRONIKA_LOCK_DIR = str(tmp_path / "locks")


@pytest.fixture
def archivist(django_user_model):
    return django_user_model.objects.create_user(
        username="archiwistka", password="tajne-haslo-123", is_staff=True, is_superuser=True
    )


@pytest.fixture
def archivist_client(client, archivist):
    client.force_login(archivist)
    return client


@pytest.fixture(autouse=True)
def unhashed_static_files(settings):
    """Tests run without `collectstatic`, so static URLs are not looked up in a manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the test database is a file (in WAL mode, as in production), not Django's
    in-memory default: a shared-cache memory database locks whole tables and fails at once
    instead of waiting out the busy timeout, so tests of concurrent writers would be testing
    another engine."""
    from django.conf import settings

    default = settings.DATABASES["default"]
    if default["ENGINE"] == "django.db.backends.sqlite3":
        default.setdefault("TEST", {})["NAME"] = str(
            tmp_path_factory.mktemp("db") / "test_kronika.sqlite3"
        )


def _database_vendor() -> str:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    return "sqlite" if engine == "django.db.backends.sqlite3" else engine.rsplit(".", 1)[-1]


def pytest_collection_modifyitems(config, items):
    """The `[sqlite]` runs of tests parametrised by `database` are left out when the test
    database is not SQLite (the ordinary suite re-run on PostgreSQL by make test-services)."""
    if _database_vendor() == "sqlite":
        return
    dropped = [
        item
        for item in items
        if getattr(item, "callspec", None) and item.callspec.params.get("database") == "sqlite"
    ]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item not in dropped]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request):
    """For tests of concurrent writers: once on SQLite (`make test`), once on PostgreSQL in
    the service tier (`make test-services` runs the tests marked postgres with DATABASE_URL
    pointing at PostgreSQL). A marked run without PostgreSQL fails, saying what is missing."""
    from django.db import connection

    if connection.vendor != request.param:
        pytest.fail(
            f"This run of the test needs a {request.param} test database, not "
            f"{connection.vendor}: run pytest with DATABASE_URL set (make test-services does)."
        )
    return request.param


@pytest.fixture
def run_together():
    """Run callables in real threads released at the same moment (each thread has its own
    database connection, closed when it ends); returns their results in order. Bounded: a
    thread still running after a minute fails the test."""
    import threading

    from django.db import connections

    def run(*calls, timeout: float = 60.0) -> list:
        barrier = threading.Barrier(len(calls))
        results: list = [None] * len(calls)
        errors: list[BaseException] = []

        def worker(index: int, call) -> None:
            try:
                barrier.wait(timeout=timeout)
                results[index] = call()
            except BaseException as exc:  # reported in the test's own thread below
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=worker, args=(n, c)) for n, c in enumerate(calls)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout)
        assert not any(thread.is_alive() for thread in threads), "a thread did not finish"
        if errors:
            raise errors[0]
        return results

    return run


@pytest.fixture
def short_busy_timeout():
    """New connections wait half a second for a lock another writer holds (instead of
    DATABASE_BUSY_TIMEOUT), so a test of a busy database ends quickly."""
    import re

    from django.db import connections

    options = connections.settings["default"].setdefault("OPTIONS", {})
    saved = dict(options)
    if _database_vendor() == "sqlite":
        options["timeout"] = 0.5
    else:
        options["options"] = re.sub(
            r"lock_timeout=\d+", "lock_timeout=500", options.get("options", "")
        )
    yield 0.5
    options.clear()
    options.update(saved)


@pytest.fixture
def another_writer_holds():
    """`with another_writer_holds(item):` another connection holds the item's row lock (on
    SQLite: the database's write lock) until the block ends, as a long import or save would."""
    import threading
    from contextlib import contextmanager

    from django.db import connections, transaction

    from archive.models import Item

    @contextmanager
    def holding(item):
        taken, release = threading.Event(), threading.Event()

        def hold() -> None:
            try:
                with transaction.atomic():
                    Item.objects.select_for_update().get(pk=item.pk)
                    Item.objects.filter(pk=item.pk).update(rights_holder="trwa import")
                    taken.set()
                    release.wait(60)
            finally:
                connections.close_all()

        thread = threading.Thread(target=hold)
        thread.start()
        try:
            assert taken.wait(30), "the other writer did not get the lock"
            yield
        finally:
            release.set()
            thread.join(60)

    return holding


@pytest.fixture(autouse=True)
def named_periods_checked_per_test():
    """Each test starts like a request: the named-period table is checked for changes (a
    test's rolled-back periods must not linger in the process's copy of the table)."""
    from archive.date_phrases import PERIODS

    PERIODS.expire()


@pytest.fixture
def role_user(django_user_model, db):
    """`role_user(group_name, staff=True, username=None)`: a person in one of the staff roles
    (archive/roles.py: CATALOGUER, EDITOR, ADMINISTRATOR), or in none with `None`."""
    from django.contrib.auth.models import Group

    def make(role: str | None, *, staff: bool = True, username: str | None = None):
        name = username or f"osoba-{(role or 'bez-roli').lower()}"
        user = django_user_model.objects.create_user(
            username=name, password="tajne-haslo-123", is_staff=staff
        )
        if role is not None:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make
