"""Search engines behind one interface; see base.py."""

from .base import (
    BackendUnavailable,
    SearchBackend,
    SearchResults,
    get_backend,
    get_database_backend,
    indexing_backends,
    search,
    suggest,
)

__all__ = [
    "BackendUnavailable",
    "SearchBackend",
    "SearchResults",
    "get_backend",
    "get_database_backend",
    "indexing_backends",
    "search",
    "suggest",
]
