# Two commands for a fresh machine: `make run` and `make test`. See README.md.
# Heavy, re-creatable things (virtualenv, npm packages) live under ~/.cache/chorus,
# keyed by the hash of what they are built from, so a fresh clone reuses them.
SHELL := /bin/bash
PYTHON ?= python3
CACHE ?= $(HOME)/.cache/chorus
DEPS_HASH := $(shell cat pyproject.toml | sha1sum | cut -c1-12)
NODE_HASH := $(shell cat package.json package-lock.json | sha1sum | cut -c1-12)
VENV ?= $(CACHE)/venv-$(DEPS_HASH)
NODE_DIR := $(CACHE)/node-$(NODE_HASH)
BIN := $(VENV)/bin
export PYTHONPATH := $(CURDIR)
export DJANGO_SETTINGS_MODULE := chorus.config.settings
CHORUS := $(BIN)/python -m chorus
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/chorus
PYTEST_ARGS ?=

.PHONY: run test lint typecheck test-sqlite test-postgres bench install assets messages services peers browser clean

run: install assets messages
	$(CHORUS) migrate --no-input -v 0
	$(CHORUS) createadmin --if-none
	$(CHORUS) serve

test: install assets messages services peers browser lint typecheck test-sqlite test-postgres

$(VENV)/.installed: pyproject.toml
	@# PyICU (Lao and Thai word boundaries) builds against the system's ICU.
	@scripts/apt-ensure.sh pkg-config:pkg-config /usr/include/unicode/ubrk.h:libicu-dev g++:g++
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python scripts/requirements.py > $(VENV)/requirements.txt
	$(BIN)/python -m pip install -q --disable-pip-version-check -r $(VENV)/requirements.txt
	touch $@

install: $(VENV)/.installed

$(NODE_DIR)/.installed: package.json package-lock.json
	mkdir -p $(NODE_DIR)
	cp package.json package-lock.json $(NODE_DIR)/
	cd $(NODE_DIR) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

assets: $(NODE_DIR)/.installed
	@mkdir -p var/vendor/htmx
	@cp $(NODE_DIR)/node_modules/htmx.org/dist/htmx.min.js var/vendor/htmx/
	@# FullCalendar's browser bundles for the content calendar (core injects its own CSS;
	@# its words come from Chorus' translations, so no locale files).
	@mkdir -p var/vendor/fullcalendar
	@for p in core daygrid timegrid list interaction; do \
		cp $(NODE_DIR)/node_modules/@fullcalendar/$$p/index.global.min.js \
			var/vendor/fullcalendar/$$p.min.js; \
	done
	@cp $(NODE_DIR)/node_modules/@fullcalendar/core/LICENSE.md var/vendor/fullcalendar/

messages: install
	@scripts/apt-ensure.sh msgfmt:gettext
	$(CHORUS) compilemessages -v 0 --ignore 'var/*' --ignore '.git/*'

services:
	@scripts/services.sh

# The real local AT Protocol network (PLC, PDS, AppView) the Bluesky tests publish to.
peers: services
	@scripts/bluesky-network.sh start

browser:
	@scripts/apt-ensure.sh chromium:chromium /usr/share/fonts/truetype/noto/NotoSansLao-Regular.ttf:fonts-noto-core

lint: install
	$(BIN)/ruff check chorus bench scripts
	$(BIN)/ruff format --check chorus bench scripts

typecheck: install
	$(BIN)/mypy chorus

test-sqlite: install
	@echo "== test suite on SQLite =="
	env -u CHORUS_DATABASE_URL CHORUS_VAR_DIR=$(CURDIR)/var/test-sqlite \
		$(BIN)/python -m pytest -q $(PYTEST_ARGS)

test-postgres: install services
	@echo "== test suite on PostgreSQL =="
	CHORUS_DATABASE_URL=$(PG_TEST_URL) CHORUS_VAR_DIR=$(CURDIR)/var/test-postgres \
		$(BIN)/python -m pytest -q $(PYTEST_ARGS)

bench: install services
	$(BIN)/python bench/run.py

clean:
	rm -rf var/static var/vendor
