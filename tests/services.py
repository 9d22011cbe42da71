"""What the service-tier tests share: the services `make test-services` starts for them."""

import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def required_env(name: str, what: str) -> str:
    """The value of an environment variable the service tier sets, or a failure saying how
    to get it (never a skip: a service test that cannot run has not passed)."""
    value = os.environ.get(name, "").strip()
    if not value:
        pytest.fail(
            f"{name} is not set: this test needs {what}. Run `make test-services` "
            f"(scripts/test-services.sh), which starts it and sets {name}."
        )
    return value


def free_ports(first: int, last: int, count: int) -> list[int]:
    """`count` distinct ports in [first, last] nobody listens on (for services a test starts
    of its own)."""
    rng = random.Random()
    found: list[int] = []
    for _ in range(200 * count):
        port = rng.randint(first, last)
        if port in found:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    pytest.fail(f"no {count} free port(s) in {first}-{last}")


def free_port(first: int, last: int) -> int:
    """A port in [first, last] nobody listens on (a service a test starts of its own)."""
    return free_ports(first, last, 1)[0]


class OwnSearchNode:
    """An OpenSearch node of a test's own, never the suite's: the test may freeze or kill it.

    Started with scripts/services/opensearch.sh under another name, HTTP port (the node's
    runner takes HTTP ports up to 9299 only), transport port (the suite's node takes its
    from 9301-9399) and data directory, with a small heap; `remove()` stops it (thawing it
    first if the test froze it) and deletes everything it wrote.
    """

    SCRIPT = ROOT / "scripts" / "services" / "opensearch.sh"

    def __init__(self, purpose: str):
        required_env("KRONIKA_TEST_SEARCH_URL", "the OpenSearch service built")
        self.name = f"opensearch-{purpose}-{uuid.uuid4().hex[:8]}"
        self.env = {
            **os.environ,
            "KRONIKA_OPENSEARCH_NAME": self.name,
            "KRONIKA_OPENSEARCH_PORT": str(free_port(9250, 9299)),
            "KRONIKA_OPENSEARCH_TRANSPORT_PORT": str(free_port(9400, 9499)),
            "KRONIKA_OPENSEARCH_HEAP_MIN": "256m",
            "KRONIKA_OPENSEARCH_HEAP_MAX": "512m",
            "KRONIKA_OPENSEARCH_TIMEOUT": "240",
        }
        self.services = Path(self.env.get("KRONIKA_SERVICES_DIR") or ROOT / "var" / "services")
        self.url = ""

    def start(self, keep_data: bool = False) -> float:
        """Start the node (on the data its last run left with `keep_data`); the seconds it
        took."""
        started = time.monotonic()
        env = {**self.env, "KRONIKA_OPENSEARCH_KEEP_DATA": "1" if keep_data else "0"}
        answer = subprocess.run(
            [self.SCRIPT, "start"], env=env, stdout=subprocess.PIPE, text=True, timeout=600
        )
        assert answer.returncode == 0, f"the test's own node did not start ({self.name})"
        self.url = next(
            line.split("=", 1)[1]
            for line in answer.stdout.splitlines()
            if line.startswith("SEARCH_URL=")
        )
        return time.monotonic() - started

    @property
    def pid(self) -> int:
        return int((self.services / f"{self.name}.pid").read_text())

    def kill(self) -> None:
        """SIGKILL, and wait until the process is gone."""
        pid = self.pid
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
            time.sleep(0.1)
        pytest.fail(f"node {pid} still alive 30 s after SIGKILL")

    def remove(self) -> None:
        with contextlib.suppress(FileNotFoundError, ValueError, ProcessLookupError):
            os.kill(self.pid, signal.SIGCONT)  # a frozen node cannot stop
        subprocess.run([self.SCRIPT, "stop"], env=self.env, timeout=120, check=False)
        shutil.rmtree(self.services / self.name, ignore_errors=True)
        for suffix in (".log", ".pid", ".port"):
            (self.services / f"{self.name}{suffix}").unlink(missing_ok=True)
