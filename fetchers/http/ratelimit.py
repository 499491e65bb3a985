"""Per-host "do not call before" state, kept in Django's cache so that all workers share it.

A host that answers 429, or 403 with ``X-RateLimit-Remaining: 0``, a ``Retry-After`` or a
body saying "secondary rate limit" (GitHub's, often without either header), is blocked until
``Retry-After`` (seconds or an HTTP date), else ``X-RateLimit-Reset`` (epoch seconds), else one
minute doubled for each block in a row (at most an hour). The next answer that is not a rate
limit clears the state.
"""
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from django.core.cache import cache

from fetchers.http.errors import RateLimited

FIRST_WAIT = 60
LONGEST_WAIT = 3600
MEMORY = 24 * 3600  # how long the count of blocks in a row is remembered
SECONDARY = "secondary rate limit"  # in GitHub's 403 "You have exceeded a secondary rate limit…", any case


def _key(host: str) -> str:
    return f"fetchers:ratelimit:{host}"


def is_rate_limited(status: int, headers, body: bytes) -> bool:
    """Whether an answer (status, headers, raw body: JSON or text) says "slow down" rather than "forbidden"."""
    if status != 403:
        return status == 429
    if headers.get("X-RateLimit-Remaining") == "0" or "Retry-After" in headers:
        return True
    return SECONDARY in body.decode(errors="replace").lower()


def check(host: str) -> bool:
    """Raise ``RateLimited`` while ``host`` is blocked; return whether any state is kept for it."""
    state = cache.get(_key(host))
    if state and state["until"] > time.time():
        raise RateLimited(host, datetime.fromtimestamp(state["until"], UTC))
    return state is not None


def clear(host: str) -> None:
    """Forget the block and the count of blocks in a row (the host answered normally), unless a
    block still in force was set meanwhile (by another thread or worker whose answer was a rate limit)."""
    state = cache.get(_key(host))
    if state is None or state["until"] <= time.time():
        cache.delete(_key(host))


def block(host: str, headers) -> RateLimited:
    """Block ``host`` as the rate-limit headers say and return the error to raise."""
    state = cache.get(_key(host)) or {"strikes": 0}
    now = time.time()
    until = _header_deadline(headers, now)
    if until is None:
        until = now + min(FIRST_WAIT * 2 ** state["strikes"], LONGEST_WAIT)
    cache.set(_key(host), {"until": until, "strikes": state["strikes"] + 1}, timeout=int(until - now) + MEMORY)
    return RateLimited(host, datetime.fromtimestamp(until, UTC))


def _header_deadline(headers, now: float) -> float | None:
    retry_after = (headers.get("Retry-After") or "").strip()
    if retry_after.isdigit():
        return now + int(retry_after)
    if retry_after:
        try:
            return parsedate_to_datetime(retry_after).timestamp()
        except (TypeError, ValueError):
            pass
    reset = (headers.get("X-RateLimit-Reset") or "").strip()
    if reset.isdigit() and int(reset) > now:
        return float(reset)
    return None
