"""URLs: the v4 API router (packages, grids, categories), the admin, and ``/`` sending to the API root."""
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from rest_framework.routers import DefaultRouter

from categories.views import CategoryViewSet
from grids.views import GridViewSet
from packages.views import PackageViewSet

router = DefaultRouter()
router.register("packages", PackageViewSet, basename="package")
router.register("grids", GridViewSet, basename="grid")
router.register("categories", CategoryViewSet, basename="category")

urlpatterns = [
    path("api/v4/", include(router.urls)),
    path("admin/", admin.site.urls),
    path("", RedirectView.as_view(url="/api/v4/", permanent=False)),
]
