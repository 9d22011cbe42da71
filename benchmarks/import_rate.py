"""Import rate: rows per second and peak memory of `import_catalogue` on a synthetic catalogue.

Run: .venv/bin/python benchmarks/import_rate.py [--rows N]

Generates a Polish CSV (no images) in a temporary folder, imports it with the real command into
a fresh SQLite database, and records the figures in benchmarks/results/import_rate.json and
the "Import" section of docs/benchmarks.md. The mixed-date file is imported twice, with the
history of changes on (as in production) and off (KRONIKA_HISTORY=0), to measure its cost.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report import load_note, write_section

ROOT = Path(__file__).resolve().parent.parent
RESULT = ROOT / "benchmarks" / "results" / "import_rate.json"
TARGET_ROWS_PER_SECOND = 2000
TARGET_PEAK_RSS_MB = 300

SUBJECTS = [
    "Kościoły",
    "Architektura",
    "Szkoły",
    "Rzemiosło",
    "Rolnictwo",
    "Kolej",
    "Straż pożarna",
    "II wojna światowa",
    "I wojna światowa",
    "Dożynki",
    "Targi",
    "Rynek",
    "Cmentarze",
    "Społeczność żydowska",
    "Muzyka",
    "Teatr",
    "Sport",
    "Harcerstwo",
    "Rodzina",
    "Portrety",
    "Wesela",
    "Pogrzeby",
    "Ulice",
    "Sklepy",
    "Młyny",
    "Dwory",
    "Parki",
    "Rzeki",
    "Mosty",
    "Poczta",
    "Urząd gminy",
    "Biblioteka",
    "Koło Gospodyń Wiejskich",
    "Ochotnicza straż",
]
PLACES = [
    "Mszczonów",
    "Osuchów",
    "Lutkówka",
    "Badowo-Dańki",
    "Piekarowo",
    "Wręcza",
    "Bobrowce",
    "Grabce Józefpolskie",
    "Marianów",
    "Zbiroża",
    "Żyrardów",
    "Grodzisk Mazowiecki",
    "Radziejowice",
    "Tarczyn",
    "Sochaczew",
    "Warszawa",
    "Nosy Poniatki",
    "Ciemno-Gnojna",
]
FIRST = ["Jan", "Anna", "Józef", "Maria", "Stanisław", "Zofia", "Władysław", "Halina", "Tadeusz"]
LAST = ["Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kamińska", "Lewandowski", "Zielińska"]
LAST += ["Szymański", "Woźniak", "Dąbrowski", "Kozłowska", "Jankowski", "Mazur", "Krawczyk"]
COLLECTIONS = ["Zdjęcia dawne", "Pocztówki", "Dokumenty parafialne", "Mapy", "Nagrania"]
COLLECTIONS += ["Tradycje ludowe", "Kronika szkolna", "Prasa lokalna"]
WORDS = [
    "widok",
    "ulicy",
    "kościół",
    "rynek",
    "dom",
    "młyn",
    "szkoła",
    "uczniowie",
    "procesja",
    "dożynki",
    "straż",
    "pożarna",
    "orkiestra",
    "zabudowa",
    "drewniana",
    "murowana",
    "kamienica",
    "plac",
    "targowy",
    "stacja",
    "kolejowa",
    "most",
    "rzeka",
    "park",
    "dwór",
    "cmentarz",
    "pomnik",
    "uroczystość",
    "rodzina",
    "portret",
    "zespół",
    "ludowy",
    "wesele",
    "żniwa",
    "zima",
    "lato",
    "jesień",
]
TYPES = ["photograph"] * 6 + ["document"] * 2 + ["monument", "artifact", "map", "publication"]
LICENCES = ["InC"] * 4 + ["CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "PDM", "CC-BY-NC-4.0"]
HEADER = [
    "identifier", "title", "title_en", "item_type", "date", "description", "description_en",
    "subjects", "places", "creators", "collections", "licence", "rights_holder", "source",
    "status",
]  # fmt: skip


def synthetic_date(rng: random.Random) -> str:
    """A realistic mix: years, about/perhaps, decades, ranges, some months and days."""
    year = rng.randint(1850, 2020)
    kind = rng.random()
    if kind < 0.35:
        return str(year)
    if kind < 0.5:
        return f"{year}~"
    if kind < 0.58:
        return f"{year}?"
    if kind < 0.68:
        return f"{str(year)[:3]}X"
    if kind < 0.78:
        return f"{year}/{year + rng.randint(1, 6)}"
    if kind < 0.88:
        return f"{year}-{rng.randint(1, 12):02d}"
    if kind < 0.93:
        return f"{rng.randint(1930, 1960)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return ""


def generate(path: Path, rows: int, dates_kind: str = "mixed", seed: int = 1377) -> dict:
    rng = random.Random(seed)
    dates = set()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(1, rows + 1):
            words = rng.sample(WORDS, 4)
            title = " ".join(words).capitalize() + f", {rng.choice(PLACES)}"
            description = " ".join(rng.choice(WORDS) for _ in range(45)).capitalize() + "."
            date = synthetic_date(rng) if dates_kind == "mixed" else str(rng.randint(1850, 2020))
            dates.add(date)
            people = {f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(0, 2))}
            writer.writerow(
                [
                    f"MOK-B-{n:06d}",
                    title,
                    f"Item {n}" if rng.random() < 0.3 else "",
                    rng.choice(TYPES),
                    date,
                    description,
                    "",
                    ";".join(rng.sample(SUBJECTS, rng.randint(1, 3))),
                    ";".join(rng.sample(PLACES, rng.randint(1, 2))),
                    ";".join(sorted(people)),
                    rng.choice(COLLECTIONS) if rng.random() < 0.6 else "",
                    rng.choice(LICENCES),
                    "Mszczonowski Ośrodek Kultury",
                    f"Dar rodziny {rng.choice(LAST)}",
                    "published" if rng.random() < 0.7 else "draft",
                ]
            )
    return {"distinct_dates": len(dates - {""})}


def run_measured(
    args: list[str], env: dict
) -> tuple[float, float, float, subprocess.CompletedProcess]:
    """Wall time (s), CPU time (s) and peak RSS (MB) of one child process, from the kernel's
    own accounting. CPU time holds steady when other work competes for the cores."""
    start = time.perf_counter()
    child = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    # wait4 gives this child's own rusage (RUSAGE_CHILDREN would mix in the migrate run).
    out, err = "", ""
    _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    out, err = child.stdout.read(), child.stderr.read()
    child.returncode = os.waitstatus_to_exitcode(status)
    done = subprocess.CompletedProcess(args, child.returncode, out, err)
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, done


def edtf_parse_ms(samples: int = 200) -> float:
    """Milliseconds the edtf library takes to parse one date it has not seen."""
    from edtf import parse_edtf

    rng = random.Random(7)
    texts = [f"{rng.randint(1000, 2020)}-{rng.randint(1, 12):02d}" for _ in range(samples)]
    parse_edtf("1939")  # build the grammar first
    start = time.perf_counter()
    for text in texts:
        parse_edtf(text)
    return (time.perf_counter() - start) / samples * 1000


def update_doc(result: dict) -> None:
    years = result["years_only"]
    plain = result["history_off"]
    met = result["met"]
    cost_seconds = result["seconds"] - plain["seconds"]
    cost_share = cost_seconds / plain["seconds"] * 100 if plain["seconds"] else 0.0
    cost_cpu = result["cpu_seconds"] - plain["cpu_seconds"]
    cpu_share = cost_cpu / plain["cpu_seconds"] * 100 if plain["cpu_seconds"] else 0.0
    busy = load_note(result["load_average_at_start"])
    if met:
        why = (
            "Both figures are inside the targets: the import writes its items, their "
            "versions, undo records and outbox entries with one prepared statement per table "
            "per 1,000 rows (`archive/bulk.py`), from the values it already holds, instead of "
            "Django's `bulk_create` preparing every value of every model instance; and it "
            "writes the rows its checking pass parsed (spooled to disk) instead of parsing "
            "the file twice."
        )
    elif result["load_average_at_start"] > 1.0 and result["seconds"] > 1.2 * result["cpu_seconds"]:
        why = (
            f"The machine was busy with other work (load {result['load_average_at_start']:.1f} "
            f"on {os.cpu_count()} cores): the import waited for a core most of the time (wall "
            f"time {result['seconds']:.0f} s for {result['cpu_seconds']:.0f} s of CPU time), "
            f"so the rate measures the waiting, not the importer. By CPU time the import "
            f"with history did {result['rows'] / result['cpu_seconds']:,.0f} rows per "
            f"CPU-second ({plain['rows'] / plain['cpu_seconds']:,.0f} without); run "
            f"`make bench` on an idle machine for figures comparable with the target."
        )
    elif result["rows_per_second"] < TARGET_ROWS_PER_SECOND:
        why = (
            f"The import is bound by its own CPU time (wall {result['seconds']:.0f} s, CPU "
            f"{result['cpu_seconds']:.0f} s), not by waiting. A profile of 10,000 rows "
            "(cProfile, 2026-12-04, history on, after the prepared writes) puts about 40 % "
            "in the checking pass (reading and parsing the rows, the model's own field "
            "checks on each), about 45 % in the write (the items, versions, undo records and "
            "outbox entries, and creating the file's new vocabulary records with their "
            "versions) and the rest in Django's start-up."
        )
    else:
        why = (
            f"With plain years only ({years['distinct_dates']} distinct dates) the same "
            f"import runs at {years['rows_per_second']:,} rows/s; the edtf library takes "
            f"about {result['edtf_parse_ms']:.1f} ms per distinct date string."
        )
    section = f"""## Import

`benchmarks/import_rate.py` (run by `make bench`) writes a synthetic Polish catalogue of
{result["rows"]:,} rows as CSV ({result["csv_megabytes"]} MB, no images; titles, descriptions
of ~45 words, 1–3 subjects, 1–2 places, 0–2 creators, collections, licences, 70 % published,
a realistic mix of EDTF dates — years, `~`, `?`, decades, ranges, months, days), then runs the
real `manage.py import_catalogue` on it in a child process against a fresh SQLite database
(WAL). The time includes Django's start-up and both passes (checking every row, then
writing); peak RSS is the child's own `ru_maxrss`. The history of changes is on, as in
production: every imported item gets a version (with its subjects, places, creators and
collections) written in bulk with the batch, and every vocabulary record the file creates
gets one too. The same file is imported again with history off (`KRONIKA_HISTORY=0`) to
measure what history costs, and once more with plain years only, to separate the importer
from the date parser. The import writes one search-outbox entry per item in its transaction;
the search index is then brought up to date by the outbox worker (`process_search_outbox`),
timed on its own in the row "then indexing" (70 % of the items are published and indexed).

| measured {result["date"]} | mixed EDTF dates | same, history off | plain years only | target |
|---|---|---|---|---|
| machine | {result["machine"]} | same | same | 2 cores |
| rows | {result["rows"]:,} | {result["rows"]:,} | {result["rows"]:,} | 100,000 |
| distinct date strings | {result["distinct_dates"]:,} | {plain["distinct_dates"]:,} | \
{years["distinct_dates"]:,} | |
| wall time | {result["seconds"]:.1f} s | {plain["seconds"]:.1f} s | {years["seconds"]:.1f} s | |
| CPU time | {result["cpu_seconds"]:.1f} s | {plain["cpu_seconds"]:.1f} s | \
{years["cpu_seconds"]:.1f} s | |
| rate | **{result["rows_per_second"]:,} rows/s** | {plain["rows_per_second"]:,} rows/s | \
{years["rows_per_second"]:,} rows/s | ≥ {TARGET_ROWS_PER_SECOND:,} rows/s (history on) |
| then indexing (worker) | {result["index_seconds"]:.1f} s | {plain["index_seconds"]:.1f} s | \
{years["index_seconds"]:.1f} s | |
| peak RSS | **{result["peak_rss_mb"]:.0f} MB** | {plain["peak_rss_mb"]:.0f} MB | \
{years["peak_rss_mb"]:.0f} MB | < {TARGET_PEAK_RSS_MB} MB |

Target **{"met" if met else "not met"}**. {why}

Load average {result["load_average_at_start"]:.1f} when the runs started{busy}.

History costs {cost_seconds:.1f} s of wall time ({cost_share:+.0f} % over the run with
history off) and {cost_cpu:.1f} s of CPU time ({cpu_share:+.0f} %; CPU time is the steadier
measure when other work shares the cores): {result["rows"]:,} item versions, each with
the item's fields and a JSON snapshot of its relations, built from the values and link
rows the import has just written (nothing is read back for new items) and written with one
prepared INSERT per batch of 1,000 rows, in the import's own transaction.

Raw figures: `benchmarks/results/import_rate.json`.
"""
    write_section(section)


def measure(rows: int, dates_kind: str, history: bool = True) -> dict:
    """Import one generated file into a fresh database; the figures of that one run."""
    with tempfile.TemporaryDirectory(prefix="kronika-bench-") as tmp:
        folder = Path(tmp)
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
            "MEDIA_ROOT": str(folder / "media"),
            "KRONIKA_HISTORY": "1" if history else "0",
            # The import writes its search-outbox entries in its own transaction; indexing
            # them is the worker's job (`process_search_outbox --loop`, docs/search.md), timed
            # below on its own, not inside the import's rate.
            "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        }
        python = sys.executable
        subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        csv_path = folder / "katalog.csv"
        facts = generate(csv_path, rows, dates_kind)
        size_mb = csv_path.stat().st_size / 1024 / 1024
        seconds, cpu_seconds, peak_mb, done = run_measured(
            [python, "manage.py", "import_catalogue", str(csv_path)], env
        )
        if done.returncode != 0:
            raise SystemExit(f"import failed:\n{done.stdout}\n{done.stderr}")
        check = subprocess.run(
            [python, "manage.py", "shell", "-c", "from archive.models import Item;"
             "print(Item.objects.count())"],
            cwd=ROOT, env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        imported = int(check.stdout.strip().splitlines()[-1])
        if imported != rows:
            raise SystemExit(f"expected {rows} items, found {imported}")
        recorded = subprocess.run(
            [python, "manage.py", "shell", "-c", "from archive.models import Item;"
             "print(Item.history.count())"],
            cwd=ROOT, env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        item_versions = int(recorded.stdout.strip().splitlines()[-1])
        if item_versions != (rows if history else 0):
            raise SystemExit(f"history {'on' if history else 'off'}: {item_versions} versions")
        index_seconds, _cpu, _peak, drained = run_measured(
            [python, "manage.py", "process_search_outbox"], env
        )
        if drained.returncode != 0:
            raise SystemExit(f"indexing failed:\n{drained.stdout}\n{drained.stderr}")
    return {
        "dates": dates_kind,
        "csv_megabytes": round(size_mb, 1),
        "distinct_dates": facts["distinct_dates"],
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "rows_per_second": round(rows / seconds),
        "peak_rss_mb": round(peak_mb, 1),
        "summary": done.stdout.strip(),
        "history": history,
        "item_versions": item_versions,
        "index_seconds": round(index_seconds, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--no-write", action="store_true", help="print figures only")
    options = parser.parse_args()

    load_at_start = os.getloadavg()[0]
    mixed = measure(options.rows, "mixed")
    history_off = measure(options.rows, "mixed", history=False)
    years = measure(options.rows, "years")
    result = {
        "benchmark": "import_rate",
        "date": datetime.date.today().isoformat(),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}, SQLite (WAL)",
        "rows": options.rows,
        **mixed,
        "history_off": {**history_off, "rows": options.rows},
        "history_cost_seconds": round(mixed["seconds"] - history_off["seconds"], 2),
        "history_cost_cpu_seconds": round(mixed["cpu_seconds"] - history_off["cpu_seconds"], 2),
        "load_average_at_start": round(load_at_start, 2),
        "years_only": years,
        "edtf_parse_ms": round(edtf_parse_ms(), 2),
        "target_rows_per_second": TARGET_ROWS_PER_SECOND,
        "target_peak_rss_mb": TARGET_PEAK_RSS_MB,
        "met": mixed["rows_per_second"] >= TARGET_ROWS_PER_SECOND
        and mixed["peak_rss_mb"] < TARGET_PEAK_RSS_MB,
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if not options.no_write:
        RESULT.parent.mkdir(parents=True, exist_ok=True)
        RESULT.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")
        update_doc(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
