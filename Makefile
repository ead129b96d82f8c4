# One command to set up and run the app (`make run`) and one to set up and run every test (`make test`).
# Both are idempotent: a second run only re-does what changed.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: setup run test test-fast devnet devnet-bin js-deps catalogue bench lint package clean

setup: $(STAMP)

$(STAMP): pyproject.toml scripts/install-system-deps.sh
	bash scripts/install-system-deps.sh
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip==26.3
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

run: setup
	$(VENV)/bin/ics-workbench

# Builds (once, then cached by version) the real ICS provider binary the devnet tests run against.
devnet-bin: setup
	$(PY) -m ics_workbench.devnet build --ics-version all

# Starts a local provider for a person to point the app at; Ctrl-C stops it and removes its files.
devnet: devnet-bin
	$(VENV)/bin/ics-workbench devnet up

# cosmjs and the UR reference packages the signing tests cross-check against, and the chain-registry package the
# chain catalogue is built from (its freshness is tested).
js-deps:
	@if [ -f tests/js/package-lock.json ]; then cd tests/js && npm ci --no-audit --no-fund --silent; fi
	@cd packaging/catalogue && npm ci --no-audit --no-fund --silent

# The chain catalogue shipped in the package, rebuilt from the pinned chain-registry npm package (build time only).
catalogue: setup
	$(PY) packaging/catalogue/build_catalogue.py

# Static checks, each with the command that reproduces (or fixes) its failure; configuration in pyproject.toml
# ([tool.ruff], [tool.mypy], [tool.importlinter]). Together well under a minute on a warm cache.
LINT_PATHS := ics_workbench tests bench scripts packaging screenshots setup.py
lint: setup
	@echo "lint 1/3: ruff" && $(VENV)/bin/ruff check -q $(LINT_PATHS) || { echo "lint FAILED (ruff): run '$(VENV)/bin/ruff check --fix $(LINT_PATHS)', then fix the rest by hand"; exit 1; }
	@echo "lint 2/3: mypy (strict; the GUI slightly relaxed)" && $(VENV)/bin/mypy || { echo "lint FAILED (mypy): run '$(VENV)/bin/mypy' and fix the types it names"; exit 1; }
	@echo "lint 3/3: import-linter (layers, Qt only in the GUI)" && $(VENV)/bin/lint-imports --no-cache || { echo "lint FAILED (import-linter): an import crosses a layer; see the broken contract above"; exit 1; }

test: setup devnet-bin js-deps lint
	bash scripts/run-tests.sh

# Everything except the tests that need the real chain.
test-fast: setup lint
	bash scripts/run-tests.sh -m "not devnet and not packaging"

# Wheel + sdist, the frozen Linux app and the air-gapped bundles, into dist/ (see packaging/README.md).
package: setup catalogue
	$(PY) packaging/build.py all --out dist

bench: setup
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
