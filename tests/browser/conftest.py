"""The browser tier: Debian's Chromium, driven by Playwright, against a live Kronika with the demo.

Why the fixtures look like this:
- The demo catalogue takes seconds to load (placeholder images are drawn), so it is loaded
  once for the whole `tests/browser` package, committed to the test database, and served
  by one live server thread for every test. pytest-django's `live_server` fixture would
  request `transactional_db` for each test and flush the tables after it, so the demo
  would have to be reloaded per test; instead the package uses the same `LiveServer` helper
  directly and restores the database to its state before the demo when the package ends
  (flush, then the serialised pre-demo rows, as Django's `serialized_rollback` does), so
  tests that run after this package still see a database without the demo.
- Django refuses ORM calls from a thread where an asyncio loop runs, and Playwright's sync
  API keeps one in the main thread: so everything the tests need from the database (which
  item has an image, which has an uncertain date, …) is read before Chromium starts, and
  the tests themselves never use the ORM (see `chromium` for the one exception).
- No browser is downloaded: Playwright launches the Chromium found at `KRONIKA_CHROMIUM`
  (set by `make test-services`), else `/usr/bin/chromium`.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import connection
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import NoReverseMatch, Resolver404
from django.utils import translation

LANGUAGES = ("pl", "en")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The widths a person uses: a desktop window and a common phone (CSS pixels).
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "artifacts" / "screenshots"
SEARCH_WORD = "synagoga"
NO_RESULTS_WORDS = "qxzvw jjkqpf"
MISSING_PATH = "nie-ma-takiej-strony-xq/"

# CSP violations (Chromium also logs them as console errors) are collected in the page.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  const what = event.blockedURI || "inline";
  window.__cspViolations.push(`${event.violatedDirective} blocked ${what} (${where})`);
});
"""


def chromium_executable() -> str:
    """The Chromium to drive: `KRONIKA_CHROMIUM`, else Debian's `/usr/bin/chromium`."""
    for candidate in (os.environ.get("KRONIKA_CHROMIUM", "").strip(), "/usr/bin/chromium"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    pytest.fail(
        "No Chromium: KRONIKA_CHROMIUM is not set and /usr/bin/chromium does not exist. Run "
        "`make test-services` (scripts/services/chromium.sh installs Debian's chromium) or "
        "`apt-get install chromium`."
    )


# --- URL discovery -------------------------------------------------------------------------


def _named_patterns(resolver: URLResolver, namespace: str = "", route: str = ""):
    """Every named URL pattern as (qualified name, route text), walking included URLconfs."""
    for pattern in resolver.url_patterns:
        text = route + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            child_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _named_patterns(pattern, child_ns, text)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, text


def url_names_matching(*words: str) -> list[str]:
    """URL names (namespaced) whose name or route mentions one of the words, in URLconf order."""
    found = []
    for name, route in _named_patterns(get_resolver()):
        haystack = f"{name} {route}".lower()
        if any(word in haystack for word in words) and name not in found:
            found.append(name)
    return found


def reverse_in(language: str, name: str, **kwargs) -> str | None:
    """The path of a URL name in a language, or None if it needs arguments we do not have."""
    with translation.override(language):
        try:
            return reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            return None


def view_name_of(path: str) -> str:
    """The URL name a path resolves to ('' when none)."""
    try:
        return resolve(urlsplit(path).path).view_name or ""
    except Resolver404:
        return ""


# --- the demo site -------------------------------------------------------------------------


@dataclass
class DemoSite:
    """The live server's address and the paths of every page type, per language."""

    url: str
    pages: dict[str, dict[str, str]] = field(default_factory=dict)
    # Facts from the database read before Chromium starts (see the module docstring).
    facts: dict[str, str] = field(default_factory=dict)

    def path(self, language: str, page: str) -> str:
        return self.pages[language][page]

    def absolute(self, path: str) -> str:
        return self.url + path


def _demo_facts() -> dict[str, str]:
    """Which demo records stand for each page type (the first that fits, so it adapts)."""
    from archive.models import Item
    from curation.models import Collection

    published = Item.objects.published().order_by("identifier")
    uncertain = re.compile(r"[~?%X]")
    with_image = published.filter(media_files__isnull=False).distinct()
    without_image = published.filter(media_files__isnull=True)
    facts = {}
    image_item = next((i for i in with_image if not uncertain.search(i.date or "")), None)
    uncertain_item = next((i for i in published if uncertain.search(i.date or "")), None)
    if image_item is None or not without_image.exists() or uncertain_item is None:
        pytest.fail(
            "The demo catalogue no longer has a published item with an image and a plain "
            "date, one without an image and one with an uncertain date; the browser tier "
            "needs one of each (archive/demo/items.py)."
        )
    facts["item-image"] = image_item.identifier
    facts["item-image-title"] = image_item.title
    facts["item-no-image"] = without_image.first().identifier
    facts["item-uncertain-date"] = uncertain_item.identifier
    facts["item-type"] = image_item.item_type
    collection = (
        Collection.objects.filter(memberships__item__status="published").order_by("slug").first()
    )
    if collection is None:
        pytest.fail("The demo catalogue has no collection with published items.")
    facts["collection"] = collection.slug
    located = published.filter(places__latitude__isnull=False).order_by("identifier").first()
    if located is None:
        pytest.fail("The demo catalogue has no published item with a located place.")
    facts["item-located"] = located.identifier
    return facts


def _page_paths(language: str, facts: dict[str, str]) -> dict[str, str]:
    """Paths of the page types whose URL names are known; browse pages, the about page and
    the accessibility statement are discovered in the tests (they may not exist yet)."""
    search = reverse_in(language, "search:search")
    return {
        "home": reverse_in(language, "archive:home"),
        "search-results": f"{search}?q={SEARCH_WORD}",
        "search-no-results": f"{search}?q={NO_RESULTS_WORDS.replace(' ', '+')}",
        "search-filtered": f"{search}?q=&item_type={facts['item-type']}&sort=date",
        "item-image": reverse_in(language, "archive:item", identifier=facts["item-image"]),
        "item-no-image": reverse_in(language, "archive:item", identifier=facts["item-no-image"]),
        "item-uncertain-date": reverse_in(
            language, "archive:item", identifier=facts["item-uncertain-date"]
        ),
        "collections": reverse_in(language, "curation:collections"),
        "contact": reverse_in(language, "archive:contact"),
        "site-map": reverse_in(language, "archive:site_map"),
        "collection": reverse_in(language, "curation:collection", slug=facts["collection"]),
        "not-found": f"/{language}/{MISSING_PATH}",
    }


def _snapshot_rows() -> str:
    """The rows in the test database now (licences from data migrations, content types…),
    serialised like Django's `serialized_rollback`, but only for tables that exist: a model
    whose migration another engineer has not written yet must not break the browser tier."""
    tables = set(connection.introspection.table_names())
    models = [
        model
        for model in serializers.sort_dependencies(
            [(config, None) for config in apps.get_app_configs()]
        )
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.can_migrate(connection)
        and model._meta.db_table in tables
    ]
    return serializers.serialize(
        "json",
        itertools.chain.from_iterable(
            model._base_manager.order_by(model._meta.pk.name).iterator() for model in models
        ),
    )


def _clear_search_state() -> None:
    from search import analysis
    from search.backends import base

    base._load.cache_clear()
    analysis.forget_recorded_forms()


@pytest.fixture(scope="package")
def demo_media_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("browser-media")


@pytest.fixture(autouse=True)
def media_root(demo_media_root):
    """Overrides the suite's per-test MEDIA_ROOT: the live server serves the demo's images
    from the package's folder for every test (still never var/media)."""
    return demo_media_root


@pytest.fixture(scope="package")
def demo_site(django_db_setup, django_db_blocker, demo_media_root):
    """The demo catalogue in the test database, served by a live server for the package."""
    from pytest_django.live_server_helper import LiveServer

    name = str(connection.settings_dict["NAME"])
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    if not (in_memory or Path(name).name.startswith("test_")):
        pytest.fail(
            f"The browser tier would load the demo into {name!r}, which is not a test "
            "database: mark the browser tests with @pytest.mark.django_db so pytest-django "
            "creates one."
        )
    media = override_settings(MEDIA_ROOT=str(demo_media_root))
    media.enable()
    with django_db_blocker.unblock():
        before_demo = _snapshot_rows()
        _clear_search_state()
        call_command("load_demo", verbosity=0)
        call_command("rebuild_search_index", "--no-progress", verbosity=0)
        facts = _demo_facts()
    server = LiveServer("127.0.0.1")
    server._live_server_modified_settings.enable()
    site = DemoSite(
        url=server.url,
        pages={language: _page_paths(language, facts) for language in LANGUAGES},
        facts=facts,
    )
    try:
        yield site
    finally:
        server._live_server_modified_settings.disable()
        server.stop()
        with django_db_blocker.unblock():
            from search.backends.base import indexing_backends

            for backend in indexing_backends():
                backend.clear()
            call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
            connection.creation.deserialize_db_from_string(before_demo)
            _clear_search_state()
        media.disable()


@pytest.fixture(autouse=True)
def _database_open_for_the_live_server(django_db_blocker):
    """The live server thread reads the database while a browser test runs."""
    with django_db_blocker.unblock():
        yield


# --- Chromium --------------------------------------------------------------------------------


@pytest.fixture(scope="package")
def chromium(request, demo_site):
    """One headless Chromium for the package (started after the database work is done)."""
    from playwright.sync_api import sync_playwright

    executable = chromium_executable()
    # Playwright's sync API keeps an asyncio loop in this thread; the only ORM work left is
    # pytest-django opening and rolling back each test's transaction, which is not
    # concurrent with the loop. Django's guard is lifted for the package and put back.
    guard = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    request.addfinalizer(
        lambda: (
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE")
            if guard is None
            else os.environ.__setitem__("DJANGO_ALLOW_ASYNC_UNSAFE", guard)
        )
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Watched:
    """A page with what it said in the console: errors and CSP violations."""

    page: object
    console_errors: list[str] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        return self.page.evaluate("window.__cspViolations || []")

    def problems(self, missing_page_url: str = "") -> list[str]:
        """Console errors and CSP violations; the 404 status of a page that is meant to be
        missing is logged by Chromium as an error and is not one, and neither is a map tile
        that did not load: the tier runs without the internet, where the tile server is
        (the map works without tiles: tests/browser/test_map.py)."""
        tiles = settings.KRONIKA_MAP_TILE_ORIGIN
        errors = [
            text
            for text in self.console_errors
            if not (missing_page_url and text.startswith(f"{missing_page_url} ::"))
            and not (tiles and text.startswith(f"{tiles}/") and "Failed to load resource" in text)
        ]
        return errors + [f"CSP: {v}" for v in self.csp_violations()]


def open_context(chromium, **options):
    context = chromium.new_context(**options)
    context.add_init_script(CSP_LISTENER)
    return context


@contextlib.contextmanager
def committed_journey(chromium, demo_site, session: str | None, django_db_blocker, viewport: dict):
    """A logged-in page whose writes through the live server commit: for a journey run in
    a module fixture, before any test transaction opens (a test marked django_db holds
    one, and on SQLite Kronika's transactions take the write lock at once, so the live
    server could not save). Module fixtures also run before the suite's per-test settings
    (static files without a manifest, tests/conftest.py): the same here."""
    context = open_context(chromium, viewport=viewport)
    if session:  # None: a visitor who is not logged in
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": demo_site.url}]
        )
    static = override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    )
    try:
        with django_db_blocker.unblock(), static:
            yield watch(context.new_page())
    finally:
        context.close()


def watch(page) -> Watched:
    watched = Watched(page)

    def on_console(message):
        if message.type == "error":
            url = (message.location or {}).get("url", "")
            watched.console_errors.append(f"{url} :: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: watched.console_errors.append(f"pageerror :: {error}"))
    return watched


@pytest.fixture
def browser_context(chromium):
    context = open_context(chromium, viewport={"width": 1280, "height": 900})
    yield context
    context.close()


@pytest.fixture
def watched_page(browser_context) -> Watched:
    return watch(browser_context.new_page())


def screenshot(page, name: str) -> Path:
    """Saves a full-page screenshot as a test artefact (var/ is git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    return target
