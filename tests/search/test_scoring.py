"""Package weight and grid weight: the SPEC's rules with worked numbers."""
from datetime import UTC, datetime, timedelta

import pytest

from search.scoring import grid_shortfalls, grid_weight, package_weight

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


BEST = dict(
    deprecated=False, description="Does things", downloads=50_000, forks=30, last_commit=NOW - timedelta(days=5),
    last_release=NOW - timedelta(days=30), users=25, stars=500, now=NOW,
)


def test_a_package_meeting_all_eight_criteria_weighs_100():
    assert package_weight(**BEST) == 100


def test_a_deprecated_package_with_nothing_else_weighs_0():
    worst = dict(BEST, deprecated=True, description="  ", downloads=0, forks=0, last_commit=None, last_release=None,
                 users=0, stars=0)
    assert package_weight(**worst) == 0


def test_each_criterion_is_worth_at_most_20_of_160_points():
    nothing = dict(BEST, deprecated=True, description="", downloads=0, forks=0, last_commit=None, last_release=None,
                   users=0, stars=0)
    assert package_weight(**dict(nothing, deprecated=False)) == 12  # 20/160 = 12.5, truncated
    assert package_weight(**dict(nothing, stars=10)) == 6  # 10/160 = 6.25
    assert package_weight(**dict(nothing, downloads=8000)) == 5  # 8/160 = 5
    assert package_weight(**dict(nothing, downloads=8999)) == 5  # whole thousands: still 8 points
    assert package_weight(**dict(nothing, downloads=999)) == 0
    assert package_weight(**dict(nothing, forks=16, users=16)) == 20  # 32/160
    assert package_weight(**dict(nothing, forks=7, stars=4)) == 6  # 11/160 = 6.875, truncated


@pytest.mark.parametrize("days, expected", [(89, 12), (100, 6), (200, 3), (400, 0), (None, 0)])
def test_recent_commits_earn_20_10_or_5_points(days, expected):
    nothing = dict(BEST, deprecated=True, description="", downloads=0, forks=0, last_release=None, users=0, stars=0)
    last_commit = None if days is None else NOW - timedelta(days=days)
    assert package_weight(**dict(nothing, last_commit=last_commit)) == expected


def test_only_a_release_within_a_year_earns_points():
    nothing = dict(BEST, deprecated=True, description="", downloads=0, forks=0, last_commit=None, users=0, stars=0)
    assert package_weight(**dict(nothing, last_release=NOW - timedelta(days=364))) == 12
    assert package_weight(**dict(nothing, last_release=NOW - timedelta(days=366))) == 0


@pytest.mark.parametrize(
    "top, locked, header, filled, expected",
    [
        (120, True, True, True, 100),
        (120, False, True, True, 80),
        (120, True, False, True, 80),
        (120, True, True, False, 80),
        (120, False, False, True, 60),
        (120, False, False, False, 40),
        (60, True, True, True, 50),
        (100, True, True, True, 83),
        (100, False, True, True, 66),
        (100, False, False, True, 49),  # the original's float steps: 49.99999999999999
        (100, False, False, False, 33),
        (85, False, True, True, 56),
        (0, False, False, False, 0),
    ],
)
def test_a_grid_weighs_the_top_package_weight_less_a_sixth_per_shortfall(top, locked, header, filled, expected):
    shortfalls = grid_shortfalls(is_locked=locked, header=header, has_packages=filled)
    assert grid_weight(top, shortfalls) == expected
