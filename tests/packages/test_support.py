"""Declared Django and Python versions, and which Python series a ``requires_python`` admits."""
import pytest

from packages.support import admits, django_versions, parse_series, python_versions, specifier_set

CLASSIFIERS = [
    "Framework :: Django",
    "Framework :: Django :: 5.2",
    "Framework :: Django :: 4.2",
    "Framework :: Django :: 5.0",
    "Framework :: Django :: 10.0",
    "Framework :: Django CMS :: 4.1",
    "Programming Language :: Python",
    "Programming Language :: Python :: 3",
    "Programming Language :: Python :: 3 :: Only",
    "Programming Language :: Python :: 3.10",
    "Programming Language :: Python :: 3.9",
    "Programming Language :: Python :: 3.13",
    "Programming Language :: Python :: Implementation :: CPython",
]


def test_declared_versions_are_sorted_as_versions_not_text():
    assert django_versions(CLASSIFIERS) == ["4.2", "5.0", "5.2", "10.0"]
    assert python_versions(CLASSIFIERS) == ["3", "3.9", "3.10", "3.13"]
    assert django_versions([]) == python_versions(None) == []


@pytest.mark.parametrize(
    "requires_python, series, expected",
    [
        ("~=3.11.4", (3, 11), True),
        ("~=3.11.4", (3, 12), False),
        ("~=3.11.4", (3, 10), False),
        ("~=3.11.4", (3,), True),
        ("==3.12.1", (3, 12), True),
        ("==3.12.1", (3, 13), False),
        ("==3.12.1", (3,), True),
        (">=3.10,!=3.12.*", (3, 12), False),
        (">=3.10,!=3.12.*", (3, 13), True),
        (">=3.10,!=3.12.*", (3, 9), False),
        (">3.13", (3, 13), True),  # 3.13.1 and later
        ("<3.13", (3, 13), False),
        ("<=3.13.0", (3, 13), True),
        ("!=3.13.0", (3, 13), True),
        (">3.11.4,<3.11.5", (3, 11), True),  # 3.11.4.1
        (">=2.7,!=3.0.*,!=3.1.*", (3,), True),
        ("<3", (3,), False),
        ("==3.*", (3, 14), True),
        (">=3.13.0rc1", (3, 13), True),
    ],
)
def test_a_series_is_admitted_when_any_of_its_releases_is(requires_python, series, expected):
    assert admits(specifier_set(requires_python), series) is expected


def test_empty_and_invalid_specifiers_are_none():
    assert specifier_set("") is specifier_set(None) is specifier_set(">=three") is None


@pytest.mark.parametrize("value, expected", [("5.2", (5, 2)), ("3", (3,)), ("3.13", (3, 13)), ("3.", None), ("3.1.2", None), ("", None), ("٣.١", None), ("x", None)])
def test_a_version_query_names_a_series(value, expected):
    assert parse_series(value) == expected
