"""What every benchmark script shares: its section of docs/benchmarks.md, a free port and
what the machine's load says about the figures.

Each script owns one `## Heading` section of docs/benchmarks.md and rewrites only that
section, in place, so the scripts can run in any order (`make bench`).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"


def write_section(section: str, doc: Path = DOC) -> None:
    """Put `section` (its first line is `## Heading`) in place of the section with the same
    heading, or at the end of the file when there is none yet."""
    heading = section.split("\n", 1)[0]
    if not heading.startswith("## "):
        raise ValueError(f"a benchmark section starts with '## ', not {heading!r}")
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    body = section.strip("\n") + "\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _m: body + "\n", text, count=1).rstrip("\n") + "\n"
    else:
        text = text.rstrip("\n") + "\n\n" + body
    doc.write_text(text, encoding="utf-8")


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load_note(load_at_start: float) -> str:
    """The end of the "load average … at the end" sentence. The run itself loads the
    cores; only a load above one when it starts means other work competed with it."""
    if load_at_start > 1.0:
        return (
            f" — the {os.cpu_count()} cores were already busy with other work when the run "
            "started, so these figures are pessimistic and noisy"
        )
    return " (the machine was otherwise idle)"


def ensure_wrk() -> str:
    """The wrk binary, installed from Debian's packages when it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: apt-get install -y wrk", file=sys.stderr)
    install = ["apt-get", "install", "-y", "-q", "wrk"]
    if os.geteuid() != 0:
        install.insert(0, "sudo")
    if subprocess.run(install, check=False).returncode != 0:
        subprocess.run([*install[:-5], "apt-get", "update", "-q"], check=True)
        subprocess.run(install, check=True)
    found = shutil.which("wrk")
    if not found:
        sys.exit("wrk could not be installed")
    return found
