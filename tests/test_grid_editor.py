"""The grid editor: a grid's cells as one admin table of features × packages."""
import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.urls import reverse

from grids.models import Element, Feature, Grid, GridPackage

pytestmark = pytest.mark.django_db


@pytest.fixture
def grid(shelf):
    packages, web = shelf
    sync, admin = Feature.objects.create(grid=web, title="Sync"), Feature.objects.create(grid=web, title="Admin")
    gh, cb = (GridPackage.objects.get(grid=web, package=packages[slug]) for slug in ("gh", "cb"))
    Element.objects.create(feature=sync, grid_package=gh, text="yes")
    Element.objects.create(feature=admin, grid_package=cb, text="partly")
    other = Grid.objects.create(title="Other", slug="other")
    foreign = Feature.objects.create(grid=other, title="Sync")
    Element.objects.create(feature=foreign, grid_package=GridPackage.objects.create(grid=other, package=packages["gh"]), text="no")
    return web, {"sync": sync, "admin": admin}, {"gh": gh, "cb": cb}


def url(grid):
    return reverse("admin:grids_grid_cells", args=[grid.pk])


def cell(feature, membership):
    return f"cell-{feature.pk}-{membership.pk}"


def texts(grid):
    return {(e.feature.title, e.grid_package.package.slug): e.text for e in Element.objects.filter(feature__grid=grid)}


def test_the_table_has_a_row_per_feature_a_column_per_package_and_each_cells_text(admin_client, grid):
    web, features, members = grid
    page = admin_client.get(url(web))
    assert page.status_code == 200
    form = page.context["form"]
    assert [f.title for f, _ in form.rows()] == ["Sync", "Admin"]
    assert [m.package.title for m in form.memberships] == ["CB", "GH"]  # by title
    assert [[c.value() for c in cells] for _, cells in form.rows()] == [["", "yes"], ["partly", ""]]
    html = page.content.decode()
    assert html.count("<textarea") == 4 and 'aria-label="Sync / GH"' in html
    change = admin_client.get(reverse("admin:grids_grid_change", args=[web.pk])).content.decode()
    assert f'href="{url(web)}"' in change  # the grid's page links to its editor


def test_saving_writes_the_changed_cells_only_and_a_blank_cell_is_removed(admin_client, grid):
    web, f, m = grid
    data = {cell(f["sync"], m["cb"]): "since 2.0", cell(f["sync"], m["gh"]): "yes", cell(f["admin"], m["cb"]): " "}
    response = admin_client.post(url(web), data, follow=True)
    assert response.redirect_chain == [(url(web), 302)]
    assert "1 cell(s) saved, 1 cleared." in response.content.decode()
    assert texts(web) == {("Sync", "gh"): "yes", ("Sync", "cb"): "since 2.0"}
    assert texts(Grid.objects.get(slug="other")) == {("Sync", "gh"): "no"}
    entry = LogEntry.objects.get(object_id=str(web.pk))
    assert entry.get_change_message() == "Changed cells: 1 saved, 1 cleared."

    admin_client.post(url(web), {cell(f["admin"], m["gh"]): "in the admin"})  # the others are left out: unchanged
    assert texts(web) == {("Sync", "gh"): "yes", ("Sync", "cb"): "since 2.0", ("Admin", "gh"): "in the admin"}


def test_a_cell_of_another_grid_cannot_be_written_through_this_one(admin_client, grid):
    web, f, m = grid
    other = Grid.objects.get(slug="other")
    foreign = other.features.get()
    admin_client.post(url(web), {f"cell-{foreign.pk}-{m['gh'].pk}": "hijacked", cell(f["sync"], m["gh"]): "yes!"})
    assert texts(other) == {("Sync", "gh"): "no"}
    assert texts(web)[("Sync", "gh")] == "yes!"


def test_only_editors_who_may_change_grid_cells_open_it(client, grid):
    web, *_ = grid
    assert client.get(url(web))["Location"].startswith("/admin/login/")
    staff = get_user_model().objects.create_user("staff", password="pass-word-9", is_staff=True)
    client.force_login(staff)
    assert client.get(url(web)).status_code == 403
    assert client.post(url(web), {}).status_code == 403
    staff.is_superuser = True
    staff.save()
    assert client.get(url(web)).status_code == 200
    assert client.get(reverse("admin:grids_grid_cells", args=[999999])).status_code == 404


def test_a_grid_without_features_says_where_to_add_them(admin_client, shelf):
    empty = Grid.objects.get(slug="empty")
    html = admin_client.get(url(empty)).content.decode()
    assert "This grid has no features yet" in html and "<textarea" not in html


@pytest.mark.parametrize("kind", ["feature", "gridpackage"])
def test_a_feature_or_membership_with_cells_cannot_move_to_another_grid(admin_client, grid, kind):
    """Its cells would pair two grids: the admin form says so on its grid field, and the model refuses any save."""
    from django.core.exceptions import ValidationError

    web, features, members = grid
    other = Grid.objects.get(slug="other")
    row = features["sync"] if kind == "feature" else members["gh"]
    change = reverse(f"admin:grids_{kind}_change", args=[row.pk])
    data = {"grid": other.pk, "title": row.title} if kind == "feature" else {"grid": other.pk, "package": row.package_id}
    if kind == "gridpackage":
        GridPackage.objects.filter(grid=other).delete()  # room for gh in the other grid
    response = admin_client.post(change, data)
    assert response.status_code == 200
    assert "cannot move to another grid" in str(response.context["adminform"].form.errors["grid"])
    row.refresh_from_db()
    assert row.grid_id == web.pk

    moved = type(row).objects.get(pk=row.pk)
    moved.grid = other
    with pytest.raises(ValidationError):
        moved.save()
    assert type(row).objects.get(pk=row.pk).grid_id == web.pk
    assert all(e.feature.grid_id == e.grid_package.grid_id for e in Element.objects.select_related("feature", "grid_package"))

    row.elements.all().delete()  # without cells it may move
    assert admin_client.post(change, data).status_code == 302
    assert type(row).objects.get(pk=row.pk).grid_id == other.pk
