"""The change feed, ``/api/v4/changes/?since=<cursor>&limit=<n>``: what changed, in commit order.

The triggers (``core.triggers``) record every create, update and delete of a package, grid or
category that the API shows (a grid's memberships, features and cells as updates of the grid;
a membership as an update of its package too, whose document lists its grids) as a ``Change``,
numbered in commit order. A cursor is that number as a string (opaque to clients). Changes are
kept ``CHANGE_FEED_RETENTION_DAYS`` (30) days at least: ``prune`` (run by every refresh sweep)
removes older ones, and a cursor before what it removed, or one this feed never gave (after the
head), is a 410 telling the client to import everything again.
"""
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from core.api import v4_datetime
from core.models import Change, ChangeHorizon
from core.schema import V4AutoSchema
from core.triggers import Listing

DEFAULT_LIMIT = 100
LONGEST_CURSOR = 18  # digits: every seq fits in a bigint


class FeedEntrySerializer(serializers.Serializer):
    """One change: ``cursor`` (resume after it with ``?since=``), ``kind``, the document's ``id``,
    ``op`` and ``at`` (when it was written)."""

    cursor = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=["package", "grid", "category"], read_only=True)
    id = serializers.IntegerField(read_only=True)
    op = serializers.ChoiceField(choices=["create", "update", "delete"], read_only=True)
    at = serializers.DateTimeField(read_only=True)


class FeedPageSerializer(serializers.Serializer):
    """A page of the feed: ``head`` (the latest cursor), ``next`` (this feed after the page's last
    change, or after ``since`` when the page is empty) and ``results``, oldest first."""

    head = serializers.CharField(read_only=True)
    next = serializers.URLField(read_only=True)
    results = FeedEntrySerializer(many=True, read_only=True)


class ExpiredSerializer(serializers.Serializer):
    """A 410: ``detail`` says to import everything again, then follow from ``head``."""

    detail = serializers.CharField(read_only=True)
    head = serializers.CharField(read_only=True)


def pruned_through():
    """The largest cursor (int) pruning removed, 0 when it removed none."""
    return ChangeHorizon.objects.filter(pk=1).values_list("pruned_through", flat=True).first() or 0


def head():
    """The latest cursor (int): the newest committed change's, or what pruning removed last."""
    latest = Change.objects.filter(seq__isnull=False).order_by("-seq").values_list("seq", flat=True).first()
    return max(latest or 0, pruned_through())


def changes_after(since, limit):
    """The first ``limit`` committed changes after cursor ``since`` (ints), oldest first, as
    ``(seq, kind, key, op, at)`` tuples."""
    return list(Change.objects.filter(seq__gt=since).order_by("seq").values_list("seq", "kind", "key", "op", "at")[:limit])


def prune(now=None):
    """Remove the changes older than ``CHANGE_FEED_RETENTION_DAYS`` and return how many; cursors
    up to the newest one removed then answer 410."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.CHANGE_FEED_RETENTION_DAYS)
    with transaction.atomic():
        old = Change.objects.filter(at__lt=cutoff, seq__isnull=False)
        newest = old.order_by("-seq").values_list("seq", flat=True).first()
        if newest is None:
            return 0
        removed, _ = Change.objects.filter(seq__lte=newest).delete()
        horizon, _ = ChangeHorizon.objects.get_or_create(pk=1)
        ChangeHorizon.objects.filter(pk=1).update(pruned_through=max(horizon.pruned_through, newest))
        with connection.cursor() as cursor:  # the feed's answers changed: move their ETags
            cursor.execute(Listing("changes").sql(connection.vendor, None))
    return removed


def _integer(value, name, minimum):
    """``value`` (a query parameter of ASCII digits) as an int of at least ``minimum``, or None when it
    has more digits than any cursor (it is larger than every one); a 400 naming ``name`` otherwise."""
    if not (value.isascii() and value.isdigit()):
        raise serializers.ValidationError({name: [f"Enter a whole number of at least {minimum}."]})
    digits = value.lstrip("0") or "0"
    if len(digits) > LONGEST_CURSOR:
        return None
    if int(digits) < minimum:
        raise serializers.ValidationError({name: [f"Enter a whole number of at least {minimum}."]})
    return int(digits)


class ChangeFeedSchema(V4AutoSchema):
    """The v4 statuses and validators, without the 404 of a detail (the feed has no lookup)."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        responses.pop("404", None)
        return responses


class ChangeFeedView(GenericAPIView):
    """Every change of a package, grid or category, in commit order: ask again with `since` set to
    the last `cursor` you have (the `next` link) to get what changed after it. A `410` means the
    cursor is older than the feed keeps: import everything again, then follow from its `head`."""

    queryset = Change.objects.none()
    schema = ChangeFeedSchema()
    list_scopes = ("changes",)
    scopes_cover_details = True  # every answer draws on the feed alone (core.conditional)
    pagination_class = None
    filter_backends = []

    @extend_schema(
        operation_id="changes_list",
        summary="What changed, in commit order",
        parameters=[
            OpenApiParameter(
                "since", {"type": "string", "pattern": "^[0-9]+$"}, description="A cursor from this feed (a change's `cursor`, or `head`): the changes after it. "
                "Without it, the answer lists nothing and gives the head to start from.",
            ),
            OpenApiParameter(
                "limit", {"type": "string", "pattern": "^[0-9]*[1-9][0-9]*$"}, description=f"How many changes at most, 1 or more (default {DEFAULT_LIMIT}; more than "
                f"{settings.API_MAX_PAGE_SIZE} is cut to {settings.API_MAX_PAGE_SIZE}).",
            ),
        ],
        responses={
            200: FeedPageSerializer,
            400: {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}, "minProperties": 1},
            410: ExpiredSerializer,
        },
    )
    def get(self, request, *args, **kwargs):
        """A page of the feed (``FeedPageSerializer``), a 400 naming a bad parameter, or a 410."""
        since_text, limit_text = request.query_params.get("since", ""), request.query_params.get("limit", "")
        since = _integer(since_text, "since", 0) if since_text else None
        limit = _integer(limit_text, "limit", 1) if limit_text else DEFAULT_LIMIT
        limit = min(limit or settings.API_MAX_PAGE_SIZE, settings.API_MAX_PAGE_SIZE)
        latest = head()
        if since_text and (since is None or since > latest or since < pruned_through()):
            return Response(
                {
                    "detail": f"This cursor is not in the feed, which keeps {settings.CHANGE_FEED_RETENTION_DAYS} days of changes: "
                    "import everything again, then follow the feed from its head.",
                    "head": str(latest),
                },
                status=status.HTTP_410_GONE,
            )
        rows = changes_after(since, limit) if since is not None else []
        last = rows[-1][0] if rows else (since if since is not None else latest)
        return Response(
            {
                "head": str(latest),
                "next": replace_query_param(request.build_absolute_uri(), "since", str(last)),
                "results": [
                    {"cursor": str(seq), "kind": kind, "id": key, "op": op, "at": v4_datetime(at)} for seq, kind, key, op, at in rows
                ],
            }
        )
