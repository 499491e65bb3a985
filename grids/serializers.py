"""The v4 Grid document, and a grid's comparison (its features, packages and cells as one table)."""
from rest_framework import serializers

from core.api import (
    LINK_MARKER, URLOrNoneField, V4DateTimeField, V4DocumentListSerializer, V4DocumentSerializer, link_template, v4_datetime,
)
from grids.models import Element, Feature, Grid, GridPackage


class GridSerializer(V4DocumentSerializer):
    """``id, title, slug, description, is_locked, packages, header, created, modified``.

    ``packages`` are absolute package URLs by id, ordered by package title (then id), all of
    them (no pagination).
    """

    packages = serializers.HyperlinkedRelatedField(view_name="package-detail", read_only=True, many=True)
    created = V4DateTimeField()
    modified = V4DateTimeField()

    columns = ("id", "title", "slug", "description", "is_locked", "header", "created", "modified")

    class Meta:
        model = Grid
        list_serializer_class = V4DocumentListSerializer
        fields = ["id", "title", "slug", "description", "is_locked", "packages", "header", "created", "modified"]
        read_only_fields = fields  # a read-only API: every field is served, so every one is required

    def related(self, ids):
        """``{grid id: [package id, ...]}`` in package title order."""
        members = {}
        memberships = GridPackage.objects.filter(grid_id__in=ids).order_by("package__title", "package_id")
        for grid_id, package_id in memberships.values_list("grid_id", "package_id"):
            members.setdefault(grid_id, []).append(package_id)
        return members

    def document(self, row, related):
        package = link_template(self.context, "package-detail")
        return {
            "id": row["id"],
            "title": row["title"],
            "slug": row["slug"],
            "description": row["description"],
            "is_locked": row["is_locked"],
            "packages": [package.replace(LINK_MARKER, str(package_id)) for package_id in related.get(row["id"], ())],
            "header": row["header"],
            "created": v4_datetime(row["created"]),
            "modified": v4_datetime(row["modified"]),
        }


class ComparisonFeatureSerializer(serializers.Serializer):
    """A row of a grid: ``id``, ``title``, ``description``."""

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)


class ComparedPackageSerializer(serializers.Serializer):
    """A column of a grid: the package's v4 URL, title and slug, the facts djangopackages.org's grid
    page shows as standard rows, and ``cells``: ``{feature id: the editor's text}`` for every
    feature of the grid (``""`` where the grid has no cell).

    ``description`` is the repository's description, ``category_title`` the category's title,
    ``last_updated`` the last commit's date, ``pypi_version`` and ``development_status`` the
    latest release's (null without one), ``license`` PyPI's, ``repo_watchers`` the stars,
    ``commits_over_52`` the commits per week over 52 weeks (oldest first), ``participants_count`` how many
    contributors the repository lists.
    """

    package = serializers.HyperlinkedRelatedField(view_name="package-detail", read_only=True)
    title = serializers.CharField(read_only=True)
    slug = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    category_title = serializers.CharField(read_only=True)
    usage_count = serializers.IntegerField(read_only=True)
    supports_python3 = serializers.BooleanField(read_only=True, allow_null=True)
    development_status = serializers.CharField(read_only=True, allow_null=True)
    last_updated = V4DateTimeField(allow_null=True)
    pypi_version = serializers.CharField(read_only=True, allow_null=True)
    license = serializers.CharField(read_only=True)
    commits_over_52 = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    repo_watchers = serializers.IntegerField(read_only=True)
    repo_forks = serializers.IntegerField(read_only=True)
    participants_count = serializers.IntegerField(read_only=True)
    documentation_url = URLOrNoneField()
    cells = serializers.DictField(child=serializers.CharField(), read_only=True)


# What a compared package's entry reads, through its grid membership (one query for all of them).
COMPARED_COLUMNS = {
    "title": "package__title", "slug": "package__slug", "description": "package__repo_description",
    "category_title": "package__category__title", "usage_count": "package__usage_count",
    "supports_python3": "package__supports_python3", "development_status": "package__latest_version__development_status",
    "last_updated": "package__last_commit_date", "pypi_version": "package__latest_version__number",
    "license": "package__license", "commits_over_52": "package__commits_over_52", "repo_watchers": "package__repo_watchers",
    "repo_forks": "package__repo_forks", "participants_count": "package__participants", "documentation_url": "package__documentation_url",
}


class GridComparisonSerializer(serializers.Serializer):
    """A grid as a table: ``grid`` (its v4 URL), ``title``, ``slug``, its ``features`` (by id) and its
    ``packages`` in the grid document's order (package title, then id), each with its cells.

    Rendered from the grid's ``values()`` row (``id``, ``title``, ``slug``) with three queries
    whatever the grid's size: features, memberships with their packages, cells.
    """

    grid = serializers.HyperlinkedRelatedField(view_name="grid-detail", read_only=True)
    title = serializers.CharField(read_only=True)
    slug = serializers.CharField(read_only=True)
    features = ComparisonFeatureSerializer(many=True, read_only=True)
    packages = ComparedPackageSerializer(many=True, read_only=True)

    def to_representation(self, row):
        grid_id = row["id"]
        features = list(Feature.objects.filter(grid_id=grid_id).order_by("id").values("id", "title", "description"))
        memberships = (
            GridPackage.objects.filter(grid_id=grid_id)
            .order_by("package__title", "package_id")
            .values("id", "package_id", *COMPARED_COLUMNS.values())
        )
        texts = {
            (membership_id, feature_id): text
            for membership_id, feature_id, text in Element.objects.filter(grid_package__grid_id=grid_id).values_list(
                "grid_package_id", "feature_id", "text"
            )
        }
        package, grid = link_template(self.context, "package-detail"), link_template(self.context, "grid-detail")
        return {
            "grid": grid.replace(LINK_MARKER, str(grid_id)),
            "title": row["title"],
            "slug": row["slug"],
            "features": features,
            "packages": [self._package(package, membership, features, texts) for membership in memberships],
        }

    @staticmethod
    def _package(link, membership, features, texts):
        facts = {name: membership[column] for name, column in COMPARED_COLUMNS.items()}
        return {
            "package": link.replace(LINK_MARKER, str(membership["package_id"])),
            **facts,
            "last_updated": v4_datetime(facts["last_updated"]),
            "participants_count": len(facts["participants_count"] or ()),
            "cells": {str(f["id"]): texts.get((membership["id"], f["id"]), "") for f in features},
        }
