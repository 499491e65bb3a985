"""A bounded, repeatable schemathesis run of the API against its own OpenAPI schema.

Every operation of the served schema gets schemathesis' example, coverage and fuzzing phases,
positive and negative, under all its checks: no 5xx, only declared statuses, bodies, headers and
content types as declared, valid requests accepted and invalid ones refused, other methods a 405.
Requests go to the WSGI application in-process, with the bundled sample imported; half the
lookups and search queries are drawn from the sample, so that documents are found and checked
too. The generation is derandomized and the seed fixed, so a run is repeatable; a failure prints
the request to reproduce it. About 4,500 cases, a few minutes on SQLite.
"""
import json
import re

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from djpackages.wsgi import application
from tests.conftest import sample_documents

# 16 operations (9 of v4, 7 of v3): over 4,800 cases in all (the coverage phase adds its own to the fuzzing's).
MIN_CASES_PER_OPERATION = 300
SEED = 12

schema = schemathesis.openapi.from_wsgi(
    "/api/v4/schema/?format=json",
    application,
    # A well-formed cursor that the change feed never gave (the sample's feed is short) is its documented 410.
    config=schemathesis.Config.from_dict(
        {"seed": SEED, "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", "404", "410"]}}}
    ),
)


def _last_part(url):
    return url.rstrip("/").rsplit("/", 1)[1]


def _sample_lookups():
    """What finds something in the sample: ``{kind: [id or slug, ...]}``, and words of its package titles."""
    documents = [json.loads(text) for text in sample_documents().values()]
    lookups = {
        "packages": sorted(str(d["id"]) for d in documents) + sorted(d["slug"] for d in documents),
        "grids": sorted({_last_part(url) for d in documents for url in d["grids"]}),
        "categories": sorted({_last_part(d["category"]) for d in documents}),
    }
    # v3 looks up by slug only: the packages' own, and the placeholders' that the import makes of the rest.
    slugs = {
        "packages": sorted(d["slug"] for d in documents),
        "grids": [f"placeholder-grid-{ident}" for ident in lookups["grids"]],
        "categories": [f"placeholder-category-{ident}" for ident in lookups["categories"]],
    }
    words = sorted({word.lower() for d in documents for word in re.findall(r"\w{3,}", d["title"])})
    return {"v4": lookups, "v3": slugs}, words


LOOKUPS, TITLE_WORDS = _sample_lookups()


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Half the lookups are generated, half name a document of the sample (so its 200 is checked too)."""
    if not path_parameters:  # a negative case that leaves the lookup out
        return st.just(path_parameters)
    version, kind = context.operation.path.split("/")[2:4]
    name = "slug" if version == "v3" else "id"
    return st.one_of(st.just(path_parameters), st.sampled_from(LOOKUPS[version][kind]).map(lambda lookup: {**path_parameters, name: lookup}))


@schema.hook
def flatmap_query(context, query):
    """Search: half the queries are generated, half are words of the sample's titles (so results are checked too)."""
    if context.operation.path != "/api/v4/search/":
        return st.just(query)
    return st.one_of(st.just(query), st.sampled_from(TITLE_WORDS).map(lambda word: {**(query or {}), "q": word}))


@pytest.fixture
def one_connection():
    """Requests use the test's own database connection, inside its transaction, as Django's test
    client arranges: the handler's ``close_old_connections`` would close it (it is not in autocommit)."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def cases():
    """Counts the cases run for one operation, and fails the operation when there were too few."""
    count = []
    yield count
    assert len(count) >= MIN_CASES_PER_OPERATION, f"only {len(count)} cases ran: a failure stopped the run, or generation ran dry"


@schema.parametrize()
@settings(
    max_examples=MIN_CASES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_keeps_to_its_schema(case, sample, one_connection, cases):
    cases.append(case)
    case.call_and_validate()
