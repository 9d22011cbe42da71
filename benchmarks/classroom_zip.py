"""Classroom ZIP benchmark: a lesson with 12 images, its ZIP built with a cold cache and
served from the cache (issue 11: under 2 s for 12 images once derivatives exist).

Run: .venv/bin/python benchmarks/classroom_zip.py [--images 12] [--runs 5] [--no-doc]

A fresh SQLite database, media folder and ZIP cache in a temporary folder; 12 published
items under an open licence, each with a synthetic 12 MP photo (the derivatives benchmark's
generator, 4000×3000 JPEG), their derivatives made beforehand with the real code, and a
published lesson with one step per item (two tasks each). Each cold run empties the ZIP
cache and downloads /pl/lessons/<slug>/download.zip through Django's test client, reading
the whole response (the view's queries, the worksheet and credits rendered, 12 JPEGs of
1920 px copied into the ZIP, the file handed back); the cached runs repeat the download
with the ZIP kept. The process's high-water RSS shows the ZIP is not held in memory.
Results go to benchmarks/results/classroom_zip.json and the "Classroom ZIP" section of
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from report import load_note, write_section

ROOT = Path(__file__).resolve().parent.parent
RESULT = ROOT / "benchmarks" / "results" / "classroom_zip.json"
HEADING = "## Classroom ZIP"
TARGET_SECONDS = 2.0


def setup_django(folder: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    os.environ["KRONIKA_CLASSROOM_CACHE_DIR"] = str(folder / "zip-cache")
    # Derivatives are made explicitly below (and timed apart), not by the on-commit task.
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ["SEARCH_BACKEND"] = "sqlite"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import override_settings

    # Static files are not collected for a benchmark: plain names, as in the test suite.
    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def build_lesson(folder: Path, count: int) -> tuple[str, float]:
    """`count` published items with a 12 MP photo each, their derivatives, and a lesson."""
    from derivatives import make_photo  # benchmarks/derivatives.py
    from django.core.files import File
    from django.core.management import call_command

    from archive.models import Agent, Item, ItemCreator, Licence, Status
    from curation.models import Lesson, LessonStep
    from media import derivatives
    from media.models import MediaFile

    call_command("migrate", verbosity=0)
    licence = Licence.objects.get(code="CC-BY-4.0")
    photographer = Agent.objects.create(name="Fotograf Benchmarkowy", slug="fotograf")
    lesson = Lesson.objects.create(title="Lekcja z dwunastoma ilustracjami", slug="lekcja-12")
    made = 0.0
    for n in range(count):
        photo = folder / f"photo-{n:02d}.jpg"
        make_photo(photo, (4000, 3000), n)
        item = Item.objects.create(
            identifier=f"BENCH-{n:03d}",
            title=f"Fotografia rynku w Mszczonowie, ujęcie {n + 1}",
            item_type="photograph",
            date="1930",
            source="Archiwum benchmarku",
            rights_holder="Mszczonowski Ośrodek Kultury",
            licence=licence,
            status=Status.PUBLISHED,
        )
        ItemCreator.objects.create(item=item, agent=photographer)
        with photo.open("rb") as handle:
            media = MediaFile(item=item, alt_text=f"Rynek w Mszczonowie, ujęcie {n + 1}")
            media.file = File(handle, name=photo.name)
            media.save()
        started = time.perf_counter()
        derivatives.generate(media)
        made += time.perf_counter() - started
        LessonStep.objects.create(
            lesson=lesson,
            order=n,
            heading=f"Krok {n + 1}",
            text="Przyjrzyj się fotografii.",
            item=item,
            tasks="Co widać na fotografii?\nJak to miejsce wygląda dziś?",
        )
    lesson.publish()
    return lesson.slug, made


def download(client, url: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    response = client.get(url)
    body = b"".join(response.streaming_content)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    return elapsed, body


def measure(count: int, runs: int) -> dict:
    from django.conf import settings
    from django.test import Client

    folder = Path(os.environ["MEDIA_ROOT"]).parent
    slug, derivative_seconds = build_lesson(folder, count)
    client = Client()
    url = f"/pl/lessons/{slug}/download.zip"
    cache = Path(settings.KRONIKA_CLASSROOM_CACHE_DIR)
    # A server process is warm: the first request after start-up (imports, templates, URL
    # resolver) is the worksheet page, timed apart.
    started = time.perf_counter()
    assert client.get(f"/pl/lessons/{slug}/worksheet/").status_code == 200
    warm_up = time.perf_counter() - started
    rss_before = peak_rss_mb()
    cold = []
    for _ in range(runs):
        shutil.rmtree(cache, ignore_errors=True)
        elapsed, body = download(client, url)
        cold.append(elapsed)
    names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    images = [name for name in names if name.startswith("images/")]
    assert len(images) == count, names
    cached = [download(client, url)[0] for _ in range(runs * 4)]
    return {
        "images": count,
        "zip_mb": round(len(body) / 1024 / 1024, 2),
        "derivatives_made_beforehand_s": round(derivative_seconds, 2),
        "cold_median_s": round(statistics.median(cold), 3),
        "cold_max_s": round(max(cold), 3),
        "cached_median_s": round(statistics.median(cached), 4),
        "cached_max_s": round(max(cached), 4),
        "runs": runs,
        "first_request_worksheet_s": round(warm_up, 3),
        "peak_rss_mb_before_zips": rss_before,
        "peak_rss_mb": peak_rss_mb(),
    }


def write_doc(result: dict) -> None:
    met = result["cold_max_s"] < TARGET_SECONDS
    busy = load_note(result["load_average_at_start"])
    section = f"""{HEADING}

`benchmarks/classroom_zip.py` makes a lesson with {result["images"]} steps, each with a
published item under CC BY 4.0 and a synthetic 12 MP photo (4000×3000 JPEG), whose
derivatives are made beforehand with the real code ({result["derivatives_made_beforehand_s"]} s
for all, not counted). It then downloads `/pl/lessons/<slug>/download.zip` through Django's
test client and reads the whole response: with the ZIP cache emptied before each of
{result["runs"]} cold runs (queries, the worksheet and credits rendered, the 1920 px JPEG
derivative of each image copied into the ZIP on disk in 1 MB chunks, the file handed back),
then {result["runs"] * 4} times from the cache. The process is warmed first by one request
for the lesson's worksheet page ({result["first_request_worksheet_s"]} s: imports, templates,
derivatives' existence checked), as a running server would be.

Measured {result["date"]} on {result["machine"]}; load average
{result["load_average_at_start"]} at the start and {result["load_average_at_end"]} at the
end{busy}.

| {result["images"]} images, ZIP {result["zip_mb"]} MB | median | slowest | target |
|---|---|---|---|
| built (cache cold) | **{result["cold_median_s"]} s** | {result["cold_max_s"]} s | < {TARGET_SECONDS:g} s |
| from the cache | {result["cached_median_s"]} s | {result["cached_max_s"]} s | |

Target **{"met" if met else "not met"}**. The process's peak RSS was
{result["peak_rss_mb_before_zips"]} MB before the first ZIP and {result["peak_rss_mb"]} MB
after all of them: the ZIP is written to a file, never held whole in memory (the test client
joins the body it reads, which a server streaming the file does not).

Raw figures: `benchmarks/results/classroom_zip.json`.
"""  # noqa: E501
    write_section(section)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=12)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-doc", action="store_true", help="do not write results or docs")
    args = parser.parse_args()
    load_at_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="kronika-bench-zip-") as tmp:
        setup_django(Path(tmp))
        figures = measure(args.images, args.runs)
    result = {
        "date": datetime.date.today().isoformat(),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, "
        f"Python {platform.python_version()}, SQLite (WAL)",
        "load_average_at_start": round(load_at_start, 2),
        "load_average_at_end": round(os.getloadavg()[0], 2),
        **figures,
    }
    print(json.dumps(result, indent=2))
    if not args.no_doc:
        RESULT.parent.mkdir(exist_ok=True)
        RESULT.write_text(json.dumps(result, indent=2) + "\n")
        write_doc(result)


if __name__ == "__main__":
    main()
