"""What the service-tier tests share: the services `make test-services` starts for them."""

import os
import random
import socket

import pytest


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


def free_port(first: int, last: int) -> int:
    """A port in [first, last] nobody listens on (a service a test starts of its own)."""
    rng = random.Random()
    for _ in range(200):
        port = rng.randint(first, last)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.fail(f"no free port in {first}-{last}")
