"""docker-compose.yml, the Dockerfile and .env.production.example agree with the settings (Docker cannot run here)."""
import os
import re
import subprocess
import sys
import time
import tomllib
from importlib import metadata

import yaml
from django_celery_beat.schedulers import DEFAULT_MAX_INTERVAL as BEAT_WAKES_EVERY
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP = ("web", "worker", "beat")
SETTINGS_VARS = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_0-9]+)"', (ROOT / "djpackages" / "settings.py").read_text()))


def test_the_stack_has_its_five_services():
    assert set(SERVICES) == {"web", "worker", "beat", "postgres", "redis"}


def test_every_service_has_a_health_check():
    for name, service in SERVICES.items():
        assert service["healthcheck"]["test"], name


def test_app_services_start_only_once_what_they_need_is_healthy():
    assert SERVICES["web"]["depends_on"] == {"postgres": {"condition": "service_healthy"}, "redis": {"condition": "service_healthy"}}
    for name in ("worker", "beat"):
        assert SERVICES[name]["depends_on"] == {"web": {"condition": "service_healthy"}}


def test_app_services_are_configured_only_through_variables_the_settings_read():
    for name in APP:
        assert set(SERVICES[name]["environment"]) <= SETTINGS_VARS, name
        assert SERVICES[name]["env_file"] == ".env"
    env_example = [line.lstrip("# ").split("=")[0] for line in (ROOT / ".env.production.example").read_text().splitlines() if "=" in line]
    assert set(env_example) <= SETTINGS_VARS


def test_app_services_reach_the_postgres_and_redis_services():
    db = SERVICES["postgres"]["environment"]
    for name in APP:
        env = SERVICES[name]["environment"]
        assert env["DATABASE_URL"] == f"postgres://{db['POSTGRES_USER']}:{db['POSTGRES_PASSWORD']}@postgres:5432/{db['POSTGRES_DB']}"
        assert env["CELERY_BROKER_URL"].startswith("redis://redis:6379/")
        assert env["CACHE_URL"] == env["RATE_LIMIT_STORAGE_URL"]  # budgets and markers shared by every worker


def test_the_web_health_check_asks_with_a_host_the_settings_allow():
    assert "127.0.0.1:8000/healthz" in " ".join(SERVICES["web"]["healthcheck"]["test"])
    for name in APP:
        assert SERVICES[name]["environment"]["ALLOWED_HOSTS"].split(",")[-1] == "127.0.0.1"


def test_the_commands_run_this_project():
    assert "gunicorn djpackages.wsgi" in " ".join(SERVICES["web"]["command"])
    assert "migrate" in " ".join(SERVICES["web"]["command"])
    assert SERVICES["worker"]["command"][:4] == ["celery", "-A", "djpackages", "worker"]
    assert SERVICES["beat"]["command"][:4] == ["celery", "-A", "djpackages", "beat"]
    assert "/healthz" in " ".join(SERVICES["web"]["healthcheck"]["test"])
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install" in dockerfile and "collectstatic" in dockerfile and "djpackages.wsgi" in dockerfile


def beat_health_check(**env):
    """Run the beat service's health check command here (its ``python`` is ours) with ``env`` added."""
    kind, program, *args = SERVICES["beat"]["healthcheck"]["test"]
    assert kind == "CMD" and program == "python"
    return subprocess.run([sys.executable, *args], env={**os.environ, **env}, capture_output=True, timeout=30)


def test_beat_is_healthy_only_while_its_heartbeat_is_fresh(tmp_path):
    heartbeat = tmp_path / "beat-heartbeat"
    assert beat_health_check(BEAT_HEARTBEAT_FILE=str(heartbeat)).returncode != 0  # beat never ticked
    heartbeat.touch()
    assert beat_health_check(BEAT_HEARTBEAT_FILE=str(heartbeat)).returncode == 0
    os.utime(heartbeat, (time.time() - 4 * BEAT_WAKES_EVERY,) * 2)  # a few of beat's wake-ups late: still healthy
    assert beat_health_check(BEAT_HEARTBEAT_FILE=str(heartbeat)).returncode == 0
    os.utime(heartbeat, (time.time() - 120,) * 2)  # beat stopped scheduling two minutes ago
    assert beat_health_check(BEAT_HEARTBEAT_FILE=str(heartbeat)).returncode != 0


def test_the_beat_container_runs_the_scheduler_that_writes_the_heartbeat_it_checks():
    assert SERVICES["beat"]["environment"]["BEAT_HEARTBEAT_FILE"]
    assert "--scheduler" not in SERVICES["beat"]["command"] and "-S" not in SERVICES["beat"]["command"]
    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULER == "fetchers.beat:HeartbeatScheduler"


def _dockerfile_instructions():
    """The Dockerfile's instructions as (keyword, arguments), continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    return [tuple(line.split(None, 1)) for line in lines]


def test_the_image_installs_the_locked_dependencies_before_copying_the_source():
    instructions = _dockerfile_instructions()
    install = next(i for i, (kw, args) in enumerate(instructions) if kw == "RUN" and "-r requirements.lock" in args)
    assert "--require-hashes" in instructions[install][1]
    copied_before = [args.split()[:-1] for kw, args in instructions[:install] if kw == "COPY"]
    assert copied_before == [["requirements.lock"]]  # a source change leaves the dependency layer cached
    source = instructions.index(("COPY", ". ."))
    assert source > install
    project = next(args for kw, args in instructions[source:] if kw == "RUN" and "pip install" in args)
    assert "--no-deps" in project  # the project alone: nothing resolved or downloaded past the lock


def _pins(lock):
    """``{name: version}`` of the lock file's pins that apply to this Python and platform."""
    pins = {}
    for line in (ROOT / lock).read_text().splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            requirement = Requirement(line.rstrip(" \\"))
            if requirement.marker is None or requirement.marker.evaluate():
                pins[canonicalize_name(requirement.name)] = str(requirement.specifier).removeprefix("==")
    return pins


def test_the_lock_files_pin_every_dependency_of_pyproject_at_one_version():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime, dev = _pins("requirements.lock"), _pins("requirements-dev.lock")
    for spec in project["dependencies"]:
        requirement = Requirement(spec)
        assert runtime[canonicalize_name(requirement.name)] in requirement.specifier, spec
    for spec in project["optional-dependencies"]["dev"]:
        requirement = Requirement(spec)
        assert dev[canonicalize_name(requirement.name)] in requirement.specifier, spec
    assert {name: dev[name] for name in runtime} == runtime  # the image runs what the tests ran


def test_the_suite_runs_on_the_locked_versions():
    installed = {name: metadata.version(name) for name in _pins("requirements-dev.lock")}
    assert installed == _pins("requirements-dev.lock")  # make install; byte-for-byte tests depend on DRF's HTML
