"""The per-index-version query memory the database engines share
(`search/backends/bitmaps.py`): bounded by size, least recently used out first; and
facet labels, looked up once per value and language, still follow the language."""

from django.utils import translation

from archive.models import ItemType
from search.backends.bitmaps import FacetBitmaps, QueryCache, bitmap, bitmap_from_text
from search.query import SearchQuery


def test_values_are_computed_once_and_the_least_recently_used_go_first():
    cache = QueryCache(limit=100)
    calls = []

    def value(name, size):
        def compute():
            calls.append(name)
            return name.upper(), size

        return compute

    assert cache.get("a", value("a", 40)) == "A"
    assert cache.get("b", value("b", 40)) == "B"
    assert cache.get("a", value("a", 40)) == "A"  # remembered, and now the most recent
    assert calls == ["a", "b"]
    assert cache.get("c", value("c", 40)) == "C"  # 120 > 100: "b" (least recent) goes
    assert cache.size == 80 and len(cache) == 2
    assert cache.get("b", value("b", 40)) == "B"
    assert calls == ["a", "b", "c", "b"]
    assert cache.get("huge", value("huge", 500)) == "HUGE"  # kept alone, however large
    assert len(cache) == 1
    cache.clear()
    assert cache.size == 0 and len(cache) == 0


def test_facet_labels_follow_the_request_language():
    bits = FacetBitmaps(version="v")
    bits.set_values([(1, "item_type", "photograph", "", ""), (2, "place", "lindow", "Lindów",
                      "Lindow (EN)")])  # fmt: skip
    bits.masks = {1: 0b110, 2: 0b010}
    bits.all = 0b110
    labels = {}
    for language in ("en", "pl", "en"):
        with translation.override(language):
            counts = bits.facet_counts(bits.all, bits.filters(SearchQuery()))
            labels[language] = (counts["item_type"][0].label, counts["place"][0].label)
            assert counts["item_type"][0].label == str(ItemType("photograph").label)
    assert labels["en"][1] == "Lindow (EN)" and labels["pl"][1] == "Lindów"
    assert [c.count for c in counts["item_type"]] == [2]


def test_a_bitmap_from_postgresql_text_holds_exactly_those_ids():
    ids = [0, 1, 7, 8, 63, 64, 1000, 99_999]
    assert bitmap_from_text(",".join(map(str, ids))) == bitmap(ids)
    found = bitmap_from_text("5,3,5")
    assert found == 0b101000 and found.bit_count() == 2  # duplicates once, any order
    assert bitmap_from_text(None) == bitmap_from_text("") == 0
