"""What the service-tier tests share: the services `make test-services` starts for them."""

import os

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
