"""Judged relevance set: nDCG@10 and hit@3 per kind of query, per engine.

Run: .venv/bin/python benchmarks/relevance.py [--backends sqlite postgres opensearch]
                                              [--failures PATH] [--no-doc]

The set is data, in benchmarks/relevance/ (demo.json, synthetic.json; grading rules in
benchmarks/relevance/README.md): Polish (and some English) queries, each with a kind
(exact, inflection, diacritics, typo, multi-word, phrase, exclusion, dates, filters,
proper-name, entity), its filters and year range, and the items judged relevant, graded 0–3 by
identifier. For each engine and each catalogue it builds the catalogue in a fresh database
(the demo catalogue with `load_demo`; the synthetic one from synthetic.json plus seeded
filler records), rebuilds the search index, sends every query to `GET /api/v1/search/`
through Django's test client and scores the first ten results. Figures go to
benchmarks/results/relevance.json and the "Judged relevance set" section of docs/search.md.

Engines and databases as in benchmarks/search.py (whose helpers this script uses): SQLite
and OpenSearch over a SQLite catalogue in var/, PostgreSQL over a fresh database
(KRONIKA_BENCH_RELEVANCE_DATABASE, default `kronika_relevance`) on the server of
KRONIKA_BENCH_DATABASE_URL, OpenSearch at KRONIKA_BENCH_SEARCH_URL under the alias
KRONIKA_BENCH_RELEVANCE_ALIAS (default `kronika_relevance`); without those variables the
project's service scripts start the services (and stop them afterwards).
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import math
import os
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SET_DIR = ROOT / "benchmarks" / "relevance"
RESULT = ROOT / "benchmarks" / "results" / "relevance.json"
DOC = ROOT / "docs" / "search.md"
CATALOGUES = ("demo", "synthetic")
KINDS = ("exact", "inflection", "diacritics", "typo", "multi-word", "phrase", "exclusion",
         "dates", "filters", "proper-name", "entity")  # fmt: skip
BACKENDS = ("sqlite", "postgres", "opensearch")
PARAMS = ("item_type", "collection", "subject", "place", "licence", "decade", "has_media",
          "date_from", "date_to")  # fmt: skip
# A query scores badly (and is listed by --failures) below this nDCG@10, or when no result
# graded ≥ 2 is among the first three, or when it finds nothing.
GOOD_NDCG = 0.8


# --- the set -------------------------------------------------------------------------------


def load_set(catalogue: str) -> dict:
    return json.loads((SET_DIR / f"{catalogue}.json").read_text(encoding="utf-8"))


def all_queries() -> list[dict]:
    return [dict(q, catalogue=c) for c in CATALOGUES for q in load_set(c)["queries"]]


def catalogue_identifiers(catalogue: str) -> set[str]:
    """The identifiers a catalogue holds (without building it)."""
    if catalogue == "demo":
        from archive.demo import demo_identifiers

        return set(demo_identifiers())
    data = load_set("synthetic")
    return {item["identifier"] for item in data["items"]} | {
        identifier for identifier, *_ in filler_records(data)
    }


# --- building a catalogue ------------------------------------------------------------------


def filler_records(data: dict) -> list[tuple[str, str, str, str, str]]:
    """Seeded noise records (identifier, type, title, description, date): made-up words only
    (none equal to a word of the judged items or of the queries), so that term statistics
    are those of a catalogue with a long tail, and no filler record is relevant."""
    spec = data["filler"]
    rng = random.Random(spec["seed"])
    known = {
        word.strip("„”\"'.,;:()-").lower()
        for text in [q["q"] for q in data["queries"]]
        + [f"{i['title']} {i['description']}" for i in data["items"]]
        for word in text.split()
    }
    vocabulary = sorted(
        {"".join(rng.choices(spec["syllables"], k=rng.randint(2, 4))) for _ in range(3000)} - known
    )
    types = ["photograph", "document", "monument", "artifact", "map", "publication"]

    def words(k: int) -> str:
        return " ".join(rng.choice(vocabulary) for _ in range(k))

    return [
        (
            f"SYN-F{n:04d}",
            rng.choice(types),
            words(rng.randint(2, 5)).capitalize(),
            words(rng.randint(10, 30)) + ".",
            str(rng.randint(1850, 2000)),
        )
        for n in range(1, spec["count"] + 1)
    ]


def build_synthetic() -> int:
    """Write the synthetic catalogue (published items with places, subjects, people and
    collections) into the current database; returns the number of items."""
    from django.db import transaction
    from django.utils import timezone

    from archive.duplicates import normalise_title
    from archive.models import Agent, Item, ItemCreator, Licence, Place, Subject
    from curation.models import Collection, CollectionItem

    data = load_set("synthetic")
    with transaction.atomic():
        licence = Licence.objects.first() or Licence.objects.create(code="InC", name="InC")
        places = {s: Place.objects.create(slug=s, name=n) for s, n in data["places"].items()}
        subjects = {s: Subject.objects.create(slug=s, name=n) for s, n in data["subjects"].items()}
        agents = {s: Agent.objects.create(slug=s, name=n) for s, n in data["agents"].items()}
        collections = {
            s: Collection.objects.create(slug=s, title=t) for s, t in data["collections"].items()
        }
        records = [
            (i["identifier"], i["item_type"], i["title"], i["description"], i["date"])
            for i in data["items"]
        ] + filler_records(data)
        now = timezone.now()
        items = []
        for identifier, item_type, title, description, date in records:
            item = Item(identifier=identifier, item_type=item_type, title=title,
                        description=description, date=date, status="published", licence=licence,
                        normalised_title=normalise_title(title), published_at=now)  # fmt: skip
            item.read_date()  # EDTF → date_start/date_end, as Item.save() does
            items.append(item)
        by_id = {item.identifier: item for item in Item.objects.bulk_create(items)}
        for i in data["items"]:
            item = by_id[i["identifier"]]
            item.places.set([places[s] for s in i["places"]])
            item.subjects.set([subjects[s] for s in i["subjects"]])
            for order, (agent, role) in enumerate(i["creators"]):
                ItemCreator.objects.create(item=item, agent=agents[agent], role=role, order=order)
            for slug in i["collections"]:
                CollectionItem.objects.create(collection=collections[slug], item=item)
    return len(items)


def build(catalogue: str) -> int:
    """Fill the (empty, migrated) database with `catalogue` and rebuild the search index."""
    import io

    from django.core.management import call_command

    from search.models import OutboxEntry

    if catalogue == "demo":
        from archive.audit import history_paused
        from archive.demo import load_demo

        with history_paused():  # edit history is not searched; writing it is most of the cost
            count = load_demo().items
    else:
        count = build_synthetic()
    OutboxEntry.objects.all().delete()
    call_command("rebuild_search_index", "--no-progress", stdout=io.StringIO())
    return count


# --- scoring -------------------------------------------------------------------------------


def dcg(grades: list[int]) -> float:
    return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(grades))


def ndcg(ranked: list[str], judgements: dict[str, int], k: int = 10) -> float:
    """nDCG@k with gain 2^grade − 1; an unjudged result counts as grade 0."""
    ideal = dcg(sorted(judgements.values(), reverse=True)[:k])
    return dcg([judgements.get(i, 0) for i in ranked[:k]]) / ideal if ideal else 0.0


def hit(ranked: list[str], judgements: dict[str, int], k: int = 3) -> bool:
    """A result graded ≥ 2 (or the query's best grade, if lower) among the first k."""
    wanted = min(2, max(judgements.values()))
    return any(judgements.get(i, 0) >= wanted for i in ranked[:k])


def search_params(query: dict) -> dict:
    params = {"q": query["q"], "page_size": 10}
    params.update({k: v for k, v in query.get("params", {}).items() if k in PARAMS})
    return params


def run_queries(client, catalogue: str) -> list[dict]:
    """Every query of `catalogue` through the search API; one row per query."""
    rows = []
    for query in load_set(catalogue)["queries"]:
        response = client.get("/api/v1/search/", search_params(query))
        if response.status_code != 200:
            raise RuntimeError(
                f"{query['id']}: HTTP {response.status_code} {response.content[:300]!r}"
            )
        body = response.json()
        ranked = [r["identifier"] for r in body["results"]]
        rows.append(
            {
                "id": query["id"],
                "catalogue": catalogue,
                "kind": query["kind"],
                "q": query["q"],
                "params": query.get("params", {}),
                "count": body["count"],
                "top": [[r["identifier"], r["title"]] for r in body["results"][:10]],
                "ndcg10": round(ndcg(ranked, query["judgements"]), 4),
                "hit3": hit(ranked, query["judgements"]),
                "backend": body["backend"],
                "degraded": body["degraded"],
                "corrected": body.get("corrected", False),
                "did_you_mean": body.get("did_you_mean"),
                "partial": body.get("partial", False),
            }
        )
    return rows


def summarise(rows: list[dict]) -> dict:
    """{kind: {n, ndcg10, hit3, zero}} and "overall" over the rows given."""
    groups: dict[str, list[dict]] = {"overall": rows}
    for row in rows:
        groups.setdefault(row["kind"], []).append(row)
    return {
        name: {
            "n": len(group),
            "ndcg10": round(sum(r["ndcg10"] for r in group) / len(group), 3),
            "hit3": round(sum(r["hit3"] for r in group) / len(group), 3),
            "zero": sum(r["count"] == 0 for r in group),
        }
        for name, group in groups.items()
        if group
    }


def is_bad(row: dict) -> bool:
    return row["ndcg10"] < GOOD_NDCG or not row["hit3"] or row["count"] == 0


# --- one engine, one catalogue (a child process) -------------------------------------------


def _bench_search():
    """benchmarks/search.py, loaded under its own name: `search` is the Django app."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    spec = importlib.util.spec_from_file_location("bench_search", ROOT / "benchmarks" / "search.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.BENCH_DATABASE = os.environ.get("KRONIKA_BENCH_RELEVANCE_DATABASE", "kronika_relevance")
    return module


def child(backend: str, catalogue: str, path: Path) -> dict:
    bench = _bench_search()
    bench.setup_django(path, backend)
    from django.core.management import call_command
    from django.test import Client

    try:
        call_command("migrate", verbosity=0)
        count = build(catalogue)
        rows = run_queries(Client(), catalogue)
    finally:
        if backend == "opensearch":
            bench._drop_engine_index()
    wrong = {r["backend"] for r in rows if r["backend"] != backend or r["degraded"]}
    if wrong:
        raise RuntimeError(f"answered by {wrong}, not by {backend}")
    return {"backend": backend, "catalogue": catalogue, "items": count, "rows": rows}


# --- the whole run -------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", nargs="+", choices=BACKENDS, default=list(BACKENDS))
    parser.add_argument("--no-doc", action="store_true")
    parser.add_argument("--failures", type=Path, help="also write the badly scored queries here")
    args = parser.parse_args()
    bench = _bench_search()
    load = os.getloadavg()[0]
    runs, started = [], []
    try:
        env = dict(os.environ)
        if "postgres" in args.backends:
            pg_url = bench._service(
                "postgres", "KRONIKA_BENCH_DATABASE_URL", "DATABASE_URL", started
            )
        if "opensearch" in args.backends:
            url = bench._service("opensearch", "KRONIKA_BENCH_SEARCH_URL", "SEARCH_URL", started)
            alias = os.environ.get("KRONIKA_BENCH_RELEVANCE_ALIAS", "kronika_relevance")
            env["SEARCH_URL"] = url.rstrip("/") + "/" + alias
        for backend in args.backends:
            for catalogue in CATALOGUES:
                path = ROOT / "var" / f"bench-relevance-{catalogue}.sqlite3"
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
                if backend == "postgres":
                    env["DATABASE_URL"] = bench._bench_database(pg_url)
                out = subprocess.run(
                    [sys.executable, __file__, "--one", backend, catalogue, str(path)],
                    stdout=subprocess.PIPE, text=True, check=True, env=env,
                )  # fmt: skip
                runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
                print(backend, catalogue, summarise(runs[-1]["rows"])["overall"], flush=True)
        if "postgres" in args.backends:
            bench._bench_database(pg_url, drop=True)
    finally:
        for script in reversed(started):
            subprocess.run([script, "stop"], check=False)
    result = {
        "date": datetime.date.today().isoformat(),
        "commit": subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip(),  # fmt: skip
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "load_at_start": round(load, 2),
        "engines": {},
    }
    for backend in args.backends:
        rows = [r for run in runs if run["backend"] == backend for r in run["rows"]]
        result["engines"][backend] = {
            "summary": summarise(rows),
            "by_catalogue": {
                c: summarise([r for r in rows if r["catalogue"] == c]) for c in CATALOGUES
            },
            "queries": rows,
        }
    if RESULT.exists():  # a run of some engines keeps the recorded figures of the others
        previous = json.loads(RESULT.read_text(encoding="utf-8")).get("engines", {})
        for backend, figures in previous.items():
            result["engines"].setdefault(backend, figures)
    result["engines"] = {b: result["engines"][b] for b in BACKENDS if b in result["engines"]}
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    stored = json.loads(json.dumps(result))  # the file keeps identifiers only, not titles
    for figures in stored["engines"].values():
        for row in figures["queries"]:
            row["top"] = [_identifier(entry) for entry in row["top"]]
    RESULT.write_text(json.dumps(stored, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if not args.no_doc:
        write_doc(result)
    if args.failures:
        write_failures(result, args.failures)


def _identifier(entry) -> str:
    return entry if isinstance(entry, str) else entry[0]


def _row_line(name: str, figures: dict) -> str:
    cells = " | ".join(
        f"{f['ndcg10']:.3f} / {f['hit3']:.3f}" + (f" ({f['zero']} zero)" if f["zero"] else "")
        for f in figures
    )
    return f"| {name} | {figures[0]['n']} | {cells} |"


def write_doc(result: dict) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from report import write_section

    engines = list(result["engines"])
    summaries = [result["engines"][e]["summary"] for e in engines]
    rows = [_row_line(kind, [s[kind] for s in summaries]) for kind in KINDS if kind in summaries[0]]
    rows.append(_row_line("**overall**", [s["overall"] for s in summaries]))
    n = {c: len(load_set(c)["queries"]) for c in CATALOGUES}
    misses = []
    for engine in engines:
        queries = result["engines"][engine]["queries"]
        bad = sum(is_bad(r) for r in queries)
        zero = ", ".join(f"*{r['q']}*" for r in queries if r["count"] == 0) or "none"
        misses.append(
            f"- {engine}: {bad} of {len(queries)} queries score badly; nothing found for {zero}."
        )
    filler = load_set("synthetic")["filler"]["count"]
    section = f"""## Judged relevance set

Kronika's own judged set: {sum(n.values())} queries ({n["demo"]} over the demo catalogue of
Mszczonów, {n["synthetic"]} over a synthetic catalogue with known answers), in
`benchmarks/relevance/` (`demo.json`, `synthetic.json`; grading rules in its `README.md`).
Each query has a kind, optional filters and years, and the items judged relevant, graded
0–3 by identifier: 3 = the item *is* the answer (the church itself for *kościoła w
Mszczonowie*), 2 = mainly about it, 1 = mentions it or is related, unlisted = 0. The
judgements were written by reading the items (`archive/demo/items.py`, `synthetic.json`),
not from what any engine returned. The synthetic catalogue is a fictional commune whose
records were written so that each query has an answer, a record about it and records that
only mention it, plus {filler} seeded filler records of made-up words (no filler is relevant).

Reproduce: `.venv/bin/python benchmarks/relevance.py` (`--backends sqlite postgres
opensearch`; part of `make bench`). It builds each catalogue in a fresh database, rebuilds
the index, sends every query to `GET /api/v1/search/` (with its filters and `date_from` /
`date_to`) and scores the first ten results: nDCG@10 (gain 2^grade − 1, unjudged = 0) and
hit@3 (a result graded ≥ 2 among the first three). Per query figures:
`benchmarks/results/relevance.json`. `tests/search/test_relevance_set.py` checks the set is
well-formed and that SQLite's overall nDCG@10 does not fall below a floor.

Measured {result["date"]} at commit {result.get("commit") or "?"} (load average
{result["load_at_start"]} at the start; relevance does not depend on it). nDCG@10 / hit@3
per kind; "zero" = queries that found nothing:

| kind | queries | {" | ".join(engines)} |
|---|---|{"---|" * len(engines)}
{chr(10).join(rows)}

Where it misses (a query scores badly when its nDCG@10 < {GOOD_NDCG}, no result graded ≥ 2 is in
the first three, or it finds nothing; `--failures PATH` lists each with what came back and
what should have):

{chr(10).join(misses)}

What is left: a query in words no record uses (*pierwsza wzmianka o Mszczonowie* against
*najstarszy zapis*; *fotografia* 1900–1960 and *zdjęcia z lat 30.*, where few records say
*fotografia* or *zdjęcie*: the item type is not searched as a word); a title that starts
with an adjective (*churches*: *Drewniany kościół …* is not caught by the entity rule,
docs/search.md "Ranking"); a year alone lists every record dated in it, seeded filler
records too (*1935*); an open range ranks what lies inside it before what only overlaps
it (*młyn przed 1900*: the shrine of about 1880 before the mill of 1870–1944, "Dates in
the words").
"""
    write_section(section, doc=DOC)


def write_failures(result: dict, path: Path) -> None:
    queries = {(q["catalogue"], q["id"]): q for q in all_queries()}
    lines = [
        "# Judged set: queries that score badly",
        "",
        f"From `benchmarks/relevance.py` on {result['date']} at {result.get('commit')}.",
        f"A query is listed when nDCG@10 < {GOOD_NDCG}, or no result graded ≥ 2 is in the top 3,",
        "or it finds nothing. Grades: 3 = is the answer, 2 = about it, 1 = mentions it. Overall:",
        "",
    ]
    for backend, figures in result["engines"].items():
        o = figures["summary"]["overall"]
        lines.append(
            f"- {backend}: nDCG@10 {o['ndcg10']}, hit@3 {o['hit3']}, zero-result {o['zero']}"
        )
    bad: dict[str, list] = {}
    for backend, figures in result["engines"].items():
        for row in figures["queries"]:
            if is_bad(row):
                bad.setdefault(row["id"], []).append((backend, row))
    lines += ["", f"{len(bad)} queries score badly on at least one engine.", ""]
    for kind in KINDS:
        ids = [i for i in bad if bad[i][0][1]["kind"] == kind]
        if not ids:
            continue
        lines += [f"## {kind}", ""]
        for qid in ids:
            first = bad[qid][0][1]
            query = queries[(first["catalogue"], qid)]
            wanted = ", ".join(
                f"{i} ({g})" for i, g in sorted(query["judgements"].items(), key=lambda x: -x[1])
            )
            params = (
                f" {json.dumps(query['params'], ensure_ascii=False)}" if query["params"] else ""
            )
            lines.append(f"### {qid}: `{query['q']}`{params}")
            if query.get("note"):
                lines.append(f"- note: {query['note']}")
            lines.append(f"- should: {wanted}")
            for backend, row in bad[qid]:
                got = "; ".join(
                    f"{_identifier(e)}({query['judgements'].get(_identifier(e), 0)})"
                    + ("" if isinstance(e, str) else f" {e[1][:40]}")
                    for e in row["top"][:5]
                )
                extra = " partial" if row.get("partial") else ""
                if row.get("corrected"):
                    extra += f" corrected→{row.get('did_you_mean')}"
                lines.append(
                    f"- {backend}: nDCG {row['ndcg10']}, hit@3 {'yes' if row['hit3'] else 'NO'},"
                    f" count {row['count']}{extra}: {got or '(nothing)'}"
                )
            lines.append("")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "--one":
        print(json.dumps(child(sys.argv[2], sys.argv[3], Path(sys.argv[4])), ensure_ascii=False))
    else:
        main()
