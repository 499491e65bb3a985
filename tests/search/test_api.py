"""``/api/v4/search/``: the v4 contract (keys, order, conventions), recall on real data, and bad input."""
import json

import pytest

from packages.models import Package
from tests.factories import make_grid, make_package
from tests.search.conftest import found_slugs, search_items as search

pytestmark = pytest.mark.django_db

KEYS = [
    "description", "title", "title_no_prefix", "slug_no_prefix", "clean_title", "absolute_url", "created",
    "modified", "weight", "item_type", "slug", "category", "repo_watchers", "repo_forks", "pypi_downloads", "score",
    "usage", "participants", "last_committed", "last_released",
]


def test_the_api_root_lists_packages_search_grids_categories_in_that_order(client):
    body = json.loads(client.get("/api/v4/").content, object_pairs_hook=list)
    assert [key for key, _ in body][:4] == ["packages", "search", "grids", "categories"]
    assert dict(body)["search"] == "http://testserver/api/v4/search/"


@pytest.mark.parametrize("path", ["/api/v4/search/", "/api/v4/search/?q=", "/api/v4/search/?q=%20%20"])
def test_an_empty_or_missing_query_gives_an_empty_array(client, catalogue, path):
    response = client.get(path)
    assert response.status_code == 200 and json.loads(response.content) == []


def test_a_package_result_has_upstreams_keys_in_order_and_conventions(client, catalogue):
    items = json.loads(client.get("/api/v4/search/", {"q": "django-hstore"}).content, object_pairs_hook=list)
    first = items[0]
    assert [key for key, _ in first] == KEYS
    item = dict(first)
    package = Package.objects.get(slug="django-hstore")
    assert item["item_type"] == "package" and item["slug"] == item["slug_no_prefix"] == "django-hstore"
    assert item["title"] == item["title_no_prefix"] == item["clean_title"] == package.title
    assert item["absolute_url"] == "/packages/p/django-hstore/"
    assert item["participants"] == ",".join(package.participants)
    assert item["repo_watchers"] == package.repo_watchers and item["score"] == package.score
    assert item["last_committed"].endswith(("-05:00", "-04:00")) and "Z" not in item["last_committed"]
    assert isinstance(item["weight"], int) and 0 <= item["weight"] <= 100


def test_a_grid_result_has_the_same_keys_and_grid_values(client, catalogue):
    grid = next(item for item in search(client, "chat") if item["item_type"] == "grid")
    assert list(grid) == KEYS
    assert (grid["slug"], grid["absolute_url"], grid["category"], grid["participants"]) == ("chat", "/grids/g/chat/", "", "")
    assert grid["last_committed"] is None and grid["repo_watchers"] == 0


def test_the_category_is_given_by_title(client, catalogue):
    assert search(client, "servewell")[0]["category"] == "Framework"


def test_emoji_shortcodes_are_rendered_in_title_and_description(client, catalogue):
    make_package("gearbox", title="Gearbox :gear:", description="Moving parts :rainbow:")
    item = search(client, "gearbox")[0]
    assert item["title"] == item["clean_title"] == "Gearbox \u2699\ufe0f"
    assert item["description"] == "Moving parts \U0001f308"
    sample_item = search(client, "python-thumbnails")[0]
    assert sample_item["description"].endswith("\U0001f308")


def test_at_most_20_items_are_returned(client, catalogue):
    assert len(search(client, "django")) == 20


def test_the_browsable_api_renders_search(client, catalogue):
    response = client.get("/api/v4/search/", {"q": "chat", "format": "api"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "Search V3 List" in response.content.decode() and "/grids/g/chat/" in response.content.decode()


def test_search_is_read_only(client, catalogue):
    assert client.post("/api/v4/search/", data="{}", content_type="application/json").status_code == 405


# Recall on the real sample documents


def test_a_query_matching_only_the_description_finds_the_package(client, catalogue):
    # django-chatrooms: "A django app providing reverse-ajax chat rooms. Based on gevent."
    assert "django-chatrooms" in found_slugs(client, "gevent")


def test_static_finds_a_static_files_package_from_its_description(client, catalogue):
    assert "servewell" in found_slugs(client, "static")


def test_a_query_matching_a_package_and_a_grid_returns_both(client, catalogue):
    items = search(client, "chat")
    assert {"package", "grid"} <= {item["item_type"] for item in items}
    assert {"chat", "django-chatrooms", "django-ajax-chat"} <= {item["slug"] for item in items}


def test_a_short_query_matches_words_by_prefix(client, catalogue):
    assert "django-hstore" in found_slugs(client, "hsto")


def test_an_exact_title_comes_first(client, catalogue):
    assert search(client, "django-hstore")[0]["slug"] == "django-hstore"
    assert search(client, "Satchmo")[0]["slug"] == "satchmo"


def test_a_title_match_outranks_a_description_match(client, catalogue):
    described = make_package("tasker", title="Tasker", description="Zorblax of tasks", repo_watchers=900, repo_forks=90)
    titled = make_package("zorblax-kit", title="Zorblax kit", description="Tasks")
    assert found_slugs(client, "zorblax") == [titled.slug, described.slug]


def test_title_beats_slug_beats_description(client, db):
    make_package("alpha", title="Alpha", description="All about zorp")
    make_package("qux-zorp", title="Beta", description="")
    make_package("gamma", title="Gamma zorp", description="")
    assert found_slugs(client, "zorp") == ["gamma", "qux-zorp", "alpha"]


def test_a_slug_only_match_is_found_in_the_sample(client, catalogue):
    # package 4319: slug "master", title "Django roles access"
    assert "master" in found_slugs(client, "master")


def test_a_higher_weight_breaks_ties_between_equal_matches(client, db):
    make_package("walrus-one", title="Walrus one", description="")
    make_package("walrus-two", title="Walrus two", description="Popular", repo_watchers=500, repo_forks=50)
    assert found_slugs(client, "walrus")[0] == "walrus-two"


def test_an_excluded_word_removes_matches(client, catalogue):
    assert "django-chatrooms" in found_slugs(client, "chat")
    assert "django-chatrooms" not in found_slugs(client, "chat -gevent")


def test_a_quoted_phrase_must_appear_as_a_phrase(client, db):
    make_package("exact-phrase", description="rest framework helpers")
    make_package("scattered", description="framework for a good rest")
    assert found_slugs(client, '"rest framework"') == ["exact-phrase"]


def test_only_exclusions_find_nothing(client, catalogue):
    assert search(client, "-django") == []


def test_a_new_package_is_found_at_once_and_a_deleted_one_is_gone(client, db):
    package = make_package("brandnew", description="Zygomorphic widgets")
    assert found_slugs(client, "zygomorphic") == ["brandnew"]
    package.delete()
    assert search(client, "zygomorphic") == []


def test_a_grid_is_found_by_title_and_description(client, db):
    make_grid("payments", "Payments", description="Taking money online")
    assert found_slugs(client, "payments") == ["payments"]
    assert found_slugs(client, "money") == ["payments"]


# Bad input never 5xx

BAD_QUERIES = {
    "nul bytes": "django\x00hstore\x00",
    "only a nul byte": "\x00",
    "10000 characters": "django " * 1428 + "abcd",
    "10000 letters": "x" * 10_000,
    "only punctuation": "!@#$%^&*()_+-=[]{};:,./<>?~`",
    "ampersand": "django & hstore",
    "pipe": "django | chat",
    "bang": "!django",
    "prefix operator": "dj:*",
    "lone prefix operator": ":*",
    "single quote": "django's",
    "lone single quote": "'",
    "unbalanced double quote": '"django hstore',
    "unbalanced quotes mixed": "\"'django'\" \"",
    "sql": "'; DROP TABLE search_searchentry; --",
    "like wildcards": "%_%",
    "tsquery syntax": "(django <-> hstore) & !cms:*A",
    "backslashes": "\\\\ \\",
    "emoji": "\U0001f308 :gear:",
    "dash only": "- -- ---",
}


@pytest.mark.parametrize("query", BAD_QUERIES.values(), ids=BAD_QUERIES.keys())
def test_odd_queries_get_a_json_array_never_an_error(client, catalogue, query):
    items = search(client, query)
    assert isinstance(items, list) and len(items) <= 20


@pytest.mark.parametrize("raw", ["%FF%FE", "%C3%28", "django%80hstore", "%00", "%E2%82"])
def test_non_utf8_percent_escapes_are_answered(client, catalogue, raw):
    response = client.get(f"/api/v4/search/?q={raw}")
    assert response.status_code == 200 and isinstance(json.loads(response.content), list)


def test_a_nul_byte_does_not_hide_the_words_around_it(client, catalogue):
    assert "django-hstore" in found_slugs(client, "hstore\x00")


def test_a_result_is_what_the_declared_fields_would_render(catalogue):
    """The serializer builds items directly; DRF's field machinery on its declared fields agrees."""
    from rest_framework import serializers

    from search.models import SearchEntry
    from search.serializers import SearchResultSerializer

    entries = list(SearchEntry.objects.all())
    entries[0].title, entries[0].description = "Chat :speech_balloon: rooms", "Fast :zap:"
    assert len(entries) > 90
    for entry in entries:
        fast = SearchResultSerializer(entry).data
        slow = serializers.ModelSerializer.to_representation(SearchResultSerializer(entry), entry)
        assert list(fast.items()) == list(slow.items())
    assert SearchResultSerializer(entries[0]).data["title"] == "Chat \N{SPEECH BALLOON} rooms"
