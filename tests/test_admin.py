"""The Django admin: staff only, and every changelist and change form renders with data."""
import pytest
from django.contrib import admin
from django.urls import reverse

from grids.models import Element, Feature, Grid, GridPackage
from packages.models import Package

pytestmark = pytest.mark.django_db

MODELS = [m for m in admin.site._registry if m._meta.app_label in {"categories", "packages", "grids"}]


@pytest.fixture
def editor_data(sample):
    package = Package.objects.get(pk=1327)
    Package.objects.filter(pk=1327).update(fetch_error="GitHub answered 502", repo_host="github", repo_kind="github")
    grid = Grid.objects.get(pk=161)
    feature = Feature.objects.create(grid=grid, title="Python 3")
    Element.objects.create(grid_package=GridPackage.objects.get(grid=grid, package=package), feature=feature, text="yes")
    return package


def test_every_app_model_is_in_the_admin():
    names = {m.__name__ for m in MODELS}
    assert names == {"Category", "Package", "Version", "Grid", "GridPackage", "Feature", "Element"}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_an_anonymous_user_is_sent_to_the_login_page(client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_changelist_and_change_form_renders_with_data(admin_client, editor_data, model):
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    changelist = admin_client.get(reverse(f"{info}_changelist"))
    assert changelist.status_code == 200
    obj = model.objects.first()
    assert obj is not None
    change = admin_client.get(reverse(f"{info}_change", args=[obj.pk]))
    assert change.status_code == 200
    assert str(obj) in change.content.decode()


def test_the_package_list_shows_host_stars_and_fetch_error(admin_client, editor_data):
    html = admin_client.get(reverse("admin:packages_package_changelist") + "?q=hstore").content.decode()
    assert "django-hstore" in html and "github.com" in html and "519" in html and "GitHub answered 502" in html


@pytest.mark.parametrize("query,expected", [("host=bitbucket", 12), ("host=github", 83), ("host=gitlab", 0), ("host=other", 3), ("date_repo_archived__isnull=False", 0)])
def test_the_package_list_filters_by_host_and_archived_state(admin_client, editor_data, query, expected):
    response = admin_client.get(reverse("admin:packages_package_changelist") + "?" + query)
    assert response.context["cl"].result_count == expected


def test_fetched_facts_are_read_only_in_the_form(admin_client, editor_data):
    url = reverse("admin:packages_package_change", args=[1327])
    form = admin_client.get(url).context["adminform"].form
    assert "repo_watchers" not in form.fields and "title" in form.fields
    data = {
        "title": "django-hstore", "slug": "django-hstore", "category": 1, "repo_url": editor_data.repo_url,
        "repo_host": "github", "pypi_url": editor_data.pypi_url, "documentation_url": "", "usage_count": 3,
        "repo_watchers": 5, "versions-TOTAL_FORMS": 1, "versions-INITIAL_FORMS": 1,
        "versions-0-id": editor_data.latest_version_id, "versions-0-package": 1327,
    }
    assert admin_client.post(url, data).status_code == 302
    editor_data.refresh_from_db()
    assert editor_data.usage_count == 3 and editor_data.repo_watchers == 519


def test_versions_are_pypis_facts_that_no_editor_adds(admin_client, editor_data):
    """Adding a Version was a 500 (IntegrityError, empty number); now neither form offers it."""
    from packages.models import Version

    before = Version.objects.count()
    assert admin_client.get(reverse("admin:packages_version_add")).status_code == 403
    change = admin_client.get(reverse("admin:packages_package_change", args=[1327]))
    assert not change.context["inline_admin_formsets"][0].has_add_permission
    url = reverse("admin:packages_package_change", args=[1327])
    data = {
        "title": "django-hstore", "slug": "django-hstore", "category": 1, "repo_url": editor_data.repo_url,
        "repo_host": "github", "pypi_url": editor_data.pypi_url, "documentation_url": "", "usage_count": 3,
        "versions-TOTAL_FORMS": 2, "versions-INITIAL_FORMS": 1,
        "versions-0-id": editor_data.latest_version_id, "versions-0-package": 1327, "versions-1-package": 1327,
    }
    assert admin_client.post(url, data).status_code in (200, 302)
    assert Version.objects.count() == before


def test_a_grid_cell_cannot_pair_a_feature_of_one_grid_with_a_package_of_another(admin_client, editor_data):
    from django.core.exceptions import ValidationError

    one, other = Grid.objects.create(title="One", slug="one"), Grid.objects.create(title="Other", slug="other")
    membership = GridPackage.objects.create(grid=one, package=editor_data)
    foreign = Feature.objects.create(grid=other, title="Async")
    response = admin_client.post(
        reverse("admin:grids_element_add"), {"grid_package": membership.pk, "feature": foreign.pk, "text": "yes"}
    )
    assert response.status_code == 200 and "another grid" in response.content.decode()
    with pytest.raises(ValidationError):
        Element.objects.create(grid_package=membership, feature=foreign, text="yes")
    assert not Element.objects.filter(grid_package=membership).exists()
    own = Feature.objects.create(grid=one, title="Async")
    assert admin_client.post(
        reverse("admin:grids_element_add"), {"grid_package": membership.pk, "feature": own.pk, "text": "yes"}
    ).status_code == 302


def test_an_editors_edit_promotes_a_placeholder_and_search_follows(admin_client, editor_data, client):
    from categories.models import Category

    category = Category.objects.get(pk=editor_data.category_id)
    assert category.is_placeholder
    url = reverse("admin:categories_category_change", args=[category.pk])
    data = {"title": "Apps", "slug": category.slug, "description": "", "title_plural": "Apps", "show_pypi": "on"}
    assert admin_client.post(url, data).status_code == 302
    category.refresh_from_db()
    assert category.title == "Apps" and not category.is_placeholder
    results = client.get("/api/v4/search/?q=django-hstore").json()
    assert {r["category"] for r in results if r["slug"] == "django-hstore"} == {"Apps"}

    grid = Grid.objects.create(title="Placeholder grid 99", slug="placeholder-grid-99", is_placeholder=True)
    data = {
        "title": "Real grid", "slug": "real-grid", "description": "", "header": "", "gridpackage_set-TOTAL_FORMS": 0,
        "gridpackage_set-INITIAL_FORMS": 0, "features-TOTAL_FORMS": 0, "features-INITIAL_FORMS": 0,
    }
    response = admin_client.post(reverse("admin:grids_grid_change", args=[grid.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    grid.refresh_from_db()
    assert not grid.is_placeholder


def test_the_next_refresh_is_shown_like_every_other_date_and_the_add_form_has_no_empty_facts(
    admin_client, editor_data, settings
):
    from datetime import timedelta

    from django.utils import formats, timezone

    attempted = timezone.now()
    Package.objects.filter(pk=1327).update(last_attempted_at=attempted)
    page = admin_client.get(reverse("admin:packages_package_change", args=[1327])).content.decode()
    expected = {
        "Last attempted at": attempted,
        "Next refresh due": attempted + timedelta(hours=settings.REFRESH_INTERVAL_HOURS),
    }
    for label, moment in expected.items():
        shown = page[page.index(f"{label}:</label>"):].split('<div class="readonly">')[1].split("</div>")[0]
        assert shown == formats.localize(timezone.template_localtime(moment)), label
    add = admin_client.get(reverse("admin:packages_package_add")).content.decode()
    assert "Fetched facts" not in add and "field-repo_watchers" not in add and 'name="title"' in add


def test_the_admin_names_itself_counts_packages_per_category_and_lists_versions_newest_first(admin_client, editor_data):
    from datetime import timedelta

    from packages.models import Version

    index = admin_client.get(reverse("admin:index")).content.decode()
    assert "djpackages administration" in index
    categories = admin_client.get(reverse("admin:categories_category_changelist"))
    counted = {c.pk: c.package_count for c in categories.context["cl"].result_list}
    assert counted[editor_data.category_id] == Package.objects.filter(category_id=editor_data.category_id).count() > 0
    from django.utils import timezone

    Version.objects.create(package=editor_data, number="0.0.0.dev0")  # no upload time
    Version.objects.create(package=editor_data, number="98.0", upload_time=timezone.now() + timedelta(days=1))
    Version.objects.create(package=editor_data, number="99.0", upload_time=timezone.now() + timedelta(days=2))
    listed = admin_client.get(reverse("admin:packages_version_changelist") + f"?q={editor_data.title}").context["cl"]
    dated = [v.upload_time is not None for v in listed.result_list]
    assert [v.number for v in listed.result_list][:2] == ["99.0", "98.0"]
    assert dated == sorted(dated, reverse=True) and not dated[-1]  # every undated release after the dated ones


def test_the_package_page_links_to_its_api_document_and_repository(admin_client, editor_data, client):
    page = admin_client.get(reverse("admin:packages_package_change", args=[1327])).content.decode()
    assert '<a href="/api/v4/packages/1327/">API document</a>' in page
    assert f'<a href="{editor_data.repo_url}" rel="noopener">repository</a>' in page
    assert client.get("/api/v4/packages/1327/").status_code == 200


def test_the_commit_activity_is_a_sparkline_on_the_list_and_the_page(admin_client, editor_data):
    from packages.admin import sparkline

    weeks = [0] * 50 + [4, 8]
    Package.objects.filter(pk=1327).update(commits_over_52=weeks)
    svg = sparkline(weeks, width=102, height=20)
    points = svg.split('points="')[1].split('"')[0].split()
    assert len(points) == 52 and points[0] == "0.0,19.0" and points[-1] == "102.0,1.0" and points[-2] == "100.0,10.0"
    assert 'aria-label="12 commits in 52 weeks"' in svg and "http" not in svg.replace("http://www.w3.org", "")
    for url in (reverse("admin:packages_package_changelist"), reverse("admin:packages_package_change", args=[1327])):
        assert 'aria-label="12 commits in 52 weeks"' in admin_client.get(url).content.decode(), url
    assert sparkline([]) == ""
