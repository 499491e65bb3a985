"""In-process background refreshes, for the embedded default (no broker configured).

Without a broker Celery runs tasks eagerly, that is inside the caller: "Refresh now" would fetch
inside the web request. Instead ``submit`` hands the call to a small pool of threads of the
running process (``REFRESH_THREADS``, created on first use), so the request answers at once
and the refresh happens beside it. Each call runs on its own database connection, closed when
the call ends. A process that is asked to exit finishes the calls already handed over first
(each refresh is bounded by its time budget); one that is killed loses them, and with the
embedded default's in-process cache their queued-package markers go with them, so nothing stays
stranded.
"""
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from django import db
from django.conf import settings

logger = logging.getLogger(__name__)

_executor: ThreadPoolExecutor | None = None
_lock = threading.Lock()


def submit(call: Callable, *args) -> Future:
    """Run ``call(*args)`` on a background thread; an exception it raises is logged, not lost."""
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=settings.REFRESH_THREADS, thread_name_prefix="refresh")
    future = _executor.submit(_run, call, *args)
    future.add_done_callback(_log_failure)
    return future


def _run(call: Callable, *args):
    try:
        return call(*args)
    finally:
        db.connections.close_all()  # this thread's own connections


def _log_failure(future: Future) -> None:
    if not future.cancelled() and future.exception() is not None:
        logger.error("background refresh failed", exc_info=future.exception())
