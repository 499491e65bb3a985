"""Admin for packages and versions: editors set what a package is; fetched facts are read-only."""
from django.contrib import admin
from django.db import models
from django.db.models import Q

from packages.models import Package, Version

FETCHED_FACTS = [
    "repo_description", "repo_watchers", "repo_forks", "participants", "commits_over_52", "last_commit_date",
    "commit_count", "date_repo_archived", "repo_default_branch", "repo_moved_to", "latest_version", "license",
    "classifiers", "requires_python", "supports_python3", "pypi_downloads", "score",
]
FETCH_STATE = ["last_fetched", "fetch_error", "fetch_error_at", "fetch_error_count", "created", "modified"]


class HostFilter(admin.SimpleListFilter):
    """Filter by the host of ``repo_url`` (GitHub, GitLab, Bitbucket, Codeberg, anything else)."""

    title = "repository host"
    parameter_name = "host"
    HOSTS = {"github": "github.com", "gitlab": "gitlab.com", "bitbucket": "bitbucket.org", "codeberg": "codeberg.org"}

    def lookups(self, request, model_admin):
        return [(key, domain) for key, domain in self.HOSTS.items()] + [("other", "other")]

    def _on(self, domain):
        return Q(repo_url__iregex=rf"^[a-z+]+://(www\.)?{domain.replace('.', '[.]')}(/|$)")

    def queryset(self, request, queryset):
        if self.value() in self.HOSTS:
            return queryset.filter(self._on(self.HOSTS[self.value()]))
        if self.value() == "other":
            for domain in self.HOSTS.values():
                queryset = queryset.exclude(self._on(domain))
            return queryset
        return queryset


class VersionInline(admin.TabularInline):
    model = Version
    fields = ["number", "upload_time", "license", "development_status", "hidden", "yanked"]
    readonly_fields = ["number", "upload_time", "license", "development_status", "yanked"]
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Package)
class PackageAdmin(admin.ModelAdmin):
    """Packages: list with host, stars and fetch state; search by title, slug and repo URL."""

    list_display = ["title", "category", "repo_hostname", "repo_watchers", "last_fetched", "fetch_error_short"]
    list_filter = ["category", HostFilter, "repo_host", ("date_repo_archived", admin.EmptyFieldListFilter)]
    list_select_related = ["category"]
    search_fields = ["title", "slug", "repo_url"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = FETCHED_FACTS + FETCH_STATE
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "repo_url", "repo_host", "pypi_url", "documentation_url", "usage_count"]}),
        ("Fetched facts (read-only)", {"fields": FETCHED_FACTS}),
        ("Fetch state", {"fields": FETCH_STATE}),
    ]
    inlines = [VersionInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description="repo host", ordering="repo_url")
    def repo_hostname(self, package):
        return package.repo_hostname

    @admin.display(description="last fetch error", ordering="fetch_error_at")
    def fetch_error_short(self, package):
        return package.fetch_error[:80]


@admin.register(Version)
class VersionAdmin(admin.ModelAdmin):
    """PyPI versions; editors may only hide one."""

    list_display = ["package", "number", "upload_time", "license", "yanked", "hidden"]
    list_filter = ["yanked", "hidden"]
    list_select_related = ["package"]
    search_fields = ["package__title", "number"]
    readonly_fields = ["package", "number", "upload_time", "license", "development_status", "yanked", "created", "modified"]
