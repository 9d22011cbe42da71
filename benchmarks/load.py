"""Load on the production stack: many clients through nginx → gunicorn → PostgreSQL + OpenSearch.

Run: .venv/bin/python benchmarks/load.py [--clients 50] [--duration 120] [--workers 5]
     (`make bench-load`; a run takes the stack's start, about two minutes, plus 2 × duration)

Starts its own copy of the deployment (scripts/services/stack.sh: nginx from Debian with the
site of deploy/nginx/kronika.conf over HTTPS, gunicorn with deploy/gunicorn.conf.py, the
outbox worker) in var/services/load/, on its own free ports, its own PostgreSQL database
(`<name>_loadstack` on the server of KRONIKA_TEST_DATABASE_URL) and its own OpenSearch alias
(`<alias>_stack` under KRONIKA_TEST_SEARCH_URL). Without those variables it uses (starting
them when needed) scripts/services/postgres.sh and opensearch.sh, as benchmarks/search.py
does. The demo catalogue is loaded, two large images are uploaded so that IIIF tiles exist,
and every address of the mix is fetched once (it must answer 200) before the clock starts.

The load: wrk (Debian's package) over HTTPS, one wrk process per route group, the clients
shared among the groups by the weights of GROUPS (home, browse, search with filters, item
pages, API list / detail / search, IIIF, OAI-PMH, sitemap); each connection sends its next
request as soon as the last one is answered (a closed loop). Two runs: reads only, then the
same with an archivist at work: PATCHes through the API (every answer must be 2xx), and two
CSV imports through the admin (one creating items, one changing them). Afterwards: the
database holds every acknowledged write (nothing lost), the outbox drains, and the search
index holds what the database holds (each item's last marker finds it, the marker before
does not). The machine's load average is sampled during each run and reported beside it.

Results: benchmarks/results/load.json and the "Load" section of docs/benchmarks.md.
tests/test_load_stack.py runs a short version (10 clients × 10 s) in the service tier.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import html
import io
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import requests
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent))
from report import ensure_wrk, free_port, write_section  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
STACK = ROOT / "scripts" / "services" / "stack.sh"
RESULT = ROOT / "benchmarks" / "results" / "load.json"

# Route groups and their share of the clients (a visitor-heavy mix: pages and search first,
# then the API, harvesters and IIIF viewers).
GROUPS = {
    "home": 3,
    "browse": 4,
    "search": 8,
    "item": 8,
    "api-list": 4,
    "api-detail": 4,
    "api-search": 5,
    "iiif": 6,
    "oai": 4,
    "sitemap": 2,
}
WORDS = ["cmentarz", "kościół", "szkoła", "mszczonów", "wojna", "młyn", "kapliczka",
         "rynek", "dwór", "pomnik", "zdjęcie", "parafia", "straż", "kolej"]  # fmt: skip
TIMEOUT_S = 10  # a request not answered within this counts as a timeout
DRAIN_LIMIT_S = 180
PASSWORD = "load-" + uuid.uuid4().hex

# One wrk process per group runs this: each request picks one of the group's addresses.
LUA = r"""
math.randomseed(%(seed)d)
local paths = {%(paths)s}
request = function()
  return wrk.format("GET", paths[math.random(1, #paths)], {
    ["Accept-Encoding"] = "gzip", ["Accept"] = "text/html,application/json,*/*"})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %%d, "seconds": %%.3f, "bytes": %%d, "p50_us": %%d, "p95_us": %%d,' ..
    ' "p99_us": %%d, "max_us": %%d, "status_errors": %%d, "connect": %%d, "read": %%d,' ..
    ' "write": %%d, "timeouts": %%d}\n',
    summary.requests, summary.duration / 1e6, summary.bytes, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.max, e.status, e.connect,
    e.read, e.write, e.timeout))
end
"""


# --- the stack ---------------------------------------------------------------------------------


class Stack:
    """scripts/services/stack.sh with a name of its own: its directory, free ports, database
    and search alias, so that it runs beside the service tier's own stack."""

    def __init__(self, name: str, database_url: str, search_url: str, workers: int):
        self.name = name
        self.workers = workers
        db = urlsplit(database_url)
        self.database = f"{db.path.strip('/') or 'kronika'}_{name}stack"
        # stack.sh adds "_stack" to the alias: <alias>_<name>_stack, apart from the
        # service tier's own stack (tests/test_deploy_stack.py).
        search = urlsplit(search_url)
        alias = f"{search.path.strip('/') or 'kronika'}_{name}"
        self.search_server = urlunsplit(search._replace(path=""))
        self.search_alias = alias + "_stack"
        search_url = f"{self.search_server}/{alias}"
        self.env = {
            **os.environ,
            "KRONIKA_PYTHON": sys.executable,
            "KRONIKA_SERVICES_DIR": str(ROOT / "var" / "services" / name),
            "KRONIKA_STACK_HTTPS_PORT": str(free_port()),
            "KRONIKA_STACK_HTTP_PORT": str(free_port()),
            "KRONIKA_STACK_APP_PORT": str(free_port()),
            "KRONIKA_STACK_WORKERS": str(workers),
            "KRONIKA_TEST_DATABASE_URL": database_url,
            "KRONIKA_STACK_DATABASE": self.database,
            "KRONIKA_TEST_SEARCH_URL": search_url,
            # Every client of the run comes from 127.0.0.1: one address for the API's
            # anonymous rate limit, which would answer 429 to most of them.
            "KRONIKA_STACK_EXTRA_ENV": "API_ANON_THROTTLE_RATE=100000000/second",
            # Five workers booting on a machine shared with other work can take minutes.
            "KRONIKA_STACK_START_TIMEOUT": "240",
        }
        self.info: dict[str, str] = {}

    def start(self) -> dict[str, str]:
        started = subprocess.run(
            [str(STACK), "start"], env=self.env, capture_output=True, text=True, timeout=900
        )
        if started.returncode != 0:
            raise RuntimeError(f"stack.sh start failed:\n{started.stderr[-3000:]}")
        self.info = dict(line.split("=", 1) for line in started.stdout.splitlines() if "=" in line)
        return self.info

    def stop(self) -> None:
        subprocess.run([str(STACK), "stop"], env=self.env, capture_output=True, timeout=180)

    def drop_index(self) -> None:
        """Delete the indices behind the stack's search alias (on the shared node, only
        what this stack made)."""
        found = requests.get(f"{self.search_server}/_alias/{self.search_alias}", timeout=30)
        for index in found.json() if found.status_code == 200 else {}:
            requests.delete(f"{self.search_server}/{index}", timeout=60)

    def drop_database(self) -> None:
        import psycopg

        admin = urlunsplit(
            urlsplit(self.env["KRONIKA_TEST_DATABASE_URL"])._replace(path="/postgres")
        )
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def manage_env(self) -> dict[str, str]:
        """The environment of the stack's processes, for manage.py against the same site."""
        env = {k: os.environ[k] for k in ("PATH", "HOME", "TMPDIR") if k in os.environ}
        for line in Path(self.info["STACK_ENV"]).read_text().splitlines():
            key, _sep, value = line.partition("=")
            if key and not key.startswith("#"):
                env[key] = value.strip('"')
        return env

    @property
    def url(self) -> str:
        return self.info["STACK_URL"]

    def session(self) -> requests.Session:
        session = requests.Session()
        session.trust_env = False
        session.verify = self.info["STACK_CERT"]
        return session


def make_archivist(stack: Stack) -> None:
    """An editor (may publish; imports and edits) with a known password."""
    create = (
        "import os; from django.contrib.auth.models import Group, User;"
        "u, _ = User.objects.get_or_create(username='archiwistka', is_staff=True);"
        "u.set_password(os.environ['LOAD_PASSWORD']); u.save();"
        "u.groups.add(Group.objects.get(name='Redaktor'))"
    )
    made = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", create],
        cwd=ROOT,
        env={**stack.manage_env(), "LOAD_PASSWORD": PASSWORD},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if made.returncode != 0:
        raise RuntimeError(made.stderr[-3000:])


def api_session(stack: Stack) -> requests.Session:
    token = stack.session().post(
        stack.url + "/api/v1/auth/token/",
        json={"username": "archiwistka", "password": PASSWORD},
        timeout=30,
    )
    token.raise_for_status()
    session = stack.session()
    session.headers["Authorization"] = f"Token {token.json()['token']}"
    return session


def admin_session(stack: Stack) -> requests.Session:
    """Logged in to the admin as a browser is: the login form with its CSRF token."""
    session = stack.session()
    login = stack.url + "/pl/admin/login/"
    form = session.get(login, timeout=30)
    answer = session.post(
        login,
        data={
            "csrfmiddlewaretoken": _csrf(form.text),
            "username": "archiwistka",
            "password": PASSWORD,
            "next": "/pl/admin/",
        },
        headers={"Referer": login, "Origin": stack.url},
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"admin login failed: {answer.status_code}")
    return session


def _csrf(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]


def _jpeg(width: int, height: int, seed: int) -> bytes:
    """A photograph-sized JPEG with some detail (shapes), so tiles are not trivially small."""
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height), (rng.randrange(256), 90, 60))
    draw = ImageDraw.Draw(image)
    for _ in range(400):
        x, y = rng.randrange(width), rng.randrange(height)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.ellipse((x, y, x + rng.randrange(20, 400), y + rng.randrange(20, 400)), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def upload_large_images(stack: Stack, api: requests.Session, identifiers: list[str]) -> None:
    """Large images (IIIF tiles) on published items, as an archivist uploads them."""
    for number, identifier in enumerate(identifiers):
        answer = api.post(
            stack.url + "/api/v1/media/",
            data={
                "item": identifier,
                "alt_text": "Kolorowe koła na tle",
                "alt_text_en": "Coloured circles on a background",
            },
            files={"file": (f"duze-{number}.jpg", _jpeg(4000, 3000, number), "image/jpeg")},
            timeout=120,
        )
        if answer.status_code != 201:
            raise RuntimeError(f"upload failed: {answer.status_code} {answer.text[:500]}")


# --- the mix -----------------------------------------------------------------------------------


def _hrefs(page: str, pattern: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(rf'href="({pattern})"', page)]


def discover(stack: Stack) -> dict[str, list[str]]:
    """The addresses of every route group, found by reading the site as a visitor does."""
    s = stack.session()
    base = stack.url

    def get(path: str, **params) -> requests.Response:
        return s.get(base + path, params=params, timeout=60)

    items, page = [], base + "/api/v1/items/?page_size=100"
    while page:
        body = s.get(page, timeout=60).json()
        items += body["results"]
        page = body["next"]
    identifiers = [i["identifier"] for i in items]
    with_images = [i["identifier"] for i in items if i.get("image")]
    mix: dict[str, list[str]] = {name: [] for name in GROUPS}
    mix["home"] = ["/pl/", "/en/"]

    browse = get("/pl/browse/").text
    listings = sorted(set(_hrefs(browse, r"/pl/search/\?[^\"]+")))
    collections = sorted(set(_hrefs(browse, r"/pl/collections/[^\"]+/")))
    mix["browse"] = ["/pl/browse/", "/en/browse/", "/pl/collections/", *collections[:10]]
    mix["browse"] += listings[:20]

    for word in WORDS:
        mix["search"].append(f"/pl/search/?q={word}")
        results = get("/pl/search/", q=word).text
        # Facet links: the same query narrowed by type, place, subject, decade…
        mix["search"] += sorted(set(_hrefs(results, r"/pl/search/\?q=[^\"]+&amp;[^\"]+")))[:6]
    mix["item"] = [f"/{lang}/items/{i}/" for i in identifiers for lang in ("pl", "en")]

    pages = max(1, len(identifiers) // 20)
    mix["api-list"] = [f"/api/v1/items/?page={n}" for n in range(1, pages + 1)]
    mix["api-list"] += [f"/api/v1/items/?item_type={t}&ordering=-date"
                        for t in ("photograph", "document", "monument", "artifact")]  # fmt: skip
    mix["api-detail"] = [f"/api/v1/items/{i}/" for i in identifiers]
    mix["api-search"] = [f"/api/v1/search/?q={w}" for w in WORDS]
    mix["api-search"] += [f"/api/v1/search/?q={w}&item_type=photograph" for w in WORDS[:5]]

    mix["iiif"] = [f"/iiif/{i}/manifest.json" for i in with_images]
    for identifier in with_images:
        manifest = get(f"/iiif/{identifier}/manifest.json").text
        for service in set(re.findall(r'"https://[^"]+?(/iiif/image/[0-9a-f]{64})"', manifest)):
            info = get(f"{service}/info.json").json()
            mix["iiif"].append(f"{service}/info.json")
            mix["iiif"] += _tiles(service, info)

    mix["oai"] = ["/oai/?verb=Identify", "/oai/?verb=ListSets"]
    for verb in ("ListRecords", "ListIdentifiers"):
        path = f"/oai/?verb={verb}&metadataPrefix=oai_dc"
        while path and len(mix["oai"]) < 12:
            mix["oai"].append(path)
            token = re.search(r"<resumptionToken[^>]*>([^<]+)<", get(path).text)
            path = f"/oai/?verb={verb}&resumptionToken={token[1]}" if token else None
    mix["oai"] += [f"/oai/?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:kronika.test:{i}"
                   for i in identifiers[:20]]  # fmt: skip

    sitemap = get("/sitemap.xml").text
    mix["sitemap"] = ["/sitemap.xml"] + [
        urlsplit(loc).path + (f"?{urlsplit(loc).query}" if urlsplit(loc).query else "")
        for loc in re.findall(r"<loc>([^<]+sitemap[^<]*)</loc>", sitemap)
    ]
    # As a browser sends them: percent-encoded (Polish letters in queries).
    return {
        name: sorted({quote(p, safe="/?&=:%,+;!") for p in paths}) for name, paths in mix.items()
    }


def _tiles(service: str, info: dict) -> list[str]:
    """Every tile of the image's pyramid and its listed sizes, as a viewer asks for them."""
    paths = [f"{service}/full/{s['width']},/0/default.jpg" for s in info.get("sizes", [])]
    for tiles in info.get("tiles", []):
        side = tiles["width"]
        for factor in tiles["scaleFactors"]:
            span = side * factor
            for y in range(0, info["height"], span):
                for x in range(0, info["width"], span):
                    w, h = min(span, info["width"] - x), min(span, info["height"] - y)
                    size = f"{-(-w // factor)},"
                    paths.append(f"{service}/{x},{y},{w},{h}/{size}/0/default.jpg")
    return paths


def check_mix(stack: Stack, mix: dict[str, list[str]]) -> dict[str, list[str]]:
    """Fetch every address once (this also warms the caches and makes the IIIF tiles); an
    address that does not answer 200 is a fault of the site or of the discovery: stop."""
    s = stack.session()
    bad = []
    for name, paths in mix.items():
        if not paths:
            bad.append(f"{name}: no addresses")
        for path in paths:
            answer = s.get(stack.url + path, allow_redirects=False, timeout=120)
            if answer.status_code != 200:
                bad.append(f"{name} {path}: {answer.status_code}")
    if bad:
        raise RuntimeError("addresses of the mix that do not answer 200:\n" + "\n".join(bad))
    return mix


# --- the load ------------------------------------------------------------------------------------


def connections(clients: int) -> dict[str, int]:
    """The clients shared among the groups by weight, each group at least one."""
    total = sum(GROUPS.values())
    shares = {name: max(1, round(clients * w / total)) for name, w in GROUPS.items()}
    while sum(shares.values()) > clients and max(shares.values()) > 1:
        biggest = max(shares, key=lambda n: shares[n])
        shares[biggest] -= 1
    while sum(shares.values()) < clients:
        shares[max(GROUPS, key=lambda n: GROUPS[n] / shares[n])] += 1
    return shares


class LoadSampler(threading.Thread):
    """The machine's 1-minute load average every few seconds during a run."""

    def __init__(self, every: float = 5.0):
        super().__init__(daemon=True)
        self.every, self.samples, self.stopped = every, [], threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.samples.append(os.getloadavg()[0])
            self.stopped.wait(self.every)

    def summary(self) -> dict:
        self.stopped.set()
        self.join()
        samples = self.samples or [os.getloadavg()[0]]
        return {"start": round(samples[0], 2), "mean": round(sum(samples) / len(samples), 2),
                "max": round(max(samples), 2), "end": round(os.getloadavg()[0], 2),
                "cores": os.cpu_count()}  # fmt: skip


def _lua(paths: list[str], seed: int) -> str:
    quoted = ", ".join(json.dumps(p) for p in paths)  # JSON strings are valid Lua strings here
    return LUA % {"seed": seed, "paths": quoted}


def run_load(stack: Stack, mix: dict[str, list[str]], clients: int, duration: int,
             archivist: Archivist | None = None) -> dict:  # fmt: skip
    """All groups at once for `duration` seconds; figures per group and in total."""
    wrk = ensure_wrk()
    shares = connections(clients)
    folder = Path(tempfile.mkdtemp(prefix="kronika-load-"))
    sampler = LoadSampler()
    processes = {}
    try:
        sampler.start()
        if archivist:
            archivist.start()
        for number, (name, count) in enumerate(shares.items()):
            script = folder / f"{name}.lua"
            script.write_text(_lua(mix[name], 1000 + number))
            processes[name] = subprocess.Popen(
                [wrk, "-t1", f"-c{count}", f"-d{duration}s", "--timeout", f"{TIMEOUT_S}s",
                 "-s", str(script), stack.url],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
        outputs = {name: p.communicate(timeout=duration + 120) for name, p in processes.items()}
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.kill()
        if archivist:
            archivist.finish()
        shutil.rmtree(folder, ignore_errors=True)
    load = sampler.summary()
    groups = {}
    for name, (out, err) in outputs.items():
        line = next((x for x in out.splitlines() if x.startswith("RESULT ")), None)
        if line is None:
            raise RuntimeError(f"wrk ({name}) printed no result: {err[-2000:]}")
        groups[name] = _figures(json.loads(line.removeprefix("RESULT ")), shares[name])
    total_requests = sum(g["requests"] for g in groups.values())
    total = {
        "connections": clients,
        "requests": total_requests,
        "requests_per_s": round(sum(g["requests_per_s"] for g in groups.values()), 1),
        "errors": sum(g["errors"] for g in groups.values()),
        "timeouts": sum(g["timeouts"] for g in groups.values()),
        # Percentiles of all requests together are not derivable from the groups' own;
        # the slowest group's are the honest upper bound.
        "p95_ms_worst_group": max(g["p95_ms"] for g in groups.values()),
        "p99_ms_worst_group": max(g["p99_ms"] for g in groups.values()),
    }
    return {"clients": clients, "duration_s": duration, "groups": groups, "total": total,
            "load_average": load}  # fmt: skip


def _figures(raw: dict, count: int) -> dict:
    return {
        "connections": count,
        "requests": raw["requests"],
        "requests_per_s": round(raw["requests"] / raw["seconds"], 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p95_ms": round(raw["p95_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "max_ms": round(raw["max_us"] / 1000, 1),
        # An error: an answer ≥ 400, or a connection that failed or broke.
        "errors": raw["status_errors"] + raw["connect"] + raw["read"] + raw["write"],
        "timeouts": raw["timeouts"],
        "megabytes": round(raw["bytes"] / 1e6, 1),
    }


# --- the archivist -------------------------------------------------------------------------------


class Archivist:
    """Edits items through the API and imports two CSV files through the admin while the
    load runs (in a thread of its own), remembering every write the site acknowledged."""

    def __init__(self, stack: Stack, targets: list[str], duration: int, imported: int = 100,
                 pause: float = 0.3):  # fmt: skip
        self.stack, self.targets, self.duration = stack, targets, duration
        self.imported, self.pause = imported, pause
        self.acknowledged: dict[str, list[str]] = {}  # item → markers written, in order
        self.failures: list[str] = []
        self.edits = 0
        self.imports: list[dict] = []
        self.word = "importload" + uuid.uuid4().hex[:8]
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.api = api_session(stack)
        self.admin = admin_session(stack)
        self.originals = {
            identifier: self.api.get(self._item(identifier), timeout=30).json()["description"]
            for identifier in targets
        }

    def start(self) -> None:
        self.thread.start()

    def _item(self, identifier: str) -> str:
        return f"{self.stack.url}/api/v1/items/{identifier}/"

    def run(self) -> None:
        started = time.monotonic()
        plan = [self.duration / 3, 2 * self.duration / 3]  # the two imports
        number = 0
        while not self.done.is_set():
            elapsed = time.monotonic() - started
            if plan and elapsed >= plan[0]:
                plan.pop(0)
                self._import(update=len(self.imports) > 0)
                continue
            identifier = self.targets[number % len(self.targets)]
            number += 1
            self._edit(identifier)
            self.done.wait(self.pause)

    def finish(self) -> None:
        self.done.set()
        self.thread.join(timeout=300)

    def _edit(self, identifier: str) -> None:
        marker = "znacznik" + uuid.uuid4().hex[:10]
        body = {"description": f"{self.originals[identifier]}\n\nZnacznik obciążenia: {marker}"}
        try:
            answer = self.api.patch(self._item(identifier), json=body, timeout=60)
        except requests.RequestException as error:
            self.failures.append(f"PATCH {identifier}: {error}")
            return
        self.edits += 1
        if answer.status_code == 200:
            self.acknowledged.setdefault(identifier, []).append(marker)
        else:
            self.failures.append(f"PATCH {identifier}: {answer.status_code} {answer.text[:300]}")

    def rows(self, update: bool) -> list[dict]:
        suffix = " (poprawione)" if update else ""
        return [
            {
                "identifier": f"LOAD-{self.word[-8:].upper()}-{n:04d}",
                "title": f"Fotografia {self.word} numer {n}{suffix}",
                "title_en": f"Photograph {self.word} number {n}{suffix}",
                "item_type": "photograph",
                "date": str(1900 + n % 100),
                "licence": "CC0-1.0",
                "status": "published",
                "places": "Mszczonów",
            }
            for n in range(self.imported)
        ]

    def _import(self, update: bool) -> None:
        """The admin's import: upload, preview, confirm, as an archivist clicks through it."""
        rows = self.rows(update)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        start = self.stack.url + "/pl/admin/archive/item/import/"
        began = time.monotonic()
        try:
            form = self.admin.get(start, timeout=60)
            uploaded = self.admin.post(
                start,
                data={"csrfmiddlewaretoken": _csrf(form.text)},
                files={"file": ("katalog.csv", buffer.getvalue().encode(), "text/csv")},
                headers={"Referer": start},
                allow_redirects=False,
                timeout=120,
            )
            if uploaded.status_code != 302:
                raise RuntimeError(f"upload answered {uploaded.status_code}")
            preview_url = self.stack.url + uploaded.headers["Location"]
            preview = self.admin.get(preview_url, timeout=60)
            confirmed = self.admin.post(
                preview_url + "confirm/",
                data={"csrfmiddlewaretoken": _csrf(preview.text)},
                headers={"Referer": preview_url},
                allow_redirects=False,
                timeout=300,
            )
            location = confirmed.headers.get("Location", "")
            if confirmed.status_code != 302 or "/import/" in location:
                raise RuntimeError(f"confirm answered {confirmed.status_code} → {location}")
        except (requests.RequestException, RuntimeError, TypeError) as error:
            self.failures.append(f"import ({'update' if update else 'create'}): {error}")
            return
        self.imports.append({"rows": len(rows), "update": update,
                             "seconds": round(time.monotonic() - began, 1)})  # fmt: skip


def wait_for_drain(stack: Stack, limit: float = DRAIN_LIMIT_S) -> float | None:
    """Seconds until the outbox is empty (the worker indexed every change), None if not."""
    s = stack.session()
    began = time.monotonic()
    while time.monotonic() - began < limit:
        if s.get(stack.url + "/healthz", timeout=30).json()["outbox"] == 0:
            return round(time.monotonic() - began, 1)
        time.sleep(0.5)
    return None


def verify_writes(stack: Stack, archivist: Archivist) -> dict:
    """Every acknowledged write is in the database and, after the drain, in the index."""
    api, public = archivist.api, stack.session()
    lost, stale_index, missing_index = [], [], []

    def found(query: str, identifier: str, **params) -> bool:
        answer = public.get(stack.url + "/api/v1/search/", params={"q": query, **params},
                            timeout=60)  # fmt: skip
        return identifier in {hit["identifier"] for hit in answer.json()["results"]}

    drained = wait_for_drain(stack)
    for identifier, markers in archivist.acknowledged.items():
        stored = api.get(archivist._item(identifier), timeout=60).json()["description"]
        if not stored.endswith(markers[-1]):
            lost.append(identifier)
        if not found(markers[-1], identifier):
            missing_index.append(identifier)
        if len(markers) > 1 and found(markers[-2], identifier):
            stale_index.append(identifier)
    expected = {r["identifier"]: r["title"] for r in archivist.rows(update=True)}
    expected_first = {r["identifier"]: r["title"] for r in archivist.rows(update=False)}
    updated = len(archivist.imports) > 1
    for identifier, title in expected.items():
        answer = api.get(archivist._item(identifier), timeout=60)
        want = title if updated else expected_first[identifier]
        if archivist.imports and (answer.status_code != 200 or answer.json()["title"] != want):
            lost.append(identifier)
    indexed = public.get(stack.url + "/api/v1/search/", params={"q": archivist.word},
                         timeout=60).json()  # fmt: skip
    return {
        "edits": archivist.edits,
        "acknowledged": sum(len(m) for m in archivist.acknowledged.values()),
        "failed_writes": archivist.failures,
        "imports": archivist.imports,
        "lost_writes": lost,
        "outbox_drained_s": drained,
        "index_missing": missing_index,
        "index_stale": stale_index,
        "imported_items_found_by_search": indexed["count"],
    }


# --- the runs ------------------------------------------------------------------------------------


def service_urls(started: list[Path]) -> tuple[str, str]:
    """PostgreSQL and OpenSearch: the service tier's, else our service scripts' own."""

    def service(name: str, variable: str, key: str) -> str:
        if os.environ.get(variable):
            return os.environ[variable]
        script = ROOT / "scripts" / "services" / f"{name}.sh"
        out = subprocess.run([script, "status"], capture_output=True, text=True)
        text = out.stdout
        if out.returncode != 0:
            text = subprocess.run([script, "start"], stdout=subprocess.PIPE, text=True,
                                  check=True).stdout  # fmt: skip
            started.append(script)
        return next(x.split("=", 1)[1] for x in text.splitlines() if x.startswith(key + "="))

    database = service("postgres", "KRONIKA_TEST_DATABASE_URL", "KRONIKA_TEST_DATABASE_URL")
    search = service("opensearch", "KRONIKA_TEST_SEARCH_URL", "KRONIKA_TEST_SEARCH_URL")
    return database, search


def prepare(stack: Stack) -> tuple[dict[str, list[str]], list[str]]:
    """Start the stack, the archivist's account, large images; the mix, checked."""
    stack.start()
    make_archivist(stack)
    api = api_session(stack)
    if wait_for_drain(stack) is None:
        raise RuntimeError("the worker did not index the demo catalogue")
    listed = api.get(stack.url + "/api/v1/items/", params={"page_size": 100}, timeout=60).json()
    published = [i["identifier"] for i in listed["results"] if i.get("status") == "published"]
    upload_large_images(stack, api, published[:2])
    mix = check_mix(stack, discover(stack))
    return mix, published[2:12]


def run(clients: int, duration: int, workers: int, scenarios: list[str]) -> dict:
    started: list[Path] = []
    database_url, search_url = service_urls(started)
    stack = Stack("load", database_url, search_url, workers)
    result = {
        "date": datetime.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "stack": f"nginx (HTTPS) → gunicorn ({workers} sync workers) → PostgreSQL + OpenSearch, "
        "with the outbox worker",
        "wrk": f"one wrk process per route group, {clients} connections in all, "
        f"timeout {TIMEOUT_S} s",
    }
    try:
        mix, targets = prepare(stack)
        result["addresses"] = {name: len(paths) for name, paths in mix.items()}
        if "read" in scenarios:
            print(f"load: reads, {clients} clients × {duration} s", file=sys.stderr)
            result["read"] = run_load(stack, mix, clients, duration)
        if "write" in scenarios:
            print(f"load: reads + an archivist, {clients} clients × {duration} s", file=sys.stderr)
            archivist = Archivist(stack, targets, duration)
            result["write"] = run_load(stack, mix, clients, duration, archivist)
            result["write"]["writes"] = verify_writes(stack, archivist)
    finally:
        stack.stop()
        stack.drop_database()
        stack.drop_index()
        for script in reversed(started):
            subprocess.run([script, "stop"], check=False)
    return result


def passed(run_result: dict) -> bool:
    total = run_result["total"]
    writes = run_result.get("writes")
    ok = total["errors"] == 0 and total["timeouts"] == 0
    if writes:
        ok = ok and not (writes["failed_writes"] or writes["lost_writes"]
                         or writes["index_missing"] or writes["index_stale"])  # fmt: skip
        ok = ok and writes["outbox_drained_s"] is not None
    return ok


# --- the report ----------------------------------------------------------------------------------


def _table(run_result: dict) -> str:
    rows = ["| route group | clients | requests | req/s | p50 ms | p95 ms | p99 ms | max ms "
            "| errors | timeouts |", "|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for name, g in run_result["groups"].items():
        rows.append(f"| {name} | {g['connections']} | {g['requests']:,} | {g['requests_per_s']} "
                    f"| {g['p50_ms']} | {g['p95_ms']} | {g['p99_ms']} | {g['max_ms']} "
                    f"| {g['errors']} | {g['timeouts']} |")  # fmt: skip
    t = run_result["total"]
    rows.append(f"| **all** | {t['connections']} | {t['requests']:,} | **{t['requests_per_s']}** "
                f"| | ≤ {t['p95_ms_worst_group']} | ≤ {t['p99_ms_worst_group']} | "
                f"| **{t['errors']}** | **{t['timeouts']}** |")  # fmt: skip
    load = run_result["load_average"]
    rows.append("")
    rows.append(f"Load average (1 min) during the run: {load['start']} at the start, mean "
                f"{load['mean']}, max {load['max']}, {load['end']} at the end, on "
                f"{load['cores']} cores.")  # fmt: skip
    return "\n".join(rows)


def _writes(writes: dict) -> str:
    imports = ", ".join(f"{i['rows']} rows {'changed' if i['update'] else 'created'} in "
                        f"{i['seconds']} s" for i in writes["imports"]) or "none"  # fmt: skip
    return (
        f"The archivist: {writes['edits']} PATCHes ({writes['acknowledged']} acknowledged, "
        f"failed: {len(writes['failed_writes'])}), imports through the admin: {imports}. "
        f"Lost writes: **{len(writes['lost_writes'])}**. The outbox drained "
        + (
            f"{writes['outbox_drained_s']} s after the run"
            if writes["outbox_drained_s"] is not None
            else "**not** within the limit"
        )  # fmt: skip
        + f"; the index then lacked {len(writes['index_missing'])} last edits and still held "
        f"{len(writes['index_stale'])} superseded ones; search found "
        f"{writes['imported_items_found_by_search']} of the imported items."
    )


def write_doc(result: dict) -> None:
    parts = [
        "## Load",
        "",
        f"`benchmarks/load.py` (`make bench-load`), {result['date']}, {result['machine']}. "
        f"The production stack of `deploy/` started by `scripts/services/stack.sh`: "
        f"{result['stack']}, the demo catalogue plus two 4000 × 3000 images (IIIF tiles). "
        f"Load: {result['wrk']}; closed loop (each connection sends its next request when "
        "the last is answered), so the rate is what the stack gives, not a target. An error "
        "is an answer ≥ 400 or a broken connection. wrk, nginx, gunicorn, PostgreSQL and "
        "OpenSearch share the same cores. Addresses per group: "
        + ", ".join(f"{k} {v}" for k, v in result["addresses"].items())
        + ".",
    ]
    busiest = max(result[s]["load_average"]["mean"] for s in ("read", "write") if s in result)
    if busiest > (os.cpu_count() or 1):
        parts += ["", f"**Read these figures with the load average beside them.** During the "
                  f"runs the machine's load average was about {busiest:.0f} on "
                  f"{os.cpu_count()} cores: other work outnumbered the stack's processes many "
                  "times over, so the latencies and rates below measure the shared machine "
                  "more than Kronika. What they do show is that nothing failed and nothing "
                  "was lost under that pressure. Rerun `make bench-load` on a quiet machine "
                  "for speed figures."]  # fmt: skip
    if "read" in result:
        parts += ["", "### Reads", "", _table(result["read"])]
    if "write" in result:
        parts += ["", "### Reads with an archivist at work", "",
                  "The same mix while an archivist PATCHes items through the API (one after "
                  "another) and imports a CSV through the admin twice (creating, then changing "
                  "the same rows).", "", _table(result["write"]), "",
                  _writes(result["write"]["writes"])]  # fmt: skip
    parts += ["", "Raw figures: `benchmarks/results/load.json`. The same run, short (10 clients "
              "× 10 s) and asserting 0 errors, 0 timeouts and no lost write, is "
              "`tests/test_load_stack.py` in the service tier."]  # fmt: skip
    write_section("\n".join(parts) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=int, default=120, help="seconds per run")
    parser.add_argument("--workers", type=int, default=5,
                        help="gunicorn workers (default 5: 2 × cores + 1 on 2 cores)")  # fmt: skip
    parser.add_argument("--scenarios", nargs="+", choices=["read", "write"],
                        default=["read", "write"])  # fmt: skip
    parser.add_argument("--no-doc", action="store_true")
    parser.add_argument("--doc-only", action="store_true",
                        help="rewrite docs/benchmarks.md from the last results")  # fmt: skip
    args = parser.parse_args()
    if args.doc_only:
        write_doc(json.loads(RESULT.read_text()))
        return
    result = run(args.clients, args.duration, args.workers, args.scenarios)
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    if not args.no_doc:
        write_doc(result)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    scenario_results = [result[s] for s in ("read", "write") if s in result]
    sys.exit(0 if all(passed(r) for r in scenario_results) else 1)


if __name__ == "__main__":
    main()
