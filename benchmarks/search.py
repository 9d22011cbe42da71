"""Search benchmark: API latency (p50/p95) and rebuild rate on synthetic Polish catalogues.

Run: .venv/bin/python benchmarks/search.py [--sizes 10000 100000 1000000] [--queries 200]
                                           [--backends sqlite postgres opensearch]
                                           [--baseline-queries N] [--keep-catalogue]
                                           [--replicate 100000]

For each backend and size it builds a fresh catalogue database (SQLite in
var/<name>-N.sqlite3 for `sqlite` and `opensearch`; a fresh `<name>` database on the
PostgreSQL server for `postgres`; <name> is KRONIKA_BENCH_DB_NAME, default `kronika_bench`,
so parallel runs with different names do not clash; the OpenSearch alias is <name> too),
writes N published items with subjects, places and collections (in batches, one
transaction each: memory does not grow with N), times `rebuild_search_index` in a process
of its own (its peak RSS is recorded), measures the search index's size on disk, then
times `GET /api/v1/search/` (through Django's test client, so URL routing, parsing, facets
and JSON are included) for 1-, 2- and 3-word queries, each with and without a facet
filter, and the same questions answered by a naive `icontains` baseline on that database.

Results accumulate in benchmarks/results/search.json, one entry per engine and size: a run
replaces only the entries of the engines and sizes it measured. The "Search" section of
docs/benchmarks.md is rewritten from all entries. With --keep-catalogue the generated
SQLite catalogue is kept in var/<name>-catalogue-N.sqlite3 and copied instead of generated
next time (the generator is seeded by N, so the copy is the same catalogue); for
`postgres` the catalogue is kept as the database `<name>_catalogue_N` on the same server
and copied with `CREATE DATABASE … TEMPLATE`.
With
--replicate M a missing kept catalogue of N items (a multiple of M) is made from the kept
M-item one by copying its items N/M times in SQL (`replicate`; for PostgreSQL
`replicate_postgres`, inside the server; the entry says so).

PostgreSQL and OpenSearch come from the project's own service scripts (scripts/services/,
installed and started when missing, stopped again afterwards), or from
KRONIKA_BENCH_DATABASE_URL (postgres://…; its server gets the `kronika_bench` database) and
KRONIKA_BENCH_SEARCH_URL (http://host:port) when set.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
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


BACKENDS = ("sqlite", "postgres", "opensearch")
# One name for everything a run creates (PostgreSQL database, OpenSearch alias, SQLite
# files), so benchmarks run in parallel under different names do not clash.
BENCH_NAME = os.environ.get("KRONIKA_BENCH_DB_NAME", "kronika_bench")
if not BENCH_NAME.replace("_", "").isalnum() or not BENCH_NAME[0].isalpha():
    raise SystemExit(f"KRONIKA_BENCH_DB_NAME must be letters, digits and _: {BENCH_NAME!r}")
BENCH_DATABASE = BENCH_ALIAS = BENCH_NAME.lower()


def sqlite_path(n: int) -> Path:
    return ROOT / "var" / f"{BENCH_NAME}-{n}.sqlite3"


def catalogue_path(n: int) -> Path:
    return ROOT / "var" / f"{BENCH_NAME}-catalogue-{n}.sqlite3"


def setup_django(path: Path, backend: str = "sqlite") -> None:
    """Settings for one child run. The parent sets DATABASE_URL for `postgres` and
    SEARCH_URL for `opensearch`; the other engines keep the catalogue in SQLite."""
    if backend != "postgres":
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["SEARCH_BACKEND"] = backend
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

    for start in range(0, n, 5000):
        with transaction.atomic():
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


def _copy_items(execute, columns: list[str], last: int, times: int, commit) -> None:
    """Copy items 1..`last` (with their subjects, places and collections) `times` - 1
    times under ids offset by k * `last` and identifiers suffixed `-Rk`: the one SQL the
    SQLite and PostgreSQL replicas share (`execute(sql)`, `commit()` after each copy)."""
    names = ", ".join(f'"{c}"' for c in columns)
    for k in range(1, times):
        offset = k * last
        chosen = ", ".join(
            f"id + {offset}" if c == "id" else f"identifier || '-R{k}'" if c == "identifier"
            else f'"{c}"' for c in columns
        )  # fmt: skip
        execute(
            f"INSERT INTO archive_item ({names}) SELECT {chosen} FROM archive_item"  # noqa: S608
            f" WHERE id <= {last}"
        )
        for table, column in (("archive_item_subjects", "subject_id"),
                              ("archive_item_places", "place_id")):  # fmt: skip
            execute(
                f"INSERT INTO {table} (item_id, {column}) SELECT item_id + {offset},"  # noqa: S608
                f" {column} FROM {table} WHERE item_id <= {last}"
            )
        execute(
            'INSERT INTO curation_collectionitem ("order", collection_id, item_id) SELECT'
            f' "order", collection_id, item_id + {offset} FROM curation_collectionitem'
            f" WHERE item_id <= {last}"
        )
        commit()


def _replica_label(last: int, times: int) -> str:
    return f"{last:,} × {times}"


def replicate(source: Path, target: Path, times: int) -> None:
    """A catalogue `times` the size of the one in `source`: its items (with their
    subjects, places and collections) copied by SQL under new ids and identifiers. The
    same words in the same proportions, in seconds instead of the generator's hour for
    1,000,000 items on a busy machine; every text occurs `times` times."""
    import sqlite3

    partial = target.with_name(target.name + ".tmp")
    shutil.copyfile(source, partial)
    db = sqlite3.connect(partial)
    last = db.execute("SELECT MAX(id) FROM archive_item").fetchone()[0]
    columns = [row[1] for row in db.execute("PRAGMA table_info(archive_item)")]
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    _copy_items(db.execute, columns, last, times, db.commit)
    db.execute("PRAGMA journal_mode = WAL")
    db.close()
    os.replace(partial, target)
    target.with_suffix(".replicated").write_text(
        _replica_label(last, times) + "\n", encoding="utf-8"
    )


def replicate_postgres(url: str, source: str, target: str, times: int) -> None:
    """`replicate` for PostgreSQL: the kept catalogue database `source` copied (CREATE
    DATABASE … TEMPLATE) and its items copied `times` - 1 times inside the server by the
    same SQL; made under a temporary name and renamed when complete, so an interrupted
    run never leaves a half-made catalogue that looks kept. The database's comment says
    it was replicated (`_pg_catalogue_label`)."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    partial = f"{target}_tmp"
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {partial} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {partial} TEMPLATE {source}")
    with psycopg.connect(urlunsplit(urlsplit(url)._replace(path=f"/{partial}"))) as db:
        last = db.execute("SELECT MAX(id) FROM archive_item").fetchone()[0]
        columns = [row[0] for row in db.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema ="
            " current_schema() AND table_name = 'archive_item' ORDER BY ordinal_position"
        )]  # fmt: skip
        _copy_items(db.execute, columns, last, times, db.commit)
        # The copies were written with explicit ids: move the identity sequences past them.
        for table in ("archive_item", "archive_item_subjects", "archive_item_places",
                      "curation_collectionitem"):  # fmt: skip
            db.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"  # noqa: S608
                f" (SELECT MAX(id) FROM {table}))"
            )
        db.commit()
    with psycopg.connect(urlunsplit(urlsplit(url)._replace(path=f"/{partial}")),
                         autocommit=True) as db:  # fmt: skip
        db.execute("VACUUM ANALYZE")
    with psycopg.connect(admin, autocommit=True) as conn:
        label = _replica_label(last, times).replace("'", "")
        conn.execute(f"COMMENT ON DATABASE {partial} IS '{label}'")
        conn.execute(f"ALTER DATABASE {partial} RENAME TO {target}")


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


def index_size(backend: str) -> int | None:
    """Bytes the search index takes on disk: SQLite the pages of its FTS5 shadow tables,
    document and facet tables and their indexes (dbstat); PostgreSQL
    pg_total_relation_size of its search tables (indexes and TOAST included); OpenSearch
    the store size of the indices behind the alias (primaries; no replicas here)."""
    from django.db import connection

    if backend == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT SUM(pgsize) FROM dbstat WHERE name IN (SELECT name FROM sqlite_master"
                " WHERE tbl_name LIKE 'search\\_sqlite\\_%' ESCAPE '\\')"
            )
            return cursor.fetchone()[0]
    if backend == "postgres":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT SUM(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n"
                " ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname = current_schema()"
                " AND c.relname LIKE 'search\\_pg\\_%'"
            )
            return int(cursor.fetchone()[0] or 0)
    from search.backends.base import get_backend

    engine = get_backend()
    client = engine.engine.client
    client.indices.flush(index=engine.alias)
    rows = client.cat.indices(index=engine.alias, format="json", bytes="b")
    return sum(int(row["pri.store.size"]) for row in rows)


def rebuild_in_own_process() -> dict:
    """`rebuild_search_index` in a fresh process (the catalogue's generation and the
    search timings do not inflate its memory): wall and CPU time and peak RSS."""
    out = subprocess.run(
        [sys.executable, __file__, "--rebuild"],
        stdout=subprocess.PIPE, text=True, check=True, env=os.environ,  # errors: stderr
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def _rebuild() -> dict:
    from django.core.management import call_command

    started, started_cpu = time.perf_counter(), time.process_time()
    call_command("rebuild_search_index", "--no-progress", stdout=open(os.devnull, "w"))  # noqa: SIM115
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)  # the forked analysis workers
    return {
        "rebuild_s": time.perf_counter() - started,
        "rebuild_cpu_s": time.process_time() - started_cpu,
        "rebuild_workers_cpu_s": workers.ru_utime + workers.ru_stime,
        # Linux reports ru_maxrss in KiB.
        "rebuild_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def run(n: int, queries: int, backend: str = "sqlite", baseline_queries: int = 0) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    rng = random.Random(n)
    load_start = os.getloadavg()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if os.environ.get("KRONIKA_BENCH_COPIED") != "1":
        generate(n, rng)
    else:
        rng = random.Random(-n)  # the catalogue was copied; query choice needs its own seed
    generated = time.perf_counter() - started
    if os.environ.get("KRONIKA_BENCH_KEEP") == "1" and connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(sqlite_path(n), catalogue_path(n))
    connection.close()  # the rebuild process writes; this one only reads from here on
    rebuilt = rebuild_in_own_process()
    client = Client()
    result = {
        "backend": backend,
        "date": datetime.date.today().isoformat(),
        "items": n,
        "generate_s": round(generated, 1),
        "catalogue": os.environ.get("KRONIKA_BENCH_CATALOGUE", "generated"),
        "rebuild_s": round(rebuilt["rebuild_s"], 1),
        "rebuild_items_per_s": round(n / rebuilt["rebuild_s"]),
        "rebuild_cpu_s": round(rebuilt["rebuild_cpu_s"], 1),
        "rebuild_workers_cpu_s": round(rebuilt["rebuild_workers_cpu_s"], 1),
        "rebuild_items_per_cpu_s": round(n / rebuilt["rebuild_cpu_s"]),
        "rebuild_peak_rss_mb": rebuilt["rebuild_peak_rss_mb"],
        "index_bytes": index_size(backend),
    }

    def api(q, facet):
        params = {"q": q}
        if facet:
            params["item_type"] = facet
        response = client.get("/api/v1/search/", params)
        assert response.status_code == 200, response.content[:300]
        return response

    baseline_queries = baseline_queries or max(10, queries // 10)
    for words, texts in QUERIES.items():
        calls = [(rng.choice(texts), rng.choice([None, rng.choice(TYPES)])) for _ in range(queries)]
        body = api(*calls[0]).json()  # warm-up, and proof the engine itself answers
        assert body["backend"] == backend and not body["degraded"], (body["backend"], backend)
        result[f"api_{words}w"] = time_calls(api, calls)
        if backend in ("sqlite", "postgres"):
            import importlib

            clear_query_caches = importlib.import_module(
                f"search.backends.{backend}"
            ).clear_query_caches

            def api_uncached(q, facet, clear=clear_query_caches):
                clear()
                api(q, facet)

            # The same requests with the per-process query caches emptied before each one:
            # every request pays its matching, ranking and did-you-mean work. (SQLite and
            # PostgreSQL keep such caches; clearing them is timed too: microseconds.)
            result[f"api_{words}w_uncached"] = time_calls(
                api_uncached, calls[: max(20, queries // 2)]
            )
        result[f"icontains_{words}w"] = time_calls(baseline, calls[:baseline_queries])
    result["load"] = [round(x, 2) for x in (*load_start, *os.getloadavg())]
    return result


def _dash(figures: dict | None) -> str:
    return f"{figures['p50_ms']} / **{figures['p95_ms']} ms**" if figures else "–"


def _size(n: int | None) -> str:
    if n is None:
        return "–"
    return (
        f"{n / 1e9:.2f} GB"
        if n >= 1e9
        else f"{n / 1e6:.0f} MB"
        if n >= 1e7
        else f"{n / 1e6:.1f} MB"
    )


def _load(r: dict) -> str:
    """The 1-minute load average when the run started and when it ended."""
    load = r.get("load")
    return f"{load[0]:.1f} → {load[3]:.1f}" if load else "?"


def _growth(results: list[dict]) -> str:
    """How each engine's cost grows from size to size (10k → 100k → 1M)."""
    sizes = sorted({r["items"] for r in results})
    head = "| engine | measure | " + " | ".join(f"{n:,}" for n in sizes)
    steps = [f"×{b // a:,} items" for a, b in zip(sizes, sizes[1:], strict=False)]
    rows = [head + " | " + " | ".join(f"growth {s}" for s in steps) + " |"]
    rows.append("|---|---|" + "---|" * (len(sizes) + len(steps)))
    measures = [
        ("search API p95, 1 word", lambda r: r["api_1w"]["p95_ms"], "{:.1f} ms"),
        ("search API p95, 2 words", lambda r: r["api_2w"]["p95_ms"], "{:.1f} ms"),
        ("search API p95, 3 words", lambda r: r["api_3w"]["p95_ms"], "{:.1f} ms"),
        ("search API p50, 1 word", lambda r: r["api_1w"]["p50_ms"], "{:.1f} ms"),
        ("search API CPU p95, 1 word", lambda r: r["api_1w"]["cpu_p95_ms"], "{:.1f} ms"),
        ("search API CPU p95, 3 words", lambda r: r["api_3w"]["cpu_p95_ms"], "{:.1f} ms"),
        (
            "uncached p95, 1 word",
            lambda r: r.get("api_1w_uncached", {}).get("p95_ms"),
            "{:.1f} ms",
        ),  # fmt: skip
        ("baseline p95, 1 word", lambda r: r["icontains_1w"]["p95_ms"], "{:.0f} ms"),
        ("rebuild time", lambda r: r["rebuild_s"], "{:.1f} s"),
        ("rebuild items/s", lambda r: r["rebuild_items_per_s"], "{:,}"),
        ("rebuild CPU time (Django process)", lambda r: r["rebuild_cpu_s"], "{:.1f} s"),
        ("rebuild items per CPU-second", lambda r: r.get("rebuild_items_per_cpu_s"), "{:,}"),
        (
            "load at start → end",
            lambda r: r.get("load") and (r["load"][0], r["load"][3]),
            "{0[0]:.1f} → {0[1]:.1f}",
        ),
        ("index on disk", lambda r: r.get("index_bytes"), None),
        ("rebuild peak RSS", lambda r: r.get("rebuild_peak_rss_mb"), "{:,} MB"),
    ]
    for backend in BACKENDS:
        by_size = {r["items"]: r for r in results if r.get("backend", "sqlite") == backend}
        if len(by_size) < 2:
            continue
        for label, get, fmt in measures:
            values = [get(by_size[n]) if n in by_size else None for n in sizes]
            if all(v is None for v in values):
                continue
            cells = [
                "–" if v is None else _size(v) if fmt is None else fmt.format(v) for v in values
            ]
            ratios = [
                f"{b / a:.1f}×" if a and b and not isinstance(a, tuple) else "–"
                for a, b in zip(values, values[1:], strict=False)
            ]
            rows.append(f"| {backend} | {label} | " + " | ".join(cells + ratios) + " |")
    return "\n".join(rows)


REBUILD_HEAD = (
    "| engine | items | rebuild items/s | rebuild time | catalogue | index on disk "
    "| rebuild peak RSS | date | load |\n|---|---|---|---|---|---|---|---|---|"
)


def write_doc(results: list[dict]) -> None:
    rows = [
        "| engine | items | words | search API p50 / p95 | uncached p50 / p95 "
        "| icontains baseline p50 / p95 | baseline slower (p95) | load |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        backend = r.get("backend", "sqlite")
        for w in (1, 2, 3):
            a, b = r[f"api_{w}w"], r[f"icontains_{w}w"]
            rows.append(
                f"| {backend} | {r['items']:,} | {w} | {_dash(a)} | "
                f"{_dash(r.get(f'api_{w}w_uncached'))} | "
                f"{b['p50_ms']} / {b['p95_ms']} ms | "
                f"{b['p95_ms'] / max(a['p95_ms'], 0.1):.1f}× | {_load(r)} |"
            )
    rebuild_rows = [
        f"| {r.get('backend', 'sqlite')} | {r['items']:,} | **{r['rebuild_items_per_s']:,}** "
        f"| {r['rebuild_s']} s ({r['rebuild_cpu_s']} s CPU in Django) "
        f"| {r.get('catalogue', 'generated')} "
        f"| {_size(r.get('index_bytes'))} "
        f"| {str(r['rebuild_peak_rss_mb']) + ' MB' if r.get('rebuild_peak_rss_mb') else '–'} "
        f"| {r.get('date', '?')} | {_load(r)} |"
        for r in results
    ]
    section = f"""## Search

`benchmarks/search.py` builds fresh catalogues of synthetic Polish items (titles of
2–6 words, descriptions of 20–60 words: 30 % from ~110 common Polish words and inflected
forms, the rest a long tail of 30,000 synthetic rare words; 1–3 subjects, a place, half
in a collection, 80 % dated) for each engine: SQLite FTS5 and OpenSearch over a SQLite
catalogue, PostgreSQL full-text search over a PostgreSQL catalogue (both services on the
same 2 cores). It times `rebuild_search_index` in a process of its own (its peak RSS is
recorded), measures the index on disk (SQLite: the search tables' pages from `dbstat`;
PostgreSQL: `pg_total_relation_size` of the search tables; OpenSearch: the primaries'
store size), then times `GET /api/v1/search/` through Django's test client for 1-, 2- and
3-word queries (half of them with an `item_type` filter; every response carries all
seven facets, and the engine named in it is checked: no degraded answer is timed),
against a naive `icontains` baseline on the same database answering the same question
with three facet GROUP BYs. The query texts repeat (6–8 per word count); SQLite and
PostgreSQL remember matches and rankings per process and index version, so their
*uncached* column repeats the requests with those caches emptied before each one (what a
query nobody asked since the last index change costs); OpenSearch keeps no such cache in
Kronika.

Each engine and size is one entry of `benchmarks/results/search.json`, measured on the
date shown; *load* is the 1-minute load average when the run started → when it ended
({os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}).
When the load is above the number of cores (other work on the machine: on 2026-12-05
eight development sessions shared these 2 cores, load 15–30), wall-clock figures are
inflated several-fold; the CPU figures (rebuild CPU time, the per-request CPU p95 in the
growth table and in the JSON) show what the code costs. Reproduce one entry with e.g.
`.venv/bin/python benchmarks/search.py --backends sqlite --sizes 100000` (set
`KRONIKA_BENCH_DB_NAME` to keep parallel runs apart).

{REBUILD_HEAD}
{chr(10).join(rebuild_rows)}

Targets at 100,000 items: rebuild ≥ 3,000 items/s on SQLite, ≥ 2,000 on PostgreSQL and
OpenSearch; at 1,000,000 items a rebuild's peak RSS < 500 MB.

{chr(10).join(rows)}

Targets at 100,000 items: search API p95 < 50 ms on every engine, the baseline ≥ 20×
slower; at 1,000,000 items p95 < 100 ms.

### How cost grows

{_growth(results)}

Raw figures: `benchmarks/results/search.json`.
"""
    write_section(section)


def _service(name: str, env_var: str, key: str, started: list[Path]) -> str:
    """The address of a service: from `env_var`, else our service script's (starting it
    when it is not running; `started` collects what to stop afterwards)."""
    if os.environ.get(env_var):
        return os.environ[env_var]
    script = ROOT / "scripts" / "services" / f"{name}.sh"
    status = subprocess.run([script, "status"], capture_output=True, text=True)
    out = status.stdout
    if status.returncode != 0:
        out = subprocess.run(
            [script, "start"], stdout=subprocess.PIPE, text=True, check=True
        ).stdout
        started.append(script)
    return next(line.split("=", 1)[1] for line in out.splitlines() if line.startswith(key + "="))


def _bench_database(url: str, drop: bool = False, template: str = "") -> str:
    """A fresh (or, with `drop`, no) `kronika_bench` database on the server of `url`; a
    copy of the database `template` when given."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
        if not drop:
            conn.execute(
                f"CREATE DATABASE {BENCH_DATABASE}" + (f" TEMPLATE {template}" if template else "")
            )
    return urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}"))


def _pg_catalogue(url: str, n: int, keep_from: str = "") -> str:
    """The name of the kept PostgreSQL catalogue of `n` items if it exists ("" if not);
    with `keep_from`, first keep that database as it when there is none yet."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    name = f"{BENCH_DATABASE}_catalogue_{n}"
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists and keep_from:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE {keep_from}")
            exists = True
    return name if exists else ""


def _pg_catalogue_label(url: str, name: str) -> str:
    """How the kept catalogue database `name` was made: its comment ("100,000 × 10"
    when `replicate_postgres` made it), "" when it was generated."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    return (row and row[0]) or ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--baseline-queries", type=int, default=0,
        help="icontains requests per word count (default: a tenth of --queries, at least 10)",
    )  # fmt: skip
    parser.add_argument("--backends", nargs="+", choices=BACKENDS, default=list(BACKENDS))
    parser.add_argument(
        "--keep-catalogue", action="store_true",
        help="keep each generated catalogue (SQLite: in var/; PostgreSQL: as the database "
        "<name>_catalogue_N) and copy it on later runs",
    )  # fmt: skip
    parser.add_argument(
        "--replicate", type=int, metavar="N", default=0,
        help="build each missing catalogue larger than N items from the kept N-item one "
        "(copied by SQL, see `replicate`) instead of generating it; needs --keep-catalogue",
    )  # fmt: skip
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args()
    started: list[Path] = []
    try:
        env = dict(os.environ)
        if "postgres" in args.backends:
            pg_url = _service("postgres", "KRONIKA_BENCH_DATABASE_URL", "DATABASE_URL", started)
        if "opensearch" in args.backends:
            search_url = _service("opensearch", "KRONIKA_BENCH_SEARCH_URL", "SEARCH_URL", started)
            env["SEARCH_URL"] = search_url.rstrip("/") + "/" + BENCH_ALIAS
        for backend in args.backends:
            for n in args.sizes:
                path = sqlite_path(n)
                _unlink_sqlite(path)
                env["KRONIKA_BENCH_COPIED"] = env["KRONIKA_BENCH_KEEP"] = "0"
                env.pop("KRONIKA_BENCH_CATALOGUE", None)
                replicable = (
                    args.replicate and args.keep_catalogue
                    and n > args.replicate and n % args.replicate == 0
                )  # fmt: skip
                small = catalogue_path(args.replicate) if args.replicate else None
                if (
                    replicable and backend != "postgres"
                    and small.exists() and not catalogue_path(n).exists()
                ):  # fmt: skip
                    replicate(small, catalogue_path(n), n // args.replicate)
                label = catalogue_path(n).with_suffix(".replicated")
                if backend != "postgres" and args.keep_catalogue and label.exists():
                    env["KRONIKA_BENCH_CATALOGUE"] = label.read_text(encoding="utf-8").strip()
                if backend == "postgres":
                    kept = _pg_catalogue(pg_url, n) if args.keep_catalogue else ""
                    small_pg = _pg_catalogue(pg_url, args.replicate) if replicable else ""
                    if not kept and small_pg:
                        kept = f"{BENCH_DATABASE}_catalogue_{n}"
                        replicate_postgres(pg_url, small_pg, kept, n // args.replicate)
                    if kept and _pg_catalogue_label(pg_url, kept):
                        env["KRONIKA_BENCH_CATALOGUE"] = _pg_catalogue_label(pg_url, kept)
                    env["DATABASE_URL"] = _bench_database(pg_url, template=kept)
                    env["KRONIKA_BENCH_COPIED"] = "1" if kept else "0"
                elif catalogue_path(n).exists() and args.keep_catalogue:
                    shutil.copyfile(catalogue_path(n), path)
                    env["KRONIKA_BENCH_COPIED"] = "1"
                elif args.keep_catalogue:
                    env["KRONIKA_BENCH_KEEP"] = "1"
                # One process per run: Django's settings read DATABASE_URL once.
                command = [sys.executable, __file__, "--one", str(n), str(args.queries), backend]
                out = subprocess.run(
                    [*command, str(args.baseline_queries)],
                    stdout=subprocess.PIPE, text=True, check=True, env=env,  # errors: stderr
                )  # fmt: skip
                result = json.loads(out.stdout.strip().splitlines()[-1])
                print(json.dumps(result), flush=True)
                _unlink_sqlite(path)
                if backend == "postgres" and args.keep_catalogue:
                    _pg_catalogue(pg_url, n, keep_from=BENCH_DATABASE)
                record(result, write=not args.no_doc)
        if "postgres" in args.backends:
            _bench_database(pg_url, drop=True)
    finally:
        for script in reversed(started):
            subprocess.run([script, "stop"], check=False)


def _unlink_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def record(result: dict, write: bool = True) -> None:
    """Put one engine-and-size entry into search.json (replacing only the same engine and
    size; runs of other engines or sizes are kept) and rewrite the doc from all entries."""
    key = (result.get("backend", "sqlite"), result["items"])
    results = json.loads(RESULT.read_text(encoding="utf-8")) if RESULT.exists() else []
    results = [r for r in results if (r.get("backend", "sqlite"), r["items"]) != key]
    results = sorted(
        [*results, result],
        key=lambda r: (BACKENDS.index(r.get("backend", "sqlite")), r["items"]),
    )
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    if write:
        write_doc(results)


def _drop_engine_index() -> None:
    """Remove the benchmark's OpenSearch indices (the node may be someone else's)."""
    from search.backends.base import get_backend

    backend = get_backend()
    indices = backend._indices()
    if indices:
        backend.engine.client.indices.delete(index=",".join(indices))


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "--one":
        n, queries = int(sys.argv[2]), int(sys.argv[3])
        backend = sys.argv[4] if len(sys.argv) > 4 else "sqlite"
        baseline_queries = int(sys.argv[5]) if len(sys.argv) > 5 else 0
        setup_django(sqlite_path(n), backend)
        try:
            print(json.dumps(run(n, queries, backend, baseline_queries)))
        finally:
            if backend == "opensearch":
                _drop_engine_index()
    elif len(sys.argv) >= 2 and sys.argv[1] == "--rebuild":
        # The environment (DATABASE_URL, SEARCH_BACKEND, SEARCH_URL) comes from `--one`.
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        print(json.dumps(_rebuild()))
    else:
        main()
