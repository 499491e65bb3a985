"""The ``sample`` fixture: the import's rows copied into each test, and a test's writes kept to itself."""
import pytest

from grids.models import Grid
from packages.models import Package
from search.models import SearchEntry
from tests.conftest import _table_rows

pytestmark = pytest.mark.django_db


def test_the_copy_holds_every_row_the_import_wrote(sample, sample_rows):
    assert {model: _table_rows(model) for model in sample_rows} == sample_rows
    assert Package.objects.count() == len(sample) and SearchEntry.objects.filter(item_type="package").count() == len(sample)


def test_new_rows_get_ids_past_the_samples(sample):
    grid = Grid.objects.create(title="New", slug="new")
    assert grid.pk > max(Grid.objects.exclude(pk=grid.pk).values_list("pk", flat=True))


@pytest.mark.parametrize("turn", ["first", "second"])
def test_a_write_does_not_reach_the_next_test(sample, turn):
    package = Package.objects.get(pk=1327)
    assert package.title == "django-hstore" and not Grid.objects.filter(slug="written").exists()
    package.title = f"written in the {turn} test"
    package.save()
    Grid.objects.create(title="Written", slug="written")
    Package.objects.exclude(pk=1327).delete()
