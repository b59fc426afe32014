# newsarchive: the two commands a fresh machine needs are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test eval system-deps bench bench-scale clean

# Where the data that may not live in the repository is (the seed story): make eval reads it.
SHARED ?= ../shared
PORT ?= 8001

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Debian packages the tests drive for real: Chromium (pages in a browser), Redis
# (distributed crawling) and wget (a WARC written by another tool). Installed only when missing.
SYSTEM_PACKAGES := chromium:chromium redis-server:redis-server wget:wget
system-deps:
	@missing=""; for pair in $(SYSTEM_PACKAGES); do \
	  command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair##*:}"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi

demo: setup
	$(BIN)/newsarchive demo --port $(PORT)

test: setup system-deps
	$(BIN)/pytest

# The quality gates on data kept outside the repository ($(SHARED)); a missing file fails.
eval: setup
	NEWSARCHIVE_SHARED=$(abspath $(SHARED)) $(BIN)/pytest -m eval

# Benchmarks write their figures into BENCHMARKS.md (see bench/). bench-scale builds a
# 1,000,000-article archive (tens of minutes, several GB of disk).
bench: setup system-deps
	$(BIN)/python -m bench.extraction
	$(BIN)/python -m bench.entities
	$(BIN)/python -m bench.ner_public
	$(BIN)/python -m bench.entity_speed
	$(BIN)/python -m bench.stories
	$(BIN)/python -m bench.pipeline
	$(BIN)/python -m bench.distributed
	$(BIN)/python -m bench.peers
	$(BIN)/python -m bench.recrawl
	$(BIN)/python -m bench.aggregate_cost

bench-scale: setup
	$(BIN)/python -m bench.synthetic /tmp/newsarchive-scale/archive.db --articles 1000000
	$(BIN)/python -m bench.scale /tmp/newsarchive-scale/archive.db

clean:
	rm -rf $(VENV) data/archive.db data/archive.db-wal data/archive.db-shm data/demo-sources.yml
