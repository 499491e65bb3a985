"""``manage.py export_v4``: every document, byte for byte as served, in the layout ``import_v4`` reads."""
import io
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from categories.models import Category
from grids.models import Grid
from packages.models import Package
from search.models import SearchEntry
from tests.conftest import DATASET, SHARED, ordered_json
from tests.test_conformance import CHECKER

KINDS = ("packages", "grids", "categories")


def _export(folder, *args):
    out = io.StringIO()
    call_command("export_v4", str(folder), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _files(folder, kind):
    return sorted((folder / kind).glob("*.json"), key=lambda p: int(p.stem))


@pytest.mark.django_db
def test_every_file_is_the_body_the_api_serves(client, sample, tmp_path):
    out = _export(tmp_path, "--base-url", "http://testserver")
    for kind, model in (("packages", Package), ("grids", Grid), ("categories", Category)):
        files = _files(tmp_path, kind)
        assert [int(p.stem) for p in files] == sorted(model.objects.values_list("id", flat=True)) and files
        assert f"{kind}: {len(files)} written" in out
        for path in files:
            served = client.get(f"/api/v4/{kind}/{path.stem}/", HTTP_ACCEPT="application/json")
            assert path.read_bytes() == served.content, path


@pytest.mark.django_db
def test_the_default_base_url_is_upstream_and_gives_back_the_documents_imported(sample, tmp_path):
    _export(tmp_path)
    files = _files(tmp_path, "packages")
    assert {int(p.stem): ordered_json(p.read_text(encoding="utf-8")) for p in files} == {
        ident: ordered_json(text) for ident, text in sample.items()
    }
    assert b"https://djangopackages.org/api/v4/categories/" in files[0].read_bytes()


@pytest.mark.django_db
def test_a_second_export_removes_the_files_of_deleted_documents_only(sample, tmp_path):
    _export(tmp_path)
    (tmp_path / "packages" / "notes.txt").write_text("kept")
    gone = Package.objects.order_by("id").first()
    gone.delete()
    _export(tmp_path)
    assert not (tmp_path / "packages" / f"{gone.pk}.json").exists()
    assert (tmp_path / "packages" / "notes.txt").read_text() == "kept"
    assert len(_files(tmp_path, "packages")) == Package.objects.count()


@pytest.mark.django_db
def test_a_bad_base_url_or_an_unwritable_folder_is_an_error(sample, tmp_path):
    with pytest.raises(CommandError, match="--base-url"):
        _export(tmp_path, "--base-url", "djangopackages.org")
    (tmp_path / "file").write_text("")
    with pytest.raises(CommandError, match="cannot write"):
        _export(tmp_path / "file")


@pytest.mark.skipif(not CHECKER.exists() or not DATASET.exists(), reason=f"no conformance checker or dataset in {SHARED}")
def test_an_export_imported_into_an_empty_database_passes_the_conformance_checker(live_server, transactional_db, tmp_path):
    devnull = open(os.devnull, "w")
    call_command("import_v4", str(DATASET), stdout=devnull, stderr=devnull)
    _export(tmp_path)
    Package.objects.all().delete()
    Grid.objects.all().delete()
    Category.objects.all().delete()
    SearchEntry.objects.all().delete()
    assert not any(model.objects.exists() for model in (Package, Grid, Category))
    call_command("import_v4", str(tmp_path), stdout=devnull, stderr=devnull)
    result = subprocess.run(
        [sys.executable, str(CHECKER), "--base-url", live_server.url, "--dataset", str(tmp_path)],
        capture_output=True, text=True, timeout=600,
    )
    summary = result.stdout.strip().splitlines()[-1]
    assert result.returncode == 0, result.stdout[-3000:]
    assert summary.endswith(" 0 failed") and int(summary.split()[0]) > 0
    # every kind was checked, from the export's own grid and category documents too
    assert all(len(_files(tmp_path, kind)) for kind in KINDS)
    assert {int(p.stem) for p in _files(tmp_path, "packages")} == {int(p.stem) for p in (DATASET / "packages").glob("*.json")}
