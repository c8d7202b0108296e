# The only commands a newcomer needs. Everything runs from the project's own virtualenv.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
AXE := tests/axe/node_modules/axe-core/axe.min.js

.PHONY: help setup run run-cluster status manifests stop test unit integration chaos lint typecheck contracts bench clean

help:  ## this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	@command -v java >/dev/null || (apt-get update -qq && apt-get install -y -qq default-jre-headless)
	@command -v mvn >/dev/null || (apt-get update -qq && apt-get install -y -qq maven)
	@command -v chromedriver >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium chromium-driver)
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c requirements.lock -e '.[dev]'
	touch $(STAMP)

# axe-core from the npm registry, pinned in tests/axe/package-lock.json: the browser tier checks
# every workbench page against WCAG 2.1 AA with it.
$(AXE): tests/axe/package.json tests/axe/package-lock.json
	@command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq nodejs npm)
	cd tests/axe && npm ci --no-audit --no-fund
	touch $(AXE)

setup: $(STAMP) $(AXE)  ## create the virtualenv and install everything (Kafka jars come on first start)

run: setup  ## start Kafka, PostgreSQL and the services with demo data; Ctrl-C ends everything
	$(BIN)/vhh run

run-cluster: setup  ## as run, on a local three-node Kafka cluster (replication 3, min.insync 2)
	$(BIN)/vhh run --brokers 3

status: setup  ## every part and its instances, consumer lag, outbox backlog
	$(BIN)/vhh status

manifests: setup  ## write the Kubernetes/Strimzi manifests into deploy/kubernetes/generated
	$(BIN)/vhh manifests

stop:  ## stop everything `make run` started
	@if [ -x $(BIN)/vhh ]; then $(BIN)/vhh stop; fi

test: setup  ## lint, type check, unit tier, then integration tier (own broker and database)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest -m "not integration" -q
	$(BIN)/pytest -m integration -q

unit: setup  ## only the fast tier: no broker, no PostgreSQL
	$(BIN)/pytest -m "not integration" -q

integration: setup  ## only the tier with a real broker and PostgreSQL
	$(BIN)/pytest -m integration -q

chaos: setup  ## the fault test: three brokers, two instances of each worker, kills; CHAOS_N meldingen (10000)
	$(BIN)/python -m tests.chaos

lint: setup
	$(BIN)/ruff check .

typecheck: setup
	$(BIN)/mypy

contracts: setup  ## export the event schemas into contracts/ (refuses breaking changes)
	$(BIN)/vhh contracts export

bench: setup  ## issue 12's table (feed, HTTP, key vault, RSS), each beside a baseline of the same run; JSON in var/bench/
	$(BIN)/python -m tests.bench.tabel

clean: stop  ## remove local data (broker, database, logs); keeps the jar cache
	rm -rf var
