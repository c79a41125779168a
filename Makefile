# Bonded WMS — `make run` serves the app with demo data; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
export HOST PORT

.PHONY: run test bench migrate seed check-ledger clean

$(VENV): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(VENV)

run: $(VENV)
	$(FLASK) db upgrade
	$(FLASK) wms seed --if-empty
	$(FLASK) wms serve --host $(HOST) --port $(PORT)

test: $(VENV)
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(VENV)
	$(BIN)/python -m bench $(BENCH_ARGS)

migrate: $(VENV)
	$(FLASK) db upgrade

seed: $(VENV)
	$(FLASK) wms seed --if-empty

check-ledger: $(VENV)
	$(FLASK) wms check-ledger

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
