# Two commands set everything up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
# The first Python 3.12 or newer on PATH (pyenv shims included).
PYTHON ?= $(shell for p in python3.13 python3.12 python3 python; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	command -v $$p; break; fi; done)

.PHONY: run serve test test-embedded lint migrations-check worker beat messages install lock demo clean bench

# requirements-dev.txt is the lock: every package, transitive ones too, at one version with its
# hashes, so pip installs exactly what was tested or refuses.
$(BIN)/.installed: requirements.txt requirements-dev.txt
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is required (none found on PATH)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

# Writes the lock files again from requirements.in and requirements-dev.in (edit those). A
# version already locked stays unless an .in file asks for another; one for every platform and
# Python 3.12 or newer (the image runs 3.12).
UV_COMPILE = $(BIN)/uv pip compile --quiet --universal --python-version 3.12 --generate-hashes \
	--custom-compile-command "make lock"
lock: install
	$(UV_COMPILE) --output-file requirements.txt requirements.in
	$(UV_COMPILE) --output-file requirements-dev.txt requirements-dev.in

# Compiled catalogues are built from the committed .po files.
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po
	$(BIN)/python manage.py compilemessages --ignore=.venv -v0

messages: install locale/sv/LC_MESSAGES/django.mo locale/en/LC_MESSAGES/django.mo

# Links in e-mails point at the port served, unless DJANGO_SITE_URL says otherwise.
run: export DJANGO_SITE_URL := $(or $(DJANGO_SITE_URL),http://127.0.0.1:$(PORT))
run: messages
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py migrate --no-input -v0
	@# The demo's events send e-mail to the console; keep it out of the way of the sign-ins.
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py load_demo > var/demo-load.log 2>&1 \
		|| { cat var/demo-load.log; exit 1; }
	@grep "Demo loaded" var/demo-load.log
	@echo "  (the e-mails the demo sent are in var/demo-load.log)"
	@echo ""
	@echo "  Beställargrupper runs on http://127.0.0.1:$(PORT)/"
	@echo "  Sign in with any demo user, password demo-2026:"
	@echo "    facilitator@demo.example         facilitator (Upphandlingsmyndigheten)"
	@echo "    anna@vaxjo.demo.example          authority, coordinator (Växjö kommun)"
	@echo "    erik@lund.demo.example           authority (Lunds kommun)"
	@echo "    maria@trafikverket.demo.example  authority (Trafikverket)"
	@echo "    olle@energi.demo.example         observer agency (Energimyndigheten)"
	@echo "    sara@solvent.demo.example        supplier (Solvent Energi AB)"
	@echo "    omar@nordlys.demo.example        supplier (Nordlys Teknik AB)"
	@echo "    ulf@unverified.demo.example      unverified supplier"
	@echo ""
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The services mode locally (scripts/serve): needs DATABASE_URL and REDIS_URL.
serve: messages
	BIN=$(BIN) PORT=$(PORT) scripts/serve

demo: messages
	$(BIN)/python manage.py migrate --no-input -v0
	$(BIN)/python manage.py load_demo

# The whole suite on whatever DATABASE_URL and REDIS_URL say (CI sets both).
test: messages
	-@scripts/ensure-chromium
	$(BIN)/python -m pytest

# The suite's core on the embedded mode (SQLite, in-memory layer, eager Celery).
test-embedded: messages
	env -u DATABASE_URL -u REDIS_URL $(BIN)/python -m pytest -m "not browser"

# The benchmarks (bench/README.md): each scenario seeds its own database bg_bench_<scenario> and
# runs the platform as in production on local PostgreSQL and Redis; results go to bench/results/.
bench: messages
	-@scripts/ensure-wrk
	@export DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/bg_bench} \
		REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0}; \
	for scenario in pages servers fanout notify soak search record signup steering api; do \
		if [ -f bench/$$scenario.py ]; then \
			echo "== bench.$$scenario"; $(BIN)/python -m bench.$$scenario || exit 1; \
		fi; \
	done

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

worker: messages
	$(BIN)/celery -A config worker --loglevel=INFO

beat: messages
	$(BIN)/celery -A config beat --loglevel=INFO

clean:
	rm -rf $(VENV) var/db.sqlite3 var/test
