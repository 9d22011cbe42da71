"""The judged relevance set (benchmarks/relevance/): well-formed, and SQLite keeps its score.

The full evaluation on every engine is `benchmarks/relevance.py` (docs/search.md, "Judged
relevance set"); here the same code builds each catalogue in the test database, sends every
query through the search API and checks SQLite's mean nDCG@10 against a floor measured on
main (minus a small margin), so a change that makes ranking worse fails.
"""

import importlib.util
from pathlib import Path

import pytest

from search.backends import base

PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "relevance.py"
_spec = importlib.util.spec_from_file_location("kronika_relevance_benchmark", PATH)
relevance = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(relevance)

# Mean nDCG@10 of SQLite measured on 2026-12-05 after dates in the words, the entity rule
# and proximity outside the title, with the 51 date and entity queries added: demo 0.961,
# synthetic 0.959 (the same set before them: 0.927 / 0.919); the floors are those minus
# about 0.015 (raise them when ranking improves).
FLOORS = {"demo": 0.945, "synthetic": 0.945}


def test_the_set_is_well_formed():
    queries = relevance.all_queries()
    assert len(queries) >= 100
    assert {q["kind"] for q in queries} == set(relevance.KINDS)
    assert len({q["id"] for q in queries}) == len(queries)
    for catalogue in relevance.CATALOGUES:
        in_catalogue = [q for q in queries if q["catalogue"] == catalogue]
        assert {q["kind"] for q in in_catalogue} == set(relevance.KINDS), catalogue
        identifiers = relevance.catalogue_identifiers(catalogue)
        for query in in_catalogue:
            judged = query["judgements"]
            assert judged, query["id"]
            assert set(judged.values()) <= {1, 2, 3}, query["id"]
            assert set(judged) <= identifiers, (query["id"], set(judged) - identifiers)
            assert set(query["params"]) <= set(relevance.PARAMS), query["id"]
            assert query["q"].strip() or query["params"], query["id"]


def test_scores_reward_the_answer_first():
    judged = {"A": 3, "B": 2, "C": 1}
    assert relevance.ndcg(["A", "B", "C"], judged) == pytest.approx(1.0)
    assert relevance.ndcg(["C", "B", "A"], judged) < relevance.ndcg(["A", "C", "B"], judged) < 1
    assert relevance.ndcg(["X", "Y"], judged) == 0.0
    assert relevance.hit(["X", "Y", "B"], judged) and not relevance.hit(["X", "C", "Y"], judged)


@pytest.mark.sqlite
@pytest.mark.django_db
@pytest.mark.parametrize("catalogue", relevance.CATALOGUES)
def test_sqlite_ranking_stays_above_its_floor(catalogue, settings, client):
    settings.SEARCH_BACKEND = "sqlite"
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "anon": "100000/minute",
        },
    }
    base._load.cache_clear()
    relevance.build(catalogue)
    rows = relevance.run_queries(client, catalogue)
    assert {r["backend"] for r in rows} == {"sqlite"}
    overall = relevance.summarise(rows)["overall"]
    worst = sorted(rows, key=lambda r: r["ndcg10"])[:5]
    assert overall["ndcg10"] >= FLOORS[catalogue], [(r["id"], r["q"], r["ndcg10"]) for r in worst]
