# newsmuse: `make run` serves the site with the demo, `make test` runs the suite.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=
CHROMIUM ?= /usr/bin/chromium
BENCH_ARGS ?=
LOADTEST_ARGS ?=
AUDIT_URL ?=
AUDIT_ARGS ?=

.PHONY: run serve test lint format browser bench bench-tools loadtest audit clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

# This checkout's development settings, read by every manage.py command; git-ignored.
.env:
	@printf 'DEBUG=true\nSECRET_KEY=%s\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	@echo "Wrote .env: debug mode and a new secret key for this checkout."

run: .env $(VENV)/.runtime-installed
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py ensure_local_admin
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The site as in production, on plain http on the loopback: debug off whatever .env says,
# static files collected (hashed, compressed) and served by WhiteNoise, gunicorn with the
# deploy/ settings, media served by Django as no web server is in front. The .env's secret
# key and database are used; the README's Production section explains the switches.
SERVE_ENV := DEBUG=false ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=false \
	SECURE_COOKIES=false SERVE_MEDIA=true

serve: .env $(VENV)/.runtime-installed
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --no-input
	$(SERVE_ENV) $(BIN)/python manage.py migrate --no-input
	$(SERVE_ENV) GUNICORN_BIND=127.0.0.1:$(PORT) $(BIN)/gunicorn -c deploy/gunicorn.conf.py

test: $(VENV)/.dev-installed browser
	$(BIN)/pytest $(PYTEST_ARGS)

# Browser tests drive Debian's Chromium; install it when it is missing and we may.
browser:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is needed for the browser tests: install Debian's 'chromium' package" \
	         "or set CHROMIUM=/path/to/chromium." >&2; exit 1; \
	  fi; }

# The performance benchmark: `make bench`, `make bench BENCH_ARGS="--quick"`, or see
# `$(BIN)/python -m newsmuse.bench.run --help`.
bench: $(VENV)/.runtime-installed bench-tools
	$(BIN)/python -m newsmuse.bench.run $(BENCH_ARGS)

# The bench drives nginx, wrk and valgrind; install the missing ones when we may.
bench-tools:
	@missing=""; \
	for tool in nginx:nginx-light wrk:wrk valgrind:valgrind; do \
	  PATH="$$PATH:/usr/sbin" command -v $${tool%%:*} >/dev/null || missing="$$missing $${tool#*:}"; \
	done; \
	test -z "$$missing" || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "The bench needs these Debian packages:$$missing" >&2; exit 1; \
	  fi; }

# Readers (wrk) and editors (the admin's change form) at once against the site as `make
# serve` runs it, on a scratch PostgreSQL database at 127.0.0.1:5432; exits 1 on any error.
# `make loadtest LOADTEST_ARGS="--seconds 60 --editors 5"`, or see
# `$(BIN)/python -m newsmuse.bench.loadtest --help`.
loadtest: $(VENV)/.runtime-installed bench-tools
	$(BIN)/python -m newsmuse.bench.loadtest $(LOADTEST_ARGS)

# Every public page type judged by axe-core, the Nu HTML validator and Lighthouse (mobile) in
# Debian's Chromium; one table, exit 1 when a page misses a target. By default on the demo,
# served as `make serve` does on a free port and stopped afterwards; `make audit
# AUDIT_URL=http://127.0.0.1:8000` judges a running site instead. The tools are the versions
# pinned in audit/package-lock.json. See `$(BIN)/python -m newsmuse.audit --help`.
audit: $(VENV)/.dev-installed browser audit/node_modules/.package-lock.json
	$(BIN)/python -m newsmuse.audit $(if $(AUDIT_URL),$(AUDIT_URL),--serve) $(AUDIT_ARGS)

# No install scripts: the tools need none (vnu.jar runs on the installed Java).
audit/node_modules/.package-lock.json: audit/package.json audit/package-lock.json
	@command -v npm >/dev/null || { echo "make audit needs Node.js and npm." >&2; exit 1; }
	@command -v java >/dev/null || { echo "make audit needs Java 17 or newer." >&2; exit 1; }
	cd audit && npm ci --ignore-scripts --no-audit --no-fund

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache audit/node_modules
