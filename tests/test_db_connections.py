"""A database connection that dies between requests costs no failed request (``CONN_HEALTH_CHECKS``).

Requests are asked of the WSGI application in the test's own thread, as a gunicorn sync worker
asks them: with ``request_started`` and ``request_finished`` and the persistent connection they
manage (Django's test client would keep those signals from touching the connection).
"""
from wsgiref.util import setup_testing_defaults

import pytest
from django.db import connection, connections

from djpackages.wsgi import application

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_terminate_backend is PostgreSQL's; set DATABASE_URL=postgres://... to run it"
)


def _get(path):
    """The status code of ``GET path``."""
    environ = {"PATH_INFO": path}
    setup_testing_defaults(environ)
    statuses = []
    body = application(environ, lambda status, headers, exc_info=None: statuses.append(status))
    try:
        b"".join(body)
    finally:
        body.close()
    return int(statuses[0].split()[0])


def _terminate(pid):
    """End the server process ``pid`` from a second connection, and wait (5 s at most) until it is gone."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
            assert cursor.fetchone() == (True,)
    finally:
        other.close()


@pytest.mark.django_db(transaction=True)
def test_a_connection_killed_between_requests_costs_no_failed_request():
    assert _get("/api/v4/categories/") == 200
    pid = connection.connection.info.backend_pid  # the persistent connection the request used
    _terminate(pid)
    assert _get("/api/v4/categories/") == 200
    assert connection.connection.info.backend_pid != pid
