"""Lighthouse benchmark: the four category scores of the home, search and item pages.

Run: .venv/bin/python benchmarks/lighthouse.py [--runs 3] [--quick] [--no-doc]

What it does, from nothing:
1. Node and npm: used if present; otherwise Debian's `nodejs` and `npm` are installed with
   `apt-get update && apt-get install -y nodejs npm` (needs root, as CI is).
2. Lighthouse: the version pinned in benchmarks/package.json / package-lock.json, installed
   with `npm ci --prefix benchmarks` when benchmarks/node_modules is missing. No browser is
   downloaded: Lighthouse drives Debian's Chromium (CHROME_PATH = KRONIKA_CHROMIUM or
   /usr/bin/chromium; `scripts/services/chromium.sh install` provides it).
3. A production-like Kronika in a temporary folder: SQLite database (DATABASE_URL), media
   and `collectstatic` output (STATIC_ROOT, compressed and hashed by WhiteNoise) there,
   DEBUG off, the demo catalogue loaded and indexed, served by gunicorn on 127.0.0.1.
4. Each page is fetched 4 times first (recorded: a worker's first search is slow), then
   Lighthouse (its default: mobile emulation, simulated throttling) runs on each page
   `--runs` times; the median of each category score is kept.
5. The weight of the item page without its images: the HTML, CSS and JS that Lighthouse saw
   it load, each fetched again and gzipped here (level 6, as web servers do).

Results go to benchmarks/results/lighthouse.json and the "Website (Lighthouse)" section of
docs/benchmarks.md. `--quick` is one run of the home page only, printed and not recorded;
`--doc-from-results` rewrites the section from the recorded JSON without measuring;
`--pages search` audits only some pages (printed, not recorded). The last raw Lighthouse
report of each page is kept in var/artifacts/lighthouse/ (git-ignored).
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import os
import platform
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from report import free_port, write_section

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
RESULT = BENCH / "results" / "lighthouse.json"
HEADING = "## Website (Lighthouse)"
REPORTS = ROOT / "var" / "artifacts" / "lighthouse"  # raw reports, git-ignored
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
LIGHTHOUSE = BENCH / "node_modules" / ".bin" / "lighthouse"

CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 95, "seo": 95}
WEIGHT_TARGET_KB = 60
WEIGHT_TYPES = {"Document", "Stylesheet", "Script"}
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def say(message: str) -> None:
    print(f"[lighthouse] {message}", file=sys.stderr, flush=True)


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=True, **kwargs)


# --- tools -----------------------------------------------------------------------------------


def ensure_node() -> str:
    """Node's version; installs Debian's nodejs and npm when node or npm is missing."""
    if not (shutil.which("node") and shutil.which("npm")):
        if os.geteuid() != 0:
            sys.exit(
                "node/npm not found. Install them (as root: apt-get update && "
                "apt-get install -y nodejs npm) and run again."
            )
        say("node/npm not found: installing Debian's nodejs and npm")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        run(["apt-get", "update"], env=env)
        run(["apt-get", "install", "-y", "--no-install-recommends", "nodejs", "npm"], env=env)
    return subprocess.check_output(["node", "--version"], text=True).strip()


def ensure_lighthouse() -> str:
    if not LIGHTHOUSE.exists():
        say("installing the pinned Lighthouse: npm ci --prefix benchmarks")
        run(["npm", "ci", "--prefix", str(BENCH), "--no-audit", "--no-fund"])
    return subprocess.check_output([str(LIGHTHOUSE), "--version"], text=True).strip()


def chromium_path() -> str:
    for candidate in (os.environ.get("KRONIKA_CHROMIUM", "").strip(), "/usr/bin/chromium"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    sys.exit("Chromium not found: run scripts/services/chromium.sh install (Debian's chromium).")


# --- the site under test ---------------------------------------------------------------------


def site_environment(folder: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "MEDIA_ROOT": str(folder / "media"),
        "STATIC_ROOT": str(folder / "static"),
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SEARCH_BACKEND": "sqlite",
        "LOG_LEVEL": "ERROR",
    }
    env.pop("SEARCH_URL", None)
    return env


def prepare_site(env: dict[str, str]) -> str:
    """Migrates, loads and indexes the demo, collects static files; returns an item with an
    image (the item page measured)."""
    manage = [str(PYTHON), str(ROOT / "manage.py")]
    quiet = {"env": env, "cwd": ROOT, "stdout": subprocess.DEVNULL}
    run([*manage, "migrate", "--no-input", "-v0"], **quiet)
    run([*manage, "load_demo", "-v0"], **quiet)
    run([*manage, "rebuild_search_index", "--no-progress"], **quiet)
    run([*manage, "collectstatic", "--no-input", "-v0"], **quiet)
    printed = subprocess.check_output(
        [
            *manage,
            "shell",
            "-v0",
            "-c",
            "from archive.models import Item; print('ITEM=' + Item.objects.published()"
            ".filter(media_files__isnull=False).order_by('identifier').first().identifier)",
        ],
        env=env,
        cwd=ROOT,
        text=True,
    )
    # `shell` may print its own notes (auto-imports) before ours.
    found = re.findall(r"^ITEM=(\S+)$", printed, flags=re.M)
    if not found:
        sys.exit(f"Could not find a demo item with an image: {printed!r}")
    return found[-1]


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(GUNICORN),
            "config.wsgi",
            "-c",
            "config/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--access-logfile",
            "-",
        ],
        env=env,
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped (exit {server.returncode}); its log: {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    sys.exit(f"gunicorn did not answer /healthz within 60 s; its log: {log}")


# --- measuring -------------------------------------------------------------------------------


def warm_up(url: str, times: int = 4) -> list[float]:
    """Seconds for each of a few plain GETs, so each gunicorn worker has answered the page
    before Lighthouse measures it (the first answer of a worker loads the search engine's
    per-process data and Polish lemmas; it is recorded, not hidden)."""
    seconds = []
    for _ in range(times):
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=120) as answer:  # noqa: S310 - our server
            answer.read()
        seconds.append(round(time.perf_counter() - started, 3))
    return seconds


def lighthouse(url: str, out: Path, chrome: str, attempts: int = 3) -> dict:
    """One Lighthouse report. A run that Lighthouse itself aborts (e.g. NO_NAVSTART: "Please
    run Lighthouse again") is repeated, up to `attempts` in all; the repeats are reported."""
    env = {**os.environ, "CHROME_PATH": chrome}
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
        "--quiet",
    ]
    for attempt in range(1, attempts + 1):
        try:
            run(command, env=env, cwd=BENCH)
            break
        except subprocess.CalledProcessError:
            if attempt == attempts:
                raise
            say(f"Lighthouse failed on {url} (attempt {attempt}/{attempts}); running it again")
    return json.loads(out.read_text(encoding="utf-8"))


def scores(report: dict) -> dict[str, int]:
    return {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}


def failed_audits(report: dict) -> dict[str, list[str]]:
    """What cost points, per category: audits that did not score full marks."""
    audits = report["audits"]
    failing = {}
    for category in CATEGORIES:
        names = []
        for ref in report["categories"][category]["auditRefs"]:
            audit = audits[ref["id"]]
            if ref["weight"] and audit.get("score") is not None and audit["score"] < 1:
                names.append(f"{ref['id']} ({audit['score']:.2f}): {audit['title']}")
        failing[category] = names
    return failing


def page_weight(report: dict, origin: str) -> dict:
    """HTML, CSS and JS of the page (images, fonts and favicon left out), gzipped here."""
    requests = report["audits"]["network-requests"]["details"]["items"]
    files = []
    for request in requests:
        url = request["url"]
        if request.get("resourceType") not in WEIGHT_TYPES or not url.startswith(origin):
            continue
        with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 - our own server
            body = answer.read()
        files.append(
            {
                "url": urlsplit(url).path,
                "type": request["resourceType"],
                "bytes": len(body),
                "gzipped_bytes": len(gzip.compress(body, compresslevel=6)),
                "transferred_bytes": request.get("transferSize"),
            }
        )
    total = sum(f["gzipped_bytes"] for f in files)
    return {
        "files": files,
        "gzipped_bytes": total,
        "gzipped_kb": round(total / 1024, 1),
        "uncompressed_kb": round(sum(f["bytes"] for f in files) / 1024, 1),
        "target_kb": WEIGHT_TARGET_KB,
        "met": total / 1024 < WEIGHT_TARGET_KB,
    }


# --- reporting -------------------------------------------------------------------------------


def write_doc(result: dict) -> None:
    # Lighthouse and its Chromium load the cores themselves; a load above the number of
    # cores means other work was competing with the runs.
    if result.get("load_max", float("inf")) > (os.cpu_count() or 1):
        busy = (
            f"the machine was shared with other work during the run ({result['load']}), "
            "which lowers the performance score most"
        )
    else:
        busy = f"no other work ran meanwhile ({result['load']})"
    rows = []
    for name, page in result["pages"].items():
        cells = []
        for category in CATEGORIES:
            score = page["scores"][category]
            mark = "" if score >= TARGETS[category] else " ✗"
            cells.append(f"{score}{mark}")
        rows.append(f"| {name} (`{page['path']}`) | " + " | ".join(cells) + " |")
    weight = result.get("item_page_weight")
    weight_line = (
        f"Item page without its images (HTML + CSS + JS, gzipped): **{weight['gzipped_kb']} KB** "
        f"({weight['uncompressed_kb']} KB uncompressed, {len(weight['files'])} files); target "
        f"< {WEIGHT_TARGET_KB} KB: {'met' if weight['met'] else 'NOT met'}."
        if weight
        else "Item page weight: not measured in this run (`--quick`)."
    )
    misses = []
    for name, page in result["pages"].items():
        for category in CATEGORIES:
            if page["scores"][category] < TARGETS[category] and page["failed_audits"][category]:
                misses.append(
                    f"- {name}, {category}: " + "; ".join(page["failed_audits"][category][:6])
                )
    warm_line = "; ".join(
        f"{name} {page['warm_up_seconds'][0]} s (then {min(page['warm_up_seconds'][1:])} s)"
        for name, page in result["pages"].items()
        if page.get("warm_up_seconds")
    )
    note = f"\n{result['note']}\n" if result.get("note") else ""
    if not result["pages"].get("search", {}).get("met", {}).get("seo", True):
        note += (
            "\nThe search page with a query is marked `noindex` on purpose (result lists "
            "should not be indexed), which Lighthouse's SEO category scores as a failure "
            "(`is-crawlable`); its SEO score cannot reach the target while that is so.\n"
        )
    target_row = (
        f"| **target** | ≥ {TARGETS['performance']} | {TARGETS['accessibility']} | "
        f"≥ {TARGETS['best-practices']} | ≥ {TARGETS['seo']} |"
    )
    missed = (
        "What cost points:\n" + "\n".join(misses) if misses else "Every page meets every target."
    )
    section = f"""{HEADING}

`benchmarks/lighthouse.py` serves a production-like Kronika (gunicorn, DEBUG off, static
files from `collectstatic` through WhiteNoise, the demo catalogue in a temporary SQLite
database) on 127.0.0.1 and runs Lighthouse {result["lighthouse"]} (pinned in
`benchmarks/package.json`; its default mobile profile with simulated throttling) in Debian's
Chromium {result["chromium"]}, {result["runs"]} run(s) per page, median score kept. Before
the audits each page is fetched 4 times so both gunicorn workers are warm; the first
answers took: {warm_line}.

Measured {result["date"]} on {result["machine"]}; {busy}.
{note}
| page | performance | accessibility | best practices | SEO |
|---|---|---|---|---|
{chr(10).join(rows)}
{target_row}

✗ = below target. {weight_line}

{missed}

Raw figures (every run, failing audits, the files weighed): `benchmarks/results/lighthouse.json`.
"""
    write_section(section)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (median)")
    parser.add_argument("--quick", action="store_true", help="one run of the home page only")
    parser.add_argument("--no-doc", action="store_true", help="do not touch docs/benchmarks.md")
    parser.add_argument(
        "--pages",
        nargs="+",
        choices=["home", "search", "item"],
        default=["home", "search", "item"],
        help="pages to audit; the results are recorded only when all three are",
    )
    parser.add_argument("--note", default="", help="a remark recorded with the results")
    parser.add_argument(
        "--doc-from-results",
        action="store_true",
        help="only rewrite the docs/benchmarks.md section from benchmarks/results/lighthouse.json",
    )
    args = parser.parse_args()
    if args.doc_from_results:
        write_doc(json.loads(RESULT.read_text(encoding="utf-8")))
        return
    runs = 1 if args.quick else max(1, args.runs)

    node = ensure_node()
    version = ensure_lighthouse()
    chrome = chromium_path()
    chromium = subprocess.check_output([chrome, "--version"], text=True).strip()
    say(f"node {node}, Lighthouse {version}, {chromium}")

    with tempfile.TemporaryDirectory(prefix="kronika-lighthouse-") as tmp:
        folder = Path(tmp)
        port = free_port()
        env = site_environment(folder)
        say("preparing the site (migrate, demo, index, collectstatic)")
        identifier = prepare_site(env)
        server = start_server(env, port, folder / "gunicorn.log")
        origin = f"http://127.0.0.1:{port}"
        every_page = {
            "home": "/pl/",
            "search": "/pl/search/?q=synagoga",
            "item": f"/pl/items/{identifier}/",
        }
        chosen = ["home"] if args.quick else args.pages
        pages = {name: every_page[name] for name in chosen}
        partial = len(pages) < len(every_page)
        REPORTS.mkdir(parents=True, exist_ok=True)
        result_pages = {}
        item_weight = None
        loads = []
        warm = {}
        try:
            for name, path in pages.items():
                warm[name] = warm_up(origin + path)
                say(f"{name} {path}: warm-up GETs {warm[name]} s")
            for name, path in pages.items():
                reports = []
                for index in range(runs):
                    say(f"{name} {path}: run {index + 1}/{runs}")
                    loads.append(os.getloadavg()[0])
                    out = folder / f"{name}-{index}.json"
                    reports.append(lighthouse(origin + path, out, chrome))
                shutil.copy(out, REPORTS / f"{name}.json")
                per_run = [scores(r) for r in reports]
                median = {c: int(statistics.median(s[c] for s in per_run)) for c in CATEGORIES}
                result_pages[name] = {
                    "path": path,
                    "warm_up_seconds": warm[name],
                    "scores": median,
                    "runs": per_run,
                    "failed_audits": failed_audits(reports[-1]),
                    "met": {c: median[c] >= TARGETS[c] for c in CATEGORIES},
                }
                if name == "item":
                    item_weight = page_weight(reports[-1], origin)
        finally:
            server.terminate()
            server.wait(timeout=30)

    result = {
        "date": datetime.date.today().isoformat(),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}, node {node}",
        "load": f"load average during the runs {min(loads):.1f}–{max(loads):.1f} "
        f"on {os.cpu_count()} cores",
        "load_max": round(max(loads), 2),
        "lighthouse": version,
        "chromium": chromium.replace("Chromium ", ""),
        "chrome_flags": CHROME_FLAGS,
        "profile": "Lighthouse default (mobile emulation, simulated throttling)",
        "runs": runs,
        "targets": TARGETS,
        "pages": result_pages,
        "item_page_weight": item_weight,
        "note": args.note,
    }
    if partial:
        say("not every page was audited: nothing recorded; the figures:")
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if not args.no_doc:
        write_doc(result)
    for name, page in result_pages.items():
        say(f"{name}: {page['scores']}")
    if result["item_page_weight"]:
        say(f"item page HTML+CSS+JS gzipped: {result['item_page_weight']['gzipped_kb']} KB")


if __name__ == "__main__":
    main()
