"""The test suite's settings: the project's own defaults, whatever the shell exports.

The project's settings read only the environment. Here they read ``DATABASE_URL`` alone (which
database the suite runs on, e.g. PostgreSQL in CI); every other variable is ignored, so that a
shell set up for production or for the by-hand Redis recipe (``DEBUG=off``, ``CACHE_URL``,
``CELERY_BROKER_URL``, tokens, API URLs) neither changes what the tests see nor lets a test's
``cache.clear()`` flush someone's Redis database. Tests that need other values set them: the
``settings`` fixture, or the environment of a process they start (those run ``djpackages.settings``).
"""
import os

import environ

FROM_THE_ENVIRONMENT = ("DATABASE_URL",)

environ.Env.ENVIRON = {name: os.environ[name] for name in FROM_THE_ENVIRONMENT if name in os.environ}
try:
    from djpackages.settings import *  # noqa: F403
finally:
    environ.Env.ENVIRON = os.environ
