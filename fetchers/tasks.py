"""Celery tasks of the refresh pipeline: thin wrappers that take ids and call ``fetchers.refresh``.

- ``refresh_package(id)``: one package; transient failures (timeouts, 5xx, rate limits, GitHub
  still computing statistics) are retried with Celery's exponential back-off with full jitter,
  at most ``REFRESH_MAX_RETRIES`` times, never before a host's rate limit ends and never later
  than half the broker's visibility timeout (a longer wait is left to a later sweep); permanent
  ones (404) are recorded on the package by the refresh and not retried. Each attempt records
  its outcome on the package; the last one frees the package (logged, no traceback).
- ``sweep()``: run by beat; enqueues the due packages the hosts' budgets allow.

``refresh_now`` is what an editor's "Refresh now" (and a package added in the admin) starts:
queued with a broker, refreshed at once without one (``Enqueued`` says which).

A package is never queued twice: ``enqueue_refreshes`` sets a marker per package in the shared
cache (atomic ``cache.add``) that the task removes when it ends for good, and that expires after
``PENDING_SECONDS`` should a task be lost. A marker exists only for a task that was sent: a send
(or a retry's send) that fails frees it. With ``task_acks_late`` and
``task_reject_on_worker_lost`` a task whose worker dies is delivered again, marker and all.
"""
import logging
from concurrent.futures import wait
from dataclasses import dataclass, field

from celery import shared_task
from celery.exceptions import Reject
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from kombu.exceptions import OperationalError

from core import changes
from fetchers import background, refresh, sweep as sweeping
from packages.models import Package

logger = logging.getLogger(__name__)

PENDING_SECONDS = 6 * 3600
BACKOFF_FACTOR = 60  # seconds: the first retry waits up to a minute, then 2, 4, ...
BACKOFF_MAX = 1200
SWEEP_LOCK = "fetchers:sweep:running"


def _pending_key(package_id: int) -> str:
    return f"fetchers:pending:{package_id}"


@dataclass
class Enqueued:
    """What ``enqueue_refreshes`` did with each id: ``queued`` (sent: a refresh will run), ``busy``
    (already queued or running, not sent again) or ``failed`` (not sent, for the reason in ``error``);
    and what ``refresh_now`` did without a broker: ``done`` (refreshed: id -> the task's result,
    ``{"changed", "calls", "not_modified", "errors"}``, or None for a package deleted meanwhile) and
    ``running`` (started, not finished within ``REFRESH_NOW_WAIT_SECONDS``: it goes on in the background)."""

    queued: list[int] = field(default_factory=list)
    busy: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    error: str = ""
    done: dict[int, dict | None] = field(default_factory=dict)
    running: list[int] = field(default_factory=list)


def refresh_now(package_ids) -> Enqueued:
    """Refresh the packages ``package_ids`` (committed rows) for an editor who is waiting to see how it went.

    With a broker, ``enqueue_refreshes``: the workers refresh them. Without one (the embedded
    default) the first ``REFRESH_NOW_LIMIT`` not already queued or running are refreshed at once,
    on the ``REFRESH_THREADS`` background threads, waiting for them at most
    ``REFRESH_NOW_WAIT_SECONDS`` in all (one still running then is ``running`` and finishes in the
    background), or one after the other inside the caller when ``REFRESH_THREADS`` is 0 (each
    bounded by its time budget); the rest are queued on the threads (with none, refreshed too).
    """
    ids = list(package_ids)
    if not refresh_package.app.conf.task_always_eager or not ids:  # Celery's own view: a broker takes tasks
        return enqueue_refreshes(ids)
    outcome = Enqueued()
    started = {}
    for pk in ids:
        if len(started) + len(outcome.done) >= settings.REFRESH_NOW_LIMIT and settings.REFRESH_THREADS:
            later = enqueue_refreshes(ids[ids.index(pk):])
            outcome.queued, outcome.failed, outcome.error = later.queued, later.failed, later.error
            outcome.busy += later.busy
            break
        if not cache.add(_pending_key(pk), 1, timeout=PENDING_SECONDS):
            outcome.busy.append(pk)
        elif settings.REFRESH_THREADS:
            started[pk] = background.submit(_refresh_here, pk)
        else:
            outcome.done[pk] = _refresh_here(pk)
    finished, _ = wait(started.values(), timeout=settings.REFRESH_NOW_WAIT_SECONDS)
    for pk, future in started.items():
        if future in finished:
            outcome.done[pk] = future.result()
        else:
            outcome.running.append(pk)
    return outcome


def _refresh_here(package_id: int) -> dict | None:
    """Run the refresh task of a package whose marker is set, in this thread; its result (see
    ``Enqueued.done``), an error in the code reported as the refresh's error (and logged)."""
    try:
        return refresh_package.apply((package_id,), throw=True).result
    except Exception as error:  # the task freed the package
        logger.exception("refresh of package %s failed", package_id)
        return {"changed": [], "calls": 0, "not_modified": 0, "errors": [f"the refresh failed: {error!r}"]}


def enqueue_refreshes(package_ids) -> Enqueued:
    """Send ``refresh_package`` at once for each id not already queued or running.

    The ids must be rows already committed (the sweep and the admin action run outside any
    transaction). A package's marker is set just before its task is sent and freed if the send
    fails; after a failed send (``error``: "broker unreachable: ...") the remaining ids are not
    tried, so a broker that is down costs one publish attempt (Celery's own retries), not one per id.
    """
    outcome = Enqueued()
    for pk in package_ids:
        if outcome.error:
            outcome.failed.append(pk)
        elif not cache.add(_pending_key(pk), 1, timeout=PENDING_SECONDS):
            outcome.busy.append(pk)
        else:
            outcome.error = _send(pk)
            (outcome.failed if outcome.error else outcome.queued).append(pk)
    if outcome.error:
        logger.error("%d refresh(es) could not be queued: %s", len(outcome.failed), outcome.error)
    return outcome


def _send(package_id: int) -> str:
    """Send the task of a package whose marker is set; returns "" or why it was not sent (marker freed).

    Without a broker (tasks eager) the task runs on one of the process's ``REFRESH_THREADS``
    background threads (``fetchers.background``), never inside the caller, unless that is 0.
    Raises what the sending raised other than the broker's ``OperationalError``, the marker freed too.
    """
    try:
        if settings.CELERY_TASK_ALWAYS_EAGER and settings.REFRESH_THREADS:
            background.submit(refresh_package.apply, (package_id,))
        else:
            refresh_package.delay(package_id)
    except BaseException as error:
        cache.delete(_pending_key(package_id))
        if isinstance(error, OperationalError):
            return f"broker unreachable: {error}"
        raise
    return ""


@shared_task(bind=True)
def refresh_package(self, package_id: int) -> dict | None:
    """Refresh one package; returns ``{"changed", "calls", "not_modified", "errors"}`` or None if it is gone."""
    try:
        result = refresh.refresh_package(package_id)
    except Package.DoesNotExist:
        cache.delete(_pending_key(package_id))
        return None
    except Exception:
        cache.delete(_pending_key(package_id))  # an error in the code (not the worker's death) frees the package
        raise
    if result.retry and not self.request.is_eager:
        countdown = _retry_countdown(self.request.retries, result)
        if countdown is not None:
            try:
                raise self.retry(countdown=countdown, max_retries=settings.REFRESH_MAX_RETRIES)
            except Reject:  # the retry could not be sent (broker unreachable): this task ends here
                cache.delete(_pending_key(package_id))
                raise
        logger.info("refresh of package %s gave up after %d retries, left to a later sweep: %s",
                    package_id, self.request.retries, "; ".join(result.errors))
    cache.delete(_pending_key(package_id))
    return {"changed": result.changed, "calls": result.calls, "not_modified": result.not_modified, "errors": result.errors}


def _retry_countdown(retries: int, result) -> float | None:
    """Seconds to wait before retry number ``retries + 1``, or None to leave the package to a later
    sweep: after ``REFRESH_MAX_RETRIES``, or when a host's rate limit ends later than half the
    broker's visibility timeout (Redis would then hand the waiting task to a second worker). The
    back-off itself is capped at that half."""
    if retries >= settings.REFRESH_MAX_RETRIES:
        return None
    longest = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] / 2
    countdown = get_exponential_backoff_interval(BACKOFF_FACTOR, retries, min(BACKOFF_MAX, longest), full_jitter=True)
    if result.retry_after:
        countdown = max(countdown, (result.retry_after - timezone.now()).total_seconds())
    return countdown if countdown <= longest else None


@shared_task
def sweep() -> int:
    """Enqueue the due packages (``fetchers.sweep.select``) and prune the change feed
    (``core.changes.prune``); returns how many packages. A sweep that finds another one still
    running does nothing."""
    if not cache.add(SWEEP_LOCK, 1, timeout=settings.REFRESH_SWEEP_MINUTES * 60):
        logger.info("sweep skipped: the previous one is still running")
        return 0
    try:
        queued = enqueue_refreshes(sweeping.select(timezone.now(), settings.REFRESH_SWEEP_SIZE)).queued
        pruned = changes.prune()
    finally:
        cache.delete(SWEEP_LOCK)
    logger.info("sweep enqueued %d package(s), pruned %d change(s) from the feed", len(queued), pruned)
    return len(queued)
