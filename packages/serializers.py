"""The v4 Package document, and a package's full record (its facts)."""
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from rest_framework import serializers

from core.api import (
    LINK_MARKER, URLOrEmptyField, URLOrNoneField, V4DateTimeField, V4DocumentListSerializer, V4DocumentSerializer, link_template,
    v4_datetime,
)
from packages.models import MAINTAINED_WITHIN, Package, RepoHost
from packages.support import django_versions, python_versions

# The grid memberships (the grids app's GridPackage, reached without importing that app).
Membership = Package.grids.through


class PackageSerializer(V4DocumentSerializer):
    """A Django package: its links, repository and PyPI facts, in djangopackages.org's v4 shape.

    ``category`` and ``grids`` are absolute URLs (``grids`` in the order the package joined
    them); ``last_updated`` is the date of the last commit on the default branch; ``pypi_version``
    the latest release number or null; ``repo_watchers`` the stars; ``commits_over_52`` the
    commits per week over the last 52 weeks, oldest first.
    """

    category = serializers.HyperlinkedRelatedField(view_name="category-detail", read_only=True)
    grids = serializers.HyperlinkedRelatedField(view_name="grid-detail", read_only=True, many=True)
    last_updated = V4DateTimeField(source="last_commit_date", allow_null=True)
    last_fetched = V4DateTimeField(allow_null=True)
    repo_url = URLOrEmptyField()
    pypi_version = serializers.CharField(read_only=True, allow_null=True)
    created = V4DateTimeField()
    modified = V4DateTimeField()
    documentation_url = URLOrNoneField()
    commits_over_52 = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    participants = serializers.ListField(child=serializers.CharField(), read_only=True)

    # The columns the document shows; the other fetched facts are not read for the API.
    columns = (
        "id", "title", "slug", "category_id", "last_commit_date", "last_fetched", "repo_url", "latest_version__number",
        "created", "modified", "repo_forks", "repo_description", "pypi_url", "documentation_url", "repo_watchers",
        "commits_over_52", "participants",
    )

    class Meta:
        model = Package
        list_serializer_class = V4DocumentListSerializer
        fields = [
            "category",
            "grids",
            "id",
            "title",
            "slug",
            "last_updated",
            "last_fetched",
            "repo_url",
            "pypi_version",
            "created",
            "modified",
            "repo_forks",
            "repo_description",
            "pypi_url",
            "documentation_url",
            "repo_watchers",
            "commits_over_52",
            "participants",
        ]
        read_only_fields = fields  # a read-only API: every field is served, so every one is required

    def related(self, ids):
        """``{package id: [grid id, ...]}`` in the order the package joined its grids (the membership ordering)."""
        grids = {}
        for package_id, grid_id in Membership.objects.filter(package_id__in=ids).values_list("package_id", "grid_id"):
            grids.setdefault(package_id, []).append(grid_id)
        return grids

    def document(self, row, related):
        category, grid = link_template(self.context, "category-detail"), link_template(self.context, "grid-detail")
        return {
            "category": category.replace(LINK_MARKER, str(row["category_id"])),
            "grids": [grid.replace(LINK_MARKER, str(grid_id)) for grid_id in related.get(row["id"], ())],
            "id": row["id"],
            "title": row["title"],
            "slug": row["slug"],
            "last_updated": v4_datetime(row["last_commit_date"]),
            "last_fetched": v4_datetime(row["last_fetched"]),
            "repo_url": row["repo_url"],
            "pypi_version": row["latest_version__number"],
            "created": v4_datetime(row["created"]),
            "modified": v4_datetime(row["modified"]),
            "repo_forks": row["repo_forks"],
            "repo_description": row["repo_description"],
            "pypi_url": row["pypi_url"],
            "documentation_url": row["documentation_url"],
            "repo_watchers": row["repo_watchers"],
            "commits_over_52": row["commits_over_52"],
            "participants": row["participants"],
        }


class LatestReleaseSerializer(serializers.Serializer):
    """The latest release: its number as published, when its first file was uploaded, whether every file is yanked."""

    version = serializers.CharField()
    uploaded_at = V4DateTimeField(allow_null=True)
    yanked = serializers.BooleanField()


class RepositoryFactsSerializer(serializers.Serializer):
    """What the repository host said; every fact null when the package has no repository URL."""

    host = serializers.ChoiceField(
        choices=[kind for kind in RepoHost.values if kind], allow_null=True,
        help_text="The host kind, as the repo_host filter takes it; null when the URL is on no host the refresh reads.",
    )
    url = URLOrNoneField(help_text="The repository URL; null when none is set.")
    stars = serializers.IntegerField(allow_null=True, min_value=0)
    forks = serializers.IntegerField(allow_null=True, min_value=0)
    archived = serializers.BooleanField(allow_null=True)
    archived_at = V4DateTimeField(
        allow_null=True, help_text="When it was archived: the host's date (Forgejo), else when a refresh first saw it archived."
    )
    default_branch = serializers.CharField(allow_null=True)
    commit_count = serializers.IntegerField(allow_null=True, min_value=1, help_text="Commits on the default branch; null when not known (GitLab gives none).")
    last_commit_at = V4DateTimeField(allow_null=True)
    moved_to = URLOrNoneField(help_text="Where the host says the repository lives now, when that is not its URL; else null.")


class ActivitySerializer(serializers.Serializer):
    """Commits per week over the last 52 weeks (oldest first), their sum, and whether the package is maintained."""

    commits_over_52 = serializers.ListField(child=serializers.IntegerField(min_value=0), allow_null=True)
    commits_last_52_weeks = serializers.IntegerField(allow_null=True, min_value=0)
    maintained = serializers.BooleanField(
        allow_null=True, help_text="A commit or a release in the last 365 days; null when neither date is known."
    )


class VulnerabilitySerializer(serializers.Serializer):
    """A known vulnerability of the latest release, as PyPI lists it (from OSV)."""

    id = serializers.CharField()
    aliases = serializers.ListField(child=serializers.CharField())
    summary = serializers.CharField(allow_null=True)
    fixed_in = serializers.ListField(child=serializers.CharField(), help_text="The releases that fix it.")
    link = serializers.CharField(allow_null=True)


class FetchStateSerializer(serializers.Serializer):
    """The refresh's state: the last refresh that brought a change, the last attempt, when the sweep takes the package next, the last error."""

    last_fetched = V4DateTimeField(allow_null=True)
    last_attempted_at = V4DateTimeField(allow_null=True)
    next_due = V4DateTimeField(
        allow_null=True, help_text="The last attempt plus REFRESH_INTERVAL_HOURS; null when none was made (the next sweep takes it)."
    )
    error = serializers.CharField(allow_null=True, help_text="What the last refresh's failures said; null after a refresh without errors.")
    error_count = serializers.IntegerField(min_value=0, help_text="Refreshes in a row that had an error.")


class PackageFactsSerializer(serializers.Serializer):
    """A package's full record (``/api/v4/packages/<id or slug>/facts/``): what it supports, its
    releases, repository, activity, known vulnerabilities, score and refresh state.

    Renders a ``Package`` from ``Package.objects.with_facts()`` (its latest version joined, its
    releases' first and last upload times and count annotated). Datetimes as v4's; unknown facts
    are null, never guessed.
    """

    package = serializers.HyperlinkedIdentityField(view_name="package-detail", help_text="The package's v4 document.")
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    django_versions = serializers.ListField(
        child=serializers.CharField(), help_text="From the Framework :: Django :: X.Y classifiers, sorted by version."
    )
    python_versions = serializers.ListField(
        child=serializers.CharField(), help_text="From the Programming Language :: Python :: X.Y classifiers, sorted by version."
    )
    requires_python = serializers.CharField(allow_null=True, help_text="As published on PyPI.")
    license = serializers.CharField(allow_null=True, help_text="The SPDX expression when PyPI gives one, else the licence's name.")
    development_status = serializers.CharField(allow_null=True, help_text="The latest release's Development Status classifier, e.g. 5 - Production/Stable.")
    latest_release = LatestReleaseSerializer(allow_null=True)
    first_release_at = V4DateTimeField(allow_null=True)
    release_count = serializers.IntegerField(min_value=0)
    repository = RepositoryFactsSerializer()
    activity = ActivitySerializer()
    vulnerabilities = VulnerabilitySerializer(
        many=True, allow_null=True, help_text="Of the latest release, from PyPI: [] when it lists none, null when never fetched."
    )
    score = serializers.IntegerField()
    fetch = FetchStateSerializer()

    def to_representation(self, instance):
        now = timezone.now()
        latest = instance.latest_version
        has_repo = bool(instance.repo_url)
        weeks = instance.commits_over_52 or None
        last_activity = [moment for moment in (instance.last_commit_date, instance.last_release_at) if moment]
        attempted = instance.last_attempted_at
        return {
            "package": self.fields["package"].to_representation(instance),
            "id": instance.id,
            "slug": instance.slug,
            "title": instance.title,
            "django_versions": django_versions(instance.classifiers),
            "python_versions": python_versions(instance.classifiers),
            "requires_python": instance.requires_python or None,
            "license": instance.license or None,
            "development_status": (latest.development_status or None) if latest else None,
            "latest_release": {"version": latest.number, "uploaded_at": v4_datetime(latest.upload_time), "yanked": latest.yanked} if latest else None,
            "first_release_at": v4_datetime(instance.first_release_at),
            "release_count": instance.release_count,
            "repository": {
                "host": instance.repo_kind or None,
                "url": instance.repo_url or None,
                "stars": instance.repo_watchers if has_repo else None,
                "forks": instance.repo_forks if has_repo else None,
                "archived": instance.date_repo_archived is not None if has_repo else None,
                "archived_at": v4_datetime(instance.date_repo_archived),
                "default_branch": instance.repo_default_branch or None,
                "commit_count": instance.commit_count or None,
                "last_commit_at": v4_datetime(instance.last_commit_date),
                "moved_to": instance.repo_moved_to or None,
            },
            "activity": {
                "commits_over_52": weeks,
                "commits_last_52_weeks": sum(weeks) if weeks else None,
                "maintained": max(last_activity) >= now - MAINTAINED_WITHIN if last_activity else None,
            },
            "vulnerabilities": instance.vulnerabilities,
            "score": instance.score,
            "fetch": {
                "last_fetched": v4_datetime(instance.last_fetched),
                "last_attempted_at": v4_datetime(attempted),
                "next_due": v4_datetime(attempted + timedelta(hours=settings.REFRESH_INTERVAL_HOURS)) if attempted else None,
                "error": instance.fetch_error or None,
                "error_count": instance.fetch_error_count,
            },
        }
