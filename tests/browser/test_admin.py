"""The editors' admin in a real browser: logging in, and an edit that the API shows at once."""
import json
import re


def test_an_editor_logs_in_with_the_login_form(page, editor):
    page.goto("/admin/")
    page.wait_for_url(re.compile(r"/admin/login/\?next=/admin/$"))  # sent to the login page
    page.fill("#id_username", "editor")
    page.fill("#id_password", "wrong")
    page.click("input[type=submit]")
    assert "Please enter the correct username and password" in page.inner_text(".errornote")

    page.fill("#id_username", "editor")
    page.fill("#id_password", "pass-word-9")
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
    assert page.locator("#user-tools").inner_text().upper().startswith("WELCOME, EDITOR")
    assert page.locator("a[href='/admin/packages/package/']").count() >= 1


def test_editing_a_package_title_in_the_admin_changes_its_api_document(logged_in, sample):
    page = logged_in
    page.goto("/api/v4/packages/django-hstore/?format=json")  # read once: the API has this answer cached
    assert json.loads(page.inner_text("body"))["title"] == "django-hstore"

    page.goto("/admin/packages/package/")
    page.fill("#searchbar", "hstore")
    page.press("#searchbar", "Enter")
    page.click("#result_list a:text-is('django-hstore')")
    page.wait_for_url(re.compile(r"/admin/packages/package/1327/change/"))
    page.fill("#id_title", "django-hstore, edited")
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r"/admin/packages/package/(\?.*)?$"))
    assert "was changed successfully" in page.inner_text(".messagelist")

    page.goto("/api/v4/packages/django-hstore/?format=json")
    document = json.loads(page.inner_text("body"))
    assert (document["id"], document["slug"], document["title"]) == (1327, "django-hstore", "django-hstore, edited")
    page.goto("/api/v4/packages/?ordering=title&limit=1000&format=json")
    titles = [p["title"] for p in json.loads(page.inner_text("body"))["results"]]
    assert "django-hstore, edited" in titles and "django-hstore" not in titles


def test_refresh_now_against_a_fake_github_brings_its_facts_to_the_api(logged_in):
    """The embedded default with the refresh run inside the request (the suite's ``REFRESH_THREADS=0``);
    GitHub is ``responses`` serving recorded answers, in this process, where the live server runs."""
    import responses
    from django.core.cache import cache

    from tests.factories import make_package
    from tests.fetchers.helpers import serve_github

    cache.clear()  # no rate-limit blocks or queued markers of another test
    page = logged_in
    deps = make_package(title="Deps", repo_url="https://github.com/django/deps")
    page.goto(f"/api/v4/packages/{deps.pk}/?format=json")
    assert json.loads(page.inner_text("body"))["repo_watchers"] == 0

    page.goto("/admin/packages/package/")
    row = page.locator("#result_list tr", has=page.locator("a:text-is('Deps')"))
    row.locator("input.action-select").check()
    page.select_option("select[name=action]", "refresh_now")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as upstream:
        serve_github(upstream)
        page.click("button[name=index]")
        page.wait_for_load_state()
        assert "1 package(s)" in page.inner_text(".messagelist")
        assert upstream.calls and all(c.request.url.startswith("https://api.github.com/") for c in upstream.calls)

    page.goto(f"/api/v4/packages/{deps.pk}/?format=json")
    document = json.loads(page.inner_text("body"))
    assert (document["repo_watchers"], document["repo_forks"], document["repo_description"]) == (
        401, 85, "Django Enhancement Proposals")
    page.goto(f"/admin/packages/package/{deps.pk}/change/")
    assert "Django Enhancement Proposals" in page.inner_text("#content")
