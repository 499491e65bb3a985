"""Package score, package weight and grid weight (SPEC §1): pure functions of plain values.

The score ranks packages for editors (admin) and is not served by v4. The weights (0–100) are
stored with each search entry and added to its search rank; they do not depend on the score.
"""
import math
from datetime import UTC, datetime, timedelta
from fractions import Fraction

SCORE_FLOOR = -500
STALE_PENALTY = Fraction(1, 10)  # of the stars, per full 3 months since the last commit
NO_PYTHON3_PENALTY = Fraction(3, 10)  # of the stars, when Python 3 support is not confirmed...
NO_PYTHON3_PENALTY_CAP = 1000  # ...but never more than this

CRITERION = 20  # points per weight criterion; 8 criteria, scaled down to 100
MAX_POINTS = 8 * CRITERION
COMMIT_AGE_POINTS = [(timedelta(days=90), 20), (timedelta(days=182), 10), (timedelta(days=365), 5)]
RECENT_RELEASE = timedelta(days=365)
GRID_SHORTFALLS = 3  # not locked, not a header grid, no packages


def round_half_up(value) -> int:
    """The integer nearest to ``value``; halves go up."""
    return math.floor(value + Fraction(1, 2))


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


def package_weight(
    *,
    deprecated: bool,
    description: str,
    downloads: int,
    forks: int,
    last_commit: datetime | None,
    last_release: datetime | None,
    users: int,
    stars: int,
    now: datetime,
) -> int:
    """The search weight of a package (0–100): 8 criteria of 20 points each, scaled to 100.

    Not deprecated; has a description; downloads/1000; forks; a commit in the last 90 / 182 /
    365 days (20 / 10 / 5); a release in the last 365 days; users; stars (each at most 20).
    """
    points = Fraction(0)
    points += 0 if deprecated else CRITERION
    points += CRITERION if description.strip() else 0
    points += min(Fraction(max(downloads, 0), 1000), CRITERION)
    points += min(max(forks, 0), CRITERION)
    points += _commit_age_points(last_commit, now)
    points += CRITERION if last_release is not None and now - last_release < RECENT_RELEASE else 0
    points += min(max(users, 0), CRITERION)
    points += min(max(stars, 0), CRITERION)
    return round_half_up(points * 100 / MAX_POINTS)


def _commit_age_points(last_commit: datetime | None, now: datetime) -> int:
    if last_commit is None:
        return 0
    age = now - last_commit
    return next((points for limit, points in COMMIT_AGE_POINTS if age < limit), 0)


def grid_shortfalls(*, is_locked: bool, header: bool, has_packages: bool) -> int:
    """How many of the grid weight's three penalties apply (0–3)."""
    return (not is_locked) + (not header) + (not has_packages)


def grid_weight(top_package_weight: int, shortfalls: int) -> int:
    """W − W/6, less W/6 per shortfall, where W is the top package weight; rounded half up."""
    step = Fraction(top_package_weight, 6)
    return round_half_up(top_package_weight - step * (1 + shortfalls))
