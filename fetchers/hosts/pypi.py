"""PyPI JSON API client: release facts of a project, from ``GET {PYPI_JSON_URL}/<name>/json``.

One call a refresh (a 304 when nothing was released). Where each fact comes from:

- ``latest_version``: PyPI's own choice, ``info.version``, when that release is listed and valid
  PEP 440, yanked or not (PyPI names a yanked one only when every release is yanked); else the
  release PyPI would choose: among valid releases with files, not yanked before yanked, final
  before pre-release, then the highest;
- ``releases``: one ``Release`` per key of ``releases`` (every number as published, valid PEP 440
  or not), upload time = the earliest file's ``upload_time_iso_8601``, else its ``upload_time``
  (naive UTC; older documents have it alone), yanked = every file yanked;
- ``license``: ``info.license_expression`` (PEP 639), else ``info.license`` (the full text as
  written, ``UNKNOWN`` ignored), else the ``License ::`` classifiers' last parts, comma-joined;
- ``classifiers``, ``requires_python`` (``info``), ``development_status`` (the
  ``Development Status ::`` classifier's last part, e.g. ``5 - Production/Stable``);
- ``supports_python3``: whether ``requires_python`` admits some Python 3 release (any 3.x.y, so
  ``~=3.11.4`` and ``==3.12.1`` do; ``packages.support.admits``), else whether a
  ``Programming Language :: Python :: 3`` classifier is present (False when only Python 2 ones
  are), else None;
- ``vulnerabilities``: the top-level ``vulnerabilities`` of the latest release (OSV entries PyPI
  lists), withdrawn ones left out, each as ``{"id", "aliases", "summary", "fixed_in", "link"}``
  (``aliases`` and ``fixed_in`` lists of str, the others str or None); ``[]`` when PyPI lists
  none, None when the answer has no such list;
- ``documentation_url``: ``info.docs_url``, else the ``Documentation`` or ``Docs`` project URL.

Null or missing fields give None ("not known"). PyPI gives no download counts any more.
"""
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from fetchers.facts import dig, flag, moment, obj, text
from fetchers.http.client import Api, HttpClient
from packages.support import admits, specifier_set

NAME = re.compile(r"[A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9]", re.IGNORECASE)  # PEP 508 project names
PYPI_HOSTS = frozenset({"pypi.org", "pypi.python.org"})
DOCUMENTATION_KEYS = ("documentation", "docs")


@dataclass
class Release:
    """One release number: ``upload_time`` (aware UTC, None without files) and ``yanked``."""

    number: str
    upload_time: datetime | None
    yanked: bool


@dataclass
class PypiFacts:
    """What PyPI says about a project (see the module docstring for each field's source)."""

    latest_version: str | None
    releases: list[Release]
    license: str | None
    classifiers: list[str] | None
    requires_python: str | None
    supports_python3: bool | None
    development_status: str | None
    documentation_url: str | None
    vulnerabilities: list[dict] | None = None


def project_name(pypi_url: str) -> str | None:
    """The PyPI project name in ``pypi_url``: a bare name, ``pypi.python.org/pypi/<name>[/…]`` or
    ``pypi.org/project/<name>[/…]`` with or without a scheme, or such a URL after one of those
    prefixes (``http://pypi.python.org/pypi/https://pypi.org/project/<name>/``, as upstream once
    stored); None for anything else, the empty string included."""
    value = (pypi_url or "").strip()
    if NAME.fullmatch(value):
        return value
    try:
        parts = urlsplit(value if "://" in value else f"https://{value}")
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:
        return None
    segments = [segment for segment in parts.path.split("/") if segment]
    if host not in PYPI_HOSTS or len(segments) < 2 or segments[0] not in ("pypi", "project"):
        return None
    if NAME.fullmatch(segments[1]):
        return segments[1]
    return project_name(parts.path.lstrip("/").split("/", 1)[1])


def fetch(name: str, client: HttpClient) -> PypiFacts:
    """Facts of the PyPI project ``name`` (any spelling PyPI normalises to the same project).

    Raises ``NotFound`` for an unknown project, ``BadResponse`` when the answer has no ``info``
    object, and the other ``fetchers.http.errors`` of ``HttpClient.get_json``.
    """
    pypi = Api(settings.PYPI_JSON_URL)
    data = obj(client.get_json(pypi.url(f"{canonicalize_name(name)}/json"), api=pypi).data, "a PyPI project")
    info = obj(data.get("info"), "PyPI project info")
    files_by_number = data.get("releases")
    if not isinstance(files_by_number, dict):  # only the latest release's files are given
        files_by_number = {text(info, "version"): data.get("urls")} if text(info, "version") else {}
    releases = [_release(number, files) for number, files in files_by_number.items()]
    classifiers = dig(info, "classifiers")
    classifiers = [c for c in classifiers if isinstance(c, str)] if isinstance(classifiers, list) else None
    requires_python = (text(info, "requires_python") or "").strip() or None
    return PypiFacts(
        latest_version=_latest(info, releases),
        releases=releases,
        license=_license(info, classifiers or []),
        classifiers=classifiers,
        requires_python=requires_python,
        supports_python3=_supports_python3(requires_python, classifiers or []),
        development_status=next(iter(_classifier_tails(classifiers or [], "Development Status")), None),
        documentation_url=_documentation_url(info),
        vulnerabilities=_vulnerabilities(data.get("vulnerabilities")),
    )


def _release(number: str, files) -> Release:
    files = [file for file in files if isinstance(file, dict)] if isinstance(files, list) else []
    times = [when for when in (moment(file, "upload_time_iso_8601") or moment(file, "upload_time") for file in files) if when]
    return Release(number, min(times, default=None), bool(files) and all(flag(file, "yanked") for file in files))


def _version(number: str | None) -> Version | None:
    try:
        return Version(number)
    except (InvalidVersion, TypeError):
        return None


def _latest(info: dict, releases: list[Release]) -> str | None:
    number = text(info, "version")
    if _version(number) and any(release.number == number for release in releases):
        return number
    candidates = [(version, release) for release in releases if release.upload_time and (version := _version(release.number))]
    best = max(candidates, key=lambda candidate: (not candidate[1].yanked, not candidate[0].is_prerelease, candidate[0]), default=None)
    return best[1].number if best else None


def _classifier_tails(classifiers: list[str], topic: str) -> list[str]:
    prefix = f"{topic} :: "
    return [classifier.rsplit(" :: ", 1)[-1] for classifier in classifiers if classifier.startswith(prefix)]


def _license(info: dict, classifiers: list[str]) -> str | None:
    for key in ("license_expression", "license"):
        value = (text(info, key) or "").strip()
        if value and value.upper() != "UNKNOWN":
            return value
    names = [name for name in _classifier_tails(classifiers, "License") if name != "OSI Approved"]
    return ", ".join(dict.fromkeys(names)) or None


def _supports_python3(requires_python: str | None, classifiers: list[str]) -> bool | None:
    if specifier := specifier_set(requires_python):
        return admits(specifier, (3,))
    versions = {classifier.split(" :: ")[2] for classifier in classifiers if classifier.startswith("Programming Language :: Python :: ")}
    if any(version.startswith("3") for version in versions):
        return True
    return False if any(version.startswith("2") for version in versions) else None


def _strings(value) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _vulnerabilities(entries) -> list[dict] | None:
    if not isinstance(entries, list):
        return None
    return [
        {
            "id": text(entry, "id"),
            "aliases": _strings(entry.get("aliases")),
            "summary": text(entry, "summary"),
            "fixed_in": _strings(entry.get("fixed_in")),
            "link": text(entry, "link"),
        }
        for entry in entries
        if isinstance(entry, dict) and text(entry, "id") and not entry.get("withdrawn")
    ]


def _documentation_url(info: dict) -> str | None:
    if docs_url := (text(info, "docs_url") or "").strip():
        return docs_url
    project_urls = dig(info, "project_urls")
    for label, url in project_urls.items() if isinstance(project_urls, dict) else ():
        if label.strip().lower() in DOCUMENTATION_KEYS and isinstance(url, str) and url.strip():
            return url.strip()
    return None
