"""Repository URL parsing and host detection (SPEC §3)."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from packages.repourl import GITLAB_ROUTES, RepoRef, parse_repo_url

name = st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}", fullmatch=True).filter(lambda s: not s.endswith(".git"))
host = st.sampled_from(["github.com", "gitlab.com", "bitbucket.org", "codeberg.org"])
kinds = {"github.com": "github", "gitlab.com": "gitlab", "bitbucket.org": "bitbucket", "codeberg.org": "forgejo"}


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://github.com/django/deps", RepoRef("github", "github.com", "django/deps")),
        ("http://github.com/django/deps/", RepoRef("github", "github.com", "django/deps")),
        ("https://github.com/django/deps.git", RepoRef("github", "github.com", "django/deps")),
        ("https://www.GitHub.COM/django/deps/tree/main", RepoRef("github", "github.com", "django/deps")),
        ("https://gitlab.com/group/subgroup/project", RepoRef("gitlab", "gitlab.com", "group/subgroup/project")),
        ("https://gitlab.com/group/subgroup/project/-/tree/main", RepoRef("gitlab", "gitlab.com", "group/subgroup/project")),
        ("https://gitlab.com/jeff.triplett/django-metadata/tree/master", RepoRef("gitlab", "gitlab.com", "jeff.triplett/django-metadata")),
        ("https://bitbucket.org/Manfre/django-mssql/src/master/", RepoRef("bitbucket", "bitbucket.org", "Manfre/django-mssql")),
        ("https://codeberg.org/forgejo/forgejo.git", RepoRef("forgejo", "codeberg.org", "forgejo/forgejo")),
    ],
)
def test_it_accepts_the_url_forms_of_the_spec(url, expected):
    assert parse_repo_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "",
        "django-foo",
        "github.com/django/deps",  # no scheme
        "ftp://github.com/django/deps",
        "git://github.com/django/deps.git",  # a URLField cannot hold it
        "https://code.google.com/p/django-foo/",
        "https://launchpad.net/django-foo",
        "https://github.com/django",  # an owner, not a repository
        "https://github.com/django/.git",
        "https://github.com/../..",
        "https://git.example.org/owner/repo",  # self-hosted without an explicit host kind
        "http://[::1",
    ],
)
def test_it_leaves_anything_else_unsupported(url):
    assert parse_repo_url(url) is None


def test_it_uses_the_explicit_host_kind_for_self_hosted_instances():
    assert parse_repo_url("https://git.example.org:3000/owner/repo", "forgejo") == RepoRef(
        "forgejo", "git.example.org:3000", "owner/repo"
    )
    assert parse_repo_url("https://gitlab.example.org/a/b/c/-/issues", "gitlab") == RepoRef("gitlab", "gitlab.example.org", "a/b/c")


def test_the_web_url_is_normalised():
    assert parse_repo_url("HTTP://WWW.github.com/django/deps.git/").web_url == "https://github.com/django/deps"


@given(
    host=host,
    owner=name,
    repo=name,
    scheme=st.sampled_from(["http", "https", "HTTPS"]),
    www=st.booleans(),
    upper=st.booleans(),
    suffix=st.sampled_from(["", "/", ".git", ".git/", "/tree/main", "/-/tree/main/docs"]),
)
def test_every_accepted_spelling_names_the_same_repository(host, owner, repo, scheme, www, upper, suffix):
    shown_host = ("www." if www else "") + (host.upper() if upper else host)
    ref = parse_repo_url(f"{scheme}://{shown_host}/{owner}/{repo}{suffix}")
    assert ref == RepoRef(kinds[host], host, f"{owner}/{repo}")


@given(groups=st.lists(name.filter(lambda s: s not in GITLAB_ROUTES), min_size=2, max_size=5), suffix=st.sampled_from(["", "/", ".git", "/-/tree/main"]))
def test_gitlab_keeps_every_level_of_nested_groups(groups, suffix):
    path = "/".join(groups)
    assert parse_repo_url(f"https://gitlab.com/{path}{suffix}") == RepoRef("gitlab", "gitlab.com", path)


@given(url=st.text(max_size=200), repo_host=st.sampled_from(["", "github", "gitlab", "bitbucket", "forgejo", "svn"]))
def test_it_never_raises_on_any_text(url, repo_host):
    ref = parse_repo_url(url, repo_host)
    assert ref is None or ref.kind in {"github", "gitlab", "bitbucket", "forgejo"}
