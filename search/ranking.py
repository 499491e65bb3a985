"""Finding and ranking search entries for a query: full-text on PostgreSQL, a simpler portable ranking elsewhere.

PostgreSQL: the weighted ``document`` matched by ``websearch_to_tsquery`` (phrases,
``-exclusion``), short plain queries also by prefix; then, to fill up to 20, titles and slugs by
trigram word similarity (misspellings). Rank = scaled text rank + share of the best similarity +
exact title/slug bonus + weight share (the similarity share re-ranks the best text matches only).

Elsewhere (SQLite): every included word or phrase must appear in the title, slug, description,
category or participants (substring, so prefixes too), excluded ones nowhere in the first three;
rank = points per field matched (title > slug > description > category/participants) + bonuses
+ weight share.
"""
from functools import reduce
from operator import and_, or_

from django.db import connection
from django.db.models import Case, F, FloatField, Q, Value, When
from django.db.models.functions import Cast, Greatest

from search.models import SearchEntry
from search.query import ParsedQuery, clean, parse

LIMIT = 20
ORDER = ["-rank", "-weight", "id"]
# PostgreSQL: ts_rank gives ~0.61 for one title word (A), 0.24 slug (B), 0.12 description (C);
# doubled, a title match (~1.2) outweighs any weight share, a slug match most of them.
TEXT_RANK_SCALE = 2.0
SIMILARITY_SHARE = 0.2
EXACT_BONUS = 1.0  # a title or slug equal to the query comes first
WEIGHT_SHARE = 0.3  # a weight of 100 adds this much to the rank
CANDIDATES_PER_RESULT = 5  # text matches re-ranked with trigram similarity, per result asked for
PORTABLE_POINTS = [("title", 8.0), ("slug", 4.0), ("description", 2.0), ("category", 1.0), ("participants", 1.0)]
PORTABLE_EXACT_BONUS = 16.0
PORTABLE_PREFIX_BONUS = 4.0  # title starting with the query
PORTABLE_WEIGHT_SHARE = 2.0


def search(raw_query: str, limit: int = LIMIT) -> list[SearchEntry]:
    """The best ``limit`` entries for ``raw_query``; ``[]`` when it has no word to look for."""
    parsed = parse(clean(raw_query))
    if not parsed.include:
        return []
    if connection.vendor == "postgresql":
        return _postgres_search(parsed, limit)
    return list(_portable_ranked(parsed).order_by(*ORDER)[:limit])


def _weight_share(share: float):
    return Cast(F("weight"), FloatField()) * Value(share / 100)


def _exact(parsed: ParsedQuery) -> Q:
    return Q(title__iexact=parsed.text) | Q(slug__iexact=parsed.text.replace(" ", "-"))


def _portable_ranked(parsed: ParsedQuery):
    fields = [name for name, _ in PORTABLE_POINTS]
    found = [reduce(or_, (Q(**{f"{name}__icontains": term}) for name in fields)) for term in parsed.include]
    hidden = [Q(title__icontains=t) | Q(slug__icontains=t) | Q(description__icontains=t) for t in parsed.exclude]
    points = [
        Case(When(Q(**{f"{name}__icontains": term}), then=Value(value)), default=Value(0.0))
        for term in parsed.include
        for name, value in PORTABLE_POINTS
    ]
    bonuses = [
        Case(When(_exact(parsed), then=Value(PORTABLE_EXACT_BONUS)), default=Value(0.0)),
        Case(When(title__istartswith=parsed.text, then=Value(PORTABLE_PREFIX_BONUS)), default=Value(0.0)),
    ]
    rank = reduce(lambda a, b: a + b, points + bonuses + [_weight_share(PORTABLE_WEIGHT_SHARE)])
    queryset = SearchEntry.objects.filter(reduce(and_, found))
    if hidden:
        queryset = queryset.exclude(reduce(or_, hidden))
    return queryset.annotate(rank=rank)


def _postgres_search(parsed: ParsedQuery, limit: int) -> list[SearchEntry]:
    """Text matches first; when they are fewer than ``limit``, titles and slugs similar to the query.

    Queries served by GIN indexes: with ``text OR similar`` in one query the
    planner scans the whole table for common words, computing trigram similarity on every row.
    Trigram similarity costs far more than the text rank, so text matches are first ranked
    without it and only the best ``CANDIDATES_PER_RESULT × limit`` get their similarity share.
    """
    from django.contrib.postgres.lookups import TrigramWordSimilar
    from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity

    from search.postgres import CONFIG, Document

    words = SearchQuery(_websearch_text(parsed), search_type="websearch", config=CONFIG)
    if parsed.is_short:
        prefixes = " & ".join(f"{word}:*" for word in parsed.include)
        words = words | SearchQuery(prefixes, search_type="raw", config=CONFIG)
    similarity = Greatest(TrigramWordSimilarity(parsed.text, "title"), TrigramWordSimilarity(parsed.text, "slug"))
    base_rank = (
        SearchRank(Document(), words) * Value(TEXT_RANK_SCALE)
        + Case(When(_exact(parsed), then=Value(EXACT_BONUS)), default=Value(0.0))
        + _weight_share(WEIGHT_SHARE)
    )
    entries = SearchEntry.objects.alias(document=Document())
    for term in parsed.exclude:
        entries = entries.exclude(document=SearchQuery(term, search_type="phrase", config=CONFIG))
    candidates = entries.filter(document=words).annotate(base_rank=base_rank).order_by("-base_rank", "-weight", "id")
    # Ids first (``Document`` names the outer table, so it cannot sit in a subquery).
    ids = list(candidates.values_list("pk", flat=True)[: CANDIDATES_PER_RESULT * limit])
    best = SearchEntry.objects.filter(pk__in=ids).alias(document=Document())
    found = list(best.annotate(rank=base_rank + similarity * Value(SIMILARITY_SHARE)).order_by(*ORDER)[:limit])
    if len(found) < limit:
        similar = Q(TrigramWordSimilar(F("title"), parsed.text)) | Q(TrigramWordSimilar(F("slug"), parsed.text))
        ranked = entries.annotate(rank=base_rank + similarity * Value(SIMILARITY_SHARE))
        found += ranked.filter(similar).exclude(document=words).order_by(*ORDER)[: limit - len(found)]
    return found


def _websearch_text(parsed: ParsedQuery) -> str:
    """The parsed query rebuilt for ``websearch_to_tsquery`` from words only."""
    included = [f'"{term}"' if " " in term else term for term in parsed.include]
    excluded = [f'-"{term}"' for term in parsed.exclude]
    return " ".join(included + excluded)
