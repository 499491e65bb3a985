"""``/healthz``: is the service able to work? Database, its migrations, cache and task broker, as JSON.

Cheap enough to poll every few seconds: one ``SELECT 1``, one read of the applied migrations,
one cache round trip, one broker connection with a one-second timeout. 200 when all are
reachable and every migration is applied, 503 otherwise. The public answer names only which
check failed (and, for migrations, how many apps lack theirs); what went wrong (hosts, ports,
database names) goes to the log.
"""
import functools
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from kombu import Connection

logger = logging.getLogger(__name__)


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


class Unhealthy(Exception):
    """A failed check whose message is shown in the answer (it names no host, port or database)."""


@functools.cache
def _latest_migrations():
    """Each app's latest migration on disk, read once per process (the code does not change under it)."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())


def _migrations():
    applied = MigrationRecorder(connection).applied_migrations()
    missing = {app for app, name in _latest_migrations() if (app, name) not in applied}
    if missing:
        logger.error("health check migrations: not applied for %s", ", ".join(sorted(missing)))
        raise Unhealthy(f"not applied for {len(missing)} app(s): run manage.py migrate")


def _cache():
    cache.set("healthz", "ok", timeout=10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("the cache did not return what was stored")


def _broker():
    url = getattr(settings, "CELERY_BROKER_URL", "")
    if not url or url.startswith("memory://"):
        return "not used"
    with Connection(url, connect_timeout=1) as conn:
        conn.ensure_connection(max_retries=1, timeout=1)
    return "ok"


CHECKS = {"database": _database, "migrations": _migrations, "cache": _cache, "broker": _broker}


@csrf_exempt  # so that a POST is told 405, not asked for a CSRF token
@require_safe
@never_cache
def healthz(request):
    """``{"status": "ok"|"error", "checks": {"database": "ok"|"error", ...}}`` with 200 or 503; a check
    that failed says "error", or why (``Unhealthy``)."""
    checks = {}
    for name, check in CHECKS.items():
        try:
            checks[name] = check() or "ok"
        except Unhealthy as problem:
            checks[name] = str(problem)
        except Exception:  # noqa: BLE001 - any failure is what the check reports
            logger.exception("health check %s failed", name)
            checks[name] = "error"
    healthy = all(state in ("ok", "not used") for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)
