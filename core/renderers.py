"""The browsable API's renderer: DRF's, plus a link to the admin page of the shown row for editors."""
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from rest_framework import renderers

from core.viewers import is_editor


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's browsable API; a page showing one row (a ``retrieve`` with an ``id``) to an editor
    (``core.viewers.is_editor``) gets ``admin_url``, its admin change page, which the navigation
    bar links to. Anyone else's page is DRF's, unchanged."""

    def get_context(self, data, accepted_media_type, renderer_context):
        """DRF's context with ``admin_url`` (a path, or None)."""
        context = super().get_context(data, accepted_media_type, renderer_context)
        context["admin_url"] = None
        if is_editor(renderer_context["request"]):
            context["admin_url"] = admin_change_url(renderer_context["view"], data)
        return context


def admin_change_url(view, data):
    """The admin change page of the row a ``retrieve`` of ``view`` shows as ``data``, or None
    (another action, no ``id``, or a model the admin does not hold)."""
    queryset = getattr(view, "queryset", None)
    if getattr(view, "action", None) != "retrieve" or queryset is None or not isinstance(data, dict) or "id" not in data:
        return None
    opts = queryset.model._meta
    if not admin.site.is_registered(queryset.model):
        return None
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[data["id"]])
    except NoReverseMatch:
        return None
