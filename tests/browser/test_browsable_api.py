"""The browsable API in a real browser: the package list's pagination, the format menu, the Filters form, a package page."""
import json
import re


def _document(page):
    """The JSON document a browsable page shows (its response block, headers dropped)."""
    text = page.inner_text(".response-info pre")
    return json.loads(text[text.index("\n\n") + 2:] if "\n\n" in text else text[text.index("{"):])


def _shown_json(page):
    """The JSON document the browser shows for a ``?format=json`` answer, its links without the
    ``format=json`` that DRF carries into every hyperlink (as upstream does)."""
    text = page.inner_text("body").replace("?format=json&", "?").replace("?format=json", "")
    return json.loads(text)


def test_the_package_list_pages_through_its_pagination_links(page, sample):
    page.goto("/api/v4/packages/")
    first = _document(page)
    assert first["count"] == len(sample) and len(first["results"]) == 20
    assert page.inner_text(".pagination li.active") == "1"

    page.click(".pagination a:text-is('2')")
    page.wait_for_url(re.compile(r"offset=20"))
    second = _document(page)
    assert page.inner_text(".pagination li.active") == "2"
    assert {p["id"] for p in second["results"]}.isdisjoint(p["id"] for p in first["results"])

    page.click(".pagination a[aria-label=Next]")
    page.wait_for_url(re.compile(r"offset=40"))
    assert page.inner_text(".pagination li.active") == "3"
    page.click(".pagination a[aria-label=Previous]")
    page.wait_for_url(re.compile(r"offset=20"))
    assert _document(page)["results"] == second["results"]


def test_the_format_menu_opens_and_gives_the_json_document(page, sample):
    page.goto("/api/v4/packages/")
    shown = _document(page)
    assert not page.is_visible("a.format-option:text-is('json')")  # a closed dropdown
    page.click(".format-selection .dropdown-toggle")
    page.click("a.format-option:text-is('json')")
    page.wait_for_url(re.compile(r"\?format=json$"))
    assert _shown_json(page) == shown


def test_the_filters_form_with_only_an_ordering_keeps_every_package(page, sample):
    page.goto("/api/v4/packages/")
    page.click("button[data-target='#filtersModal']")
    modal = page.locator("#filtersModal")
    modal.wait_for(state="visible")
    for name in ("archived", "has_pypi_release", "python3", "maintained", "has_vulnerabilities"):  # true/false selects start blank: not filtered
        assert modal.locator(f"select[name={name}]").input_value() == ""
    for name in ("django", "python", "license"):  # so do the text fields
        assert modal.locator(f"input[name={name}]").input_value() == ""
    modal.locator("select[name=ordering]").select_option("-repo_watchers")
    modal.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"ordering=-repo_watchers"))

    assert not re.search(r"[?&](archived|has_pypi_release|python3|maintained|has_vulnerabilities|django|python|license)=[^&]", page.url), page.url
    listed = _document(page)
    assert listed["count"] == len(sample)  # not emptied
    watchers = [p["repo_watchers"] for p in listed["results"]]
    assert watchers == sorted(watchers, reverse=True) and watchers[0] == max(
        json.loads(text)["repo_watchers"] for text in sample.values())
    page.click("button[data-target='#filtersModal']")
    modal.wait_for(state="visible")
    assert modal.locator("select[name=ordering]").input_value() == "-repo_watchers"  # the form keeps its choice
    assert modal.locator("select[name=archived]").input_value() == ""


def test_a_package_page_shows_its_document_and_its_json_format(page, sample):
    page.goto("/api/v4/packages/django-hstore/")
    assert page.inner_text("h1") == "Package Instance"
    shown = _document(page)
    assert (shown["id"], shown["slug"], shown["title"]) == (1327, "django-hstore", "django-hstore")

    page.click(".format-selection .dropdown-toggle")
    page.click("a.format-option:text-is('json')")
    page.wait_for_url(re.compile(r"/api/v4/packages/django-hstore/\?format=json$"))
    assert _shown_json(page) == shown


def test_on_a_phone_the_package_page_fits_the_screen_width(phone, sample):
    """The viewport meta makes the page as wide as the phone (390 px), with no sideways scrolling of the page."""
    phone.goto("/api/v4/packages/django-hstore/")
    assert _document(phone)["slug"] == "django-hstore"
    width = phone.evaluate("() => window.innerWidth")
    assert width == 390  # without the viewport meta a phone lays the page out 980 px wide
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= width
    assert phone.evaluate("() => document.body.scrollWidth") <= width


def test_an_editor_is_linked_from_a_package_page_to_its_admin_page_and_no_one_else_is(logged_in, page_of_anyone, sample):
    page_of_anyone.goto("/api/v4/packages/django-hstore/")
    assert _document(page_of_anyone)["slug"] == "django-hstore"
    assert page_of_anyone.locator("#admin-link").count() == 0

    logged_in.goto("/api/v4/packages/django-hstore/")
    assert _document(logged_in) == _document(page_of_anyone)
    logged_in.click("#admin-link")
    logged_in.wait_for_url(re.compile(r"/admin/packages/package/1327/change/$"))
    assert logged_in.input_value("#id_title") == "django-hstore"
