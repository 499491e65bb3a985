"""Settings that must refuse to start rather than serve wrongly."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _check(**env):
    """Run ``manage.py check`` in a fresh process with ``env`` on top of a production-like environment."""
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    environment.update(DEBUG="off", ALLOWED_HOSTS="127.0.0.1", **env)
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True, text=True)


def _env_example_key():
    line = next(line for line in (ROOT / ".env.example").read_text().splitlines() if line.startswith("SECRET_KEY="))
    return line.removeprefix("SECRET_KEY=")


@pytest.mark.parametrize("key", ["", "   ", _env_example_key()], ids=["empty", "blank", ".env.example placeholder"])
def test_an_empty_or_placeholder_secret_key_is_refused_with_debug_off(key):
    result = _check(SECRET_KEY=key)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is empty or a placeholder" in result.stderr


def test_a_real_secret_key_starts_with_debug_off():
    result = _check(SECRET_KEY="a-real-key-" + "x" * 40)
    assert result.returncode == 0, result.stderr
