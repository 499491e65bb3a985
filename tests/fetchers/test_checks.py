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
