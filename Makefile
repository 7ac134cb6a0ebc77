# Two commands do everything on a fresh machine: `make serve` and `make test`.
# Each sets up what it needs first (Python venv with this repository installed editable,
# npm packages from the lockfile, the Pyodide runtime the package ships). The site here is
# built by the same `guideline-site` command a site made with `pip install guideline-site` uses.

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
RUNTIME := scripts/guideline_site/runtime/runtime.json
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup site serve test lint jstest mutation bundle bench bench-snapshot release-record new-guideline dist clean

setup: $(PY_STAMP) $(NPM_STAMP) $(RUNTIME)

$(PY_STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11 or newer is required (found: $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

$(NPM_STAMP): package.json package-lock.json
	@node -e 'const [major, minor] = process.versions.node.split(".").map(Number); process.exit(major > 20 || (major === 20 && minor >= 6) ? 0 : 1)' \
		|| { echo "Node.js 20.6 or newer is required"; exit 1; }
	npm ci --no-audit --no-fund
	touch $@

# The Pyodide runtime as the package ships it (.br/.gz, sha256 recorded), from package.json's pin.
$(RUNTIME): package.json package-lock.json $(NPM_STAMP) $(PY_STAMP)
	$(BIN)/python scripts/vendor_runtime.py
	touch $@

## site: build the static site into site/
site: setup
	$(BIN)/guideline-site build --site-dir site

## serve: set up, build and serve the site on http://127.0.0.1:$(PORT)/, rebuilding on every edit
## (open pages reload themselves; offline use is off here: `make site` builds the site to deploy)
serve: setup
	$(BIN)/guideline-site serve --port $(PORT)

## bench: the calculator against the bare Pyodide floor, as ratios; writes BENCHMARKS.md
RUNS ?= 7
# First visits are also measured as the project built them at this revision: the commit before
# the snapshot start (issue 22), whose first visit it must not slow (AGAINST= leaves it out).
AGAINST ?= 49490b7
bench: site
	$(BIN)/python scripts/bench.py --site site --out BENCHMARKS.md --runs $(RUNS) $(if $(AGAINST),--against $(AGAINST))

## bench-snapshot: only the snapshot start against the bare boot, per engine (printed; ENGINES=chromium,firefox,webkit; AGAINST as for bench)
bench-snapshot: site
	$(BIN)/python scripts/bench_snapshot.py --site site --runs $(RUNS) $(if $(ENGINES),--engines $(ENGINES)) $(if $(AGAINST),--against $(AGAINST))

## bundle: a versioned zip of the site for intranet admins (README, server snippets, checksums)
bundle: site
	$(BIN)/guideline-site bundle --no-build --site-dir site --out dist

## dist: the installable distribution (a wheel: plugin, command, theme, engine, Pyodide runtime) in dist/
dist: setup
	rm -rf build/lib build/bdist.* dist/guideline_site-*.whl
	$(BIN)/python -m pip wheel --quiet --no-deps --no-build-isolation --wheel-dir dist .
	@ls -l dist/guideline_site-*.whl

## new-guideline: the skeleton of a new guideline in content/NAME (builds and passes its checks at once)
new-guideline: setup
	@test -n "$(NAME)" || { echo "usage: make new-guideline NAME=<folder name> [TITLE='Full title']"; exit 2; }
	$(BIN)/guideline-site new-guideline $(NAME) $(if $(TITLE),--title "$(TITLE)")

## release-record: record the decision logic of GUIDELINE's current content version
release-record: setup
	@test -n "$(GUIDELINE)" || { echo "usage: make release-record GUIDELINE=<folder under content/>"; exit 2; }
	$(BIN)/guideline-site release-record $(GUIDELINE)

## lint: ruff (lint and format), mypy --strict, and tsc on the browser JavaScript (JSDoc types)
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python scripts/generated_assets.py build/generated
	node_modules/.bin/tsc -p theme/tsconfig.json
	node_modules/.bin/tsc -p theme/tsconfig.workers.json

## jstest: node's own test runner on the browser's pure modules (tests/js/)
jstest: setup
	$(BIN)/python scripts/generated_assets.py build/generated
	node --import ./tests/js/generated-loader.mjs --test tests/js/

## test: set up, lint, and run every test (browser tests need /usr/bin/chromium)
test: lint jstest
	$(BIN)/python -m pytest

## mutation: mutation testing of the rule and validation modules (slow; not part of CI).
## Runs in a copy of the tracked files under build/mutation, so the work tree is never mutated.
comma := ,
empty :=
space := $(empty) $(empty)
MUTATE := calculator/conditions.py,calculator/answers.py,calculator/engine.py,$(subst $(space),$(comma),$(wildcard content/*/guideline.py))
mutation: setup
	$(BIN)/python -m pip install --quiet "mutmut==2.5.1"
	rm -rf build/mutation && mkdir -p build/mutation
	git ls-files -z | xargs -0 cp --parents -t build/mutation
	ln -s $(CURDIR)/node_modules build/mutation/node_modules
	cd build/mutation && PYTHON=$(CURDIR)/$(BIN)/python $(CURDIR)/$(BIN)/mutmut run \
		--paths-to-mutate "$(MUTATE)" --runner "sh scripts/mutation_tests.sh" --tests-dir tests || true
	cd build/mutation && $(CURDIR)/$(BIN)/python $(CURDIR)/scripts/mutation_report.py .mutmut-cache

clean:
	rm -rf site build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
