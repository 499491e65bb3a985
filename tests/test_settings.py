"""Settings that must refuse to start rather than serve wrongly."""
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _check(**env):
    """Run ``manage.py check`` in a fresh process (the project's settings, not the suite's) with ``env``
    on top of a production-like environment."""
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    environment.update(DJANGO_SETTINGS_MODULE="djpackages.settings", DEBUG="off", ALLOWED_HOSTS="127.0.0.1", **env)
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True, text=True)


def _env_example_key():
    line = next(line for line in (ROOT / ".env.production.example").read_text().splitlines() if line.startswith("SECRET_KEY="))
    return line.removeprefix("SECRET_KEY=")


@pytest.mark.parametrize("key", ["", "   ", _env_example_key()], ids=["empty", "blank", ".env.production.example placeholder"])
def test_an_empty_or_placeholder_secret_key_is_refused_with_debug_off(key):
    result = _check(SECRET_KEY=key)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is empty or a placeholder" in result.stderr


def test_a_real_secret_key_starts_with_debug_off():
    result = _check(SECRET_KEY="a-real-key-" + "x" * 40)
    assert result.returncode == 0, result.stderr


SECURITY_VARIABLES = {
    "SECURE_HSTS_SECONDS": ("31536000", 31536000, 0),
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": ("on", True, False),
    "SECURE_HSTS_PRELOAD": ("on", True, False),
    "SECURE_SSL_REDIRECT": ("on", True, False),
    "SESSION_COOKIE_SECURE": ("on", True, False),
    "CSRF_COOKIE_SECURE": ("on", True, False),
}


def _production_environment():
    """The variables README's "Production by hand" exports, with a real key for its placeholder."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("### Production by hand", 1)[1].split("\n## ", 1)[0]
    exported = {}
    for line in section.splitlines():
        if line.startswith("export "):
            exported.update(word.split("=", 1) for word in shlex.split(line)[1:])
    assert exported["SECRET_KEY"] == "..."
    return {**exported, "SECRET_KEY": "a-real-key-" + "x" * 40}


def _run(*args, **env):
    """``manage.py *args`` in a fresh process, on the project's settings, whose environment is ours
    (less any variable these tests set) with ``env`` on top."""
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "CONN_HEALTH_CHECKS", *SECURITY_VARIABLES)}
    environment.update(DJANGO_SETTINGS_MODULE="djpackages.settings", **env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True)


def test_the_documented_production_environment_passes_check_deploy_without_warnings():
    result = _run("check", "--deploy", "--fail-level", "WARNING", **_production_environment())
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert result.stderr == ""


def _security_settings(**env):
    names = [*SECURITY_VARIABLES, "SECURE_PROXY_SSL_HEADER"]
    code = f"from django.conf import settings; print(repr([getattr(settings, n) for n in {names!r}]))"
    result = _run("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return dict(zip(names, eval(result.stdout), strict=True))


def test_every_security_setting_comes_from_the_environment():
    turned_on = _security_settings(BEHIND_TLS_PROXY="on", **{name: given for name, (given, _, _) in SECURITY_VARIABLES.items()})
    assert turned_on == {
        **{name: value for name, (_, value, _) in SECURITY_VARIABLES.items()},
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    }
    defaults = _security_settings()
    assert defaults == {**{name: default for name, (_, _, default) in SECURITY_VARIABLES.items()}, "SECURE_PROXY_SSL_HEADER": None}


def test_every_security_variable_is_in_the_configuration_table():
    table = (ROOT / "README.md").read_text().split("## Configuration", 1)[1].split("\n### ", 1)[0]
    for name in [*SECURITY_VARIABLES, "BEHIND_TLS_PROXY"]:
        assert f"| `{name}`" in table or f", `{name}`" in table, name


@pytest.mark.django_db
def test_the_health_check_is_answered_over_plain_http_when_https_is_enforced(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200  # the container health check asks over plain HTTP
    assert client.get("/api/v4/").status_code == 301


@pytest.mark.parametrize("given,expected", [(None, True), ("off", False), ("on", True)])
def test_connection_health_checks_are_on_unless_turned_off(given, expected):
    env = {"CONN_HEALTH_CHECKS": given} if given else {}
    code = "from django.conf import settings; print(settings.DATABASES['default']['CONN_HEALTH_CHECKS'])"
    result = _run("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(expected)
