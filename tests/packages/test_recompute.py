"""``manage.py recompute_packages`` repairs derived fields that writes skipping ``Package.save`` left stale."""
from io import StringIO

import pytest
from django.core.management import call_command

from categories.models import Category
from packages.models import Package
from search.models import ItemType, SearchEntry

pytestmark = pytest.mark.django_db


def test_it_recomputes_repo_kind_and_score_and_search_follows():
    category = Category.objects.create(title="Apps", slug="apps")
    fresh = Package.objects.create(title="Fresh", slug="fresh", category=category, repo_url="https://gitlab.com/a/b")
    stale = Package.objects.create(title="Stale", slug="stale", category=category, repo_url="https://github.com/a/b")
    Package.objects.filter(pk=stale.pk).update(repo_url="https://codeberg.org/a/b", repo_watchers=100, supports_python3=True)
    assert Package.objects.get(pk=stale.pk).repo_kind == "github"

    out = StringIO()
    call_command("recompute_packages", stdout=out)

    stale.refresh_from_db()
    assert (stale.repo_kind, stale.score) == ("forgejo", 90)  # 100 stars, 10% off once for the unknown last commit
    assert SearchEntry.objects.get(item_type=ItemType.PACKAGE, object_id=stale.pk).score == 90
    assert Package.objects.get(pk=fresh.pk).repo_kind == "gitlab"
    assert out.getvalue().strip() == "1 of 2 package(s) updated"

    out = StringIO()
    call_command("recompute_packages", stdout=out)
    assert out.getvalue().strip() == "0 of 2 package(s) updated"


def test_it_recomputes_the_latest_release_time_that_an_update_left_stale():
    from datetime import UTC, datetime

    from packages.models import Version

    category = Category.objects.create(title="Apps", slug="apps")
    package = Package.objects.create(title="P", slug="p", category=category)
    release = Version.objects.create(package=package, number="1.0", upload_time=datetime(2024, 5, 6, tzinfo=UTC))
    Package.objects.filter(pk=package.pk).update(latest_version=release)
    assert Package.objects.get(pk=package.pk).last_released is None
    call_command("recompute_packages", stdout=StringIO())
    assert Package.objects.get(pk=package.pk).last_released == datetime(2024, 5, 6, tzinfo=UTC)
