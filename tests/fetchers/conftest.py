"""Fixtures of the fetcher tests: a ``responses`` mock for all HTTP, and no state left between tests."""
import pytest
import responses
from django.core.cache import cache


@pytest.fixture
def rsps():
    """Every request goes to ``responses``; an unregistered URL is a connection error."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture(autouse=True)
def no_rate_limits_left():
    """Rate-limit state lives in the cache: start and end each test without it."""
    cache.clear()
    yield
    cache.clear()
