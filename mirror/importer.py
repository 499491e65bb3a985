"""Writing v4 documents (as djangopackages.org serves them) into our tables.

``import_document(kind, data)`` validates one document and creates or updates its row, keeping
ids, slugs and every timestamp exactly as given. It raises ``InvalidDocument`` (and writes
nothing) when a key is missing, mistyped or a link is not a v4 URL, and ``Conflict`` when the
document's id is another slug's here or its slug another id's: once held, an id keeps its slug.
Linked grids and categories that do not exist yet become placeholder rows (``is_placeholder``)
until their own document arrives. Re-importing an unchanged document writes nothing.
"""
import re
from datetime import UTC

from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, Value
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from categories.models import Category
from core.api import MAX_ID
from grids.models import Grid, GridPackage
from packages.models import Package, Version

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


class InvalidDocument(Exception):
    """A document that cannot be imported; the message names the key and the reason."""


class Conflict(InvalidDocument):
    """A document that would change the identity of a row we hold: its id is another slug's
    here, or its slug another id's. The message starts with ``conflict:`` and names both."""


def _link(kind):
    pattern = re.compile(rf"^https?://[^/\s]+(?:/[^\s?#]*)?/api/v4/{kind}/(\d+)/(?:\?format=api)?$")

    def parse(value):
        match = pattern.match(value) if isinstance(value, str) else None
        if not match:
            raise ValueError(f"not a v4 {kind} URL: {value!r}")
        return _id(int(match.group(1)))

    return parse


def _typed(*types):
    def parse(value):
        # bool is an int in Python; a JSON true is never a count.
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise ValueError(f"expected {' or '.join(t.__name__ for t in types)}, got {type(value).__name__}")
        # PostgreSQL cannot store a NUL byte in text.
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("text holds a NUL byte")
        return value

    return parse


def _datetime(value):
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None or parsed.tzinfo is None:
        raise ValueError(f"not an ISO 8601 datetime with an offset: {value!r}")
    try:
        return parsed.astimezone(UTC)  # stored in UTC: refuse one that does not fit there
    except OverflowError:
        raise ValueError(f"not a datetime between the years 1 and 9999 in UTC: {value!r}") from None


def _nullable(parse):
    return lambda value: None if value is None else parse(value)


def _list_of(parse):
    return lambda value: [parse(item) for item in _typed(list)(value)]


def _integer(low, high, what):
    typed = _typed(int)

    def parse(value):
        value = typed(value)
        if not low <= value <= high:
            raise ValueError(f"{what} out of range: {value}")
        return value

    return parse


_id = _integer(1, MAX_ID, "id")  # ids are BigAutoFields
_count = _integer(-(2**31), 2**31 - 1, "count")  # counts are IntegerFields
_str = _typed(str)
_bool = _typed(bool)

SCHEMAS = {
    "categories": {
        "id": _id, "title": _str, "slug": _str, "description": _str, "title_plural": _str,
        "show_pypi": _bool, "created": _datetime, "modified": _datetime,
    },
    "grids": {
        "id": _id, "title": _str, "slug": _str, "description": _str, "is_locked": _bool,
        "packages": _list_of(_link("packages")), "header": _bool, "created": _datetime, "modified": _datetime,
    },
    "packages": {
        "category": _link("categories"), "grids": _list_of(_link("grids")), "id": _id, "title": _str,
        "slug": _str, "last_updated": _nullable(_datetime), "last_fetched": _nullable(_datetime),
        "repo_url": _str, "pypi_version": _nullable(_str), "created": _datetime, "modified": _datetime,
        "repo_forks": _count, "repo_description": _nullable(_str), "pypi_url": _str,
        "documentation_url": _nullable(_str), "repo_watchers": _count, "commits_over_52": _list_of(_typed(int)),
        "participants": lambda value: _names(_list_of(_str)(value)),
    },
}


def _names(names):
    """Contributor names stripped, blank ones dropped (as the original stores them)."""
    return [name.strip() for name in names if name.strip()]


def validate(kind, data):
    """Return the document's values parsed (links become ids, datetimes aware datetimes).

    Raises ``InvalidDocument`` naming the first missing or bad key.
    """
    if not isinstance(data, dict):
        raise InvalidDocument(f"not a JSON object but {type(data).__name__}")
    values = {}
    for key, parse in SCHEMAS[kind].items():
        if key not in data:
            raise InvalidDocument(f"missing key {key!r}")
        try:
            values[key] = parse(data[key])
        except ValueError as err:
            raise InvalidDocument(f"key {key!r}: {err}") from None
    if not values["slug"]:
        raise InvalidDocument("slug must be non-empty")
    return values


def _check_identity(model, ident, slug):
    """Raise ``Conflict`` unless row ``ident`` is absent, a placeholder (or one still holding its
    placeholder slug) or already ``slug``, and
    no other row holds ``slug``: an import never moves a slug from one id to another."""
    placeholders = any(f.name == "is_placeholder" for f in model._meta.fields)
    for pk, held, is_placeholder in model.objects.filter(Q(pk=ident) | Q(slug=slug)).values_list(
        "pk", "slug", "is_placeholder" if placeholders else Value(False)
    ):
        if pk != ident:
            raise Conflict(f"conflict: slug {slug!r} is id {pk} here, the document says {ident}")
        # an editor may have made a placeholder a real row (admin save) without renaming its slug
        unrenamed = held == f"placeholder-{model._meta.model_name}-{ident}"
        if held != slug and not (is_placeholder or unrenamed):
            raise Conflict(f"conflict: id {ident} is {held!r} here, the document says {slug!r}")


def _write(model, ident, fields):
    """Create row ``ident`` or update it with ``fields``; returns CREATED, UPDATED or UNCHANGED."""
    obj = model.objects.filter(pk=ident).first()
    if obj is None:
        obj = model(pk=ident, **fields)
        changed = None
    else:
        changed = [name for name, value in fields.items() if getattr(obj, name) != value]
        if not changed:
            return UNCHANGED
        for name in changed:
            setattr(obj, name, fields[name])
    # Field-level checks (lengths, URL and slug shapes); uniqueness is left to the database.
    obj.full_clean(validate_unique=False, validate_constraints=False)
    obj.save(touch=False, force_insert=changed is None, update_fields=changed)
    return CREATED if changed is None else UPDATED


def _placeholder(model, ident, label, **extra):
    """Make sure row ``ident`` exists; a missing one becomes an obvious placeholder."""
    now = timezone.now()
    model.objects.get_or_create(
        pk=ident,
        defaults={
            "title": f"Placeholder {label} {ident}",
            "slug": f"placeholder-{label}-{ident}",
            "is_placeholder": True,
            "created": now,
            "modified": now,
            **extra,
        },
    )


def _import_category(v):
    return _write(Category, v["id"], {
        "title": v["title"], "slug": v["slug"], "description": v["description"],
        "title_plural": v["title_plural"], "show_pypi": v["show_pypi"], "created": v["created"],
        "modified": v["modified"], "is_placeholder": False,
    })


def _import_grid(v):
    outcome = _write(Grid, v["id"], {
        "title": v["title"], "slug": v["slug"], "description": v["description"], "is_locked": v["is_locked"],
        "header": v["header"], "created": v["created"], "modified": v["modified"], "is_placeholder": False,
    })
    # Link the listed packages we hold; packages imported later link themselves.
    known = set(Package.objects.filter(pk__in=v["packages"]).values_list("pk", flat=True))
    linked = set(GridPackage.objects.filter(grid_id=v["id"]).values_list("package_id", flat=True))
    missing = [pk for pk in v["packages"] if pk in known and pk not in linked]
    GridPackage.objects.bulk_create(GridPackage(grid_id=v["id"], package_id=pk) for pk in missing)
    return UPDATED if missing and outcome == UNCHANGED else outcome


def _import_package(v):
    _placeholder(Category, v["category"], "category")
    for grid_id in v["grids"]:
        _placeholder(Grid, grid_id, "grid")
    fields = {
        "category_id": v["category"], "title": v["title"], "slug": v["slug"],
        "last_commit_date": v["last_updated"], "last_fetched": v["last_fetched"], "repo_url": v["repo_url"],
        "created": v["created"], "modified": v["modified"], "repo_forks": v["repo_forks"],
        "repo_description": v["repo_description"] or "", "pypi_url": v["pypi_url"],
        "documentation_url": v["documentation_url"], "repo_watchers": v["repo_watchers"],
        "commits_over_52": v["commits_over_52"], "participants": v["participants"],
    }
    outcome = _write(Package, v["id"], fields)
    package = Package.objects.get(pk=v["id"])
    latest = None
    if v["pypi_version"] is not None:
        latest, _ = Version.objects.get_or_create(package=package, number=v["pypi_version"])
    if package.latest_version_id != (latest.pk if latest else None):
        package.latest_version = latest
        package.save(touch=False, update_fields=["latest_version"])
        outcome = outcome if outcome != UNCHANGED else UPDATED
    if _link_grids(package.pk, v["grids"]) and outcome == UNCHANGED:
        outcome = UPDATED
    return outcome


def _link_grids(package_id, grid_ids):
    """Make the package's memberships exactly ``grid_ids``, in that order (their ``position``).

    Memberships still listed are kept, with their grid cells, and only renumbered when the order
    changed; those no longer listed are deleted, new ones created. Returns True if anything changed.
    """
    current = {gp.grid_id: gp for gp in GridPackage.objects.filter(package_id=package_id)}
    wanted = list(dict.fromkeys(grid_ids))
    if list(current) == wanted:
        return False
    GridPackage.objects.filter(pk__in=[gp.pk for g, gp in current.items() if g not in wanted]).delete()
    moved, added = [], []
    for position, grid_id in enumerate(wanted):
        membership = current.get(grid_id)
        if membership is None:
            added.append(GridPackage(grid_id=grid_id, package_id=package_id, position=position))
        elif membership.position != position:
            membership.position = position
            moved.append(membership)
    GridPackage.objects.bulk_update(moved, ["position"])
    GridPackage.objects.bulk_create(added)
    return True


_IMPORTERS = {"categories": _import_category, "grids": _import_grid, "packages": _import_package}
_MODELS = {"categories": Category, "grids": Grid, "packages": Package}


def import_document(kind, data):
    """Validate and write one document of ``kind`` in its own transaction.

    Returns CREATED, UPDATED or UNCHANGED. Raises ``Conflict`` for a document that would change
    a row's identity (id and slug), ``InvalidDocument`` for a malformed one or one that clashes
    with another row otherwise (a repo_url already taken); nothing is written then.
    """
    values = validate(kind, data)
    try:
        with transaction.atomic():
            _check_identity(_MODELS[kind], values["id"], values["slug"])
            return _IMPORTERS[kind](values)
    except (IntegrityError, ValidationError) as err:
        raise InvalidDocument(f"cannot be stored: {err}") from None


def reset_id_sequences():
    """Move the id sequences past the ids an import wrote, so that new rows get fresh ids
    (PostgreSQL; SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), [Category, Grid, Package])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
