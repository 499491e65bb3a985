"""The v3 routes, ``/api/v3/users/...`` and ``/api/v1/...``."""
from django.urls import path, re_path

from apiv3 import views

urlpatterns = [
    path("api/v3/", views.V3RootView.as_view(), name="v3-root"),
    path("api/v3/packages/", views.PackageViewSet.as_view({"get": "list"}), name="v3-package-list"),
    path("api/v3/packages/<str:slug>/", views.PackageViewSet.as_view({"get": "retrieve"}), name="v3-package-detail"),
    path("api/v3/grids/", views.GridViewSet.as_view({"get": "list"}), name="v3-grid-list"),
    path("api/v3/grids/<str:slug>/", views.GridViewSet.as_view({"get": "retrieve"}), name="v3-grid-detail"),
    path("api/v3/grids/<str:slug>/packages/", views.GridViewSet.as_view({"get": "packages"}), name="v3-grid-packages"),
    path("api/v3/categories/", views.CategoryViewSet.as_view({"get": "list"}), name="v3-category-list"),
    path("api/v3/categories/<str:slug>/", views.CategoryViewSet.as_view({"get": "retrieve"}), name="v3-category-detail"),
    path("api/v3/users/", views.users, name="v3-user-list"),
    path("api/v3/users/<str:github_account>/", views.users, name="v3-user-detail"),
    re_path(r"^api/v1(?:/|$)", views.v1_gone, name="v1-gone"),
]
