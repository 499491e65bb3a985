"""The admin: package scores shown and sortable; the search index visible but read-only."""
import re

import pytest
from django.contrib import admin
from django.urls import reverse

from packages.models import Package
from search.models import SearchEntry
from tests.factories import make_package

pytestmark = pytest.mark.django_db


def test_the_package_changelist_shows_the_score_and_sorts_by_it(admin_client):
    make_package("low", repo_watchers=10, supports_python3=True)
    make_package("high", repo_watchers=900, supports_python3=True)
    column = admin.site._registry[Package].list_display.index("score") + 1
    response = admin_client.get(reverse("admin:packages_package_changelist"), {"o": f"-{column}"})
    html = response.content.decode()
    assert response.status_code == 200 and "column-score" in html
    titles = re.findall(r'class="field-title"><a [^>]*>([^<]+)</a>', html)
    assert titles == ["high", "low"]


def test_the_search_index_is_listed_but_cannot_be_edited(admin_client):
    package = make_package("listed")
    entry = SearchEntry.objects.get(object_id=package.pk)
    assert admin_client.get(reverse("admin:search_searchentry_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:search_searchentry_add")).status_code == 403
    response = admin_client.post(reverse("admin:search_searchentry_change", args=[entry.pk]), {"title": "x"})
    assert response.status_code == 403 and SearchEntry.objects.get(pk=entry.pk).title == "listed"
