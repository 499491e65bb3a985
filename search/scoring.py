"""Package weight and grid weight (SPEC §1): pure functions of plain values.

The weights (0–100) are stored with each search entry and added to its search rank; they do not
depend on the package score (``packages.scoring``).
"""
from datetime import datetime, timedelta

CRITERION = 20  # points per weight criterion; 8 criteria, scaled down to 100
MAX_POINTS = 8 * CRITERION
COMMIT_AGE_POINTS = [(timedelta(days=90), 20), (timedelta(days=182), 10), (timedelta(days=365), 5)]
RECENT_RELEASE = timedelta(days=365)
GRID_SHORTFALLS = 3  # not locked, not a header grid, no packages


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
    """The search weight of a package (0–100): 8 criteria of 20 points each, scaled to 100 and
    truncated, as the original computes it (``int(points / 160 * 100)``).

    Not deprecated; has a description; downloads in whole thousands; forks; a commit in the last
    90 / 182 / 365 days (20 / 10 / 5); a release in the last 365 days; users; stars (each at most 20).
    """
    points = 0
    points += 0 if deprecated else CRITERION
    points += CRITERION if description.strip() else 0
    points += min(max(downloads, 0) // 1000, CRITERION)
    points += min(max(forks, 0), CRITERION)
    points += _commit_age_points(last_commit, now)
    points += CRITERION if last_release is not None and now - last_release < RECENT_RELEASE else 0
    points += min(max(users, 0), CRITERION)
    points += min(max(stars, 0), CRITERION)
    return int(points / MAX_POINTS * 100)


def _commit_age_points(last_commit: datetime | None, now: datetime) -> int:
    if last_commit is None:
        return 0
    age = now - last_commit
    return next((points for limit, points in COMMIT_AGE_POINTS if age < limit), 0)


def grid_shortfalls(*, is_locked: bool, header: bool, has_packages: bool) -> int:
    """How many of the grid weight's three penalties apply (0–3)."""
    return (not is_locked) + (not header) + (not has_packages)


def grid_weight(top_package_weight: int, shortfalls: int) -> int:
    """W − W/6, less W/6 per shortfall, where W is the top package weight, truncated.

    Computed as the original does, in floating point one sixth at a time, so that its results
    (49, not 50, for W = 100 and two shortfalls) are matched exactly.
    """
    step = top_package_weight / 6
    weight = top_package_weight - step
    for _ in range(shortfalls):
        weight -= step
    return int(weight)
