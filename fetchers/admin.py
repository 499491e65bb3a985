"""The package admin, extended with what the refresh pipeline adds: a "refresh now" action and
when the next refresh is due. (The packages app sits below fetchers, so it is extended here.)"""
from datetime import timedelta

from django.conf import settings
from django.contrib import admin, messages

from fetchers.tasks import enqueue_refreshes
from packages.admin import FETCH_STATE, PackageAdmin
from packages.models import Package

admin.site.unregister(Package)


@admin.register(Package)
class RefreshablePackageAdmin(PackageAdmin):
    """``PackageAdmin`` plus the "refresh now" action and the next refresh's due time."""

    actions = ["refresh_now"]
    readonly_fields = [*PackageAdmin.readonly_fields, "last_attempted_at", "next_refresh_due"]
    fieldsets = [
        *PackageAdmin.fieldsets[:-1],
        ("Fetch state", {"fields": [*FETCH_STATE[:1], "last_attempted_at", *FETCH_STATE[1:4], "next_refresh_due", *FETCH_STATE[4:]]}),
    ]

    @admin.action(description="Refresh now")
    def refresh_now(self, request, queryset):
        """Queue the selected packages and say what became of each: queued, busy, or not queued and why."""
        outcome = enqueue_refreshes(list(queryset.values_list("pk", flat=True)))
        text = f"{len(outcome.queued)} package(s) queued for a background refresh."
        if outcome.busy:
            text += f" {len(outcome.busy)} already queued or running."
        self.message_user(request, text, messages.SUCCESS if outcome.queued else messages.INFO)
        if outcome.failed:
            self.message_user(request, f"{len(outcome.failed)} could not be queued: {outcome.error}", messages.ERROR)

    @admin.display(description="next refresh due")
    def next_refresh_due(self, package):
        if package.last_attempted_at is None:
            return "at the next sweep (never refreshed here)"
        return package.last_attempted_at + timedelta(hours=settings.REFRESH_INTERVAL_HOURS)
