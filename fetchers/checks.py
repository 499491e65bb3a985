"""System checks of the refresh pipeline's settings (``manage.py check``; ``migrate`` runs them too,
so compose's web service does not start with an error).

Errors: ``fetchers.E001`` a request budget ``limits`` cannot parse, ``fetchers.E002`` an upstream
API URL that is not http(s), ``fetchers.E003`` a broker or rate-limit storage URL of an unknown
kind, ``fetchers.E004`` a number out of range. Warnings: the time limits (W001, W002).
"""
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from kombu.transport import TRANSPORT_ALIASES
from limits import parse
from limits.storage import SCHEMES

# Each host's request budget variable, and the setting holding its API URL (``RATE_LIMITS``' key).
RATE_VARIABLES = {
    "RATE_LIMIT_GITHUB": "GITHUB_API_URL",
    "RATE_LIMIT_GITLAB": "GITLAB_API_URL",
    "RATE_LIMIT_BITBUCKET": "BITBUCKET_API_URL",
    "RATE_LIMIT_CODEBERG": "CODEBERG_API_URL",
    "RATE_LIMIT_PYPI": "PYPI_JSON_URL",
}
# Settings that are counts or durations, and the least value that works.
MINIMA = {
    "REFRESH_INTERVAL_HOURS": 0.01,
    "REFRESH_SWEEP_MINUTES": 1,
    "REFRESH_SWEEP_SIZE": 1,
    "REFRESH_MAX_RETRIES": 0,
    "REFRESH_THREADS": 0,
    "REFRESH_NOW_LIMIT": 1,
    "REFRESH_NOW_WAIT_SECONDS": 0,
    "REFRESH_TIME_BUDGET_SECONDS": 1,
    "FETCH_CONNECT_TIMEOUT": 0.1,
    "FETCH_READ_TIMEOUT": 0.1,
    "FETCH_MAX_BODY_BYTES": 1024,
    "FETCH_POOL_SIZE": 1,
    "CELERY_TASK_TIME_LIMIT": 31,  # the soft limit is 30 s earlier
    "CELERY_VISIBILITY_TIMEOUT": 1,  # settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
}


@register()
def settings_are_valid(app_configs, **kwargs) -> list[Error]:
    """``fetchers.E001``-``E004``: every request budget, upstream URL, broker and rate-limit storage
    URL, and count or duration of the refresh pipeline is one that works, so that a typo
    (``RATE_LIMIT_GITHUB=5000/hr``) stops start-up instead of failing every refresh."""
    errors = []
    for variable, url_setting in RATE_VARIABLES.items():
        url = getattr(settings, url_setting)
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors.append(Error(f"{url_setting} ({url!r}) is not an http(s) URL.", hint="e.g. https://api.github.com", id="fetchers.E002"))
        rate = settings.RATE_LIMITS.get(url)
        try:
            parse(rate)
        except (ValueError, TypeError) as error:
            errors.append(Error(
                f"{variable} ({rate!r}) is not a rate: {error}.",
                hint="A count per period, e.g. 5000/hour, 2000/minute, 300 per 5 minutes (second, minute, hour, day, month, year).",
                id="fetchers.E001",
            ))
    storage = urlsplit(settings.RATE_LIMIT_STORAGE_URL).scheme
    if storage not in SCHEMES or storage.startswith("async+"):
        errors.append(Error(
            f"RATE_LIMIT_STORAGE_URL ({settings.RATE_LIMIT_STORAGE_URL!r}) is not a storage the request budgets can use.",
            hint="memory:// in one process, redis://host:6379/1 for several workers.", id="fetchers.E003",
        ))
    if urlsplit(settings.CELERY_BROKER_URL).scheme not in TRANSPORT_ALIASES:
        errors.append(Error(
            f"CELERY_BROKER_URL ({settings.CELERY_BROKER_URL!r}) names no broker Celery knows.",
            hint="e.g. redis://127.0.0.1:6379/0, or leave it unset to run tasks in-process.", id="fetchers.E003",
        ))
    numbers = {name: getattr(settings, name) for name in MINIMA if name != "CELERY_VISIBILITY_TIMEOUT"}
    numbers["CELERY_VISIBILITY_TIMEOUT"] = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    for name, value in numbers.items():
        least = MINIMA[name]
        if value < least:
            errors.append(Error(f"{name} ({value}) is less than {least:g}.", id="fetchers.E004"))
    return errors


@register()
def visibility_outlasts_tasks(app_configs, **kwargs) -> list[Warning]:
    """``fetchers.W001`` when the broker's visibility timeout (seconds) is not longer than twice the
    task time limit: a retry waits up to half the timeout (``fetchers.tasks``) and then runs up to
    the limit, so a shorter timeout hands a task that is still waiting or running to a second worker."""
    if settings.CELERY_BROKER_URL == "memory://":
        return []
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    if visibility > 2 * settings.CELERY_TASK_TIME_LIMIT:
        return []
    return [
        Warning(
            f"CELERY_VISIBILITY_TIMEOUT ({visibility} s) is not longer than twice CELERY_TASK_TIME_LIMIT "
            f"({settings.CELERY_TASK_TIME_LIMIT} s): a retried refresh could be delivered to a second worker.",
            hint="Set CELERY_VISIBILITY_TIMEOUT above twice the task time limit (the default 600 s is five times the default limit).",
            id="fetchers.W001",
        )
    ]


@register()
def tasks_outlast_the_refresh_budget(app_configs, **kwargs) -> list[Warning]:
    """``fetchers.W002`` when the soft task time limit (seconds) is not longer than a refresh's
    HTTP time budget: Celery would stop refreshes that are still within their budget."""
    if settings.CELERY_TASK_SOFT_TIME_LIMIT > settings.REFRESH_TIME_BUDGET_SECONDS:
        return []
    return [
        Warning(
            f"CELERY_TASK_TIME_LIMIT ({settings.CELERY_TASK_TIME_LIMIT} s, soft limit 30 s earlier) leaves no time beyond "
            f"REFRESH_TIME_BUDGET_SECONDS ({settings.REFRESH_TIME_BUDGET_SECONDS:g} s): refreshes would be killed mid-way.",
            hint="Leave CELERY_TASK_TIME_LIMIT unset (the budget plus 60 s) or set it above the budget plus 30 s.",
            id="fetchers.W002",
        )
    ]
