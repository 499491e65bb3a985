"""The refresh pipeline's answer to the package admin's "Refresh now" (``packages.signals.refresh_requested``)."""
from django.contrib import messages
from django.dispatch import receiver

from fetchers.tasks import enqueue_refreshes
from packages.signals import refresh_requested


@receiver(refresh_requested, dispatch_uid="fetchers-refresh-now")
def refresh_now(sender, ids, **kwargs):
    """Queue the packages ``ids`` and return ``[(level, text)]`` saying what became of each: queued, busy, or not queued and why."""
    outcome = enqueue_refreshes(ids)
    text = f"{len(outcome.queued)} package(s) queued for a background refresh."
    if outcome.busy:
        text += f" {len(outcome.busy)} already queued or running."
    notes = [(messages.SUCCESS if outcome.queued else messages.INFO, text)]
    if outcome.failed:
        notes.append((messages.ERROR, f"{len(outcome.failed)} could not be queued: {outcome.error}"))
    return notes
