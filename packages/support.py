"""Which Django and Python versions a package declares, from its PyPI classifiers and ``requires_python``.

- ``django_versions``/``python_versions``: the ``X.Y`` (or ``X``) of the ``Framework :: Django :: X.Y``
  and ``Programming Language :: Python :: X.Y`` classifiers, sorted by version;
- ``admits``: whether a PEP 440 ``requires_python`` admits some release of a series (``3`` for
  any Python 3, ``3.13`` for any 3.13.x), so ``~=3.11.4`` admits 3.11 and ``==3.12.1`` admits 3.12.
"""
import re

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

DJANGO = "Framework :: Django :: "
PYTHON = "Programming Language :: Python :: "
SERIES = re.compile(r"[0-9]+(\.[0-9]+)?")  # what a version query names: ``5.2``, ``3.13``, ``4``


def _declared(classifiers, prefix: str) -> list[str]:
    found = {c.removeprefix(prefix).strip() for c in classifiers or () if isinstance(c, str) and c.startswith(prefix)}
    return sorted((v for v in found if SERIES.fullmatch(v)), key=lambda v: tuple(int(part) for part in v.split(".")))


def django_versions(classifiers) -> list[str]:
    """``["4.2", "5.0", …]``: the Django versions ``classifiers`` (a list of str) declare, sorted by version."""
    return _declared(classifiers, DJANGO)


def python_versions(classifiers) -> list[str]:
    """``["3.12", "3.13", …]``: the Python versions ``classifiers`` declare (``X.Y`` ones and bare ``3``), sorted."""
    return _declared(classifiers, PYTHON)


def specifier_set(requires_python: str | None) -> SpecifierSet | None:
    """``requires_python`` parsed, or None when it is empty or not a valid PEP 440 specifier set."""
    try:
        specifier = SpecifierSet(requires_python or "")
    except InvalidSpecifier:
        return None
    return specifier if str(specifier) else None


def _release(text: str) -> tuple[int, ...] | None:
    try:
        return Version(text.removesuffix(".*")).release
    except InvalidVersion:
        return None


def _as_version(release: tuple[int, ...]) -> str:
    return ".".join(map(str, release))


def admits(specifier: SpecifierSet, series: tuple[int, ...]) -> bool:
    """Whether ``specifier`` admits some final release of ``series`` (``(3,)``: any 3.x; ``(3, 13)``: any 3.13.x).

    A specifier set is an intersection of intervals with holes, so if it admits a release of the
    series it admits one of these: the series' first release, or a version a clause names inside
    the series, just after it (next at its last place), or just after it one level down (``3.11.4.1``).
    """
    candidates = {series}
    for clause in specifier:
        release = _release(clause.version)
        if release is None or release[: len(series)] != series:
            continue
        candidates.add(release)
        candidates.add((*release, 1))
        if len(release) > len(series):
            candidates.add((*release[:-1], release[-1] + 1))
    return any(specifier.contains(_as_version(candidate), prereleases=True) for candidate in candidates)


def parse_series(value: str) -> tuple[int, ...] | None:
    """``"3.13"`` → ``(3, 13)``; None when ``value`` is not digits with at most one dot."""
    return tuple(int(part) for part in value.split(".")) if SERIES.fullmatch(value or "") else None
