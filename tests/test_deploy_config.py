"""The files of deploy/ stay true to the settings (docs/deployment.md); the stack itself runs
in tests/test_deploy_stack.py (service tier)."""

import re
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def _settings_read() -> set[str]:
    """Every environment variable config/settings.py reads (env.<type>("NAME", …))."""
    source = (ROOT / "config" / "settings.py").read_text()
    return set(re.findall(r'\benv(?:\.\w+)?\(\s*"([A-Z0-9_]+)"', source))


def test_example_environment_names_every_setting():
    example = (DEPLOY / "kronika.env.example").read_text()
    named = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, re.MULTILINE))
    missing = sorted(_settings_read() - named)
    assert not missing, f"deploy/kronika.env.example does not name: {missing}"


def test_example_environment_runs_production_mode():
    example = dict(
        line.split("=", 1)
        for line in (DEPLOY / "kronika.env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert example["DEBUG"] == "0"
    assert example["TASKS_BACKEND"].endswith("DummyBackend")  # the worker indexes
    assert example["API_NUM_PROXIES"] == "1"  # nginx in front


def test_gunicorn_config_keeps_the_request_limits_and_trusts_only_local_nginx(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("KRONIKA_FORWARDED_ALLOW_IPS", raising=False)
    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    base = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))
    for name in ("wsgi_app", "limit_request_line", "limit_request_fields"):
        assert config[name] == base[name]
    assert config["workers"] >= 3
    assert config["forwarded_allow_ips"] == "127.0.0.1,::1"
    assert config["timeout"] > 20  # above DATABASE_BUSY_TIMEOUT's default


def test_nginx_allows_the_largest_upload_django_accepts():
    from django.conf import settings

    site = (DEPLOY / "nginx" / "kronika.conf").read_text()
    sizes = [int(m) * 1024 * 1024 for m in re.findall(r"client_max_body_size (\d+)m;", site)]
    assert max(sizes) > settings.KRONIKA_IMPORT_MAX_BYTES
    assert min(sizes) > settings.KRONIKA_MAX_UPLOAD_BYTES


def test_units_use_the_commands_that_exist():
    from django.core.management import get_commands

    units = "\n".join(p.read_text() for p in (DEPLOY / "systemd").glob("kronika-*.service"))
    used = set(re.findall(r"manage\.py (\w+)", units))
    assert used >= {"process_search_outbox", "export_archive", "clearsessions"}
    assert used <= set(get_commands())
