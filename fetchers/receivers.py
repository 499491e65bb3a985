"""The refresh pipeline's answer to the package admin's "Refresh now" and to a package added there
(``packages.signals.refresh_requested``): what happened to each package, as admin messages."""
from django.conf import settings
from django.contrib import messages
from django.dispatch import receiver

from fetchers.tasks import refresh_now as start_refreshes
from packages.models import Package
from packages.signals import refresh_requested


@receiver(refresh_requested, dispatch_uid="fetchers-refresh-now")
def refresh_now(sender, ids, **kwargs):
    """Refresh the packages ``ids`` (``fetchers.tasks.refresh_now``) and return ``[(level, text)]``
    saying what became of each: refreshed (what changed) or failed (the error), still running,
    queued, already queued or running, or not queued and why."""
    outcome = start_refreshes(ids)
    titles = dict(Package.objects.filter(pk__in=ids).values_list("pk", "title"))
    notes = [_done(titles.get(pk, f"Package {pk}"), result) for pk, result in outcome.done.items()]
    if outcome.running:
        notes.append((messages.INFO, (
            f"{_names(outcome.running, titles)}: still refreshing after {settings.REFRESH_NOW_WAIT_SECONDS:g} s; "
            "the fetch state will show the outcome."
        )))
    if outcome.queued or not (outcome.done or outcome.running or outcome.busy):
        notes.append((messages.SUCCESS if outcome.queued else messages.INFO,
                      f"{len(outcome.queued)} package(s) queued for a background refresh."))
    if outcome.busy:
        notes.append((messages.INFO, f"{len(outcome.busy)} already queued or running: {_names(outcome.busy, titles)}."))
    if outcome.failed:
        notes.append((messages.ERROR, f"{len(outcome.failed)} could not be queued: {outcome.error}"))
    return notes


def _done(title, result):
    """The message of one package refreshed at once: what changed, or what failed."""
    if result is None:
        return messages.WARNING, f"{title} was deleted before it was refreshed."
    changed = ", ".join(result["changed"]) or "nothing"
    if result["errors"]:
        errors = "; ".join(result["errors"])
        if result["changed"]:
            return messages.WARNING, f"Refreshed {title} in part ({changed} changed); failed: {errors}"
        return messages.ERROR, f"Refresh of {title} failed: {errors}"
    return messages.SUCCESS, f"Refreshed {title}: {changed} changed."


def _names(ids, titles):
    return ", ".join(titles.get(pk, f"Package {pk}") for pk in ids)
