"""``manage.py refresh_package``."""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from fetchers.models import StoredResponse

from tests.factories import make_package

from .helpers import answer, pypi_answer, serve_github

pytestmark = pytest.mark.django_db
PYPI = "https://pypi.org/pypi/django-minify-html/json"


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("refresh_package", *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), str(error)
    return out.getvalue(), err.getvalue(), None


@pytest.fixture
def deps(rsps):
    serve_github(rsps)
    answer(rsps, PYPI, pypi_answer("django-minify-html"), headers={"ETag": '"py1"'})
    return make_package(repo_url="https://github.com/django/deps", pypi_url="django-minify-html")


def test_it_prints_the_changed_fields_and_the_calls_of_each_package(deps):
    out, _, failure = run("deps")
    assert failure is None
    assert out.startswith("deps: classifiers, commit_count, commits_over_52, ")
    assert "repo_watchers" in out and out.rstrip().endswith("; 5 HTTP calls, 0 answered 304")


def test_a_package_may_be_named_by_its_id_as_in_the_api(deps):
    out, _, failure = run(str(deps.pk), str(deps.pk + 1000))
    assert failure == "1 of 2 package(s) failed"
    assert out.startswith(f"{deps.pk}: classifiers, ")
    assert f"{deps.pk + 1000}: no such package" in out


def test_an_unchanged_package_costs_only_304s(deps, rsps):
    run("deps")
    rsps.reset()
    for stored in StoredResponse.objects.all():
        answer(rsps, stored.url, status=304)
    out, _, failure = run("deps")
    assert out == "deps: nothing changed; 5 HTTP calls, 5 answered 304\n" and failure is None


def test_it_exits_non_zero_when_a_package_fails(deps, rsps):
    make_package(slug="broken", repo_url="https://github.com/django/gone")
    answer(rsps, "https://api.github.com/repos/django/gone", {"message": "Not Found"}, status=404)
    out, _, failure = run("deps", "broken", "missing")
    assert "broken: nothing changed; 1 HTTP calls, 0 answered 304; FAILED: https://github.com/django/gone: HTTP 404" in out
    assert "missing: no such package" in out
    assert failure == "2 of 3 package(s) failed"


def test_all_refreshes_every_package_with_a_progress_bar(deps):
    make_package(slug="elsewhere", repo_url="https://launchpad.net/elsewhere")
    out, err, failure = run("--all")
    assert failure is None
    assert [line.split(":")[0] for line in out.splitlines()] == ["deps", "elsewhere"]
    assert "2/2" in err


def test_it_wants_slugs_or_all(db):
    assert run()[2] == "give package slugs or --all, not both and not neither"
    assert run("deps", "--all")[2] == "give package slugs or --all, not both and not neither"
