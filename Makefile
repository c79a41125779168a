# Bonded WMS — `make run` serves the app with demo data; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
export HOST PORT

.PHONY: run test bench migrate seed check-ledger fonts clean
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc

$(VENV): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(VENV)

# The CJK font label PDFs embed (Debian's fonts-wqy-zenhei); without it labels fall back to a font that
# is not embedded, and say so.
fonts:
	@test -f $(CJK_FONT) || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && \
	  (apt-get update -qq && apt-get install -y -qq fonts-wqy-zenhei) >/dev/null 2>&1; } || \
	  echo "note: install fonts-wqy-zenhei so label PDFs embed their Chinese font"

run: $(VENV) fonts
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
