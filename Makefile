# Two entry points: `make run` (install, prepare SQLite, serve on
# http://127.0.0.1:5000) and `make test` (install, run the whole suite).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
DEMO_PASSWORD ?= demo-2026

.PHONY: run test install install-dev database lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e .
	@$(BIN)/python -c "from web.certificates.pdf import font_path; print('certificate font:', font_path())"

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	@$(BIN)/python -c "from web.certificates.pdf import font_path; print('certificate font:', font_path())"

database: install
	$(FLASK) db upgrade
	$(FLASK) divisions load
	$(FLASK) demo seed --password $(DEMO_PASSWORD)

run: database
	$(FLASK) run --host 127.0.0.1 --port 5000

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
