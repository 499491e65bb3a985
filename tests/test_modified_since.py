"""``modified_since`` on the three v4 lists: the documents whose ``modified`` is at or after a time."""
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from categories.models import Category
from grids.models import Grid
from packages.models import Package

pytestmark = pytest.mark.django_db

LISTS = {"packages": Package, "grids": Grid, "categories": Category}


def _slugs(client, kind, query):
    response = client.get(f"/api/v4/{kind}/?{query}", HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content
    return [item["slug"] for item in json.loads(response.content)["results"]]


@pytest.fixture
def aged(shelf):
    """Every row of the shelf modified 10 days ago, but for one of each kind modified an hour ago."""
    now = timezone.now()
    for model in LISTS.values():
        model.objects.update(modified=now - timedelta(days=10))
    Package.objects.filter(slug="gl").update(modified=now - timedelta(hours=1))
    Grid.objects.filter(slug="web").update(modified=now - timedelta(hours=1))
    Category.objects.filter(slug="frameworks").update(modified=now - timedelta(hours=1))
    return now


@pytest.mark.parametrize("kind,recent", [("packages", "gl"), ("grids", "web"), ("categories", "frameworks")])
def test_only_documents_modified_at_or_after_the_time_are_listed(client, aged, kind, recent):
    everything = _slugs(client, kind, "")
    assert _slugs(client, kind, "modified_since=") == everything  # empty: no filter
    day_ago = (aged - timedelta(days=1)).isoformat().replace("+00:00", "Z")
    assert _slugs(client, kind, f"modified_since={day_ago}") == [recent]
    exact = LISTS[kind].objects.get(slug=recent).modified.isoformat().replace("+00:00", "%2B00:00")
    assert _slugs(client, kind, f"modified_since={exact}") == [recent]  # at counts
    assert _slugs(client, kind, "modified_since=2000-01-01") == everything  # a date alone, in TIME_ZONE
    assert _slugs(client, kind, f"modified_since={aged.year + 1}-01-01T00:00:00-05:00") == []


def test_it_combines_with_the_other_filters(client, aged):
    day_ago = (aged - timedelta(days=1)).isoformat().replace("+00:00", "Z")
    assert _slugs(client, "packages", f"modified_since={day_ago}&category=apps") == ["gl"]
    assert _slugs(client, "packages", f"modified_since={day_ago}&category=frameworks") == []
    assert _slugs(client, "grids", f"modified_since={day_ago}&package=gh") == ["web"]


@pytest.mark.parametrize("kind", list(LISTS))
@pytest.mark.parametrize("value", ["yesterday", "2020-13-45", "%00"])
def test_a_bad_value_is_a_400_naming_the_parameter(client, shelf, kind, value):
    response = client.get(f"/api/v4/{kind}/?modified_since={value}", HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and list(json.loads(response.content)) == ["modified_since"]


@pytest.mark.parametrize("kind", list(LISTS))
def test_the_schema_declares_it_with_its_400(client, kind):
    operation = json.loads(client.get("/api/v4/schema/?format=json").content)["paths"][f"/api/v4/{kind}/"]["get"]
    parameter = {p["name"]: p for p in operation["parameters"]}["modified_since"]
    assert parameter["schema"] == {"type": "string", "format": "date-time"} and "modified" in parameter["description"]
    assert "400" in operation["responses"]


def test_the_documents_and_the_detail_pages_do_not_change(client, shelf):
    assert "modified_since" not in client.get("/api/v4/categories/apps/?format=api").content.decode()
