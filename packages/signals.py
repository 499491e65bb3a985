"""Signals the packages app sends to the apps above it (which it may not import)."""
from django.dispatch import Signal

# Sent by the admin's "Refresh now" action with ``ids`` (a list of package ids). A receiver (the
# refresh pipeline's) starts the refreshes and returns ``[(messages level, text), ...]`` to show the editor.
refresh_requested = Signal()
