"""The 52-week histogram and the walk over a commit log."""
from datetime import UTC, datetime, timedelta

from fetchers.activity import summarize, weekly_counts, window_start

NOW = datetime(2024, 1, 17, 15, 0, tzinfo=UTC)  # a Wednesday; its week began on Monday 15 January


def test_the_current_week_is_the_last_entry():
    counts = weekly_counts([datetime(2024, 1, 15, 0, 0, tzinfo=UTC), NOW], NOW)
    assert len(counts) == 52
    assert counts[51] == 2 and sum(counts) == 2


def test_weeks_are_counted_in_utc():
    sunday_night_in_new_york = datetime.fromisoformat("2024-01-14T22:00:00-05:00")  # Monday 03:00 UTC
    assert weekly_counts([sunday_night_in_new_york], NOW)[51] == 1
    assert weekly_counts([datetime(2024, 1, 14, 23, 59, tzinfo=UTC)], NOW)[50] == 1


def test_commits_older_than_52_weeks_are_dropped():
    first_monday = window_start(NOW)
    assert first_monday == datetime(2023, 1, 23, tzinfo=UTC)
    counts = weekly_counts([first_monday, first_monday - timedelta(seconds=1), NOW + timedelta(days=30)], NOW)
    assert counts[0] == 1 and sum(counts) == 1


def test_the_walk_stops_at_the_first_page_that_reaches_past_the_window():
    fetched = []

    def pages():
        for number, page in enumerate(
            [
                [(NOW, "ann"), (NOW - timedelta(days=8), "bob")],
                [(NOW - timedelta(days=300), "ann"), (NOW - timedelta(days=400), "cy")],
                [(NOW - timedelta(days=500), "dee")],
            ]
        ):
            fetched.append(number)
            yield page

    summary = summarize(pages(), NOW)
    assert fetched == [0, 1]
    assert summary.last_commit_date == NOW
    assert summary.participants == ["ann", "bob", "cy"]
    assert sum(summary.commits_over_52) == 3 and summary.commits_over_52[51] == 1 and summary.commits_over_52[50] == 1


def test_an_empty_log_gives_zero_weeks_and_no_date_or_participants():
    summary = summarize(iter([[]]), NOW)
    assert (summary.commits_over_52, summary.last_commit_date, summary.participants) == ([0] * 52, None, None)
