"""Production settings as documented: `manage.py check --deploy`, run in a subprocess with
the environment block of docs/configuration.md ("Production"), reports nothing; HTTPS
defaults follow from the host names, and a laptop keeps plain HTTP."""

import json
import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

DOCS = settings.BASE_DIR / "docs" / "configuration.md"
# The variables a developer's or CI's environment may carry that would change the answer.
OURS = re.compile(
    r"^(DEBUG|SECRET_KEY|ALLOWED_HOSTS|CSRF_|DATABASE_URL|SECURE_|SESSION_|KRONIKA_|API_|SEARCH_)"
)
CHECK = ["check", "--deploy", "--fail-level", "WARNING"]


def documented_environment(tmp_path) -> dict[str, str]:
    """The ```env block under "## Production", with a real key and a scratch database."""
    text = DOCS.read_text(encoding="utf-8")
    block = text[text.index("## Production") :].split("```env\n", 1)[1].split("```", 1)[0]
    env = dict(line.split("=", 1) for line in block.strip().splitlines())
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    return env


def run_manage(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not OURS.match(k)}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_deploy_passes_with_the_documented_production_environment(tmp_path):
    result = run_manage(
        ["check", "--deploy", "--fail-level", "WARNING"], documented_environment(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_https_is_turned_off(tmp_path):
    env = {**documented_environment(tmp_path), "KRONIKA_HTTPS": "0"}
    result = run_manage(CHECK, env)
    assert result.returncode == 1
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def settings_in(env: dict[str, str]) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({n: getattr(s, n) for n in ("
        "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SESSION_COOKIE_SECURE', "
        "'CSRF_COOKIE_SECURE', 'SECURE_PROXY_SSL_HEADER', 'CSRF_COOKIE_HTTPONLY')}))"
    )
    base = {k: v for k, v in os.environ.items() if not OURS.match(k)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    "env, https",
    [
        ({"DEBUG": "0", "SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "archiwum.example.pl"}, True),
        ({"DEBUG": "0", "SECRET_KEY": "k" * 50}, False),
        ({"DEBUG": "0", "SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "localhost,127.0.0.1"}, False),
        ({"DEBUG": "1", "ALLOWED_HOSTS": "archiwum.example.pl"}, False),
        ({"DEBUG": "0", "SECRET_KEY": "k" * 50, "KRONIKA_HTTPS": "1"}, True),
    ],
)
def test_https_defaults_follow_debug_and_the_hosts(env, https):
    values = settings_in(env)
    assert values["SECURE_SSL_REDIRECT"] is https
    assert values["SESSION_COOKIE_SECURE"] is https and values["CSRF_COOKIE_SECURE"] is https
    assert (values["SECURE_HSTS_SECONDS"] > 0) is https
    assert values["CSRF_COOKIE_HTTPONLY"] is True


def test_a_proxy_header_is_read_from_its_name():
    values = settings_in(
        {"DEBUG": "0", "SECRET_KEY": "k" * 50, "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto"}
    )
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_a_production_site_redirects_plain_http_and_sends_hsts(client, settings, db):
    """What the settings mean to a visitor (SecurityMiddleware)."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    response = client.get("/healthz")
    assert response.status_code == 301 and response["Location"].startswith("https://")
    response = client.get("/healthz", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
