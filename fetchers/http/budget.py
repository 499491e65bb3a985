"""Per-host request budgets shared by all workers, counted with the ``limits`` library.

``settings.RATE_LIMITS`` maps an API base URL to a rate in ``limits``' syntax (``"5000/hour"``);
the budget is kept per host of that URL (``api.github.com``) in ``RATE_LIMIT_STORAGE_URL`` (Redis
in production, so every worker spends from the same budget; ``memory://`` in one process). A host
without a configured rate (a self-hosted instance) is not limited here; the hosts' own 429/403
answers still are (``fetchers.http.ratelimit``).
"""
from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from limits import RateLimitItem, parse, storage, strategies

from fetchers.http.errors import RateLimited


@lru_cache(maxsize=4)
def _limiter(storage_url: str) -> strategies.FixedWindowRateLimiter:
    return strategies.FixedWindowRateLimiter(storage.storage_from_string(storage_url))


def _rate(host: str) -> RateLimitItem | None:
    for base_url, rate in settings.RATE_LIMITS.items():
        if urlsplit(base_url).netloc.lower() == host:
            return parse(rate)
    return None


def spend(host: str) -> None:
    """Count one request to ``host``; raise ``RateLimited`` (until the window resets) when its budget is spent."""
    rate = _rate(host)
    if rate is None:
        return
    limiter = _limiter(settings.RATE_LIMIT_STORAGE_URL)
    if not limiter.hit(rate, host):
        reset_at = limiter.get_window_stats(rate, host).reset_time
        raise RateLimited(host, datetime.fromtimestamp(reset_at, UTC))


def remaining(host: str) -> int | None:
    """Requests ``host`` may still get in the current window, or None when it has no budget."""
    rate = _rate(host)
    if rate is None:
        return None
    return _limiter(settings.RATE_LIMIT_STORAGE_URL).get_window_stats(rate, host).remaining
