"""The HTML documentation pages of the API (Swagger UI, ReDoc), answering OPTIONS as plain Django views do.

drf-spectacular's views render every answer with their page template, OPTIONS included: DRF's
OPTIONS metadata has no template (a 500 for Swagger UI) or fills the page with nonsense (ReDoc).
Here OPTIONS is a bodiless 200 naming the allowed methods, as Django's ``View.options`` gives.
"""
from django.views import View
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView


class PlainOptionsMixin:
    """OPTIONS answered by Django's ``View.options``: 200, ``Allow``, no body and no renderer."""

    def options(self, request, *args, **kwargs):
        """The bodiless OPTIONS answer."""
        return View.options(self, request, *args, **kwargs)


class SwaggerView(PlainOptionsMixin, SpectacularSwaggerView):
    """Swagger UI on the API's schema."""


class RedocView(PlainOptionsMixin, SpectacularRedocView):
    """ReDoc on the API's schema."""
