"""Which repository a ``repo_url`` names, on which kind of host (SPEC §3): the one owner of host detection.

``Package.save`` stores the kind as ``repo_kind`` (the API's ``repo_host`` filter and the admin use it); the
refresh and the sweep read the repository from here.

Accepted: ``http`` and ``https`` schemes (all a ``URLField`` stores), a ``www.`` prefix, any case in the host, a
trailing ``/`` or ``.git``, and extra path after the repository (``/tree/main``, ``/-/issues``,
``/src/master``). GitHub, Bitbucket and Forgejo name a repository ``owner/name``; GitLab allows
nested groups (``group/subgroup/project``). github.com, gitlab.com, bitbucket.org and
codeberg.org are recognised; any other host needs an explicit ``repo_host`` (self-hosted GitLab or
Forgejo/Gitea). Anything else is unsupported: ``parse_repo_url`` returns None.
"""
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

KNOWN_HOSTS = {
    "github.com": "github",
    "gitlab.com": "gitlab",
    "bitbucket.org": "bitbucket",
    "codeberg.org": "forgejo",
}
HOST_KINDS = frozenset(KNOWN_HOSTS.values())
SCHEMES = frozenset({"http", "https"})
SEGMENT = re.compile(r"[A-Za-z0-9_.][A-Za-z0-9_.-]*")
# Path words GitLab reserves after a project path (old-style routes without the "/-/" separator).
GITLAB_ROUTES = frozenset({"-", "tree", "blob", "commits", "commit", "raw", "blame", "wikis", "issues", "merge_requests"})


@dataclass(frozen=True)
class RepoRef:
    """A repository: ``kind`` (github/gitlab/bitbucket/forgejo), ``host`` (lower case, with any port), ``path``."""

    kind: str
    host: str
    path: str

    @property
    def web_url(self) -> str:
        """The normalised https URL of the repository's page."""
        return f"https://{self.host}/{self.path}"


def parse_repo_url(url: str, repo_host: str = "") -> RepoRef | None:
    """The repository ``url`` names, or None when the URL or its host is not supported.

    ``repo_host`` (a ``RepoHost`` value) forces the kind of host; blank detects it from the URL.
    """
    try:
        parts = urlsplit(url.strip())
        hostname, port = parts.hostname, parts.port
    except (ValueError, AttributeError):
        return None
    if parts.scheme.lower() not in SCHEMES or not hostname:
        return None
    hostname = hostname.removeprefix("www.")
    kind = repo_host or KNOWN_HOSTS.get(hostname)
    if kind not in HOST_KINDS:
        return None
    segments = [segment for segment in parts.path.split("/") if segment]
    if kind == "gitlab":
        segments = _gitlab_project(segments)
    else:
        segments = segments[:2]
    if segments:
        segments[-1] = segments[-1].removesuffix(".git")
    if len(segments) < 2 or not all(SEGMENT.fullmatch(s) and s.strip(".") for s in segments):
        return None
    return RepoRef(kind, f"{hostname}:{port}" if port else hostname, "/".join(segments))


def _gitlab_project(segments: list[str]) -> list[str]:
    """The group/…/project segments: everything before the first route word after at least two."""
    for index, segment in enumerate(segments[2:], start=2):
        if segment in GITLAB_ROUTES:
            return segments[:index]
    return segments
