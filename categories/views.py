"""The v4 category endpoints: ``/api/v4/categories/`` and ``/api/v4/categories/<id or slug>/``."""
from django_filters.rest_framework import DjangoFilterBackend

from categories.filters import CategoryFilter
from categories.models import Category
from categories.serializers import CategorySerializer
from core.api import V4ReadOnlyViewSet


class CategoryViewSet(V4ReadOnlyViewSet):
    """Package categories, newest first; one is looked up by id or slug. ``modified_since`` lists the recently modified."""

    queryset = Category.objects.values(*CategorySerializer.columns).order_by("-id")
    document_scope = "category"
    list_scopes = ("category-list",)
    serializer_class = CategorySerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = CategoryFilter
