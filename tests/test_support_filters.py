"""The package list's filters by Django and Python support, maintenance, vulnerabilities and licence, and its new orderings."""
from datetime import timedelta

import pytest
from django.utils import timezone

from categories.models import Category
from packages.models import Package, Version

pytestmark = pytest.mark.django_db
DJANGO = "Framework :: Django :: {}"
PYTHON = "Programming Language :: Python :: {}"


@pytest.fixture
def catalogue(db):
    """Packages with known classifiers, requires_python, licences, dates and vulnerabilities."""
    now = timezone.now()
    category = Category.objects.create(title="App", slug="apps")
    rows = {
        "modern": dict(classifiers=[DJANGO.format("5.2"), PYTHON.format("3.13")], requires_python=">=3.10", license="MIT OR Apache-2.0",
                       last_commit_date=now - timedelta(days=10), vulnerabilities=[], repo_watchers=5),
        "compatible": dict(classifiers=[DJANGO.format("4.2"), DJANGO.format("5.2")], requires_python="~=3.11.4", license="BSD-3-Clause",
                           last_commit_date=now - timedelta(days=800), vulnerabilities=[{"id": "PYSEC-1", "aliases": [], "summary": None,
                                                                                        "fixed_in": [], "link": None}], repo_watchers=50),
        "pinned": dict(classifiers=[DJANGO.format("5.20")], requires_python="==3.12.1", license="MIT License", repo_watchers=20),
        "skips": dict(classifiers=[], requires_python=">=3.10,!=3.13.*", license="mit", vulnerabilities=[], repo_watchers=20),
        "unknown": dict(classifiers=[], requires_python="not a specifier"),
    }
    packages = {slug: Package.objects.create(title=slug, slug=slug, category=category, **fields) for slug, fields in rows.items()}
    # a release within the year keeps "pinned" maintained without commits; "skips" released long ago
    Version.objects.create(package=packages["pinned"], number="1.0", upload_time=now - timedelta(days=100))
    old = Version.objects.create(package=packages["skips"], number="0.1", upload_time=now - timedelta(days=900))
    for slug, version in (("pinned", packages["pinned"].versions.get()), ("skips", old)):
        package = Package.objects.get(slug=slug)
        package.latest_version = version
        package.save()
    return packages


def _slugs(client, query):
    response = client.get(f"/api/v4/packages/?limit=1000&{query}")
    assert response.status_code == 200, response.content
    return {item["slug"] for item in response.json()["results"]}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("django=5.2", {"modern", "compatible"}),  # not 5.20
        ("django=4.2", {"compatible"}),
        ("django=3.2", set()),
        ("python=3.13", {"modern"}),  # by classifier; "skips" excludes 3.13.*
        ("python=3.11", {"modern", "compatible", "skips"}),  # ~=3.11.4 admits 3.11.4
        ("python=3.12", {"modern", "pinned", "skips"}),  # ==3.12.1
        ("python=3", {"modern", "compatible", "pinned", "skips"}),
        ("python=2.7", set()),
        ("maintained=true", {"modern", "pinned"}),
        ("maintained=false", {"compatible", "skips"}),  # "unknown" has no date: neither
        ("has_vulnerabilities=true", {"compatible"}),
        ("has_vulnerabilities=false", {"modern", "skips"}),  # "pinned" and "unknown" were never fetched
        ("license=MIT", {"modern", "skips"}),  # an operand of an expression, or the whole licence in any case
        ("license=apache-2.0", {"modern"}),
        ("license=mit license", {"pinned"}),
        ("license=BSD", set()),
        ("license=.*", set()),  # no pattern
        ("django=5.2&python=3.13", {"modern"}),
        ("django=&python=&license=", {"modern", "compatible", "pinned", "skips", "unknown"}),  # blank: not filtered
    ],
)
def test_each_filter_picks_the_right_packages(client, catalogue, query, expected):
    assert _slugs(client, query) == expected


def test_stars_sorts_as_repo_watchers_and_last_released_by_the_latest_release(client, catalogue):
    def ids(ordering):
        return [item["id"] for item in client.get(f"/api/v4/packages/?ordering={ordering}").json()["results"]]

    assert ids("-stars") == ids("-repo_watchers") and ids("stars,title") == ids("repo_watchers,title")
    released = [i for i in ids("-last_released") if Package.objects.get(pk=i).last_released is not None]
    assert released == [catalogue["pinned"].pk, catalogue["skips"].pk]


def test_the_browsable_filters_form_offers_the_new_filters_blank_first(client, catalogue):
    page = client.get("/api/v4/packages/", HTTP_ACCEPT="text/html").content.decode()
    for name in ("django", "python", "license"):
        assert f'name="{name}"' in page
    for name in ("maintained", "has_vulnerabilities"):
        select = page.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
        assert select.index('value=""') < select.index('value="true"') < select.index('value="false"')
    assert '<option value="-stars"' in page and '<option value="last_released"' in page
