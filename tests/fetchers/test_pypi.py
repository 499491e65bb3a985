"""PyPI client, on recorded answers and small answers of our own."""
from datetime import UTC, datetime

import pytest

from fetchers.hosts import pypi
from fetchers.http.errors import BadResponse, NotFound
from fetchers.http.client import HttpClient

from .helpers import answer, pypi_answer

pytestmark = pytest.mark.django_db
JSON = "https://pypi.org/pypi/{}/json"


def files(time, yanked=False):
    return [{"upload_time_iso_8601": time, "yanked": yanked, "packagetype": "sdist"}]


def project(info=None, releases=None, **extra):
    """A minimal PyPI answer of our own."""
    info = {"name": "django-own", "version": "2.0", "license": None, "license_expression": None, "classifiers": [],
            "requires_python": None, "docs_url": None, "project_urls": None, "yanked": False, **(info or {})}
    return {"info": info, "releases": releases if releases is not None else {"2.0": files("2024-01-02T03:04:05.123456Z")}, **extra}


def fetch(rsps, body, name="django-own", status=200):
    answer(rsps, JSON.format(pypi.canonicalize_name(name)), body, status=status)
    return pypi.fetch(name, HttpClient())


@pytest.mark.parametrize(
    "pypi_url, name",
    [
        ("django-minify-html", "django-minify-html"),
        ("http://pypi.python.org/pypi/django-minify-html", "django-minify-html"),
        ("https://pypi.python.org/pypi/django-minify-html/1.0.0/", "django-minify-html"),
        ("https://pypi.org/project/Django_Minify.HTML/", "Django_Minify.HTML"),
        ("pypi.org/project/django-minify-html", "django-minify-html"),
        ("https://www.pypi.org/project/django-minify-html", "django-minify-html"),
        ("http://pypi.python.org/pypi/https://pypi.org/project/django-minify-html/", "django-minify-html"),
        ("http://pypi.python.org/pypi/https://github.com/x/y", None),
        ("", None),
        ("https://github.com/adamchainz/django-minify-html", None),
        ("https://pypi.org/", None),
        ("not a name", None),
    ],
)
def test_the_project_name_comes_from_every_shape_of_pypi_url(pypi_url, name):
    assert pypi.project_name(pypi_url) == name


def test_it_reads_the_facts_of_django(rsps):
    facts = fetch(rsps, pypi_answer("django"), "Django")
    assert facts.latest_version == "4.0.2"
    assert facts.license == "BSD-3-Clause"
    assert facts.requires_python == ">=3.8" and facts.supports_python3 is True
    assert facts.development_status == "5 - Production/Stable"
    assert facts.documentation_url == "https://docs.djangoproject.com/"
    assert "Framework :: Django" in facts.classifiers
    releases = {release.number: release for release in facts.releases}
    assert len(releases) == 294
    assert releases["4.0.2"].upload_time == datetime(2022, 2, 1, 7, 56, 23, 36066, tzinfo=UTC)  # the earliest file
    assert releases["1.0.1"].upload_time is None  # a release without files
    assert not any(release.yanked for release in facts.releases)


def test_the_name_is_normalised_for_the_request(rsps):
    answer(rsps, JSON.format("django-minify-html"), pypi_answer("django-minify-html"))
    facts = pypi.fetch("Django_Minify.HTML", HttpClient())
    assert facts.latest_version == "1.0.0"
    assert facts.documentation_url is None  # no docs_url and no Documentation project URL


def test_an_empty_licence_falls_back_to_the_classifiers(rsps):
    facts = fetch(rsps, pypi_answer("nango"), "nango")
    assert facts.license == "MIT License"
    assert facts.development_status is None


def test_the_licence_text_is_kept_as_written(rsps):
    assert fetch(rsps, pypi_answer("django-crispy-forms"), "django-crispy-forms").license == "MIT"
    long_text = "Copyright (c) 2024\n\n" + "Permission is hereby granted, free of charge, " * 40
    assert fetch(rsps, project({"license": long_text}), "django-own2").license == long_text.strip()


def test_the_licence_expression_wins_and_null_licences_are_normal(rsps):
    assert fetch(rsps, project({"license_expression": "MIT OR Apache-2.0", "license": "whatever"})).license == "MIT OR Apache-2.0"
    classifiers = ["License :: OSI Approved :: BSD License", "License :: OSI Approved"]
    assert fetch(rsps, project({"license": None, "classifiers": classifiers}), "django-own2").license == "BSD License"
    assert fetch(rsps, project({"license": "UNKNOWN"}), "django-own3").license is None


def test_pypis_own_latest_version_is_kept_even_when_yanked(rsps):
    releases = {"1.0": files("2023-01-01T00:00:00Z", yanked=True), "1.1": files("2023-06-01T00:00:00Z", yanked=True)}
    facts = fetch(rsps, project({"version": "1.1", "yanked": True}, releases))
    assert facts.latest_version == "1.1"  # every release yanked: PyPI still names one
    assert {r.number: r.yanked for r in facts.releases} == {"1.0": True, "1.1": True}


def test_without_a_usable_info_version_the_latest_is_chosen_as_pypi_would(rsps):
    releases = {
        "1.9": files("2023-01-01T00:00:00Z"),
        "1.10": files("2023-06-01T00:00:00Z"),
        "2.0": files("2024-01-01T00:00:00Z", yanked=True),
        "2.1b1": files("2024-02-01T00:00:00Z"),
    }
    facts = fetch(rsps, project({"version": "9.9"}, releases))  # not a listed release
    assert facts.latest_version == "1.10"  # not yanked first, final before pre-release, PEP 440 order
    yanked_only = {"1.0": files("2023-01-01T00:00:00Z", yanked=True), "1.1": files("2023-06-01T00:00:00Z", yanked=True)}
    assert fetch(rsps, project({"version": None}, yanked_only), "django-own2").latest_version == "1.1"


def test_invalid_version_strings_are_kept_as_releases_but_never_latest(rsps):
    releases = {"2004d": files("2004-01-01T00:00:00Z"), "0.9": files("2010-01-01T00:00:00Z"), "latest-dev": files("2011-01-01T00:00:00Z")}
    facts = fetch(rsps, project({"version": "latest-dev"}, releases))
    assert facts.latest_version == "0.9"
    assert {r.number for r in facts.releases} == {"2004d", "0.9", "latest-dev"}


def test_only_pre_releases_still_give_a_latest_version(rsps):
    facts = fetch(rsps, project({"version": "bogus"}, {"1.0a1": files("2024-01-01T00:00:00Z"), "1.0a2": files("2024-01-02T00:00:00Z")}))
    assert facts.latest_version == "1.0a2"


def test_null_project_urls_and_a_documentation_project_url(rsps):
    assert fetch(rsps, project({"project_urls": None})).documentation_url is None
    docs = project({"project_urls": {"Homepage": "https://x.org", " Docs ": "https://docs.x.org/"}})
    assert fetch(rsps, docs, "django-own2").documentation_url == "https://docs.x.org/"
    assert fetch(rsps, project({"docs_url": "https://pythonhosted.org/x/"}), "django-own3").documentation_url == "https://pythonhosted.org/x/"


@pytest.mark.parametrize(
    "requires_python, classifiers, expected",
    [
        (">=3.8", [], True),
        (">=2.7", ["Programming Language :: Python :: 2.7"], True),
        ("<3", ["Programming Language :: Python :: 3"], False),  # what pip enforces wins
        (None, ["Programming Language :: Python :: 3 :: Only"], True),
        (None, ["Programming Language :: Python :: 2.7"], False),
        (None, ["Programming Language :: Python"], None),
        ("not a specifier", [], None),
        ("~=3.11.4", [], True),  # admits 3.11.4 and later 3.11s, though no 3.N.0
        ("==3.12.1", [], True),
        (">=3.10,!=3.12.*", [], True),
        (">=2.7,!=3.0.*,!=3.1.*,!=3.2.*", [], True),
        ("<3.0", ["Programming Language :: Python :: 3"], False),
    ],
)
def test_python3_support_comes_from_requires_python_then_classifiers(rsps, requires_python, classifiers, expected):
    facts = fetch(rsps, project({"requires_python": requires_python, "classifiers": classifiers}))
    assert facts.supports_python3 is expected


def test_missing_keys_and_nulls_are_unknown(rsps):
    facts = fetch(rsps, {"info": {"version": None, "classifiers": None}, "releases": None})
    assert (facts.latest_version, facts.releases, facts.license, facts.classifiers) == (None, [], None, None)
    assert (facts.requires_python, facts.supports_python3, facts.documentation_url) == (None, None, None)


def test_without_a_releases_key_the_latest_files_are_used(rsps):
    facts = fetch(rsps, project(releases=None) | {"releases": None, "urls": files("2024-01-02T00:00:00Z")})
    assert [(r.number, r.upload_time) for r in facts.releases] == [("2.0", datetime(2024, 1, 2, tzinfo=UTC))]


def test_an_empty_object_is_a_bad_response(rsps):
    with pytest.raises(BadResponse):
        fetch(rsps, pypi_answer("django-fett"), "django-fett")


def test_an_unknown_project_is_not_found(rsps):
    with pytest.raises(NotFound):
        fetch(rsps, {"message": "Not Found"}, "no-such-project", status=404)


VULNERABILITY = {
    "aliases": ["CVE-2024-0001", "GHSA-aaaa-bbbb-cccc"], "details": "A long text.", "summary": "Cross-site scripting in the admin",
    "fixed_in": ["2.0.1", "1.9.5"], "id": "PYSEC-2024-1", "link": "https://osv.dev/vulnerability/PYSEC-2024-1",
    "source": "osv", "withdrawn": None,
}


def test_the_latest_releases_vulnerabilities_are_read(rsps):
    withdrawn = {**VULNERABILITY, "id": "PYSEC-2023-9", "withdrawn": "2023-10-01T00:00:00Z"}
    odd = {"id": "GHSA-odd", "aliases": None, "summary": None, "fixed_in": [None, "3.0"], "link": None}
    facts = fetch(rsps, project(vulnerabilities=[VULNERABILITY, withdrawn, odd, "junk", {"summary": "no id"}]))
    assert facts.vulnerabilities == [
        {"id": "PYSEC-2024-1", "aliases": ["CVE-2024-0001", "GHSA-aaaa-bbbb-cccc"], "summary": "Cross-site scripting in the admin",
         "fixed_in": ["2.0.1", "1.9.5"], "link": "https://osv.dev/vulnerability/PYSEC-2024-1"},
        {"id": "GHSA-odd", "aliases": [], "summary": None, "fixed_in": ["3.0"], "link": None},
    ]


def test_no_vulnerabilities_is_an_empty_list_and_no_key_is_unknown(rsps):
    assert fetch(rsps, pypi_answer("django"), "Django").vulnerabilities == []  # a recorded answer: PyPI lists none
    assert fetch(rsps, project(), "django-own2").vulnerabilities is None
    assert fetch(rsps, project(vulnerabilities=None), "django-own3").vulnerabilities is None


def test_older_documents_give_upload_time_alone(rsps):
    releases = {
        "0.1": [{"upload_time": "2011-11-02T16:34:12", "yanked": False}],  # naive: UTC
        "0.2": [{"upload_time": "2012-01-01T00:00:00", "upload_time_iso_8601": "2012-01-01T00:00:00.250000Z"}],
        "0.3": [{"upload_time": None}, {"upload_time": "not a time"}],
    }
    times = {r.number: r.upload_time for r in fetch(rsps, project({"version": "0.2"}, releases)).releases}
    assert times == {"0.1": datetime(2011, 11, 2, 16, 34, 12, tzinfo=UTC), "0.2": datetime(2012, 1, 1, 0, 0, 0, 250000, tzinfo=UTC), "0.3": None}


def test_a_recorded_answer_without_iso_times_keeps_its_upload_times(rsps):
    body = pypi_answer("django-crispy-forms")
    for files_ in body["releases"].values():
        for file in files_:
            file.pop("upload_time_iso_8601", None)
    releases = {r.number: r.upload_time for r in fetch(rsps, body, "django-crispy-forms").releases}
    assert releases["1.0.0"] == datetime(2011, 11, 2, 16, 34, 12, tzinfo=UTC)


def test_a_pep_639_licence_expression_is_kept_as_given(rsps):
    info = {"license_expression": "BSD-3-Clause AND (MIT OR Apache-2.0)", "license": None,
            "classifiers": ["License :: OSI Approved :: BSD License"]}
    assert fetch(rsps, project(info)).license == "BSD-3-Clause AND (MIT OR Apache-2.0)"
