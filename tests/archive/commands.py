"""Running the catalogue's management commands from tests."""

import io
from pathlib import Path

from django.core.management import CommandError, call_command


def run_import(path: Path, *args: str) -> tuple[int, str]:
    """import_catalogue's exit code and what it said (the errors when it failed)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_catalogue", str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, err.getvalue()
    return 0, out.getvalue()
