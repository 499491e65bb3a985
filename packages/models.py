"""The Package and Version models.

Editors set what a package *is* (title, slug, category, URLs, an explicit repository host);
everything else is a fetched fact that only the refresh (``fetchers``) or the v4 importer writes.
"""
import re
from datetime import timedelta
from urllib.parse import urlsplit

from django.db import models
from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.utils import timezone

from categories.models import Category
from core.timestamps import TimeStampedModel
from packages.repourl import parse_repo_url
from packages.scoring import SCORE_FACTS, package_score
from packages.support import DJANGO, PYTHON, admits, specifier_set

# A package is maintained when it had a commit or a release within this long.
MAINTAINED_WITHIN = timedelta(days=365)


class RepoHost(models.TextChoices):
    """Kinds of repository host a refresh knows how to read; blank means detect from ``repo_url``."""

    AUTO = "", "Detect from the repository URL"
    GITHUB = "github", "GitHub"
    GITLAB = "gitlab", "GitLab"
    BITBUCKET = "bitbucket", "Bitbucket"
    FORGEJO = "forgejo", "Forgejo / Gitea / Codeberg"




class PackageQuerySet(models.QuerySet):
    """Queries editors and API filters share."""

    def on_host(self, kind):
        """Packages whose repository is on a host of ``kind`` (a ``RepoHost`` value), as
        ``packages.repourl`` reads ``repo_url`` and ``repo_host``."""
        return self.filter(repo_kind=kind)

    def with_facts(self):
        """With the latest version joined and the annotations the facts record shows:
        ``first_release_at``, ``last_release_at`` (earliest and latest upload of any release) and ``release_count``."""
        return self.select_related("latest_version").annotate(
            first_release_at=Min("versions__upload_time"),
            last_release_at=Max("versions__upload_time"),
            release_count=Count("versions"),
        )

    def declaring_django(self, version):
        """Packages whose classifiers declare Django ``version`` (``"5.2"``: ``Framework :: Django :: 5.2``)."""
        return self.filter(_classifier(DJANGO + version))

    def admitting_python(self, version):
        """Packages that declare Python ``version`` (``"3.13"``) by classifier, or whose
        ``requires_python`` admits some release of it (``packages.support.admits``); the distinct
        ``requires_python`` values are read and tested here, not in SQL."""
        series = tuple(int(part) for part in version.split("."))
        published = self.model.objects.exclude(requires_python="").values_list("requires_python", flat=True).distinct()
        admitting = [text for text in published if (specifier := specifier_set(text)) and admits(specifier, series)]
        return self.filter(_classifier(PYTHON + version) | Q(requires_python__in=admitting))

    def maintained(self, value, now):
        """Packages with (``value`` True) a commit or a release within ``MAINTAINED_WITHIN`` of
        ``now``, or (False) with a known commit or release date and none that recent."""
        since = now - MAINTAINED_WITHIN
        recent_release = Exists(Version.objects.filter(package=OuterRef("pk"), upload_time__gte=since))
        any_release = Exists(Version.objects.filter(package=OuterRef("pk"), upload_time__isnull=False))
        recent = Q(last_commit_date__gte=since) | recent_release
        if value:
            return self.filter(recent)
        return self.filter(Q(last_commit_date__isnull=False) | any_release).exclude(recent)

    def with_vulnerabilities(self, value):
        """Packages whose latest release has (True) or, as far as PyPI said, has not (False) known
        vulnerabilities; packages never fetched match neither."""
        fetched = self.filter(vulnerabilities__isnull=False)
        return fetched.exclude(vulnerabilities=[]) if value else fetched.filter(vulnerabilities=[])

    def with_license(self, value):
        """Packages whose licence is ``value`` (case-insensitive), or whose SPDX expression names it
        as an operand (``MIT`` matches ``MIT OR Apache-2.0``, not ``MIT License``)."""
        operand = rf"(^|\(|\s(or|and|with)\s){re.escape(value)}($|\)|\s(or|and|with)\s)"
        return self.filter(Q(license__iexact=value) | Q(license__iregex=operand))


def _classifier(classifier):
    """Rows whose ``classifiers`` (a JSON list) holds exactly ``classifier`` (read in the JSON text,
    which both databases and every JSON list hold in double quotes)."""
    return Q(classifiers__icontains=f'"{classifier}"')


class Package(TimeStampedModel):
    """A Django package as djangopackages.org lists it, with the facts fetched about it.

    Fetched facts: ``repo_description``, ``repo_watchers`` (stars), ``repo_forks``,
    ``participants`` (list of contributor names, most active first), ``commits_over_52`` (52
    weekly commit counts, oldest first, or ``[]``), ``last_commit_date`` (served as
    ``last_updated``), ``commit_count``, ``date_repo_archived``, ``repo_default_branch``,
    ``repo_moved_to`` (where a redirect said the repository now lives), and from PyPI
    ``latest_version``, ``license``, ``classifiers``, ``requires_python``, ``supports_python3``,
    ``pypi_downloads``, ``vulnerabilities`` (the latest release's known vulnerabilities as
    ``fetchers.hosts.pypi`` reads them: ``[]`` for none, None when never fetched). ``score`` is
    derived from them (``packages.scoring``), ``last_released`` from the latest version's upload
    time. ``fetch_error*`` describe the last failed refresh and are cleared by the next successful one.
    """

    title = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="packages")
    repo_url = models.URLField(max_length=255, blank=True)
    repo_host = models.CharField(
        max_length=20,
        choices=RepoHost.choices,
        blank=True,
        help_text="Leave blank to detect the host from the URL; set it for self-hosted GitLab or Forgejo/Gitea.",
    )
    repo_kind = models.CharField(
        max_length=20,
        blank=True,
        editable=False,
        db_index=True,
        help_text="The host kind packages.repourl reads from repo_url and repo_host; blank when unsupported.",
    )
    pypi_url = models.CharField(max_length=255, blank=True, help_text="A PyPI project URL or name.")
    documentation_url = models.URLField(max_length=255, blank=True, null=True)
    usage_count = models.PositiveIntegerField(default=0)

    # Repository facts
    repo_description = models.TextField(blank=True, editable=False)
    repo_watchers = models.IntegerField(default=0, editable=False)
    repo_forks = models.IntegerField(default=0, editable=False)
    participants = models.JSONField(default=list, blank=True, editable=False)
    commits_over_52 = models.JSONField(default=list, blank=True, editable=False)
    last_commit_date = models.DateTimeField(null=True, blank=True, editable=False)
    commit_count = models.PositiveIntegerField(default=0, editable=False)
    date_repo_archived = models.DateTimeField(null=True, blank=True, editable=False)
    repo_default_branch = models.CharField(max_length=255, blank=True, editable=False)
    repo_moved_to = models.URLField(max_length=255, blank=True, editable=False)

    # PyPI facts
    latest_version = models.ForeignKey(
        "Version", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    license = models.TextField(blank=True, editable=False)
    classifiers = models.JSONField(default=list, blank=True, editable=False)
    requires_python = models.CharField(max_length=255, blank=True, editable=False)
    supports_python3 = models.BooleanField(null=True, editable=False)
    pypi_downloads = models.PositiveIntegerField(default=0, editable=False)

    vulnerabilities = models.JSONField(null=True, blank=True, editable=False)
    # Derived: the latest version's upload time, kept here so that the list sorts by it on an index.
    last_released = models.DateTimeField(null=True, blank=True, editable=False)

    score = models.IntegerField(default=0, editable=False)
    last_fetched = models.DateTimeField(null=True, blank=True, editable=False)
    # When a refresh last ran, whether or not it fetched anything: what the sweep goes by, so that
    # a package whose fetches keep failing waits its turn instead of coming first every time.
    last_attempted_at = models.DateTimeField(null=True, blank=True, editable=False)
    fetch_error = models.TextField(blank=True, editable=False)
    fetch_error_at = models.DateTimeField(null=True, blank=True, editable=False)
    fetch_error_count = models.PositiveIntegerField(default=0, editable=False)

    objects = PackageQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        # One index per list ordering, id last as the tie-break (scanned backwards for descending).
        indexes = [
            models.Index(fields=[name, "id"], name=f"package_{name}_order")
            for name in ("title", "repo_watchers", "repo_forks", "last_commit_date", "last_fetched", "score", "last_released")
        ] + [models.Index(fields=["last_attempted_at", "id"], name="package_sweep_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["repo_url"], condition=~Q(repo_url=""), name="package_repo_url_unique_when_set"
            ),
        ]

    def __str__(self):
        return self.title

    def set_derived(self, written=None):
        """Set the fields derived from others and return their names (a set): ``repo_kind`` when
        ``written`` (names of the fields being written; None for all) holds ``repo_url`` or
        ``repo_host``, ``last_released`` when it holds ``latest_version`` (reading that row unless
        it is loaded), ``score`` (as of now) when it holds a fact the score depends on or the score.
        """
        derived = set()
        if written is None or {"repo_url", "repo_host"} & set(written):
            ref = parse_repo_url(self.repo_url, self.repo_host)
            self.repo_kind = ref.kind if ref else ""
            derived.add("repo_kind")
        if written is None or "latest_version" in written:
            self.last_released = self.latest_version.upload_time if self.latest_version_id else None
            derived.add("last_released")
        if written is None or {*SCORE_FACTS, "score"} & set(written):
            self.score = package_score(self.repo_watchers, self.last_commit_date, self.supports_python3, timezone.now())
            derived.add("score")
        return derived

    def save(self, *args, **kwargs):
        """Save the row, first setting the fields derived from those it writes (``set_derived``).
        A score decays with time: the refresh writes it every time.
        """
        update_fields = kwargs.get("update_fields")
        derived = self.set_derived(update_fields)
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *derived}
        super().save(*args, **kwargs)

    @property
    def pypi_version(self):
        """The latest release number (str), or None when the package has no known release."""
        return self.latest_version.number if self.latest_version_id else None

    @property
    def repo_hostname(self):
        """The host part of ``repo_url`` in lower case (e.g. ``"github.com"``), ``""`` when unset."""
        return (urlsplit(self.repo_url).hostname or "") if self.repo_url else ""


class Version(TimeStampedModel):
    """One release number of a package as PyPI lists it.

    ``number`` is the release string as published (not necessarily valid PEP 440);
    ``upload_time`` is the first file's ``upload_time_iso_8601`` (UTC); ``license`` and
    ``development_status`` come from that release's metadata.
    """

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="versions")
    number = models.CharField(max_length=100)
    upload_time = models.DateTimeField(null=True, blank=True)
    license = models.TextField(blank=True)
    development_status = models.CharField(max_length=100, blank=True)
    hidden = models.BooleanField(default=False)
    yanked = models.BooleanField(default=False)

    class Meta:
        ordering = ["-upload_time", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["package", "number"], name="version_unique_per_package"),
        ]

    def __str__(self):
        return f"{self.package} {self.number}"
