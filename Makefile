# Two entry points: `make run` (install, prepare SQLite, then run the web
# server on http://127.0.0.1:5000, the scheduler and a mail sink on port
# 1025 that prints every email) and `make test` (install, run the suite).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
DEMO_PASSWORD ?= demo-2026
# The browser tests drive Debian's Chromium; Playwright must not fetch its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test install install-dev test-browser database lint bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e '.[mailsink]'
	@$(BIN)/python -c "from web.certificates.pdf import font_path; print('certificate font:', font_path())"

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	@$(BIN)/python -c "from web.certificates.pdf import font_path; print('certificate font:', font_path())"

database: install
	$(FLASK) db upgrade
	$(FLASK) divisions load
	$(FLASK) demo seed --password $(DEMO_PASSWORD)

# The sink and the scheduler run in the background and stop with the server.
run: database
	$(FLASK) mail sink --port 1025 & sink=$$!; \
	$(FLASK) scheduler run & scheduler=$$!; \
	trap 'kill $$sink $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

# Chromium and a Chinese font for tests/browser, installed with apt-get when
# missing and run as root; otherwise those tests are skipped with the reason.
test-browser:
	@scripts/install-test-browser.sh

test: install-dev test-browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The benchmarks of docs/benchmarks.md. They need PostgreSQL on 127.0.0.1:5432
# (user postgres, trust) and wrk (`apt-get install wrk`); the scratch
# databases are named fudao_bench_deploy_* (bench/queue_load.py takes
# --database-prefix and --port for a second checkout on the same machine).
bench: install-dev
	$(BIN)/python bench/import_30k.py
	$(BIN)/python bench/queue_load.py
	$(BIN)/python bench/engine_transitions.py
