"""The v4 package endpoints: ``/api/v4/packages/``, ``/api/v4/packages/<id or slug>/`` and its ``facts/``."""
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import V4ReadOnlyViewSet
from packages.filters import PackageFilter
from packages.models import Package
from packages.serializers import PackageFactsSerializer, PackageSerializer


class PackageViewSet(V4ReadOnlyViewSet):
    """Django packages, newest first; one is looked up by id or slug. Lists filter by category, grid,
    repository host, archived state, PyPI release, Django and Python support, maintenance, known
    vulnerabilities, licence and dates, and sort by ``ordering``. ``facts`` is a package's full record."""

    view_description = "API endpoint that allows packages to be viewed or edited."
    document_scope = "package"
    list_scopes = ("package-list",)
    action_scopes = {"facts": "package-facts"}
    serializer_class = PackageSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PackageFilter
    # Rows of the served columns (the latest version's number joined); the serializer adds the
    # grid memberships with one query per page.
    queryset = Package.objects.values(*PackageSerializer.columns).order_by("-id")

    def get_queryset(self):
        if self.action == "facts":
            return Package.objects.with_facts()
        return super().get_queryset()

    @extend_schema(
        summary="A package's full record",
        description="What the package supports (Django and Python versions, requires_python), its licence, releases, "
        "repository, activity, the known vulnerabilities of its latest release, its score and its refresh state. "
        "Datetimes as in the v4 documents; facts not known are null.",
        filters=False,
    )
    @action(detail=True, serializer_class=PackageFactsSerializer, filter_backends=[])
    def facts(self, request, *args, **kwargs):
        """The package's facts (``PackageFactsSerializer``)."""
        return Response(self.get_serializer(self.get_object()).data)

    def get_extra_action_url_map(self):
        """No "Extra Actions" menu: the browsable package page stays the original's byte for byte."""
        return {}
