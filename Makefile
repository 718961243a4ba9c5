# Boligmonitor — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= demo-output

.PHONY: demo test lint typecheck pytest bench clean browser java screenshots

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/boligmonitor demo $(DEMO_DIR)

LINTED := src tests $(wildcard benchmarks)

lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

typecheck: $(STAMP)
	$(BIN)/mypy

# The browser tests drive Debian's Chromium (never a downloaded browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# The Spark engine tests need a Java runtime: Debian's (never a downloaded one).
java:
	@command -v java >/dev/null 2>&1 || { \
	  echo "Installing Debian's default-jre-headless for the Spark engine tests"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq default-jre-headless >/dev/null; }

pytest: $(STAMP) browser java
	$(BIN)/pytest -q -n 2

test: lint typecheck pytest

# Screenshots of every page (1 400 and 390 px, Danish and English) of the demo workspace, for
# review: builds the demo when missing, serves it on a free port and writes $(SHOTS_DIR)/*.png.
SHOTS_DIR ?= screenshots
screenshots: $(STAMP) browser
	@[ -d $(DEMO_DIR) ] || $(BIN)/boligmonitor demo $(DEMO_DIR) --no-serve
	$(BIN)/python -m tests.screenshots --workspace $(DEMO_DIR) $(SHOTS_DIR)

bench: $(STAMP)
	nice $(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) $(DEMO_DIR) $(SHOTS_DIR) .pytest_cache .mypy_cache .ruff_cache
