"""Bitbucket client, on the recorded answers of Manfre/django-mssql."""
from datetime import UTC, datetime

import pytest

from fetchers.hosts import bitbucket
from fetchers.http.errors import BadResponse
from fetchers.http.client import HttpClient
from packages.repourl import parse_repo_url

from .helpers import NOW, answer, replay

pytestmark = pytest.mark.django_db
API = "https://api.bitbucket.org/2.0/repositories/Manfre/django-mssql"


def serve_bitbucket(rsps, commits=None):
    replay(rsps, "bitbucket_fetch_metadata.json", 0, url=API)
    replay(rsps, "bitbucket_fetch_metadata.json", 1, url=f"{API}/forks?pagelen=1")
    replay(rsps, "bitbucket_fetch_metadata.json", 2, url=f"{API}/watchers?pagelen=1")
    if commits is None:
        replay(rsps, "bitbucket_fetch_commits.json", 0, url=f"{API}/commits/master?pagelen=100")
    else:
        answer(rsps, f"{API}/commits/master?pagelen=100", commits)


def fetch(now=NOW):
    client = HttpClient()
    return bitbucket.fetch(parse_repo_url("https://bitbucket.org/Manfre/django-mssql/src/master/"), client, now), client


def test_it_counts_forks_and_watchers_from_the_paginated_size_not_one_page(rsps):
    serve_bitbucket(rsps)
    facts, client = fetch()
    assert (facts.forks, facts.stars) == (37, 16)
    assert facts.description.startswith("Microsoft SQL server backend for Django")
    assert (facts.default_branch, facts.web_url, facts.archived) == ("master", "https://bitbucket.org/Manfre/django-mssql", None)
    assert facts.last_commit_date == datetime(2018, 8, 22, 18, 50, 22, tzinfo=UTC)
    assert facts.commits_over_52 == [0] * 52
    assert facts.participants[0] == "Manfre"
    assert client.calls == 4


def test_recent_commits_fill_the_weeks(rsps):
    serve_bitbucket(rsps)
    facts, _ = fetch(now=datetime(2018, 8, 25, tzinfo=UTC))
    assert facts.commits_over_52[51] == 3  # three commits on 22 August 2018
    assert sum(facts.commits_over_52) == 4  # and one in December 2017; 3 August 2017 is before the window


def test_the_owner_is_the_participant_when_no_commit_names_one(rsps):
    serve_bitbucket(rsps, commits={"values": []})
    facts, _ = fetch()
    assert facts.participants == ["Manfre"]
    assert facts.last_commit_date is None


def test_a_commit_list_of_the_wrong_shape_is_a_failure_of_that_call_only(rsps):
    serve_bitbucket(rsps, commits=[1, 2])
    facts, _ = fetch()
    assert list(facts.failures) == ["commits"] and isinstance(facts.failures["commits"], BadResponse)
    assert (facts.participants, facts.commits_over_52, facts.last_commit_date) == (None, None, None)  # not the owner
    assert (facts.forks, facts.stars) == (37, 16)


def test_a_5xx_on_watchers_loses_only_the_stars(rsps):
    serve_bitbucket(rsps)
    rsps.replace("GET", f"{API}/watchers", status=503, body="unavailable")
    facts, _ = fetch()
    assert list(facts.failures) == ["watchers"] and "HTTP 503" in str(facts.failures["watchers"])
    assert facts.stars is None
    assert (facts.forks, facts.participants[0], facts.commits_over_52) == (37, "Manfre", [0] * 52)
