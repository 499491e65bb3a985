"""The system checks of the refresh pipeline's Celery settings."""
from django.core.checks import run_checks


def _ids(settings, visibility, limit, broker="redis://127.0.0.1:6379/0"):
    settings.CELERY_BROKER_URL = broker
    settings.CELERY_TASK_TIME_LIMIT = limit
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {**settings.CELERY_BROKER_TRANSPORT_OPTIONS, "visibility_timeout": visibility}
    return [message.id for message in run_checks()]


def test_a_visibility_timeout_not_longer_than_a_task_may_run_is_warned_about(settings):
    assert "fetchers.W001" in _ids(settings, visibility=300, limit=300)
    assert "fetchers.W001" in _ids(settings, visibility=200, limit=120)  # a 100 s retry wait + 120 s run
    assert "fetchers.W001" in _ids(settings, visibility=3600, limit=7200)


def test_the_default_timeouts_pass_and_a_broker_less_setup_is_not_checked(settings):
    defaults = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"], settings.CELERY_TASK_TIME_LIMIT
    assert "fetchers.W001" not in _ids(settings, *defaults)
    assert "fetchers.W001" not in _ids(settings, visibility=1, limit=300, broker="memory://")


def test_a_task_time_limit_within_the_refresh_budget_is_warned_about(settings):
    settings.REFRESH_TIME_BUDGET_SECONDS = 60.0
    settings.CELERY_TASK_SOFT_TIME_LIMIT = 60
    assert "fetchers.W002" in [message.id for message in run_checks()]
    settings.CELERY_TASK_SOFT_TIME_LIMIT = 90
    assert "fetchers.W002" not in [message.id for message in run_checks()]


def _errors(settings, **values):
    """The ids and messages of the system check errors with ``values`` set (as the environment would)."""
    for name, value in values.items():
        setattr(settings, name, value)
    return [(message.id, message.msg) for message in run_checks() if message.is_serious()]


def test_the_default_settings_have_no_errors(settings):
    assert _errors(settings) == []


def test_a_misspelled_rate_is_an_error_naming_its_variable(settings):
    rates = {**settings.RATE_LIMITS, settings.GITHUB_API_URL: "5000/hr", settings.PYPI_JSON_URL: "lots"}
    errors = _errors(settings, RATE_LIMITS=rates)
    assert [id_ for id_, _ in errors] == ["fetchers.E001", "fetchers.E001"]
    assert errors[0][1].startswith("RATE_LIMIT_GITHUB ('5000/hr') is not a rate")
    assert errors[1][1].startswith("RATE_LIMIT_PYPI ('lots') is not a rate")


def test_a_misspelled_rate_from_the_environment_stops_manage_py_check():
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "djpackages.settings", "RATE_LIMIT_GITHUB": "5000/hr"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "fetchers.E001" in result.stderr and "RATE_LIMIT_GITHUB ('5000/hr')" in result.stderr


def test_an_upstream_url_that_is_not_http_is_an_error(settings):
    url = "api.github.com"  # no scheme
    rates = {url if key == settings.GITHUB_API_URL else key: rate for key, rate in settings.RATE_LIMITS.items()}
    assert _errors(settings, GITHUB_API_URL=url, RATE_LIMITS=rates) == [("fetchers.E002", "GITHUB_API_URL ('api.github.com') is not an http(s) URL.")]


def test_unknown_broker_and_storage_urls_are_errors(settings):
    errors = _errors(settings, RATE_LIMIT_STORAGE_URL="reddis://127.0.0.1:6379/1", CELERY_BROKER_URL="reddis://127.0.0.1:6379/0")
    assert [id_ for id_, _ in errors] == ["fetchers.E003", "fetchers.E003"]
    assert _errors(settings, RATE_LIMIT_STORAGE_URL="async+redis://127.0.0.1:6379/1", CELERY_BROKER_URL="memory://")[0][0] == "fetchers.E003"
    assert _errors(settings, RATE_LIMIT_STORAGE_URL="redis://127.0.0.1:6379/1", CELERY_BROKER_URL="redis://127.0.0.1:6379/0") == []


def test_counts_and_durations_out_of_range_are_errors(settings):
    errors = _errors(settings, REFRESH_SWEEP_MINUTES=0, REFRESH_INTERVAL_HOURS=-1, FETCH_POOL_SIZE=0, FETCH_READ_TIMEOUT=0)
    assert errors == [
        ("fetchers.E004", "REFRESH_INTERVAL_HOURS (-1) is less than 0.01."),
        ("fetchers.E004", "REFRESH_SWEEP_MINUTES (0) is less than 1."),
        ("fetchers.E004", "FETCH_READ_TIMEOUT (0) is less than 0.1."),
        ("fetchers.E004", "FETCH_POOL_SIZE (0) is less than 1."),
    ]


def test_a_worker_refuses_to_start_with_a_misspelled_rate():
    import os
    import subprocess
    import sys
    from pathlib import Path

    from tests.conftest import ROOT

    celery = str(Path(sys.executable).with_name("celery"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "djpackages.settings", "CELERY_BROKER_URL": "memory://", "RATE_LIMIT_GITHUB": "5000/hr"}
    result = subprocess.run([celery, "-A", "djpackages", "worker", "-P", "solo"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "(fetchers.E001) RATE_LIMIT_GITHUB ('5000/hr') is not a rate" in result.stderr
