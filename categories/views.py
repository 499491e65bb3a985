"""The v4 category endpoints: ``/api/v4/categories/`` and ``/api/v4/categories/<id or slug>/``."""
from categories.models import Category
from categories.serializers import CategorySerializer
from core.api import V4ReadOnlyViewSet


class CategoryViewSet(V4ReadOnlyViewSet):
    """Package categories, newest first; one is looked up by id or slug."""

    queryset = Category.objects.values(*CategorySerializer.columns).order_by("-id")
    document_scope = "category"
    list_scopes = ("category-list",)
    serializer_class = CategorySerializer
