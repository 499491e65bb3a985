"""The stored answers of a package: read in one query, owned by the package, pruned when unused."""
import pytest

from fetchers.models import StoredResponse
from fetchers.refresh import refresh_package
from packages.models import Package

from tests.factories import make_package

from .helpers import GITHUB_API, answer, pypi_answer, serve_github

pytestmark = pytest.mark.django_db
PYPI = "https://pypi.org/pypi/django-minify-html/json"


def serve_pypi(rsps):
    answer(rsps, PYPI, pypi_answer("django-minify-html"), headers={"ETag": '"py1"'})


def package():
    return make_package(repo_url="https://github.com/django/deps", pypi_url="https://pypi.org/project/django-minify-html/")


def stored_urls(pkg):
    return set(StoredResponse.objects.filter(package=pkg).values_list("url", flat=True))


def test_a_refresh_stores_its_answers_as_the_packages(rsps):
    serve_github(rsps)
    serve_pypi(rsps)
    pkg = package()
    refresh_package(pkg.id)
    assert PYPI in stored_urls(pkg) and f"{GITHUB_API}/stats/participation" in stored_urls(pkg)
    assert not StoredResponse.objects.filter(package__isnull=True).exists()


def test_an_unchanged_refresh_reads_all_its_stored_answers_in_one_query(rsps, django_assert_max_num_queries):
    serve_github(rsps)
    serve_pypi(rsps)
    pkg = package()
    refresh_package(pkg.id)
    rsps.reset()
    for stored in StoredResponse.objects.all():
        answer(rsps, stored.url, status=304)
    # the package, its stored answers, the locked package joined with its category and latest
    # version, its versions, the save, the search entry, the transaction's and savepoint's statements
    with django_assert_max_num_queries(10):
        result = refresh_package(pkg.id)
    assert (result.calls, result.not_modified) == (5, 5)


def test_a_clean_refresh_forgets_the_answers_of_a_url_the_package_no_longer_has(rsps):
    serve_github(rsps)
    serve_pypi(rsps)
    pkg = package()
    refresh_package(pkg.id)
    Package.objects.filter(pk=pkg.pk).update(pypi_url="")
    refresh_package(pkg.id)
    assert PYPI not in stored_urls(pkg)
    assert f"{GITHUB_API}/stats/participation" in stored_urls(pkg)


def test_a_failed_refresh_keeps_every_stored_answer(rsps):
    serve_github(rsps)
    serve_pypi(rsps)
    pkg = package()
    refresh_package(pkg.id)
    before = stored_urls(pkg)
    rsps.reset()
    answer(rsps, GITHUB_API, {"message": "Server Error"}, status=500)  # the repository half fails at its first call
    serve_pypi(rsps)
    assert not refresh_package(pkg.id).ok
    assert stored_urls(pkg) == before


def test_deleting_a_package_deletes_its_stored_answers(rsps):
    serve_github(rsps)
    serve_pypi(rsps)
    pkg = package()
    refresh_package(pkg.id)
    pkg.delete()
    assert not StoredResponse.objects.exists()


def test_a_stored_answer_without_a_package_is_used_and_taken_by_the_package_that_asks(rsps):
    serve_github(rsps)
    serve_pypi(rsps)
    pkg = package()
    refresh_package(pkg.id)
    StoredResponse.objects.update(package=None)  # rows stored before they had a package
    rsps.reset()
    for stored in StoredResponse.objects.all():
        answer(rsps, stored.url, status=304)
    result = refresh_package(pkg.id)
    assert (result.calls, result.not_modified) == (5, 5)
    assert not StoredResponse.objects.filter(package__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_a_package_deleted_during_its_refresh_stores_nothing_and_fails_nowhere(rsps):
    pkg = package()

    def delete_then_answer(request):
        Package.objects.filter(pk=pkg.pk).delete()
        return 200, {"ETag": '"py1"'}, '{"info": {}, "releases": {}}'

    rsps.add_callback("GET", PYPI, callback=delete_then_answer)
    Package.objects.filter(pk=pkg.pk).update(repo_url="")
    with pytest.raises(Package.DoesNotExist):  # the task treats this as "gone"
        refresh_package(pkg.id)
    assert not StoredResponse.objects.exists()
