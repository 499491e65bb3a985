"""One owner of host detection: the list filter, the admin and the refresh read a URL the same way."""
import pytest

from categories.models import Category
from packages.models import Package
from packages.repourl import HOST_KINDS, parse_repo_url

EDGE_URLS = [
    ("https://github.com:443/a/port", ""),
    ("https://user@github.com/a/userinfo", ""),
    ("HTTPS://WWW.GitHub.com/a/shouting.git", ""),
    ("https://github.com/", ""),  # a host, no repository
    ("https://github.com/owner-only", ""),
    ("https://github.com.evil.example/a/lookalike", ""),
    ("https://gitlab.com/group/sub/project/-/tree/main", ""),
    ("https://git.example.org/a/self", "forgejo"),
    ("https://codeberg.org/a/b", "github"),  # an explicit host kind wins
]


@pytest.mark.django_db
def test_the_repo_host_filter_agrees_with_the_refresh_on_every_edge_url():
    category = Category.objects.create(title="App", slug="apps")
    for i, (url, host) in enumerate(EDGE_URLS):
        Package.objects.create(title=f"p{i}", slug=f"p{i}", category=category, repo_url=url, repo_host=host)
    for kind in HOST_KINDS:
        expected = {
            p.slug for p in Package.objects.all() if (ref := parse_repo_url(p.repo_url, p.repo_host)) and ref.kind == kind
        }
        assert set(Package.objects.on_host(kind).values_list("slug", flat=True)) == expected, kind
    assert Package.objects.get(slug="p0").repo_kind == "github"  # the SQL regex this replaced missed a port
    assert Package.objects.get(slug="p3").repo_kind == ""


@pytest.mark.django_db
def test_an_edit_of_the_url_or_the_host_kind_moves_the_package():
    package = Package.objects.create(
        title="p", slug="p", category=Category.objects.create(title="App", slug="apps"), repo_url="https://github.com/a/b"
    )
    package.repo_url = "https://gitlab.example.org/a/b"
    package.save(update_fields=["repo_url"])
    assert Package.objects.get(pk=package.pk).repo_kind == ""
    package.repo_host = "gitlab"
    package.save(update_fields=["repo_host"])
    assert list(Package.objects.on_host("gitlab")) == [package]
    package.title = "renamed"
    package.save(update_fields=["title"])  # other fields leave the kind alone
    assert Package.objects.get(pk=package.pk).repo_kind == "gitlab"
