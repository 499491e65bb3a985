"""Rows for tests, saved the ordinary way (``save``, so signals and triggers run as in the app).

Each helper takes the fields it is about and passes any other keyword to the model; a category
not given is the shared "App" category (slug ``apps``), made on first use.
"""
from categories.models import Category
from grids.models import Grid, GridPackage
from packages.models import Package


def make_category(slug="apps", title="App", **fields) -> Category:
    """The category of ``slug``: the existing one, else a new one with ``title`` and ``fields``."""
    return Category.objects.get_or_create(slug=slug, defaults={"title": title, **fields})[0]


def make_package(slug="deps", title=None, description=None, category=None, **fields) -> Package:
    """A new package titled ``title`` (default: its slug); ``description`` is its repository's
    (``repo_description``, which ``fields`` may give instead)."""
    if description is not None:
        fields["repo_description"] = description
    return Package.objects.create(title=title or slug, slug=slug, category=category or make_category(), **fields)


def make_packages(count, **fields) -> list[Package]:
    """``count`` packages ``p0``, ``p1``, … (titled ``P0``, …), each on GitHub and PyPI under its slug."""
    return [
        make_package(f"p{i}", f"P{i}", repo_url=f"https://github.com/owner/p{i}", pypi_url=f"https://pypi.org/project/p{i}/", **fields)
        for i in range(count)
    ]


def make_grid(slug, title=None, packages=(), description="", **fields) -> Grid:
    """A new grid (default title: its slug) holding ``packages``, in that order."""
    grid = Grid.objects.create(title=title or slug, slug=slug, description=description, **fields)
    for package in packages:
        GridPackage.objects.create(grid=grid, package=package)
    return grid
