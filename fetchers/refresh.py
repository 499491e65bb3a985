"""Refresh one package: fetch its repository facts and its PyPI facts, apply both in one transaction.

The two halves are independent: when one fails, the other still applies. A failed half changes
no stored fact; within the repository half, a failed call after the first (contributors,
commits…) loses only its own facts, the others apply. Facts a fetch did not learn (``None``)
keep their stored value, so a timeout, a 5xx, a rate limit, a 202, a malformed body or a 404
never blanks a package, and a 404 never marks it deprecated. A ``pypi_url`` that names no
project is an error of the PyPI half (an empty one is no error: nothing to fetch). The error
texts (one per failed half or call) go to ``fetch_error`` with their time and a count that goes
back to 0 after a refresh without errors. A refresh without errors also deletes the package's
stored answers to URLs it no longer asks for.

``modified`` moves when a stored fact of the package changed (the latest version included);
the Version rows, ``last_fetched``, ``last_attempted_at`` and the ``fetch_error`` fields are
saved without touching it. ``last_fetched`` (served) moves only when a refresh brought a change
a document shows, or on the first successful refresh (one where a half returned facts): a
refresh answered by 304s, one that found the same values, and a failed one change no served
byte, so every ETag and cached answer stays valid. ``last_attempted_at`` (not served) records
every attempt. The save always writes the score, which ``Package.save`` computes as of now (it
decays with time, so a refresh that learned nothing may still lower it); the search app's post-save
handler then indexes the package.
"""
import logging
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from fetchers.hosts import bitbucket, forgejo, github, gitlab, pypi
from fetchers.http.errors import BadUrl, FetchError, RateLimited
from fetchers.facts import RepoFacts
from fetchers.http.client import HttpClient
from packages.repourl import RepoRef, parse_repo_url
from packages.models import Package, Version

logger = logging.getLogger(__name__)

HOSTS = {"github": github, "gitlab": gitlab, "bitbucket": bitbucket, "forgejo": forgejo}
OUTCOME_FIELDS = frozenset({"last_fetched", "last_attempted_at", "fetch_error", "fetch_error_at", "fetch_error_count"})
UNSERVED_CHANGES = frozenset({"versions"})  # changes that leave ``modified`` alone


@dataclass
class RefreshResult:
    """What one refresh did.

    ``changed``: names of the stored fields whose value changed (``versions`` when Version rows
    were added or updated); ``calls``: HTTP requests sent, ``not_modified``: how many of them
    were answered 304; ``errors``: one text per failed half, and per failed later call of the
    repository half (``"<repository URL>: contributors: HTTP 503 …"``); ``retry``: whether
    trying again soon may bring more (a transient error, or GitHub still computing statistics),
    not before ``retry_after`` when a host set a rate limit.
    """

    package_id: int
    changed: list[str] = field(default_factory=list)
    calls: int = 0
    not_modified: int = 0
    errors: list[str] = field(default_factory=list)
    retry: bool = False
    retry_after: datetime | None = None

    @property
    def ok(self) -> bool:
        """Whether nothing failed: every call of both halves succeeded (or there was nothing to fetch)."""
        return not self.errors


def refresh_package(package_id: int, *, now: datetime | None = None) -> RefreshResult:
    """Fetch and apply the facts of the package ``package_id`` (raises ``Package.DoesNotExist``)."""
    now = now or timezone.now()
    package = Package.objects.get(pk=package_id)
    result = RefreshResult(package_id)
    client = HttpClient(package_id)
    ref = parse_repo_url(package.repo_url, package.repo_host)
    repo_facts = ref and _attempt(result, ref.web_url, lambda: HOSTS[ref.kind].fetch(ref, client, now))
    if repo_facts:
        result.retry |= repo_facts.retry
        for label, error in repo_facts.failures.items():
            _record_error(result, f"{ref.web_url}: {label}", error)
    name = pypi.project_name(package.pypi_url)
    if package.pypi_url.strip() and not name:
        _record_error(result, "PyPI", BadUrl(f"cannot read a project name from pypi_url '{package.pypi_url}'"))
    pypi_facts = name and _attempt(result, f"PyPI {name}", lambda: pypi.fetch(name, client))
    result.calls, result.not_modified = client.calls, client.not_modified
    with transaction.atomic():
        # the category and latest version come along: the search index reads both after the save
        locked = Package.objects.select_related("category", "latest_version").select_for_update(of=("self",))
        package = locked.get(pk=package_id)
        changes = Changes(package)
        if repo_facts:
            _apply_repo(changes, repo_facts, ref, now)
        if pypi_facts:
            _apply_pypi(changes, pypi_facts, now)
        result.changed = sorted(changes.fields)
        served_change = bool(changes.fields - UNSERVED_CHANGES)
        succeeded = bool(repo_facts or pypi_facts) or not result.errors
        _record_outcome(package, result, succeeded=succeeded, served_change=served_change, now=now)
        # Writing "score" makes Package.save recompute it as of now, whether or not a fact changed.
        package.save(update_fields=changes.fields - {"versions"} | OUTCOME_FIELDS | {"score"}, touch=served_change)
    if result.ok:
        client.forget_unasked()
    return result


def _attempt(result: RefreshResult, label: str, fetch):
    try:
        return fetch()
    except FetchError as error:
        _record_error(result, label, error)
        return None


def _record_error(result: RefreshResult, label: str, error: FetchError) -> None:
    logger.warning("refresh of package %s: %s: %s", result.package_id, label, error)
    result.errors.append(f"{label}: {error}")
    result.retry |= error.transient
    if isinstance(error, RateLimited):
        result.retry_after = max(result.retry_after or error.until, error.until)


class Changes:
    """Sets fields on a package and remembers which ones changed."""

    def __init__(self, package: Package):
        self.package = package
        self.fields = set()

    def put(self, name: str, value) -> None:
        """Set ``name`` to ``value`` (a text longer than the column allows is skipped, not cut)."""
        max_length = Package._meta.get_field(name).max_length
        if isinstance(value, str) and max_length and len(value) > max_length:
            logger.warning("package %s: %s too long to store: %.80s…", self.package.pk, name, value)
            return
        if getattr(self.package, name) != value:
            setattr(self.package, name, value)
            self.fields.add(name)

    def learn(self, name: str, value) -> None:
        """Set ``name`` to ``value`` unless the fetch did not learn it (None)."""
        if value is not None:
            self.put(name, value)


def _apply_repo(changes: Changes, facts: RepoFacts, ref: RepoRef, now: datetime) -> None:
    package = changes.package
    for name, value in [
        ("repo_description", facts.description),
        ("repo_watchers", facts.stars),
        ("repo_forks", facts.forks),
        ("participants", facts.participants),
        ("commits_over_52", facts.commits_over_52),
        ("last_commit_date", facts.last_commit_date),
        ("commit_count", facts.commit_count),
        ("repo_default_branch", facts.default_branch),
    ]:
        changes.learn(name, value)
    if facts.archived is not None:
        # the host's own date (Forgejo), else the first time a refresh saw the flag (GitHub, GitLab)
        archived_at = facts.archived_at or package.date_repo_archived or now
        changes.put("date_repo_archived", archived_at if facts.archived else None)
    if facts.web_url:
        changes.put("repo_moved_to", "" if _same_repo(facts.web_url, ref) else facts.web_url)


def _same_repo(web_url: str, ref: RepoRef) -> bool:
    parts = urlsplit(web_url)
    here = f"{parts.netloc.lower().removeprefix('www.')}/{parts.path.strip('/').lower()}"
    return here == f"{ref.host}/{ref.path.lower()}"


def _apply_pypi(changes: Changes, facts: pypi.PypiFacts, now: datetime) -> None:
    package = changes.package
    rows = _save_versions(changes, facts, now)
    latest = rows.get(facts.latest_version)
    if latest and latest.pk != package.latest_version_id:
        changes.put("latest_version", latest)
    if latest:  # its upload time may have changed while it stayed the latest
        changes.put("last_released", latest.upload_time)
    for name, value in [
        ("license", facts.license),
        ("classifiers", facts.classifiers),
        ("requires_python", facts.requires_python),
        ("supports_python3", facts.supports_python3),
        ("vulnerabilities", facts.vulnerabilities),
    ]:
        changes.learn(name, value)
    if not package.documentation_url:
        changes.learn("documentation_url", facts.documentation_url)


def _save_versions(changes: Changes, facts: pypi.PypiFacts, now: datetime) -> dict[str, Version]:
    """Create or update a Version row per release; the latest one gets the licence and development status."""
    package = changes.package
    max_length = Version._meta.get_field("number").max_length
    rows = {version.number: version for version in package.versions.all()}
    new, updated = [], []
    for release in facts.releases:
        if len(release.number) > max_length:
            continue
        values = {"upload_time": release.upload_time, "yanked": release.yanked}
        if release.number == facts.latest_version:
            values.update(license=facts.license or "", development_status=facts.development_status or "")
        row = rows.get(release.number)
        if row is None:
            rows[release.number] = row = Version(package=package, number=release.number, **values)
            new.append(row)
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.modified = now
            updated.append(row)
    Version.objects.bulk_create(new)
    Version.objects.bulk_update(updated, ["upload_time", "yanked", "license", "development_status", "modified"])
    if new or updated:
        changes.fields.add("versions")
    return rows


def _record_outcome(package: Package, result: RefreshResult, succeeded: bool, served_change: bool, now: datetime) -> None:
    package.last_attempted_at = now
    if succeeded and (served_change or package.last_fetched is None):
        package.last_fetched = now
    if result.errors:
        package.fetch_error = "; ".join(result.errors)
        package.fetch_error_at = now
        package.fetch_error_count += 1
    else:
        package.fetch_error, package.fetch_error_at, package.fetch_error_count = "", None, 0
