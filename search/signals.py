"""Signal handlers that keep the search index in step with the data, at once.

Saves and deletes of packages, grids, grid memberships and categories update their entries in the
same transaction. Raw saves (``loaddata``) and bulk operations send no signals, and the handlers
do nothing within ``index.muted()``: run ``manage.py rebuild_search_index`` after those.
"""
from django.db.models.signals import post_delete, post_save

from categories.models import Category
from grids.models import Grid, GridPackage
from packages.models import Package
from search import index
from search.models import ItemType


def _indexing(raw=False):
    """Whether a handler should write the index: not for a raw save, nor within ``index.muted()``."""
    return not raw and not index.is_muted()


def package_saved(sender, instance, raw=False, **kwargs):
    """A saved (edited, imported or refreshed) package is searchable with its new facts and score."""
    if _indexing(raw):
        index.index_package(instance)


def package_deleted(sender, instance, **kwargs):
    """A deleted package leaves the index."""
    if _indexing():
        index.unindex(ItemType.PACKAGE, instance.pk)


def grid_saved(sender, instance, raw=False, **kwargs):
    """A saved grid is searchable with its new title, description and weight."""
    if _indexing(raw):
        index.index_grid(instance.pk)


def grid_deleted(sender, instance, **kwargs):
    """A deleted grid leaves the index."""
    if _indexing():
        index.unindex(ItemType.GRID, instance.pk)


def membership_changed(sender, instance, raw=False, **kwargs):
    """A grid gaining its first package or losing its last changes its weight."""
    if _indexing(raw):
        index.index_grid(instance.grid_id)


def category_saved(sender, instance, raw=False, **kwargs):
    """A renamed category is searchable under its new title."""
    if _indexing(raw):
        index.relabel_category(instance)


def connect():
    """Connect the handlers (called once from the app config)."""
    post_save.connect(package_saved, sender=Package, dispatch_uid="search.package_saved")
    post_delete.connect(package_deleted, sender=Package, dispatch_uid="search.package_deleted")
    post_save.connect(grid_saved, sender=Grid, dispatch_uid="search.grid_saved")
    post_delete.connect(grid_deleted, sender=Grid, dispatch_uid="search.grid_deleted")
    post_save.connect(membership_changed, sender=GridPackage, dispatch_uid="search.membership_saved")
    post_delete.connect(membership_changed, sender=GridPackage, dispatch_uid="search.membership_deleted")
    post_save.connect(category_saved, sender=Category, dispatch_uid="search.category_saved")
