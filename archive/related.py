"""Related items on an item page: the archivist's own choice first, then the published
items that share the most with this one (docs/website.md, "Related items").

Score of another published item = 3 for each person or organisation they share (creators
and people shown, `ItemCreator`), 2 for each shared place, 2 for each shared subject,
2 for each shared collection, plus a date bonus: 2 when their year intervals overlap, 1
when they come within ten years of each other. An item must share at least one record to
be a candidate (a date alone relates nothing); ties go to the item catalogued first.

The database does it in one query whatever the size of the catalogue (the shared records
of each kind as UNION ALL, grouped and summed per item, the date bonus on the item's row,
ordered and limited), plus the fetch of the chosen items and their media: a constant
number of queries. The search engines' more-like-this is not used: the shared records are
the archive's own facts, and the database has them on every backend.
"""

from __future__ import annotations

from django.db import connection

from curation.models import CollectionItem

from .models import Item, ItemCreator, Status

MOST = 6
PERSON, PLACE, SUBJECT, COLLECTION = 3, 2, 2, 2
DATE_OVERLAP, DATE_NEAR, NEAR_YEARS = 2, 1, 10


def _shared(table: str, column: str, weight: int, values: list[int]) -> tuple[str, list]:
    """A SELECT of (item_id, weight) rows: one per other item sharing one of `values`."""
    marks = ", ".join(["%s"] * len(values))
    # The weight is one of this module's constants, written into the SQL: a parameter
    # there would have no type for PostgreSQL to sum.
    return (
        f"SELECT item_id, {int(weight)} AS weight FROM {table} WHERE {column} IN ({marks})",  # noqa: S608 (names from the models, values as parameters)
        list(values),
    )


def scored_related(item: Item, limit: int = MOST, exclude: set[int] = frozenset()) -> list[int]:
    """Primary keys of the best-scored published items related to `item`, best first.

    Reads the item's own records from its prefetched relations where the page has them.
    """
    places = Item.places.through._meta
    subjects = Item.subjects.through._meta
    people = {credit.agent_id for credit in _all(item, "item_creators")}
    collections = {collection.pk for collection in _all(item, "collections")}
    kinds = [
        (ItemCreator._meta.db_table, "agent_id", PERSON, people),
        (places.db_table, "place_id", PLACE, {p.pk for p in _all(item, "places")}),
        (subjects.db_table, "subject_id", SUBJECT, {s.pk for s in _all(item, "subjects")}),
        (CollectionItem._meta.db_table, "collection_id", COLLECTION, collections),
    ]
    parts, params = [], []
    for table, column, weight, values in kinds:
        if values:
            sql, part_params = _shared(table, column, weight, sorted(values))
            parts.append(sql)
            params += part_params
    if not parts:
        return []
    bonus, bonus_params = "0", []
    if item.date_start is not None and item.date_end is not None:
        bonus = (
            "CASE WHEN i.date_start IS NULL OR i.date_end IS NULL THEN 0"
            f" WHEN i.date_start <= %s AND i.date_end >= %s THEN {int(DATE_OVERLAP)}"
            f" WHEN i.date_start <= %s AND i.date_end >= %s THEN {int(DATE_NEAR)} ELSE 0 END"
        )
        bonus_params = [
            item.date_end, item.date_start,
            item.date_end + NEAR_YEARS, item.date_start - NEAR_YEARS,
        ]  # fmt: skip
    skip = sorted({item.pk, *exclude})
    marks = ", ".join(["%s"] * len(skip))
    sql = (
        f"SELECT s.item_id, SUM(s.weight) + MAX({bonus}) AS score"  # noqa: S608 (as above)
        f" FROM ({' UNION ALL '.join(parts)}) s"
        f" JOIN {Item._meta.db_table} i ON i.id = s.item_id"
        f" WHERE i.status = %s AND s.item_id NOT IN ({marks})"
        " GROUP BY s.item_id ORDER BY score DESC, s.item_id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*bonus_params, *params, Status.PUBLISHED, *skip, limit])
        return [row[0] for row in cursor.fetchall()]


def _all(item: Item, relation: str) -> list:
    return list(getattr(item, relation).all())


def related_items(item: Item, limit: int = MOST) -> list[Item]:
    """Up to `limit` published items: those the archivist linked (`related_items`, in
    their order), then the best-scored."""
    chosen = [other for other in item.related_items.all() if other.is_published][:limit]
    wanted = limit - len(chosen)
    if wanted <= 0:
        return chosen
    pks = scored_related(item, wanted, exclude={other.pk for other in chosen})
    found = Item.objects.published().with_listing_relations().in_bulk(pks)
    return chosen + [found[pk] for pk in pks if pk in found]
