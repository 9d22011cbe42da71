from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

# Read-side PRAGMAs for the SQLite search backend (the FTS5 index lives in the project
# database, so they are set on every SQLite connection): the page cache holds the hot
# part of the FTS5 index (the default is 2 MB, the index of 100,000 items ≈ 60 MB),
# memory-mapped reads skip a copy per page, and temporary b-trees (ORDER BY, IN lists)
# stay in memory.
SQLITE_PRAGMAS = (
    "PRAGMA cache_size = -32768",  # KiB: 32 MiB per connection
    "PRAGMA mmap_size = 268435456",  # 256 MiB, shared with the OS page cache
    "PRAGMA temp_store = MEMORY",
)


def tune_sqlite(sender, connection, **kwargs) -> None:
    """Set SQLITE_PRAGMAS on a new SQLite connection."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from archive.models import Agent, Place
        from curation.models import Collection

        from . import (
            checks,  # noqa: F401  (registers the configuration checks)
            signals,
        )
        from .names import NAMES

        signals.connect()
        connection_created.connect(tune_sqlite, dispatch_uid="search_tune_sqlite")
        # The name-form table (search/names.py) follows the vocabulary: at once in this
        # process, within NAMES_RECHECK seconds in the others.
        for model in (Place, Agent, Collection):
            for signal in (post_save, post_delete):
                signal.connect(
                    NAMES.invalidate,
                    sender=model,
                    dispatch_uid=f"search_names_{model.__name__}_{signal is post_save}",
                )
