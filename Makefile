# Two commands do everything on a fresh machine: `make serve` and `make test`.
# Each sets up what it needs first (Python venv, npm packages from the lockfile).

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup site serve test lint jstest mutation bundle bench release-record new-guideline clean

setup: $(PY_STAMP) $(NPM_STAMP)

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

## site: build the static site into site/
site: setup
	$(BIN)/mkdocs build --strict --site-dir site

## serve: set up, build and serve the site on http://127.0.0.1:$(PORT)/, rebuilding on every edit
## (open pages reload themselves; offline use is off here: `make site` builds the site to deploy)
serve: setup
	$(BIN)/python scripts/dev_server.py --port $(PORT)

## bench: the calculator against the bare Pyodide floor, as ratios; writes BENCHMARKS.md
RUNS ?= 7
bench: site
	$(BIN)/python scripts/bench.py --site site --out BENCHMARKS.md --runs $(RUNS)

## bundle: a versioned zip of the site for intranet admins (README, server snippets, checksums)
bundle: site
	$(BIN)/python scripts/bundle.py --site site --out dist

## new-guideline: the skeleton of a new guideline in content/NAME (builds and passes its checks at once)
new-guideline: setup
	@test -n "$(NAME)" || { echo "usage: make new-guideline NAME=<folder name> [TITLE='Full title']"; exit 2; }
	$(BIN)/python scripts/guideline_site/scaffold.py new-guideline $(NAME) $(if $(TITLE),--title "$(TITLE)")

## release-record: record the decision logic of GUIDELINE's current content version
release-record: setup
	@test -n "$(GUIDELINE)" || { echo "usage: make release-record GUIDELINE=<folder under content/>"; exit 2; }
	$(BIN)/python scripts/guideline_site/release.py content/$(GUIDELINE)

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
