"""Admin for packages and versions: editors set what a package is; fetched facts are read-only."""
from datetime import timedelta

from django.conf import settings
from django.contrib import admin, messages
from django.db import models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html

from packages.models import Package, RepoHost, Version
from packages.repourl import HOST_KINDS
from packages.signals import refresh_requested

FETCHED_FACTS = [
    "repo_description", "repo_watchers", "repo_forks", "participants", "commits_over_52", "activity", "last_commit_date",
    "commit_count", "date_repo_archived", "repo_default_branch", "repo_moved_to", "latest_version", "license",
    "classifiers", "requires_python", "supports_python3", "pypi_downloads", "score",
]
NEWEST_FIRST = [F("upload_time").desc(nulls_last=True), "-id"]  # undated releases last on every database
FETCH_STATE = [
    "last_fetched", "last_attempted_at", "fetch_error", "fetch_error_at", "fetch_error_count", "next_refresh_due",
    "created", "modified",
]


def sparkline(counts, width=104, height=20):
    """An inline SVG line of weekly commit ``counts`` (oldest first), scaled to the busiest week; "" when none."""
    if not counts:
        return ""
    top = max(max(counts), 1)
    step = width / max(len(counts) - 1, 1)
    points = " ".join(f"{i * step:.1f},{height - 1 - (n / top) * (height - 2):.1f}" for i, n in enumerate(counts))
    return format_html(
        '<svg class="sparkline" width="{}" height="{}" viewBox="0 0 {} {}" role="img" aria-label="{}">'
        '<polyline points="{}" fill="none" stroke="currentColor" stroke-width="1.5"/></svg>',
        width, height, width, height, f"{sum(counts)} commits in {len(counts)} weeks", points,
    )


class HostFilter(admin.SimpleListFilter):
    """Filter by repository host kind (``Package.repo_kind``), or "other" for a URL no refresh can read."""

    title = "repository host"
    parameter_name = "host"

    def lookups(self, request, model_admin):
        return [choice for choice in RepoHost.choices if choice[0]] + [("other", "other")]

    def queryset(self, request, queryset):
        if self.value() in HOST_KINDS:
            return queryset.on_host(self.value())
        if self.value() == "other":
            return queryset.filter(repo_kind="")
        return queryset


class VersionInline(admin.TabularInline):
    """A package's releases; they are PyPI's facts, so editors may only hide one, never add one."""

    model = Version
    fields = ["number", "upload_time", "license", "development_status", "hidden", "yanked"]
    readonly_fields = ["number", "upload_time", "license", "development_status", "yanked"]
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = NEWEST_FIRST

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Package)
class PackageAdmin(admin.ModelAdmin):
    """Packages: list with host, stars and fetch state; search by title, slug and repo URL; "Refresh now"."""

    list_display = [
        "title", "category", "repo_hostname", "repo_watchers", "activity", "score", "last_fetched", "fetch_error_short",
    ]
    list_filter = ["category", HostFilter, ("date_repo_archived", admin.EmptyFieldListFilter)]
    list_select_related = ["category"]
    search_fields = ["title", "slug", "repo_url"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["links", *FETCHED_FACTS, *FETCH_STATE]
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "repo_url", "repo_host", "pypi_url", "documentation_url", "usage_count"]}),
        ("Links", {"fields": ["links"]}),
        ("Fetched facts (read-only)", {"fields": FETCHED_FACTS}),
        ("Fetch state", {"fields": FETCH_STATE}),
    ]
    inlines = [VersionInline]
    actions = ["refresh_now"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description="repo host", ordering="repo_url")
    def repo_hostname(self, package):
        return package.repo_hostname

    @admin.display(description="last fetch error", ordering="fetch_error_at")
    def fetch_error_short(self, package):
        return package.fetch_error[:80]

    @admin.display(description="commits, 52 weeks")
    def activity(self, package):
        return sparkline(package.commits_over_52) or "–"

    @admin.display(description="links")
    def links(self, package):
        """The package's v4 API document and, when set, its repository."""
        api = format_html('<a href="{}">API document</a>', reverse("package-detail", args=[package.pk]))
        if not package.repo_url:
            return api
        return format_html('{} · <a href="{}" rel="noopener">repository</a>', api, package.repo_url)

    @admin.display(description="next refresh due")
    def next_refresh_due(self, package):
        if package.last_attempted_at is None:
            return "at the next sweep (never refreshed here)"
        due = package.last_attempted_at + timedelta(hours=settings.REFRESH_INTERVAL_HOURS)
        return formats.localize(timezone.template_localtime(due))  # as the admin shows every other date

    def get_fieldsets(self, request, obj=None):
        """The add form shows what an editor sets; fetched facts and fetch state appear once the package exists."""
        return self.fieldsets if obj is not None else self.fieldsets[:1]

    @admin.action(description="Refresh now")
    def refresh_now(self, request, queryset):
        """Ask the refresh pipeline to refresh the selected packages and show what it answers
        (queued with a broker; without one, refreshed at once, a few per click, or failed with the error)."""
        self.request_refresh(request, list(queryset.values_list("pk", flat=True)))

    def save_model(self, request, obj, form, change):
        """Save the package; a new one gets its first refresh once it is committed, as upstream fetches on add."""
        super().save_model(request, obj, form, change)
        if not change:
            transaction.on_commit(lambda: self.request_refresh(request, [obj.pk]))

    def request_refresh(self, request, ids):
        """Send ``refresh_requested`` for the package ``ids`` and show the editor what the pipeline answered."""
        replies = refresh_requested.send(sender=Package, ids=ids)
        if not replies:
            self.message_user(request, "No refresh pipeline is installed.", messages.ERROR)
        for _receiver, notes in replies:
            for level, text in notes:
                self.message_user(request, text, level)


@admin.register(Version)
class VersionAdmin(admin.ModelAdmin):
    """PyPI versions; editors may only hide one."""

    list_display = ["package", "number", "upload_time", "license", "yanked", "hidden"]
    list_filter = ["yanked", "hidden"]
    list_select_related = ["package"]
    search_fields = ["package__title", "number"]
    ordering = NEWEST_FIRST
    readonly_fields = ["package", "number", "upload_time", "license", "development_status", "yanked", "created", "modified"]

    def has_add_permission(self, request):
        return False
