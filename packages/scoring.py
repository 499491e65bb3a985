"""The package score (SPEC §1): a pure function of a package's stars, last commit and Python 3 support.

The score ranks packages for editors (admin) and search shows it; v4 package documents do not.
``Package.save`` keeps it current whenever it writes one of ``SCORE_FACTS`` (or the score itself).
"""
import math
from datetime import UTC, datetime
from fractions import Fraction

SCORE_FACTS = frozenset({"repo_watchers", "last_commit_date", "supports_python3"})
SCORE_FLOOR = -500
STALE_PENALTY = Fraction(1, 10)  # of the stars, per full 3 months since the last commit
NO_PYTHON3_PENALTY = Fraction(3, 10)  # of the stars, when Python 3 support is not confirmed...
NO_PYTHON3_PENALTY_CAP = 1000  # ...but never more than this


def full_months(start: datetime, end: datetime) -> int:
    """Whole calendar months from ``start`` to ``end`` (aware, compared in UTC); 0 when ``end`` is earlier."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    months = (end.year - start.year) * 12 + end.month - start.month
    if (end.day, end.time()) < (start.day, start.time()):
        months -= 1
    return max(months, 0)


def package_score(stars: int, last_commit: datetime | None, supports_python3: bool | None, now: datetime) -> int:
    """Stars, less 10% of them per full 3 months since ``last_commit`` (once when it is unknown),
    less min(30% of them, 1000) unless Python 3 support is confirmed; rounded down, at least -500.
    """
    quarters = 1 if last_commit is None else full_months(last_commit, now) // 3
    score = stars - stars * STALE_PENALTY * quarters
    if supports_python3 is not True:
        score -= min(stars * NO_PYTHON3_PENALTY, NO_PYTHON3_PENALTY_CAP)
    return max(math.floor(score), SCORE_FLOOR)
