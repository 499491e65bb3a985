"""``manage.py import_v4``: from a folder and from a live v4 API, idempotent, strict about bad documents."""
import io
import json
import shutil
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict

from categories.models import Category
from grids.models import Element, Feature, Grid, GridPackage
from packages.models import Package, Version
from search.models import ItemType, SearchEntry
from tests.conftest import SAMPLE, UPSTREAM, ordered_json, sample_documents
from tests.upstream import LocalServer, QuietHandler

pytestmark = pytest.mark.django_db


def run_import(source):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_v4", str(source), stdout=out, stderr=err)
        failed = None
    except CommandError as error:
        failed = str(error)
    return out.getvalue(), err.getvalue(), failed


def snapshot():
    rows = {}
    for model in (Category, Grid, GridPackage, Package, Version):
        rows[model.__name__] = sorted(
            (obj.pk, repr(sorted(model_to_dict(obj).items())), obj.created, obj.modified) for obj in model.objects.all()
        )
    return rows


@pytest.fixture
def dataset(tmp_path):
    """A writable copy of the bundled sample folder."""
    folder = tmp_path / "v4"
    shutil.copytree(SAMPLE, folder)
    return folder


def test_it_imports_every_document_with_its_ids_timestamps_and_version(dataset):
    out, err, failed = run_import(dataset)
    assert failed is None and err == ""
    docs = sample_documents()
    assert "packages: 98 created, 0 updated, 0 unchanged, 0 skipped" in out
    assert Package.objects.count() == len(docs) == 98
    hstore = Package.objects.get(pk=1327)
    assert hstore.slug == "django-hstore"
    assert hstore.created.isoformat() == "2012-06-05T08:59:01.326506+00:00"
    assert hstore.modified.isoformat() == "2026-01-28T19:44:59.312468+00:00"
    assert hstore.last_fetched.isoformat() == "2026-02-16T00:07:18.057593+00:00"
    assert hstore.last_commit_date.isoformat() == "2017-03-02T08:57:56+00:00"
    assert hstore.pypi_version == "1.4.2" and hstore.versions.get().number == "1.4.2"
    assert len(hstore.commits_over_52) == 52 and hstore.participants[:2] == ["nemesifier", "fabiocorneti"]
    assert list(GridPackage.objects.filter(package=hstore).values_list("grid_id", flat=True)) == [161, 160]


def test_if_empty_imports_into_an_empty_database_only_and_keeps_an_editors_edits(dataset):
    call_command("import_v4", str(dataset), "--if-empty", stdout=io.StringIO())
    assert Package.objects.count() == len(sample_documents())
    edited = Package.objects.order_by("pk").first()
    Package.objects.filter(pk=edited.pk).update(title="Edited by an editor")
    out = io.StringIO()
    call_command("import_v4", str(dataset), "--if-empty", stdout=out)
    assert "nothing imported" in out.getvalue()
    assert Package.objects.get(pk=edited.pk).title == "Edited by an editor"


def test_linked_grids_and_categories_become_placeholders(dataset):
    run_import(dataset)
    assert sorted(Category.objects.values_list("pk", flat=True)) == [1, 2, 3, 4]
    assert Grid.objects.count() == 72
    grid = Grid.objects.get(pk=161)
    assert grid.is_placeholder and grid.title == "Placeholder grid 161" and grid.slug == "placeholder-grid-161"


def test_the_summary_counts_the_placeholders_it_created(dataset):
    out, _, _ = run_import(dataset)
    grids, categories = Grid.objects.filter(is_placeholder=True).count(), Category.objects.filter(is_placeholder=True).count()
    assert grids and categories
    assert f"grids: 0 created, 0 updated, 0 unchanged, 0 skipped, {grids} placeholders created" in out
    assert f"categories: 0 created, 0 updated, 0 unchanged, 0 skipped, {categories} placeholders created" in out
    out, _, _ = run_import(dataset)
    assert "grids: 0 created, 0 updated, 0 unchanged, 0 skipped, 0 placeholders created" in out


def test_importing_the_same_source_twice_changes_nothing(dataset):
    run_import(dataset)
    before = snapshot()
    out, _, failed = run_import(dataset)
    assert failed is None
    assert "packages: 0 created, 0 updated, 98 unchanged, 0 skipped" in out
    assert snapshot() == before


def test_a_changed_document_updates_its_row_and_only_that_row(dataset):
    run_import(dataset)
    path = dataset / "packages" / "1327.json"
    doc = json.loads(path.read_text())
    doc.update(repo_watchers=600, pypi_version="1.5.0", modified="2026-03-01T10:00:00-05:00")
    doc["grids"] = doc["grids"][::-1] + ["https://djangopackages.org/api/v4/grids/9000/"]
    path.write_text(json.dumps(doc))
    out, _, failed = run_import(dataset)
    assert failed is None
    assert "packages: 0 created, 1 updated, 97 unchanged, 0 skipped" in out
    hstore = Package.objects.get(pk=1327)
    assert hstore.repo_watchers == 600 and hstore.pypi_version == "1.5.0"
    assert hstore.modified.isoformat() == "2026-03-01T15:00:00+00:00"
    assert list(GridPackage.objects.filter(package=hstore).values_list("grid_id", flat=True)) == [160, 161, 9000]
    assert sorted(hstore.versions.values_list("number", flat=True)) == ["1.4.2", "1.5.0"]


@pytest.mark.parametrize("promoted", [False, True])
def test_a_real_document_fills_in_its_placeholder(dataset, promoted):
    run_import(dataset)
    if promoted:  # an editor saved the placeholders in the admin, keeping their placeholder slugs
        Grid.objects.filter(pk=161).update(is_placeholder=False, title="Postgres (edited)")
        Category.objects.filter(pk=1).update(is_placeholder=False)
    (dataset / "grids").mkdir()
    (dataset / "categories").mkdir()
    (dataset / "grids" / "161.json").write_text(json.dumps({
        "id": 161, "title": "PostgreSQL", "slug": "postgresql", "description": "Postgres goodies",
        "is_locked": True, "packages": ["https://djangopackages.org/api/v4/packages/1327/"], "header": False,
        "created": "2012-06-05T04:59:01-04:00", "modified": "2020-01-01T00:00:00-05:00",
    }))
    (dataset / "categories" / "1.json").write_text(json.dumps({
        "id": 1, "title": "App", "slug": "apps", "description": "Small components", "title_plural": "Apps",
        "show_pypi": True, "created": "2010-08-14T22:47:52.337500-04:00", "modified": "2022-03-04T13:33:22-05:00",
    }))
    out, _, failed = run_import(dataset)
    assert failed is None
    assert "grids: 0 created, 1 updated" in out and "categories: 0 created, 1 updated" in out
    grid = Grid.objects.get(pk=161)
    assert (grid.title, grid.slug, grid.is_locked, grid.is_placeholder) == ("PostgreSQL", "postgresql", True, False)
    assert Category.objects.get(pk=1).title_plural == "Apps"


BAD_DOCUMENTS = {
    "not json": "{not json",
    "a list": "[]",
    "missing key": lambda d: d.pop("slug"),
    "mistyped id": lambda d: d.update(id="1327"),
    "bool as a count": lambda d: d.update(repo_watchers=True),
    "naive datetime": lambda d: d.update(created="2012-06-05T04:59:01"),
    "not a datetime": lambda d: d.update(modified="yesterday"),
    "bad category link": lambda d: d.update(category="https://djangopackages.org/api/v4/grids/1/"),
    "bad grid link": lambda d: d.update(grids=["not a url"]),
    "commits not ints": lambda d: d.update(commits_over_52=["a"]),
    "participants not strings": lambda d: d.update(participants=[None]),
    "title too long": lambda d: d.update(title="x" * 500),
    "slug taken by another id": lambda d: d.update(slug="django-hstore"),
    "another slug for the same id": lambda d: d.update(slug="django-renamed"),
    "grid link beyond bigint": lambda d: d.update(grids=[f"https://djangopackages.org/api/v4/grids/{2**64}/"]),
    "category link beyond bigint": lambda d: d.update(category=f"https://djangopackages.org/api/v4/categories/{2**63}/"),
    "id beyond bigint": lambda d: d.update(id=2**63),
    "stars beyond the column": lambda d: d.update(repo_watchers=2**31),
    "NUL in a title": lambda d: d.update(title="nul\x00byte"),
    "a datetime before year 1 in UTC": lambda d: d.update(created="0001-01-01T00:00:00+05:00"),
}


@pytest.mark.parametrize("case", BAD_DOCUMENTS)
def test_a_malformed_document_is_reported_skipped_and_changes_nothing(dataset, case):
    run_import(dataset)
    before = snapshot()
    path = dataset / "packages" / "13.json"
    change = BAD_DOCUMENTS[case]
    if isinstance(change, str):
        path.write_text(change)
    else:
        doc = json.loads(path.read_text())
        doc["modified"] = "2026-06-01T00:00:00-04:00"  # would be an update if it were valid
        change(doc)
        path.write_text(json.dumps(doc))
    out, err, failed = run_import(dataset)
    assert failed == "1 document(s) skipped"
    assert err.startswith("skipped packages/13.json: ")
    assert "packages: 0 created, 0 updated, 97 unchanged, 1 skipped" in out
    assert snapshot() == before


@pytest.mark.parametrize("change, reason", [
    ({"slug": "django-renamed"}, "conflict: id 13 is 'servertail' here, the document says 'django-renamed'"),
    ({"id": 1327}, "conflict: id 1327 is 'django-hstore' here, the document says 'servertail'"),
    ({"id": 99999}, "conflict: slug 'servertail' is id 13 here, the document says 99999"),
])
def test_a_document_that_would_change_a_rows_identity_is_a_conflict(dataset, change, reason):
    run_import(dataset)
    before = snapshot()
    path = dataset / "packages" / "13.json"
    doc = json.loads(path.read_text())
    doc.update(change, repo_url="https://github.com/someone/else", repo_watchers=1)
    (dataset / "packages" / f"{doc['id']}.json").write_text(json.dumps(doc))
    if doc["id"] != 13:
        path.unlink()
    out, err, failed = run_import(dataset)
    assert failed == "1 document(s) skipped"
    assert err == f"skipped packages/{doc['id']}.json: {reason}\n"
    assert snapshot() == before


def test_the_others_still_import_when_one_is_bad(dataset):
    (dataset / "packages" / "13.json").write_text("{")
    out, err, failed = run_import(dataset)
    assert failed == "1 document(s) skipped"
    assert "packages: 97 created, 0 updated, 0 unchanged, 1 skipped" in out
    assert not Package.objects.filter(pk=13).exists()


@pytest.mark.parametrize("link", ["grids", "category"])
def test_a_link_beyond_bigint_skips_its_document_and_the_import_goes_on(dataset, client, link):
    path = dataset / "packages" / "13.json"
    doc = json.loads(path.read_text())
    kind = "grids" if link == "grids" else "categories"
    url = f"https://djangopackages.org/api/v4/{kind}/{2**64}/"
    doc[link] = [url] if link == "grids" else url
    path.write_text(json.dumps(doc))
    out, err, failed = run_import(dataset)
    assert failed == "1 document(s) skipped"
    assert err == f"skipped packages/13.json: key {link!r}: id out of range: {2**64}\n"
    assert "packages: 97 created, 0 updated, 0 unchanged, 1 skipped" in out and "search index: 97 packages" in out
    assert "django-hstore" in [item["slug"] for item in json.loads(client.get("/api/v4/search/?q=hstore").content)]


def test_a_missing_folder_is_a_clear_error(tmp_path):
    _, _, failed = run_import(tmp_path / "nowhere")
    assert failed == f"{tmp_path / 'nowhere'} is not a folder"


class V4Server(LocalServer):
    """A local stand-in for a live v4 API: serves a dataset folder's lists with limit/offset pages.

    ``fail_first`` answers the first N requests with a 503 to exercise the client's retries.
    """

    def __init__(self, folder, fail_first=0):
        self.folder, self.fail_first, self.requests = folder, fail_first, []
        server = self

        class Handler(QuietHandler):
            def do_GET(self):
                server.requests.append(self.path)
                if len(server.requests) <= server.fail_first:
                    return self.send_body(503, b"busy")
                url = urlsplit(self.path)
                kind = url.path.strip("/").split("/")[-1]
                query = parse_qs(url.query)
                limit, offset = int(query.get("limit", ["20"])[0]), int(query.get("offset", ["0"])[0])
                base = f"http://{self.headers['Host']}"
                docs = [json.loads(t.replace(UPSTREAM, base)) for t in sorted_docs(server.folder, kind)]
                nxt = f"{base}/api/v4/{kind}/?limit={limit}&offset={offset + limit}" if offset + limit < len(docs) else None
                page = {"count": len(docs), "next": nxt, "previous": None, "results": docs[offset : offset + limit]}
                self.send_body(200, json.dumps(page).encode())

        super().__init__(Handler)
        self.url = f"{self.base_url}/api/v4/"
        self.start()


def sorted_docs(folder, kind):
    files = (folder / kind).glob("*.json") if (folder / kind).is_dir() else []
    return [p.read_text() for p in sorted(files, key=lambda p: -int(p.stem))]


def test_it_imports_from_a_live_api_walking_every_page_and_retrying_a_503(dataset, client):
    server = V4Server(dataset, fail_first=1)
    try:
        out, err, failed = run_import(server.url)
    finally:
        server.close()
    assert failed is None, err
    assert "packages: 98 created" in out
    page_requests = [r for r in server.requests if r.startswith("/api/v4/packages/?limit=100")]
    assert len(page_requests) == 1 and server.requests[0] == server.requests[1]  # the 503 was retried
    for ident, text in sample_documents().items():
        want = ordered_json(text.replace(UPSTREAM, "http://testserver"))
        assert ordered_json(client.get(f"/api/v4/packages/{ident}/").content) == want


def test_a_live_api_that_keeps_failing_is_a_clear_error(dataset):
    server = V4Server(dataset, fail_first=100)
    try:
        _, _, failed = run_import(server.url)
    finally:
        server.close()
    assert failed.startswith(f"GET {server.url}categories/?limit=1 failed")
    assert Package.objects.count() == 0


def test_rows_created_after_an_import_get_fresh_ids(dataset):
    run_import(dataset)
    category = Category.objects.create(title="New", slug="new")
    grid = Grid.objects.create(title="New", slug="new")
    package = Package.objects.create(title="New", slug="new", category=category)
    assert category.pk > 4 and grid.pk > max(Grid.objects.exclude(pk=grid.pk).values_list("pk", flat=True))
    assert package.pk > 6278


def test_imported_packages_are_searchable_at_once(dataset, client):
    run_import(dataset)
    results = json.loads(client.get("/api/v4/search/?q=hstore").content)
    assert "django-hstore" in [item["slug"] for item in results]


def _cell(grid_id, package_id):
    """An Element (grid cell) of the package's membership in the grid, as an editor would add one."""
    feature = Feature.objects.create(grid_id=grid_id, title="Supports PostgreSQL")
    membership = GridPackage.objects.get(grid_id=grid_id, package_id=package_id)
    return Element.objects.create(grid_package=membership, feature=feature, text="yes")


def test_a_reordered_grids_list_keeps_every_membership_and_its_cells(dataset, client):
    run_import(dataset)
    cell = _cell(161, 1327)
    before = client.get("/api/v4/packages/1327/")
    memberships = set(GridPackage.objects.filter(package_id=1327).values_list("pk", flat=True))
    path = dataset / "packages" / "1327.json"
    doc = json.loads(path.read_text())
    doc["grids"] = doc["grids"][::-1]
    path.write_text(json.dumps(doc))
    out, _, failed = run_import(dataset)
    assert failed is None and "packages: 0 created, 1 updated, 97 unchanged" in out
    assert set(GridPackage.objects.filter(package_id=1327).values_list("pk", flat=True)) == memberships
    assert Element.objects.get(pk=cell.pk).text == "yes"
    assert json.loads(client.get("/api/v4/packages/1327/").content)["grids"] == [
        "http://testserver/api/v4/grids/160/", "http://testserver/api/v4/grids/161/",
    ]
    assert client.get("/api/v4/packages/1327/", HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200
    out, _, _ = run_import(dataset)
    assert "packages: 0 created, 0 updated, 98 unchanged" in out


def test_a_reordered_packages_list_of_a_grid_keeps_every_membership_and_its_cells(dataset):
    run_import(dataset)
    members = list(GridPackage.objects.filter(grid_id=161).order_by("package__title").values_list("package_id", flat=True))
    cells = [_cell(161, pk).pk for pk in members[:1]]
    (dataset / "grids").mkdir()
    grid = {
        "id": 161, "title": "PostgreSQL", "slug": "postgresql", "description": "", "is_locked": False,
        "packages": [f"https://djangopackages.org/api/v4/packages/{pk}/" for pk in members],
        "header": False, "created": "2012-06-05T04:59:01-04:00", "modified": "2020-01-01T00:00:00-05:00",
    }
    (dataset / "grids" / "161.json").write_text(json.dumps(grid))
    run_import(dataset)
    grid["packages"].reverse()
    (dataset / "grids" / "161.json").write_text(json.dumps(grid))
    _, _, failed = run_import(dataset)
    assert failed is None
    assert sorted(GridPackage.objects.filter(grid_id=161).values_list("package_id", flat=True)) == sorted(members)
    assert list(Element.objects.filter(pk__in=cells).values_list("text", flat=True)) == ["yes"]


def test_participant_names_are_stripped_and_blank_ones_dropped(dataset):
    path = dataset / "packages" / "13.json"
    doc = json.loads(path.read_text())
    doc["participants"] = ["  alice ", "", "bob", "   "]
    path.write_text(json.dumps(doc))
    run_import(dataset)
    assert Package.objects.get(pk=13).participants == ["alice", "bob"]


def _search_answers(client):
    """What search answers for a spread of queries over the sample (names, words, prefixes)."""
    return {q: json.loads(client.get("/api/v4/search/", {"q": q}).content) for q in ("django", "hstore", "admin", "rest", "cms")}


def test_an_import_indexes_once_at_the_end_not_row_by_row(dataset, django_assert_max_num_queries):
    # The sample's 98 documents took 3,038 statements on SQLite when every row was also indexed
    # through the signals (and rescored there); 1,771 with the index muted and rebuilt once.
    with django_assert_max_num_queries(2000):
        _, _, failed = run_import(dataset)
    assert failed is None
    assert SearchEntry.objects.filter(item_type=ItemType.PACKAGE).count() == Package.objects.count() == 98


def test_search_answers_after_an_import_what_indexing_row_by_row_answered(dataset, client):
    run_import(dataset)
    imported = _search_answers(client)
    for package in Package.objects.order_by("pk"):
        package.save(touch=False)  # indexed through the signal, one row at a time
    assert _search_answers(client) == imported
    assert any(imported.values())
