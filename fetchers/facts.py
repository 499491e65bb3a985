"""The facts a repository host gives, and small typed readers of JSON shared by all clients.

A value of ``None`` in any fact means "this fetch did not learn it": the refresh then keeps what
is stored. Readers return ``None`` for missing keys, nulls and values of the wrong type, so a
null or an absent key never turns into an empty or zero fact. A client reads the repository
object first (its failure fails the whole fetch) and makes every later call through ``attempt``,
so a failed later call loses only the facts it brings and leaves its error in ``failures``.
"""
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import repeat
from typing import TypeVar

from fetchers.http.errors import BadResponse, FetchError, TooLarge

T = TypeVar("T")

# The longest repository description accepted, in characters: what GitHub (350), GitLab (2,000)
# and Forgejo (2,048) let a maintainer write, so that every real description is kept whole, as
# djangopackages.org keeps the host's text; a longer one comes from a broken or hostile server
# and is refused (the column, a TextField, has no limit of its own).
DESCRIPTION_MAX_CHARS = 2048


@dataclass
class RepoFacts:
    """What one repository host said about a repository.

    ``stars`` and ``forks`` are counts, ``archived`` a flag, ``archived_at`` when the host says it
    was archived (Forgejo alone gives it; None elsewhere), ``participants`` contributor names
    (most active first, unique, no blanks), ``commits_over_52`` 52 weekly commit counts (oldest
    week first, the current UTC week last), ``last_commit_date`` the newest commit on the default
    branch (aware, UTC), ``commit_count`` the commits on that branch, ``web_url`` the repository's
    page as the host names it now (it differs from the stored URL after a rename or transfer).
    ``retry`` is set when the host is still computing something (GitHub's 202). ``failures``
    maps the label of each call after the first that failed (``"contributors"``) to its error;
    the facts that call brings are None.
    """

    web_url: str | None = None
    description: str | None = None
    stars: int | None = None
    forks: int | None = None
    archived: bool | None = None
    archived_at: datetime | None = None
    default_branch: str | None = None
    participants: list[str] | None = None
    commits_over_52: list[int] | None = None
    last_commit_date: datetime | None = None
    commit_count: int | None = None
    retry: bool = False
    failures: dict[str, FetchError] = field(default_factory=dict)


def attempt(facts: RepoFacts, label: str, call: Callable[[], T]) -> T | None:
    """``call()``'s result, or None when it raises a ``FetchError``, which is kept in
    ``facts.failures[label]`` (any other exception propagates)."""
    try:
        return call()
    except FetchError as error:
        facts.failures[label] = error
        return None


def repository_facts(repo: dict, stars_key: str, web_url_key: str = "html_url") -> RepoFacts:
    """The facts a GitHub, GitLab or Forgejo repository object holds (they differ only in the keys
    of stars and web URL); the later calls' facts are None."""
    return RepoFacts(
        web_url=text(repo, web_url_key),
        description=description(repo),
        stars=count(repo, stars_key),
        forks=count(repo, "forks_count"),
        archived=flag(repo, "archived"),
        default_branch=text(repo, "default_branch"),
    )


def dig(data, *path):
    """``data[k1][k2]…``, or None when any step is missing or not a dict/list."""
    for key in path:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def text(data, *path) -> str | None:
    """The string at ``path``, or None."""
    value = dig(data, *path)
    return value if isinstance(value, str) else None


def description(repo) -> str | None:
    """The ``description`` string of a repository object, or None; raises ``TooLarge`` when it is
    longer than ``DESCRIPTION_MAX_CHARS`` characters."""
    value = text(repo, "description")
    if value is not None and len(value) > DESCRIPTION_MAX_CHARS:
        raise TooLarge(f"description over {DESCRIPTION_MAX_CHARS} characters ({len(value)})")
    return value


def count(data, *path) -> int | None:
    """The non-negative integer at ``path`` (booleans excluded), or None."""
    value = dig(data, *path)
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def flag(data, *path) -> bool | None:
    """The boolean at ``path``, or None."""
    value = dig(data, *path)
    return value if isinstance(value, bool) else None


def moment(data, *path) -> datetime | None:
    """The ISO 8601 date-time at ``path`` as an aware UTC datetime (naive means UTC), or None."""
    value = text(data, *path)
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return parsed.replace(tzinfo=parsed.tzinfo or UTC).astimezone(UTC)


def obj(data, what: str) -> dict:
    """``data`` itself when it is a JSON object; else ``BadResponse`` naming ``what`` was expected."""
    if not isinstance(data, dict):
        raise BadResponse(f"unexpected answer for {what}: a JSON object was expected")
    return data


def items(data, what: str) -> list:
    """``data`` itself when it is a JSON array; else ``BadResponse``."""
    if not isinstance(data, list):
        raise BadResponse(f"unexpected answer for {what}: a JSON array was expected")
    return data


def ranked(names: Iterable[str | None], weights: Iterable[int] | None = None) -> list[str] | None:
    """Names ordered by total weight (default: how often they occur), then first seen; blanks dropped.

    None when no name is left, so that an empty list never replaces stored participants.
    """
    totals = Counter()
    for name, weight in zip(names, repeat(1) if weights is None else weights, strict=False):
        if isinstance(name, str) and name.strip():
            totals[name.strip()] += weight if isinstance(weight, int) else 0
    return [name for name, _ in totals.most_common()] or None


def ranked_entries(pages, name_key: str, weight_key: str, what: str) -> list[str] | None:
    """``ranked`` over every entry of paginated JSON arrays (``JsonResponse``s), by ``name_key`` weighted by ``weight_key``."""
    entries = [entry for page in pages for entry in items(page.data or [], what)]
    return ranked((text(entry, name_key) for entry in entries), (count(entry, weight_key) for entry in entries))
