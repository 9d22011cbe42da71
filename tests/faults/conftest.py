"""What the fault tests share: services of their own (never the suite's), and a site run by
gunicorn on them.

Each fault test starts the service it breaks itself (a PostgreSQL cluster or an OpenSearch
node on its own port and data directory, with the project's own scripts) and stops it
after: the suite's PostgreSQL (KRONIKA_TEST_DATABASE_URL) and OpenSearch node
(KRONIKA_TEST_SEARCH_URL) are never stopped, frozen or killed, since other test runs use them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.services import free_port  # noqa: F401 (the fault tests import it from here)

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "scripts" / "services"


def run(args, env: dict, timeout: float = 300, check: bool = True) -> subprocess.CompletedProcess:
    answer = subprocess.run(
        [str(arg) for arg in args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check:
        assert answer.returncode == 0, (
            f"{' '.join(map(str, args))} failed ({answer.returncode}):\n"
            f"{answer.stdout[-2000:]}\n{answer.stderr[-3000:]}"
        )
    return answer


@dataclass
class Cluster:
    """A PostgreSQL cluster of a fault test's own (scripts/services/postgres.sh)."""

    env: dict
    url: str

    def stop(self) -> None:
        run([SERVICES / "postgres.sh", "stop"], self.env, timeout=120)

    def resume(self) -> None:
        run([SERVICES / "postgres.sh", "resume"], self.env, timeout=120)


@pytest.fixture(scope="module")
def own_postgres():
    """A fresh PostgreSQL cluster on another port and data directory, stopped and removed
    after the module (the suite's cluster at KRONIKA_TEST_DATABASE_URL is never touched)."""
    if not os.environ.get("KRONIKA_TEST_DATABASE_URL"):
        pytest.fail(
            "This fault test needs PostgreSQL installed (make test-services installs it and "
            "sets KRONIKA_TEST_DATABASE_URL); it starts a cluster of its own."
        )
    base = Path(tempfile.gettempdir()) / f"kronika-pg-faults-{uuid.uuid4().hex[:8]}"
    base.mkdir(mode=0o755)
    env = {
        **os.environ,
        "KRONIKA_PG_PORT": str(free_port(55400, 55899)),
        "KRONIKA_PG_DIR": str(base / "pg"),
    }
    try:
        started = run([SERVICES / "postgres.sh", "start"], env, timeout=180)
        url = next(
            line.split("=", 1)[1]
            for line in started.stdout.splitlines()
            if line.startswith("DATABASE_URL=")
        )
        yield Cluster(env=env, url=url)
    finally:
        run([SERVICES / "postgres.sh", "stop"], env, timeout=120, check=False)
        shutil.rmtree(base, ignore_errors=True)


def site_env(database_url: str, media_root: Path, **extra: str) -> dict:
    """The environment of a production-like site (DEBUG off) on the given database."""
    env = {
        name: os.environ[name] for name in ("PATH", "HOME", "TMPDIR", "LANG") if name in os.environ
    }
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY="faults-" + uuid.uuid4().hex * 2,
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        MEDIA_ROOT=str(media_root),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def manage(env: dict, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return run([sys.executable, "manage.py", *args], env, timeout=timeout)


def collect_static(env: dict, workdir: Path) -> None:
    """collectstatic into the test's own STATIC_ROOT: with DEBUG off pages name the hashed
    files of its manifest, as in production."""
    env["STATIC_ROOT"] = str(workdir / "static")
    manage(env, "collectstatic", "--noinput", "-v", "0")


@dataclass
class Site:
    url: str
    process: subprocess.Popen
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


@contextlib.contextmanager
def gunicorn(env: dict, workdir: Path, workers: int = 2):
    """gunicorn with config/gunicorn.conf.py (the application and request limits) on a free
    port, its access and error log in one file; stopped (SIGTERM) on the way out."""
    port = free_port(18100, 18999)
    log = workdir / "gunicorn.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                str(ROOT / "config" / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--timeout",
                "60",
                "--access-logfile",
                "-",
                "--error-logfile",
                "-",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    site = Site(url=f"http://127.0.0.1:{port}", process=process, log=log)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, f"gunicorn exited:\n{site.log_text()[-3000:]}"
            with contextlib.suppress(requests.RequestException):
                if requests.get(site.url + "/healthz", timeout=5).status_code == 200:
                    break
            assert time.monotonic() < deadline, f"gunicorn not ready:\n{site.log_text()[-3000:]}"
            time.sleep(0.5)
        yield site
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
