"""Commit activity: the 52-week histogram, and the summary of a commit log for the hosts that only list commits.

Weeks are ISO weeks in UTC (Monday 00:00 to Monday 00:00). Index 51 is the week holding ``now``,
index 0 the week 51 weeks before it; commits before index 0's Monday (or after the current week)
are dropped.
"""
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from fetchers.facts import ranked

WEEKS = 52


def week_start(moment: datetime) -> datetime:
    """Monday 00:00 UTC of the week holding ``moment`` (an aware datetime)."""
    day = moment.astimezone(UTC).date()
    return datetime.combine(day - timedelta(days=day.weekday()), time.min, tzinfo=UTC)


def window_start(now: datetime) -> datetime:
    """The first instant counted: Monday 00:00 UTC of the week at index 0."""
    return week_start(now) - timedelta(weeks=WEEKS - 1)


def weekly_counts(dates: Iterable[datetime], now: datetime) -> list[int]:
    """52 commit counts, oldest week first, from the commits' aware datetimes."""
    counts = [0] * WEEKS
    current = week_start(now)
    for date in dates:
        index = WEEKS - 1 - (current - week_start(date)).days // 7
        if 0 <= index < WEEKS:
            counts[index] += 1
    return counts


@dataclass
class CommitSummary:
    """What a commit log tells: the histogram, the newest commit's date, the authors most active first."""

    commits_over_52: list[int]
    last_commit_date: datetime | None
    participants: list[str] | None


def summarize(pages: Iterable[list[tuple[datetime | None, str | None]]], now: datetime) -> CommitSummary:
    """Read pages of (date, author) pairs, newest first, until a page reaches back before the window.

    ``pages`` is lazy, so the pages after that one are never fetched. Authors are ranked over every
    commit read, which gives an inactive repository its recent authors too.
    """
    since = window_start(now)
    commits = []
    for page in pages:
        commits += [(date, author) for date, author in page if date]
        if not page or (commits and commits[-1][0] < since):
            break
    dates = [date for date, _ in commits]
    return CommitSummary(weekly_counts(dates, now), max(dates, default=None), ranked(author for _, author in commits))
