"""docker-compose.yml, the Dockerfile and .env.production.example agree with the settings (Docker cannot run here)."""
import re

import yaml

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
