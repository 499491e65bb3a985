"""``/healthz``: is the service able to work? Database, cache and task broker, as JSON.

Cheap enough to poll every few seconds: one ``SELECT 1``, one cache round trip, one broker
connection with a one-second timeout. 200 when all are reachable, 503 otherwise. The public
answer names only which check failed; what went wrong (hosts, ports, database names) goes to
the log.
"""
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
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


CHECKS = {"database": _database, "cache": _cache, "broker": _broker}


@csrf_exempt  # so that a POST is told 405, not asked for a CSRF token
@require_safe
@never_cache
def healthz(request):
    """``{"status": "ok"|"error", "checks": {"database": "ok"|"error", ...}}`` with 200 or 503."""
    checks = {}
    for name, check in CHECKS.items():
        try:
            checks[name] = check() or "ok"
        except Exception:  # noqa: BLE001 - any failure is what the check reports
            logger.exception("health check %s failed", name)
            checks[name] = "error"
    healthy = "error" not in checks.values()
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)
