"""The shared conformance checker, run against a live server holding the shared dataset.

The checker and the dataset live in the team's ``shared/`` folder beside the checkout (``DJP_SHARED_DIR``
overrides where). CI always has them; a clone without them skips this one test and says why.
"""
import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from tests.conftest import DATASET, SHARED

CHECKER = SHARED / "conformance" / "check_v4.py"


@pytest.mark.skipif(not CHECKER.exists(), reason=f"no conformance checker at {CHECKER}")
def test_the_conformance_checker_finds_no_difference(live_server, transactional_db):
    call_command("import_v4", str(DATASET), stdout=open(os.devnull, "w"))
    result = subprocess.run(
        [sys.executable, str(CHECKER), "--base-url", live_server.url, "--dataset", str(DATASET)],
        capture_output=True, text=True, timeout=600,
    )
    summary = result.stdout.strip().splitlines()[-1]
    assert result.returncode == 0, result.stdout[-3000:]
    assert summary.endswith(" 0 failed") and int(summary.split()[0]) > 0
