"""Neither a ``.env`` file nor a production shell changes the embedded set-up or the suite's settings.

docker compose reads ``.env`` (``cp .env.production.example .env``, as the README says); ``make run``
and ``make test`` in the same folder must keep meaning what they meant without it.
"""
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

EXAMPLE = ROOT / ".env.production.example"
EXAMPLE_NAMES = {line.split("=", 1)[0] for line in EXAMPLE.read_text().splitlines() if line and not line.startswith("#")}


@pytest.fixture
def production_dot_env():
    """The production example copied to ``.env`` in the project folder (an existing one is used as it is)."""
    path = ROOT / ".env"
    if path.exists():
        yield path
        return
    path.write_text(EXAMPLE.read_text())
    try:
        yield path
    finally:
        path.unlink()


def _in_a_fresh_process(module, code, **env):
    """Run ``code`` after ``django.setup()`` on settings ``module``, in a process whose environment is
    ours less every variable the example sets, plus ``env``; returns what it printed, evaluated."""
    environment = {k: v for k, v in os.environ.items() if k not in EXAMPLE_NAMES}
    environment.update(DJANGO_SETTINGS_MODULE=module, **env)
    script = f"import django; django.setup(); from django.conf import settings; print(repr(({code})))"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return eval(result.stdout)


def test_a_production_dot_env_leaves_the_embedded_default_as_it_is(production_dot_env):
    debug, storage, key = _in_a_fresh_process(
        "djpackages.settings", "settings.DEBUG, settings.STORAGES['staticfiles']['BACKEND'], settings.SECRET_KEY"
    )
    assert debug is True
    assert storage == "django.contrib.staticfiles.storage.StaticFilesStorage"  # no collectstatic manifest needed
    assert key == "django-insecure-dev-only-key-change-me"


def test_the_browsable_api_renders_with_a_production_dot_env(production_dot_env):
    status = _in_a_fresh_process(
        "djpackages.settings", "__import__('django.test').test.Client().get('/api/v4/', HTTP_ACCEPT='text/html').status_code"
    )
    assert status == 200


def test_the_suite_ignores_a_dot_env_and_a_production_shell(production_dot_env):
    shell = {"DEBUG": "off", "SECRET_KEY": "x" * 50, "CACHE_URL": "redis://127.0.0.1:1/1",
             "CELERY_BROKER_URL": "redis://127.0.0.1:1/0", "RATE_LIMIT_STORAGE_URL": "redis://127.0.0.1:1/1",
             "GITHUB_API_URL": "https://github.example.org/api/v3"}
    seen = _in_a_fresh_process(
        "tests.settings",
        "settings.DEBUG, settings.CACHES['default']['BACKEND'], settings.CELERY_BROKER_URL, "
        "settings.RATE_LIMIT_STORAGE_URL, settings.GITHUB_API_URL",
        **shell,
    )
    assert seen == (True, "django.core.cache.backends.locmem.LocMemCache", "memory://", "memory://", "https://api.github.com")


def test_the_suite_takes_its_database_from_the_environment():
    name = _in_a_fresh_process("tests.settings", "settings.DATABASES['default']['NAME']", DATABASE_URL="sqlite:////tmp/elsewhere.sqlite3")
    assert name == "/tmp/elsewhere.sqlite3"
