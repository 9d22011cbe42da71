"""Import preview: how long the admin's Import page takes to preview a 10,000-row file.

Run: .venv/bin/python benchmarks/import_preview.py [--rows N]

In a fresh SQLite database, imports the first half of a synthetic catalogue (the generator of
benchmarks/import_rate.py), then uploads a file of N rows to the admin's Import page — half
of them updates that change every item, half new items — and times the upload (staging,
the importer's checking pass over every row, the row-by-row preview) and the first page of
the preview. Writes
benchmarks/results/import_preview.json and the "Import preview" section of
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from import_rate import generate
from report import load_note, write_section

ROOT = Path(__file__).resolve().parent.parent
RESULT = ROOT / "benchmarks" / "results" / "import_preview.json"
TARGET_SECONDS = 5.0


def child(csv_path: str) -> None:
    """In the child process: upload through the admin as a logged-in archivist, time it."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client, override_settings

    # No `collectstatic` here: static URLs are not looked up in a manifest.
    plain = "django.contrib.staticfiles.storage.StaticFilesStorage"
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": plain}}).enable()

    user = get_user_model().objects.create_superuser("bench", password=None)
    client = Client()
    client.force_login(user)
    with open(csv_path, "rb") as handle:
        start = time.perf_counter()
        response = client.post("/pl/admin/archive/item/import/", {"file": handle})
        upload_seconds = time.perf_counter() - start
    if response.status_code != 302:
        raise SystemExit(f"upload answered {response.status_code}")
    start = time.perf_counter()
    page = client.get(response["Location"])
    page_seconds = time.perf_counter() - start
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    staged = Path(settings.KRONIKA_IMPORT_STAGING_DIR) / token / "preview.json"
    preview = json.loads(staged.read_text("utf-8"))
    # The same checking pass again, in this process, where every date string has now been
    # parsed once (archive.dates caches them): what the first pass spent on dates shows.
    from archive.importing import CatalogueImport

    start = time.perf_counter()
    CatalogueImport(csv_path, preview=True).validate()
    warm_seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "upload_and_check_seconds": round(upload_seconds, 2),
                "first_page_seconds": round(page_seconds, 2),
                "checks_with_dates_parsed_seconds": round(warm_seconds, 2),
                "rows": preview["rows"],
                "created": preview["created"],
                "updated": preview["updated"],
                "errors": preview["error_count"],
                "rows_on_first_page": page.content.decode().count('<tr id="line-'),
                "page_kilobytes": round(len(page.content) / 1024),
            }
        )
    )


def measure(rows: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="kronika-bench-") as tmp:
        folder = Path(tmp)
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
            "MEDIA_ROOT": str(folder / "media"),
            "KRONIKA_IMPORT_STAGING_DIR": str(folder / "staging"),
            "ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
        }
        python = sys.executable
        subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        first = folder / "first.csv"
        generate(first, rows // 2, seed=1)
        start = time.perf_counter()
        subprocess.run(
            [python, "manage.py", "import_catalogue", str(first)],
            cwd=ROOT, env=env, check=True, capture_output=True,
        )  # fmt: skip
        print(f"first import: {time.perf_counter() - start:.1f} s", file=sys.stderr)
        sheet = folder / "katalog.csv"
        generate(sheet, rows)
        load = os.getloadavg()[0]
        done = subprocess.run(
            [python, str(Path(__file__).resolve()), "--child", str(sheet)],
            cwd=ROOT, env=env, capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode != 0:
            raise SystemExit(f"preview failed:\n{done.stdout}\n{done.stderr}")
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        figures["csv_megabytes"] = round(sheet.stat().st_size / 1024 / 1024, 1)
        figures["load_at_start"] = round(load, 2)
        return figures


def update_doc(result: dict) -> None:
    total = result["upload_and_check_seconds"] + result["first_page_seconds"]
    section = f"""## Import preview

`benchmarks/import_preview.py` (run by `make bench`) imports {result["rows"] // 2:,} rows of
the synthetic catalogue of the Import benchmark into a fresh SQLite database, then uploads
a file of {result["rows"]:,} rows ({result["csv_megabytes"]} MB) to the admin's Import page as
a logged-in archivist: {result["updated"]:,} rows update those items (every one of them
changes), {result["created"]:,} are new. The upload's time covers staging the file, the
importer's checking pass (every row parsed and checked against the model and the
catalogue, as `import_catalogue` checks it) and the row-by-row preview (old → new values,
names to be created) stored beside the upload; then the first page of the preview
({result["rows_on_first_page"]} rows, {result["page_kilobytes"]} kB of HTML) is rendered.

| measured {result["date"]} | figure | target |
|---|---|---|
| machine | {result["machine"]} | 2 cores |
| upload, checks and preview | {result["upload_and_check_seconds"]:.1f} s | |
| first page of the preview | {result["first_page_seconds"]:.2f} s | |
| total | **{total:.1f} s** | a few seconds (≤ {TARGET_SECONDS:.0f} s) |

Target **{"met" if result["met"] else "not met"}**. Load average at the start
{result["load_at_start"]}{load_note(result["load_at_start"])}. Most of the time is the
importer's checking pass, the same as `import_catalogue`'s first pass. Run again in the same
process, where every date string has been read once (`archive.date_phrases` and
`archive.dates` remember them), the checks and the preview take
{result["checks_with_dates_parsed_seconds"]:.1f} s: the difference is reading the file's
thousands of distinct dates (see [Date phrases](#date-phrases-issue-10)). Later pages
read the stored preview and cost what the first page costs.

Raw figures: `benchmarks/results/import_preview.json`.
"""
    write_section(section)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--no-write", action="store_true", help="print figures only")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child)
        return 0
    figures = measure(options.rows)
    total = figures["upload_and_check_seconds"] + figures["first_page_seconds"]
    result = {
        "benchmark": "import_preview",
        "date": datetime.date.today().isoformat(),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}, SQLite (WAL)",
        **figures,
        "target_seconds": TARGET_SECONDS,
        "met": total <= TARGET_SECONDS,
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if not options.no_write:
        RESULT.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")
        update_doc(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
