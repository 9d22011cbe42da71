"""OAI-PMH sets are curated collections; nested collections form the set hierarchy."""

from __future__ import annotations

from collections.abc import Iterable

from curation.models import Collection


def collection_set_specs() -> dict[int, str]:
    """setSpec of every collection: its slug path from the root, joined by ':'.

    Slugs are [a-z0-9-], which the OAI-PMH setSpec grammar accepts as they are.
    """
    rows = {pk: (slug, parent) for pk, slug, parent in Collection.objects.values_list(
        "pk", "slug", "parent_id"
    )}  # fmt: skip
    specs: dict[int, str] = {}
    for pk in rows:
        path, node, seen = [], pk, set()
        while node is not None and node in rows and node not in seen:
            seen.add(node)
            slug, parent = rows[node]
            path.insert(0, slug)
            node = parent
        specs[pk] = ":".join(path)
    return specs


def collections_in_set(spec: str, specs: dict[int, str]) -> list[int]:
    """The collections a set selects: the one named and every collection below it."""
    return [pk for pk, path in specs.items() if path == spec or path.startswith(spec + ":")]


def item_set_specs(collection_ids: Iterable[int], specs: dict[int, str]) -> list[str]:
    return sorted({specs[pk] for pk in collection_ids if pk in specs})
