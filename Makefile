# Two commands: `make run` (set up and serve on SQLite with the sample data) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PORT ?= 8000
SAMPLE := sample_data/djangopackages-v4

.PHONY: run test install

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[dev]"
	touch $@

run: install
	$(VENV)/bin/python manage.py migrate --noinput
	$(VENV)/bin/python manage.py import_v4 --if-empty $(SAMPLE)
	$(VENV)/bin/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(VENV)/bin/pytest
