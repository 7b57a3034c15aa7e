# BPO Select: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Reinstall whenever a lock file changes.
LOCK_HASH := $(shell cat requirements.lock requirements-dev.lock | sha256sum | cut -c1-12)
INSTALLED := $(VENV)/.installed-$(LOCK_HASH)
DEMO_ENV := DEBUG=1
# Plain HTTP on loopback with a throwaway key (pytest sets these defaults itself).
LOCAL_ENV := ALLOW_INSECURE_SECRET_KEY=1 HTTPS=0 STATIC_MANIFEST=0

.PHONY: install run serve test lint typecheck check-deploy browser-deps bench lock clean

install: $(INSTALLED)

$(INSTALLED): requirements.lock requirements-dev.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	rm -f $(VENV)/.installed-* && touch $@

run: install
	$(DEMO_ENV) $(PY) manage.py migrate --no-input
	$(DEMO_ENV) $(PY) manage.py seed_demo --if-empty
	@echo "BPO Select on http://127.0.0.1:8000 (demo logins in README.md)"
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# Production-like: gunicorn + whitenoise with DEBUG off (plain HTTP on loopback only). With
# CELERY_BROKER_URL set (redis://...), a Celery worker runs beside gunicorn and stops with it;
# without it tasks run in-process. The worker also runs Celery beat (-B: RFP rounds open at their
# deadline), so start no second beat beside it. WORKERS sets the worker's pool size (default 2). The worker runs
# niced so PDF rendering and imports yield the CPU to page requests.
WORKERS ?= 2
serve: install
	$(LOCAL_ENV) $(PY) manage.py collectstatic --no-input -v0
	$(LOCAL_ENV) $(PY) manage.py migrate --no-input
	@if [ -n "$$CELERY_BROKER_URL" ]; then \
	  $(LOCAL_ENV) nice -n 10 $(VENV)/bin/celery -A bpo_select worker -B --concurrency $(WORKERS) --loglevel INFO & \
	  worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	  $(LOCAL_ENV) $(VENV)/bin/gunicorn bpo_select.wsgi -b 127.0.0.1:8000 -w 3 --threads 4; \
	else \
	  $(LOCAL_ENV) $(VENV)/bin/gunicorn bpo_select.wsgi -b 127.0.0.1:8000 -w 3 --threads 4; \
	fi

test: install browser-deps lint typecheck check-deploy
	$(VENV)/bin/pytest -p no:cacheprovider -n 2 --dist loadgroup -m "not real_worker"
	$(VENV)/bin/pytest -p no:cacheprovider -m real_worker

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(LOCAL_ENV) $(PY) manage.py makemigrations --check --dry-run -v0

# mypy with django-stubs on the app packages ([tool.mypy] in pyproject.toml); settings load as in tests.
typecheck: install
	$(LOCAL_ENV) $(VENV)/bin/mypy

check-deploy: install
	SECRET_KEY=check-deploy-$$(head -c 48 /dev/urandom | base64 | tr -d '/+=') \
	  ALLOWED_HOSTS=bpo.example.com $(PY) manage.py check --deploy --fail-level WARNING

# Browser tests drive Debian's Chromium; never a downloaded browser.
browser-deps:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Install Debian's chromium (sudo apt-get install chromium) for the browser tests."; fi; }

bench: install
	$(PY) bench/engine.py --quick

lock:
	@echo "Edit requirements*.lock by hand or from 'pip freeze' in a clean venv; pins must stay exact."

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .mypy_cache

# Backups of the configured database (DATABASE_URL): SQLite backup API or pg_dump; FORMAT=json for
# a portable dumpdata file. Restore replaces every row: make restore FILE=backups/bpo-....sqlite3
.PHONY: backup restore
backup: install
	$(PY) manage.py backup_db $(if $(FORMAT),--format $(FORMAT)) $(if $(OUT),-o $(OUT))

restore: install
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/bpo-<time>.sqlite3|.pgdump|.json"; exit 2; }
	$(PY) manage.py restore_db "$(FILE)"
