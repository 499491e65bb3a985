# Two commands: `make run` (set up and serve on SQLite with the sample data) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PORT ?= 8000
SAMPLE := sample_data/djangopackages-v4

.PHONY: run test install lint lock

install: $(VENV)/.installed

# The exact versions (and hashes) of requirements-dev.lock (the runtime's and the tests'), then the project itself without resolving again.
$(VENV)/.installed: pyproject.toml requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements-dev.lock
	$(VENV)/bin/pip install --quiet --no-deps -e .
	touch $@

run: install
	$(VENV)/bin/python manage.py migrate --noinput
	$(VENV)/bin/python manage.py import_v4 --if-empty $(SAMPLE)
	$(VENV)/bin/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .

# Re-pin after changing pyproject.toml's dependencies (needs uv: `pipx install uv`): requirements.lock
# holds what the image installs, requirements-dev.lock that plus the test tools, at the same versions.
LOCK := uv pip compile pyproject.toml --generate-hashes --universal --python-version 3.11 --custom-compile-command "make lock"
lock:
	$(LOCK) --extra dev -o requirements-dev.lock
	$(LOCK) -c requirements-dev.lock --no-annotate -o requirements.lock
