"""Fixtures shared by the whole suite: the bundled sample of real v4 documents."""
import json
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "djangopackages-v4"
UPSTREAM = "https://djangopackages.org"


def sample_documents(kind="packages"):
    """``{id: raw text}`` of every bundled document of ``kind``."""
    folder = SAMPLE / kind
    return {int(p.stem): p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.json"))}


def ordered_json(text):
    """Parse JSON keeping key order: objects become lists of (key, value) pairs."""
    return json.loads(text, object_pairs_hook=list)


@pytest.fixture(autouse=True)
def empty_api_cache():
    """Each test starts with no cached API answers (a rolled-back test may reuse a generation number)."""
    caches["api"].clear()


@pytest.fixture
def sample(db):
    """The bundled sample imported into the test database."""
    call_command("import_v4", str(SAMPLE), stdout=open("/dev/null", "w"))
    return sample_documents()
