"""Degrade benchmark: search API and /healthz latency while the search engine is frozen.

Run: .venv/bin/python benchmarks/degrade.py [--items 500] [--requests 300] [--no-doc]

A throwaway process listens on 127.0.0.1 and is frozen with SIGSTOP (the kernel still
accepts connections, nothing ever answers: a frozen OpenSearch node as Kronika sees it).
Kronika runs with SEARCH_BACKEND=opensearch pointed at it, on a fresh SQLite catalogue of
synthetic published items indexed in the database backend. The first search waits the
search timeout and opens the circuit breaker; from the second request on every search
answers from the database: their p50/p95 are measured through Django's test client
(routing, facets and JSON included), and /healthz too (its ping waits the health timeout).
Results go to benchmarks/results/degrade.json and the "Degrading" section of
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report import load_note, write_section

ROOT = Path(__file__).resolve().parent.parent
RESULT = ROOT / "benchmarks" / "results" / "degrade.json"
QUERIES = ["kościół", "rynek w mszczonowie", "pożar kościoła", "synagoga", "stara mapa okolic"]
WORDS = [
    "kościół",
    "rynek",
    "synagoga",
    "cmentarz",
    "pożar",
    "mapa",
    "pocztówka",
    "szkoła",
    "młyn",
    "dwór",
    "park",
    "rzeka",
    "kolej",
    "stacja",
    "poczta",
    "kamienica",
    "kapliczka",
    "pomnik",
    "orkiestra",
    "jarmark",
    "Mszczonów",
    "Grodzisk",
]
LISTENER = (
    "import socket, time; s = socket.create_server(('127.0.0.1', 0), backlog=1024); "
    "print(s.getsockname()[1], flush=True); time.sleep(10**9)"
)


def frozen_endpoint() -> tuple[subprocess.Popen, int]:
    process = subprocess.Popen([sys.executable, "-c", LISTENER], stdout=subprocess.PIPE, text=True)
    port = int(process.stdout.readline())
    process.send_signal(signal.SIGSTOP)
    return process, port


def setup_django(folder: Path, port: int) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ["API_ANON_THROTTLE_RATE"] = "1000000/minute"  # one client, many requests
    os.environ["SEARCH_BACKEND"] = "opensearch"
    os.environ["SEARCH_URL"] = f"http://127.0.0.1:{port}/kronika"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build_catalogue(count: int) -> None:
    import random

    from django.core.management import call_command

    from archive.models import Item, Status
    from search.backends.base import get_database_backend
    from search.outbox import drain, enqueue_items

    call_command("migrate", verbosity=0)
    rng = random.Random(12)
    pks = []
    for n in range(count):
        words = rng.sample(WORDS, 4)
        item = Item.objects.create(
            identifier=f"BENCH-{n:05d}",
            title=" ".join(words[:2]).capitalize(),
            description=" ".join(words),
            status=Status.PUBLISHED,
        )
        pks.append(item.pk)
    enqueue_items(pks)
    report = drain(backends=[get_database_backend()])
    if report.failed:
        sys.exit(f"indexing into the database backend failed: {report.error}")


def timed(client, path: str, params: dict | None = None) -> tuple[float, dict]:
    started = time.perf_counter()
    response = client.get(path, params or {})
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        sys.exit(f"{path} answered {response.status_code}")
    return elapsed, response.json()


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def measure(requests: int) -> dict:
    from django.conf import settings
    from django.test import Client

    from search.backends.base import get_backend

    client = Client()
    first, body = timed(client, "/api/v1/search/", {"q": QUERIES[0]})
    if not body["degraded"]:
        sys.exit("the first search was not degraded: is the endpoint really frozen?")
    breaker = get_backend().breaker.state
    searches = []
    for n in range(requests):
        elapsed, body = timed(client, "/api/v1/search/", {"q": QUERIES[n % len(QUERIES)]})
        assert body["degraded"], "a search reached the frozen engine"
        searches.append(elapsed)
    health = []
    for _ in range(20):
        elapsed, body = timed(client, "/healthz")
        assert body["search"]["reachable"] is False
        health.append(elapsed)
    return {
        "search_timeout_s": settings.SEARCH_TIMEOUT,
        "health_timeout_s": settings.SEARCH_HEALTH_TIMEOUT,
        "cooldown_s": settings.SEARCH_COOLDOWN,
        "breaker_after_first": breaker,
        "first_search_s": round(first, 3),
        "requests": requests,
        "search_p50_ms": round(statistics.median(searches) * 1000, 1),
        "search_p95_ms": round(p95(searches) * 1000, 1),
        "search_max_ms": round(max(searches) * 1000, 1),
        "healthz_p50_ms": round(statistics.median(health) * 1000, 1),
        "healthz_max_ms": round(max(health) * 1000, 1),
    }


def write_doc(r: dict) -> None:
    met = r["search_p95_ms"] < 200 and r["healthz_max_ms"] < 1000
    section = f"""## Degrading

`benchmarks/degrade.py` freezes a throwaway listening process with SIGSTOP (connections are
accepted, nothing ever answers: a frozen OpenSearch node as Kronika sees it) and points
`SEARCH_BACKEND=opensearch` at it, over {r["items"]} synthetic items on SQLite. The first
search waits the search timeout ({r["search_timeout_s"]} s) and opens the circuit breaker
(then `{r["breaker_after_first"]}`); the next {r["requests"]} searches (1–3 words, with
facets, through Django's test client) answer from the database without touching the engine.

Measured {r["date"]} on {r["machine"]}; load average {r["load_average_at_start"]} at the
start and {r["load_average_at_end"]} at the end{r["load_note"]}.

| engine frozen | p50 | p95 | slowest | target |
|---|---|---|---|---|
| first search (opens the breaker; includes the process's first-request warm-up) | {r["first_search_s"] * 1000:.0f} ms | | | the search timeout + warm-up |
| search API, from the 2nd request | {r["search_p50_ms"]} ms | **{r["search_p95_ms"]} ms** | {r["search_max_ms"]} ms | p95 < 200 ms |
| `/healthz` (ping: {r["health_timeout_s"]} s) | {r["healthz_p50_ms"]} ms | | **{r["healthz_max_ms"]} ms** | < 1 s |

Targets **{"met" if met else "missed"}**. Before the breaker every search and `/healthz`
waited the 10 s read timeout. Each server process pays the search timeout once per
cool-down ({r["cooldown_s"]} s): one probe.

Raw figures: `benchmarks/results/degrade.json`.
"""  # noqa: E501
    write_section(section)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--no-doc", action="store_true", help="do not write results or docs")
    args = parser.parse_args()
    load_at_start = os.getloadavg()[0]
    process, port = frozen_endpoint()
    try:
        with tempfile.TemporaryDirectory(prefix="kronika-bench-degrade-") as tmp:
            setup_django(Path(tmp), port)
            build_catalogue(args.items)
            figures = measure(args.requests)
    finally:
        process.send_signal(signal.SIGCONT)
        process.terminate()
        process.wait(timeout=30)
    result = {
        "date": datetime.date.today().isoformat(),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, "
        f"Python {platform.python_version()}, SQLite (WAL)",
        "load_average_at_start": round(load_at_start, 2),
        "load_average_at_end": round(os.getloadavg()[0], 2),
        "items": args.items,
        **figures,
    }
    print(json.dumps(result, indent=2))
    if not args.no_doc:
        RESULT.parent.mkdir(exist_ok=True)
        RESULT.write_text(json.dumps(result, indent=2) + "\n")
        write_doc({**result, "load_note": load_note(load_at_start)})


if __name__ == "__main__":
    main()
