"""Search benchmark: API latency (p50/p95) and rebuild rate on synthetic Polish catalogues.

Run: .venv/bin/python benchmarks/search.py [--sizes 10000 100000] [--queries 200]

For each size it builds a fresh SQLite database (var/bench-search-N.sqlite3), writes N
published items with subjects, places and collections, times `rebuild_search_index`, then
times `GET /api/v1/search/` (through Django's test client, so URL routing, parsing,
facets and JSON are included) for 1-, 2- and 3-word queries, each with and without a
facet filter, and the same questions answered by a naive `icontains` baseline. Results go
to benchmarks/results/search.json and the "Search" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

from report import write_section

ROOT = Path(__file__).resolve().parent.parent
RESULT = ROOT / "benchmarks" / "results" / "search.json"

_COMMON = (
    "kościół parafia rynek ulica szkoła młyn dwór park rzeka synagoga cmentarz pożar wojna "
    "żołnierze strażacy orkiestra dożynki jarmark kolej stacja poczta apteka piekarnia "
    "rzemieślnik kowal szewc krawiec nauczyciel ksiądz burmistrz rada miasto wieś pole "
    "las łąka most droga kapliczka krzyż pomnik tablica fotografia pocztówka mapa plan "
    "dokument list kronika gazeta obraz rzeźba nagranie pieśń obrzęd wesele chrzest "
    "procesja odpust święto targ handel sklep kamienica drewniany murowany stary nowy "
    "dawny zniszczony odbudowany żydowski polski niemiecki mazowiecki wiejski miejski"
)
WORDS = _COMMON.split()
_INFLECTED = (
    "kościoła kościele rynku ulicy szkole młyna dworu parku rzece synagogi cmentarza "
    "pożaru wojny strażaków orkiestry jarmarku stacji poczty mieście wsi drogi kapliczki "
    "pomnika kroniki obrazu wesela procesji święta sklepu kamienicy żydowskiego starego"
)
INFLECTED = _INFLECTED.split()
SYLLABLES = [
    "ka",
    "ro",
    "wie",
    "szy",
    "ło",
    "mi",
    "nek",
    "ska",
    "dą",
    "brze",
    "go",
    "cze",
    "ry",
    "tów",
    "la",
    "pol",
    "wi",
    "ść",
    "nia",
    "ze",
    "ko",
    "by",
    "ła",
]
PLACES = ["Mszczonów", "Grodzisk Mazowiecki", "Żyrardów", "Osuchów", "Lutkówka", "Badowo"]
SUBJECTS = ["Kościoły", "Kolej", "Straż pożarna", "II wojna światowa", "Dożynki", "Szkoły",
            "Kultura żydowska", "Rzemiosło", "Handel", "Architektura"]  # fmt: skip
TYPES = ["photograph", "document", "monument", "artifact", "map", "recording", "publication"]
QUERIES = {
    1: ["kościół", "synagoga", "kosciola", "rynku", "pożar", "mszczonow", "cmentarz", "kolej"],
    2: [
        "kościół mszczonów",
        "zydowski cmentarz",
        "stara kamienica",
        "straż pożarna",
        "młyn wodny",
        "rynek jarmark",
    ],  # fmt: skip
    3: [
        "kościoła w Mszczonowie",
        "stary drewniany młyn",
        "pożar miasta 1939",
        "szkoła ulica kolej",
    ],  # fmt: skip
}


def setup_django(path: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["SEARCH_BACKEND"] = "sqlite"
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    # One client sends every request: keep the API's anonymous throttle (its check is
    # part of each request's cost) but at a rate the benchmark never reaches.
    os.environ["API_ANON_THROTTLE_RATE"] = "1000000/minute"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def generate(n: int, rng: random.Random) -> None:
    from django.db import transaction

    from archive.models import Item, Licence, Place, Subject
    from curation.models import Collection, CollectionItem
    from search.models import OutboxEntry

    places = [Place.objects.get_or_create(name=p, defaults={"slug": Place.unique_slug(p)})[0]
              for p in PLACES]  # fmt: skip
    subjects = [
        Subject.objects.get_or_create(name=s, defaults={"slug": Subject.unique_slug(s)})[0]
        for s in SUBJECTS
    ]
    collections = [Collection.objects.create(title=f"Kolekcja {i}") for i in range(8)]
    licences = list(Licence.objects.all()) or [Licence.objects.create(code="InC", name="InC")]
    # A catalogue has a long tail of rare words (names, places, objects); synthesise one so
    # that common words are not in every other description.
    rare = list({"".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(30_000)})
    common = WORDS + INFLECTED

    def text(k: int) -> str:
        return " ".join(rng.choice(common) if rng.random() < 0.3 else rng.choice(rare)
                        for _ in range(k))  # fmt: skip

    with transaction.atomic():
        for start in range(0, n, 5000):
            items = []
            for i in range(start, min(n, start + 5000)):
                year = rng.randint(1850, 2000)
                items.append(
                    Item(
                        identifier=f"BENCH-{i:06d}",
                        title=text(rng.randint(2, 6)).capitalize(),
                        item_type=rng.choice(TYPES),
                        description=text(rng.randint(20, 60)) + ".",
                        date=str(year) if rng.random() < 0.8 else "",
                        date_start=year,
                        date_end=year,
                        status="published",
                        licence=rng.choice(licences),
                    )
                )
            for item in items:
                if not item.date:
                    item.date_start = item.date_end = None
            created = Item.objects.bulk_create(items)
            S, P = Item.subjects.through, Item.places.through
            S.objects.bulk_create(
                [
                    S(item_id=it.pk, subject_id=s.pk)
                    for it in created
                    for s in rng.sample(subjects, rng.randint(1, 3))
                ]  # fmt: skip
            )
            P.objects.bulk_create(
                [P(item_id=it.pk, place_id=rng.choice(places).pk) for it in created]
            )
            CollectionItem.objects.bulk_create(
                [
                    CollectionItem(item_id=it.pk, collection=rng.choice(collections))
                    for it in created
                    if rng.random() < 0.5
                ]  # fmt: skip
            )
        OutboxEntry.objects.all().delete()


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def time_calls(fn, calls: list) -> dict:
    """Wall-clock p50/p95, and the same for this process's CPU time: on a shared machine
    the CPU figures show what the code costs, the wall figures what a visitor waits."""
    times, cpu = [], []
    for args in calls:
        started, started_cpu = time.perf_counter(), time.process_time()
        fn(*args)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "cpu_p50_ms": round(statistics.median(cpu), 1),
        "cpu_p95_ms": round(percentile(cpu, 0.95), 1),
        "n": len(times),
    }


def baseline(text: str, facet: str | None) -> int:
    """What a naive implementation does: icontains on every word, facets by GROUP BY."""
    from django.db.models import Count, Q

    from archive.models import Item

    qs = Item.objects.published()
    for word in text.split():
        qs = qs.filter(Q(title__icontains=word) | Q(description__icontains=word))
    if facet:
        qs = qs.filter(item_type=facet)
    count = qs.count()
    list(qs.order_by("title")[:20].values("identifier", "title"))
    list(qs.values("item_type").annotate(n=Count("pk")))
    list(qs.values("places__slug").annotate(n=Count("pk")))
    list(qs.values("subjects__slug").annotate(n=Count("pk")))
    return count


def run(n: int, queries: int) -> dict:
    from django.core.management import call_command
    from django.test import Client

    rng = random.Random(n)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    generate(n, rng)
    generated = time.perf_counter() - started
    started, started_cpu = time.perf_counter(), time.process_time()
    call_command("rebuild_search_index", "--no-progress", stdout=open(os.devnull, "w"))  # noqa: SIM115
    rebuild = time.perf_counter() - started
    rebuild_cpu = time.process_time() - started_cpu
    client = Client()
    result = {
        "items": n,
        "generate_s": round(generated, 1),
        "rebuild_s": round(rebuild, 1),
        "rebuild_items_per_s": round(n / rebuild),
        "rebuild_cpu_s": round(rebuild_cpu, 1),
        "rebuild_items_per_cpu_s": round(n / rebuild_cpu),
    }

    def api(q, facet):
        params = {"q": q}
        if facet:
            params["item_type"] = facet
        response = client.get("/api/v1/search/", params)
        assert response.status_code == 200, response.content[:300]

    from search.backends.sqlite import clear_query_caches

    def api_uncached(q, facet):
        clear_query_caches()
        api(q, facet)

    for words, texts in QUERIES.items():
        calls = [(rng.choice(texts), rng.choice([None, rng.choice(TYPES)])) for _ in range(queries)]
        api(*calls[0])  # warm-up
        result[f"api_{words}w"] = time_calls(api, calls)
        # The same requests with the per-process query caches emptied before each one:
        # every request pays its MATCH, bm25 and did-you-mean work.
        # (clearing the caches is timed too: a few dict clears, microseconds)
        result[f"api_{words}w_uncached"] = time_calls(api_uncached, calls[: max(20, queries // 2)])
        result[f"icontains_{words}w"] = time_calls(baseline, calls[: max(10, queries // 10)])
    return result


def write_doc(results: list[dict]) -> None:
    rows = [
        "| items | words | search API p50 / p95 | uncached p50 / p95 "
        "| icontains baseline p50 / p95 | baseline slower (p95; uncached) |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        for w in (1, 2, 3):
            a, b = r[f"api_{w}w"], r[f"icontains_{w}w"]
            u = r.get(f"api_{w}w_uncached", a)
            rows.append(
                f"| {r['items']:,} | {w} | {a['p50_ms']} / **{a['p95_ms']} ms** | "
                f"{u['p50_ms']} / **{u['p95_ms']} ms** | {b['p50_ms']} / {b['p95_ms']} ms | "
                f"{b['p95_ms'] / max(a['p95_ms'], 0.1):.1f}×; "
                f"{b['p95_ms'] / max(u['p95_ms'], 0.1):.1f}× |"
            )
    rebuild = ", ".join(f"{r['items']:,} items: **{r['rebuild_items_per_s']:,} items/s**"
                        for r in results)  # fmt: skip
    section = f"""## Search

`benchmarks/search.py` builds fresh SQLite databases of synthetic Polish items (titles of
2–6 words, descriptions of 20–60 words: 30 % from ~110 common Polish words and inflected
forms, the rest a long tail of 30,000 synthetic rare words; 1–3 subjects, a place, half
in a collection, 80 % dated), times
`rebuild_search_index`, then times `GET /api/v1/search/` through Django's test client for
1-, 2- and 3-word queries (half of them with an `item_type` filter; every response carries
all seven facets), against a naive `icontains` baseline answering the same question with
three facet GROUP BYs. The query texts repeat (6–8 per word count), so most requests find
their MATCH result in the per-process cache; the *uncached* column repeats the requests
with those caches emptied before each one (what a query nobody asked since the last index
change costs).

Measured {datetime.date.today().isoformat()} on {os.cpu_count()} cores, {platform.machine()},
Python {platform.python_version()}, SQLite backend (FTS5).

| rebuild | target |
|---|---|
| {rebuild} | ≥ 3,000 items/s at 100,000 |

{chr(10).join(rows)}

Targets at 100,000 items: search API p95 < 50 ms, baseline ≥ 20× slower.

Raw figures: `benchmarks/results/search.json`.
"""
    write_section(section)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args()
    if "--child" in sys.argv:
        return
    results = []
    for n in args.sizes:
        path = ROOT / "var" / f"bench-search-{n}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        # One process per size: Django's settings read DATABASE_URL once.
        import subprocess

        out = subprocess.run(
            [sys.executable, __file__, "--one", str(n), str(args.queries)],
            stdout=subprocess.PIPE, text=True, check=True,  # child's errors: on stderr
        )  # fmt: skip
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(results[-1]), flush=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    if not args.no_doc:
        write_doc(results)


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "--one":
        n, queries = int(sys.argv[2]), int(sys.argv[3])
        setup_django(ROOT / "var" / f"bench-search-{n}.sqlite3")
        print(json.dumps(run(n, queries)))
    else:
        main()
