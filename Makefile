# timesca-crawler: every target does its own set-up (a virtualenv at .venv).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test test-fast bench bench-extract lint venv clean-output

demo: $(STAMP)  ## crawl the bundled replica site into output/, print the summary, write output/report.html
	$(BIN)/python -m tests.replica.demo --output output

test: $(STAMP)  ## run the whole test suite
	$(BIN)/python -m pytest

test-fast: $(STAMP)  ## the suite without real crawls and subprocesses (seconds)
	$(BIN)/python -m pytest -m "not crawl"

bench: $(STAMP)  ## crawl benchmark vs bare Scrapy and trafilatura (BENCH_ARGS="--help")
	$(BIN)/python -m bench $(BENCH_ARGS)

bench-extract: $(STAMP)  ## article bodies on real pages vs trafilatura (CORPUS=checkout of the benchmark)
	@test -n "$(CORPUS)" || { echo "usage: make bench-extract CORPUS=DIR (a checkout of scrapinghub/article-extraction-benchmark; docs/BENCHMARKS.md)" >&2; exit 2; }
	$(BIN)/python -m bench.extract $(CORPUS) $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

clean-output:
	find output -mindepth 1 ! -name README.md -exec rm -rf {} +
