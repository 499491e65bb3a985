"""The v4 search result item (SPEC §1 "Search result"): upstream's keys in upstream's order."""
import emoji
from rest_framework import serializers

from core.api import V4DateTimeField, v4_datetime
from search.models import SearchEntry


class EmojiTextField(serializers.CharField):
    """Text with emoji shortcodes (``:gear:``, GitHub aliases too) rendered as the emoji."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return emoji.emojize(value, language="alias")


class SearchResultSerializer(serializers.ModelSerializer):
    """One package or grid found by search.

    ``title_no_prefix`` and ``clean_title`` repeat ``title``; ``slug_no_prefix`` repeats ``slug``;
    ``category`` is the category title (``""`` for grids); datetimes are New York time.
    """

    description = EmojiTextField()
    title = EmojiTextField()
    title_no_prefix = EmojiTextField(source="title")
    slug_no_prefix = serializers.CharField(source="slug", read_only=True)
    clean_title = EmojiTextField(source="title")
    created = V4DateTimeField()
    modified = V4DateTimeField()
    last_committed = V4DateTimeField(allow_null=True)
    last_released = V4DateTimeField(allow_null=True)

    class Meta:
        model = SearchEntry
        fields = [
            "description",
            "title",
            "title_no_prefix",
            "slug_no_prefix",
            "clean_title",
            "absolute_url",
            "created",
            "modified",
            "weight",
            "item_type",
            "slug",
            "category",
            "repo_watchers",
            "repo_forks",
            "pypi_downloads",
            "score",
            "usage",
            "participants",
            "last_committed",
            "last_released",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        """The item in upstream's key order, built directly (the declared fields describe it)."""
        title = emoji.emojize(instance.title, language="alias")
        return {
            "description": emoji.emojize(instance.description, language="alias"),
            "title": title,
            "title_no_prefix": title,
            "slug_no_prefix": instance.slug,
            "clean_title": title,
            "absolute_url": instance.absolute_url,
            "created": v4_datetime(instance.created),
            "modified": v4_datetime(instance.modified),
            "weight": instance.weight,
            "item_type": instance.item_type,
            "slug": instance.slug,
            "category": instance.category,
            "repo_watchers": instance.repo_watchers,
            "repo_forks": instance.repo_forks,
            "pypi_downloads": instance.pypi_downloads,
            "score": instance.score,
            "usage": instance.usage,
            "participants": instance.participants,
            "last_committed": v4_datetime(instance.last_committed),
            "last_released": v4_datetime(instance.last_released),
        }
