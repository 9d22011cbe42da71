# Kronika — the front door. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_SERVICE_MARKERS := postgres or opensearch or browser or s3

.PHONY: install run test test-services bench bench-load lint format messages clean secret-key

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

var:
	mkdir -p var

# With DEBUG off (the default) Kronika needs SECRET_KEY. Unless the environment or .env
# already has one, a random key for this machine is added to .env (git-ignored), so that
# `make run`, `make bench` and `.venv/bin/python manage.py …` all find it.
secret-key: install
	@if [ -z "$$SECRET_KEY" ] && ! grep -qs '^SECRET_KEY=' .env; then \
		if [ -s .env ] && [ -n "$$(tail -c1 .env)" ]; then echo >> .env; fi; \
		$(PY) -c "import secrets; print('SECRET_KEY=' + secrets.token_urlsafe(50))" >> .env; \
		echo "make: a random SECRET_KEY for this machine was written to .env"; \
	fi

run: install var secret-key
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo --once
	$(PY) manage.py rebuild_search_index
	$(PY) manage.py collectstatic --no-input -v0
	@echo "Kronika: http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/pl/admin/)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest -m "not ($(PYTEST_SERVICE_MARKERS))"

# Installs and starts PostgreSQL, an OpenSearch node, an S3 server and Chromium as needed, runs the service
# and browser tiers and the ordinary suite on PostgreSQL, stops what it started
# (docs/services.md). Extra pytest arguments: make test-services PYTEST_ARGS="-k opensearch".
test-services: install
	scripts/test-services.sh $(PYTEST_ARGS)

# Every benchmark at the size its issue names (100,000 items; the import preview 10,000
# rows); each writes benchmarks/results/*.json and its section of docs/benchmarks.md.
# api.py installs wrk and lighthouse.py Node.js/npm and Chromium with apt-get when missing (root); search.py runs
# SQLite, PostgreSQL and OpenSearch, starting (and stopping) the last two with scripts/services;
# relevance.py scores the judged relevance set on the same three engines (docs/search.md).
# load.py loads the production stack (nginx, gunicorn, PostgreSQL, OpenSearch: see bench-load).
bench: install secret-key
	$(PY) benchmarks/import_rate.py
	$(PY) benchmarks/import_preview.py
	$(PY) benchmarks/search.py
	$(PY) benchmarks/relevance.py
	$(PY) benchmarks/derivatives.py
	$(PY) benchmarks/api.py
	$(PY) benchmarks/oai.py
	$(PY) benchmarks/classroom_zip.py
	$(PY) benchmarks/lighthouse.py
	$(PY) benchmarks/load.py

# The production stack under load (benchmarks/load.py; docs/benchmarks.md, "Load"): nginx
# (HTTPS) → gunicorn → PostgreSQL + OpenSearch, 50 clients × 120 s of reads, then the same with
# an archivist editing and importing. nginx and wrk come from Debian's packages; PostgreSQL
# and OpenSearch from scripts/services (or KRONIKA_TEST_DATABASE_URL / KRONIKA_TEST_SEARCH_URL).
# Other sizes: make bench-load LOAD_ARGS="--clients 20 --duration 30".
bench-load: install secret-key
	scripts/services/stack.sh install
	$(PY) benchmarks/load.py $(LOAD_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Regenerates the message catalogues (needs GNU gettext: apt-get install gettext).
messages: install
	DEBUG=1 $(PY) manage.py makemessages -l pl -l en --ignore=.venv --ignore=var --ignore=benchmarks
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
