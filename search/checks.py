"""`manage.py check` for the search settings (registered in search/apps.py).

A misspelt `SEARCH_BACKEND`, an engine without `SEARCH_URL` or a timeout that is no number
would otherwise surface only at the first search (as `ImproperlyConfigured` from the
loader, search/backends/base.py); here they stop `check`, and the deploy, with a hint.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import connection

from .backends.base import (
    BACKENDS,
    DATABASE_BACKENDS,
    OPTION_SETTINGS,
    InvalidSearchBackendError,
    backend_class,
    configured_backend_name,
    needs_url,
)

DOCS = "docs/configuration.md, 'Search'"


@register(Tags.compatibility, "search")
def check_search_settings(app_configs=None, **kwargs) -> list[Error]:
    name = configured_backend_name()
    try:
        cls = backend_class(name)
    except InvalidSearchBackendError as exc:
        return [
            Error(
                str(exc),
                hint=f"Set SEARCH_BACKEND to one of {', '.join(BACKENDS)}, or leave it empty "
                f"for the database's own engine ({DOCS}).",
                id="search.E001",
            )
        ]
    problems = []
    url = getattr(settings, "SEARCH_URL", "") or ""
    if needs_url(name, cls):
        if not url:
            problems.append(
                Error(
                    f"SEARCH_BACKEND {name!r} is a search engine service but SEARCH_URL is "
                    "not set.",
                    hint="Set SEARCH_URL to the engine's address with the index alias as "
                    f"its path, e.g. http://127.0.0.1:9200/kronika ({DOCS}).",
                    id="search.E002",
                )
            )
        elif urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
            problems.append(
                Error(
                    f"SEARCH_URL {url!r} is not an http(s) address.",
                    hint=f"Write it as http://host:port/alias ({DOCS}).",
                    id="search.E003",
                )
            )
    database_engine = DATABASE_BACKENDS.get(connection.vendor)
    if name in DATABASE_BACKENDS.values() and name != database_engine:
        problems.append(
            Error(
                f"SEARCH_BACKEND {name!r} lives in the project database, but the database "
                f"is {connection.vendor}.",
                hint="Leave SEARCH_BACKEND empty to use the database's own engine, or point "
                f"DATABASE_URL at the matching database ({DOCS}).",
                id="search.E004",
            )
        )
    for setting in OPTION_SETTINGS.values():
        value = getattr(settings, setting, None)
        if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
            problems.append(
                Error(
                    f"{setting} must be a positive number of seconds, not {value!r}.",
                    hint=f"Set KRONIKA_{setting} to e.g. 1.0 ({DOCS}).",
                    id="search.E005",
                )
            )
    extra = getattr(settings, "SEARCH_OPTIONS", None)
    if extra is not None and not isinstance(extra, dict):
        problems.append(
            Error(
                f"SEARCH_OPTIONS must be a dict of backend options, not {type(extra).__name__}.",
                hint=f"See {DOCS}.",
                id="search.E006",
            )
        )
    return problems
