"""The package score: the SPEC's rule with worked numbers, and the package keeping its own score.

The score is the package's: ``Package.save`` computes it whenever it writes a fact the score
depends on, and a refresh always rescores (the score decays with time). The search app only
copies it into the index, so these hold with search's save handler disconnected.
"""
from datetime import UTC, datetime, timedelta

import pytest
from django.db.models.signals import post_save
from django.utils import timezone

from fetchers.refresh import refresh_package
from packages.models import Package
from packages.scoring import full_months, package_score
from search import signals
from search.index import rebuild
from search.models import ItemType, SearchEntry
from tests.factories import make_package

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def months_ago(months, days=0):
    year, month = divmod(NOW.month - 1 - months, 12)
    return NOW.replace(year=NOW.year + year, month=month + 1) - timedelta(days=days)


def test_a_fresh_python3_package_scores_its_stars():
    assert package_score(1000, NOW - timedelta(days=10), True, NOW) == 1000


def test_each_full_three_months_without_a_commit_costs_ten_percent_of_the_stars():
    assert package_score(1000, months_ago(7), True, NOW) == 800
    assert package_score(1000, months_ago(6), True, NOW) == 800
    assert package_score(1000, months_ago(6, days=-1), True, NOW) == 900


def test_an_unknown_last_commit_costs_ten_percent_once():
    assert package_score(1000, None, True, NOW) == 900


def test_unconfirmed_python3_support_costs_thirty_percent_of_the_stars_capped_at_1000():
    assert package_score(1000, NOW, None, NOW) == 700
    assert package_score(1000, NOW, False, NOW) == 700
    assert package_score(10000, NOW, False, NOW) == 9000


def test_the_score_never_falls_below_minus_500():
    assert package_score(10000, months_ago(60), False, NOW) == -500


def test_the_score_is_rounded_down():
    assert package_score(15, None, True, NOW) == 13  # 15 - 1.5


def test_full_months_count_whole_calendar_months_only():
    assert full_months(datetime(2026, 1, 31, tzinfo=UTC), datetime(2026, 2, 28, tzinfo=UTC)) == 0
    assert full_months(datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 4, 15, tzinfo=UTC)) == 3
    assert full_months(NOW, NOW - timedelta(days=40)) == 0


@pytest.fixture
def search_deaf(db):
    """Search's package save handler disconnected for the test: whatever it did is not done."""
    post_save.disconnect(sender=Package, dispatch_uid="search.package_saved")
    yield
    post_save.connect(signals.package_saved, sender=Package, dispatch_uid="search.package_saved")


def stored_score(package):
    return Package.objects.get(pk=package.pk).score


def test_a_new_package_gets_its_score_without_search(search_deaf):
    package = make_package("scored", repo_watchers=100, supports_python3=False)
    assert stored_score(package) == package.score == 60  # 100 - 10 (no commit date) - 30 (no Python 3)


def test_saving_a_score_fact_rescores_without_search_or_touching_modified(search_deaf):
    package = make_package("rising", repo_watchers=10, supports_python3=True, last_commit_date=timezone.now())
    modified = Package.objects.get(pk=package.pk).modified
    package.repo_watchers = 5000
    package.save(update_fields=["repo_watchers"], touch=False)
    stored = Package.objects.get(pk=package.pk)
    assert (stored.score, stored.modified) == (5000, modified)


def test_saving_other_fields_leaves_the_score_alone(search_deaf):
    package = make_package("steady", repo_watchers=100, supports_python3=True, last_commit_date=timezone.now())
    Package.objects.filter(pk=package.pk).update(score=42)  # as if computed months ago
    package.title = "Steady"
    package.save(update_fields=["title"])
    assert stored_score(package) == 42


def test_a_refresh_that_learns_nothing_still_rescores_a_decayed_score(search_deaf):
    package = make_package("decayed", repo_watchers=1000, supports_python3=True, last_commit_date=months_ago(7))
    Package.objects.filter(pk=package.pk).update(score=1000)  # computed when the commit was fresh
    result = refresh_package(package.pk)  # no repository, no PyPI project: nothing to fetch
    assert result.ok and result.changed == []
    assert stored_score(package) == package_score(1000, months_ago(7), True, timezone.now())


def test_a_rebuild_indexes_the_stored_score_and_computes_none(db):
    package = make_package("bulk", repo_watchers=100, supports_python3=True, last_commit_date=timezone.now())
    Package.objects.filter(pk=package.pk).update(repo_watchers=3000)  # a bulk write: no save, no rescore
    rebuild()
    entry = SearchEntry.objects.get(item_type=ItemType.PACKAGE, object_id=package.pk)
    assert stored_score(package) == entry.score == 100
