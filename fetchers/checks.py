"""System checks of the refresh pipeline's time limits (``manage.py check``)."""
from django.conf import settings
from django.core.checks import Warning, register


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
