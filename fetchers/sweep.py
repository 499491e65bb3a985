"""Which packages a sweep refreshes: the longest unrefreshed first, within each host's budget.

A package is due when no refresh was ever attempted or the last attempt, successful or not, was
more than ``REFRESH_INTERVAL_HOURS`` ago (so a package whose fetches keep failing is retried once
an interval, by the sweep, and never crowds out the others). Each due package costs its hosts about ``TYPICAL_CALLS``
requests (the first refresh; an unchanged one costs as many 304s); a package is taken only
while every host it needs has that much budget left.
"""
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import F, Q

from fetchers.http import budget
from fetchers.hosts import pypi
from fetchers.refresh import HOSTS
from packages.repourl import parse_repo_url
from packages.models import Package

# Requests of a typical refresh, as each host module's docstring counts them.
TYPICAL_CALLS = {"github": 4, "gitlab": 3, "bitbucket": 4, "forgejo": 2, "pypi": 1}


def due(now: datetime):
    """Packages due for a refresh, never-attempted first, then the longest unattempted."""
    cutoff = now - timedelta(hours=settings.REFRESH_INTERVAL_HOURS)
    return Package.objects.filter(Q(last_attempted_at__isnull=True) | Q(last_attempted_at__lt=cutoff)).order_by(
        F("last_attempted_at").asc(nulls_first=True), "id"
    )


def api_costs(repo_url: str, repo_host: str, pypi_url: str) -> dict[str, int]:
    """``{API host: requests}`` one refresh of such a package typically sends."""
    costs = {}
    ref = parse_repo_url(repo_url, repo_host)
    if ref:
        costs[urlsplit(HOSTS[ref.kind].api(ref).base_url).netloc.lower()] = TYPICAL_CALLS[ref.kind]
    if pypi.project_name(pypi_url):
        host = urlsplit(settings.PYPI_JSON_URL).netloc.lower()
        costs[host] = costs.get(host, 0) + TYPICAL_CALLS["pypi"]
    return costs


def select(now: datetime, size: int) -> list[int]:
    """Ids of at most ``size`` due packages that the hosts' remaining budgets can afford, oldest first."""
    left: dict[str, int | None] = {}
    chosen = []
    for pk, repo_url, repo_host, pypi_url in due(now).values_list("pk", "repo_url", "repo_host", "pypi_url").iterator():
        costs = api_costs(repo_url, repo_host, pypi_url)
        for host in costs:
            if host not in left:
                left[host] = budget.remaining(host)
        if all(left[host] is None or left[host] >= cost for host, cost in costs.items()):
            for host, cost in costs.items():
                if left[host] is not None:
                    left[host] -= cost
            chosen.append(pk)
            if len(chosen) >= size:
                break
    return chosen
