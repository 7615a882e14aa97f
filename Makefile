# The two commands a newcomer needs: `make demo` and `make test`. Everything else is optional.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export DATABASE_URL_TEST ?= postgres://postgres@127.0.0.1:5432/onsite

.PHONY: demo test test-fast messages migrate bench soak screenshots clean check-postgres browser-deps

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[dev]'
	touch $(STAMP)

# The pt-BR catalog is assembled from each area's fragment and compiled (gettext's msgcat/msgfmt).
messages: $(STAMP)
	@command -v msgfmt >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq gettext >/dev/null; }
	mkdir -p locale/pt_BR/LC_MESSAGES
	msgcat --use-first -o locale/pt_BR/LC_MESSAGES/django.po locale/fragments/*.po
	msgfmt --check-format -o locale/pt_BR/LC_MESSAGES/django.mo locale/pt_BR/LC_MESSAGES/django.po

check-postgres: $(STAMP)
	@DATABASE_URL=$(DATABASE_URL_TEST) $(PY) -c "import environ, psycopg; c = environ.Env.db_url_config('$(DATABASE_URL_TEST)'); psycopg.connect(host=c['HOST'], port=c['PORT'] or 5432, user=c['USER'], dbname='postgres', connect_timeout=5).close()" \
		|| { echo "PostgreSQL is not reachable at $(DATABASE_URL_TEST): start it (see README) — the tests never fall back to SQLite."; exit 1; }

# Debian's Chromium for the browser tests (never a downloaded browser build).
browser-deps:
	@test -x /usr/bin/chromium || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } || echo "warning: could not install chromium"

test: $(STAMP) messages check-postgres browser-deps
	DATABASE_URL=$(DATABASE_URL_TEST) $(PY) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

test-fast: $(STAMP) messages check-postgres
	DATABASE_URL=$(DATABASE_URL_TEST) $(PY) -m pytest -q -p no:cacheprovider -m "not slow and not browser" $(PYTEST_ARGS)

migrate: $(STAMP) messages
	$(PY) manage.py migrate --noinput -v 0

# Everything on this machine: web, worker, both sandboxes and a local SQS, on the embedded SQLite database.
demo: $(STAMP) messages
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo
	$(PY) manage.py setup_schedules
	@echo ""
	@echo "  Admin (agency staff):  http://127.0.0.1:8000/admin/"
	@echo "  Seller portal:         http://127.0.0.1:8000/"
	@echo "  API and its docs:      http://127.0.0.1:8000/api/  http://127.0.0.1:8000/api/docs/"
	@echo "  Health:                http://127.0.0.1:8000/health/"
	@echo "  Amazon sandbox :8701 · SEFAZ sandbox :8702 · SQS :8703 — Ctrl-C stops everything."
	@echo ""
	$(VENV)/bin/honcho -f Procfile.demo -e .env.demo start

bench: $(STAMP)
	$(PY) benchmarks/nfe_throughput.py
	DATABASE_URL=$(DATABASE_URL_TEST) $(PY) benchmarks/orders_import.py
	DATABASE_URL=$(DATABASE_URL_TEST) $(PY) benchmarks/pipeline_latency.py
	DATABASE_URL=$(DATABASE_URL_TEST) $(PY) benchmarks/listings_report.py

soak: $(STAMP)
	DATABASE_URL=$(DATABASE_URL_TEST) $(PY) benchmarks/soak.py $(SOAK_ARGS)

screenshots: $(STAMP) messages browser-deps
	$(PY) manage.py take_screenshots

clean:
	rm -rf $(VENV) db.sqlite3 locale/pt_BR
