# newsarchive: the two commands a fresh machine needs are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test system-deps bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Debian packages the tests drive for real: Chromium (pages in a browser) and Redis.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; fi

demo: setup
	$(BIN)/newsarchive demo

test: setup system-deps
	$(BIN)/pytest

bench: setup
	$(BIN)/python -m bench.extraction
	$(BIN)/python -m bench.entities

clean:
	rm -rf $(VENV) data/archive.db data/archive.db-wal data/archive.db-shm data/demo-sources.yml
