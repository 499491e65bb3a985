"""Reading a search query: cleaning it and splitting it web-search style, on any database.

``"quoted phrases"`` (an unbalanced quote runs to the end) and ``-exclusions`` are understood;
everything else is reduced to words (runs of letters and digits), so no operator character of
SQL, LIKE or tsquery ever reaches the database from here.
"""
import re
from dataclasses import dataclass, field

MAX_LENGTH = 200  # characters of the query that are searched; the rest is ignored
MAX_TERMS = 8  # words or phrases looked at; each one adds to the SQL, so the rest are ignored
SHORT = 3  # queries of at most this many plain words also match words by prefix

_TOKEN = re.compile(r'(-)?(?:"([^"]*)"?|([^\s"]+))')
_WORD = re.compile(r"[^\W_]+")
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")


def clean(raw: str) -> str:
    """The query as searched: control characters (NUL included) as spaces, at most 200 characters, trimmed."""
    return _UNPRINTABLE.sub(" ", raw or "")[:MAX_LENGTH].strip()


@dataclass
class ParsedQuery:
    """A query split into what must match (``include``) and what must not (``exclude``).

    Each item is a word or a phrase (words joined by one space). ``plain`` is True when the query
    has neither quotes nor exclusions.
    """

    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    plain: bool = True

    @property
    def text(self) -> str:
        """The included words as one string (for similarity and exact-title matching)."""
        return " ".join(self.include)

    @property
    def is_short(self) -> bool:
        """True for a plain query of at most ``SHORT`` words: those also match as prefixes."""
        return self.plain and 0 < len(self.include) <= SHORT


def parse(query: str) -> ParsedQuery:
    """Split a cleaned query into included and excluded words and phrases (at most ``MAX_TERMS``)."""
    parsed = ParsedQuery()
    for match in _TOKEN.finditer(query):
        if len(parsed.include) + len(parsed.exclude) >= MAX_TERMS:
            break
        negated, phrase, bare = match.groups()
        words = _WORD.findall(phrase if phrase is not None else bare)
        if phrase is not None or negated:
            parsed.plain = False
        if not words:
            continue
        if negated:
            parsed.exclude.append(" ".join(words))
        elif phrase is not None:
            parsed.include.append(" ".join(words))
        else:
            parsed.include.extend(words)
    del parsed.include[MAX_TERMS:]
    return parsed
