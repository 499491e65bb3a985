"""The editors' admin in a real browser: logging in, and an edit that the API shows at once."""
import json
import re
from urllib.parse import parse_qsl


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
        shown = page.inner_text(".messagelist")
        assert "Refreshed Deps: " in shown and "repo_watchers" in shown, shown  # refreshed in the request, and said so
        assert upstream.calls and all(c.request.url.startswith("https://api.github.com/") for c in upstream.calls)

    page.goto(f"/api/v4/packages/{deps.pk}/?format=json")
    document = json.loads(page.inner_text("body"))
    assert (document["repo_watchers"], document["repo_forks"], document["repo_description"]) == (
        401, 85, "Django Enhancement Proposals")
    page.goto(f"/admin/packages/package/{deps.pk}/change/")
    assert "Django Enhancement Proposals" in page.inner_text("#content")


def test_the_grid_editor_edits_the_cells_as_one_table_and_sends_only_the_changed_ones(logged_in, shelf):
    from grids.models import Element, Feature, GridPackage

    packages, web = shelf
    sync = Feature.objects.create(grid=web, title="Sync")
    Feature.objects.create(grid=web, title="Admin")
    Element.objects.create(feature=sync, grid_package=GridPackage.objects.get(grid=web, package=packages["gh"]), text="yes")
    page = logged_in
    page.goto(f"/admin/grids/grid/{web.pk}/change/")
    page.click("a:text-is('Edit cells')")
    page.wait_for_url(re.compile(rf"/admin/grids/grid/{web.pk}/cells/$"))
    table = page.locator(".grid-cells table")
    assert [t.strip() for t in table.locator("thead th").all_text_contents()] == ["Feature", "CB", "GH"]
    assert [t.strip() for t in table.locator("tbody th").all_text_contents()] == ["Sync", "Admin"]
    assert page.get_by_label("Sync / GH").input_value() == "yes"

    page.get_by_label("Admin / CB").fill("since 2.0")
    page.get_by_label("Sync / GH").fill("")
    with page.expect_request(lambda r: r.method == "POST") as sent:
        page.click("input[name=_save]")
    posted = dict(parse_qsl(sent.value.post_data, keep_blank_values=True))
    admin_cb = f"cell-{web.features.get(title='Admin').pk}-{GridPackage.objects.get(grid=web, package=packages['cb']).pk}"
    sync_gh = f"cell-{sync.pk}-{GridPackage.objects.get(grid=web, package=packages['gh']).pk}"
    assert posted.pop("csrfmiddlewaretoken") and posted == {admin_cb: "since 2.0", sync_gh: "", "_save": "Save"}
    page.wait_for_url(re.compile(rf"/admin/grids/grid/{web.pk}/cells/$"))
    assert "1 cell(s) saved, 1 cleared." in page.inner_text(".messagelist")
    assert page.get_by_label("Admin / CB").input_value() == "since 2.0"
    assert page.get_by_label("Sync / GH").input_value() == ""
    assert {(e.feature.title, e.grid_package.package.slug): e.text for e in Element.objects.filter(feature__grid=web)} == {
        ("Admin", "cb"): "since 2.0"}


def test_the_commit_activity_sparkline_shows_on_the_package_list_and_page(logged_in):
    from packages.models import Package
    from tests.fetchers.helpers import make_package

    busy = make_package(repo_url="https://github.com/django/busy")
    Package.objects.filter(pk=busy.pk).update(commits_over_52=[0] * 50 + [4, 8])
    page = logged_in
    for path in ("/admin/packages/package/", f"/admin/packages/package/{busy.pk}/change/"):
        page.goto(path)
        line = page.locator("svg.sparkline[aria-label='12 commits in 52 weeks']")
        assert line.count() == 1, path
        assert line.evaluate("svg => svg.parentElement.closest('svg') === null && svg.querySelectorAll('image, use').length") == 0
        assert len(line.locator("polyline").get_attribute("points").split()) == 52
        box = line.bounding_box()
        assert box["width"] > 50 and box["height"] > 10, path  # drawn, not collapsed
        ys = [float(p.split(",")[1]) for p in line.locator("polyline").get_attribute("points").split()]
        assert ys[-1] < ys[-2] < ys[0]  # the busiest week is drawn highest


def test_adding_a_package_fetches_it_and_the_editor_reads_the_outcome(logged_in):
    """Fetch on add, on the embedded default: the new package's first refresh runs once it is saved
    (against a fake GitHub, in the live server's process), and the message says what it brought."""
    import responses
    from django.core.cache import cache

    from categories.models import Category
    from packages.models import Package
    from tests.fetchers.helpers import serve_github

    cache.clear()
    category = Category.objects.create(title="App", slug="apps")
    page = logged_in
    page.goto("/admin/packages/package/add/")
    page.fill("#id_title", "Deps")
    page.fill("#id_slug", "deps")
    page.select_option("#id_category", str(category.pk))
    page.fill("#id_repo_url", "https://github.com/django/deps")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as upstream:
        serve_github(upstream)
        page.click("input[name=_save]")
        page.wait_for_url(re.compile(r"/admin/packages/package/(\?.*)?$"))
    shown = page.locator(".messagelist li").all_inner_texts()
    assert "was added successfully" in shown[0]
    assert shown[1].startswith("Refreshed Deps: ") and "repo_watchers" in shown[1], shown
    added = Package.objects.get(title="Deps")
    assert (added.repo_watchers, added.repo_description) == (401, "Django Enhancement Proposals")
