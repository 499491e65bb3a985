"""URLs: the v4 API router, its OpenAPI schema and docs, v3 (``apiv3.urls``), ``/healthz``, the admin, and ``/`` sending to the API root."""
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from categories.views import CategoryViewSet
from core.changes import ChangeFeedView
from core.docs import RedocView, SwaggerView
from core.health import healthz
from grids.views import GridViewSet
from packages.views import PackageViewSet
from search.views import SearchViewSet

router = DefaultRouter()
router.register("packages", PackageViewSet, basename="package")
router.register("search", SearchViewSet, basename="search")
router.register("grids", GridViewSet, basename="grid")
router.register("categories", CategoryViewSet, basename="category")

admin.site.site_header = admin.site.site_title = "djpackages administration"

handler404 = "core.errors.not_found"
handler500 = "core.errors.server_error"

urlpatterns = [
    path("api/v4/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/v4/schema/swagger-ui/", SwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/v4/schema/redoc/", RedocView.as_view(url_name="schema"), name="redoc"),
    path("api/v4/changes/", ChangeFeedView.as_view(), name="change-feed"),  # not in the API root
    path("api/v4/", include(router.urls)),
    path("", include("apiv3.urls")),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", RedirectView.as_view(url="/api/v4/", permanent=False)),
]
