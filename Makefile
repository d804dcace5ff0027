# Two commands work on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python

.PHONY: run test test-long lint typecheck contracts pytest bench sysdeps clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[test]'
	@touch $@ $(VENV)/.installed

$(VENV)/.installed-bench: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[test,bench]'
	@touch $@ $(VENV)/.installed $(VENV)/.installed-test

run: $(VENV)/.installed
	$(PY) main.py --sample

# System tools the tests read exports with (pdftotext, pdfinfo) and fonts for offscreen Qt.
sysdeps:
	@if ! command -v pdftotext >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi dejavu; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    echo "installing poppler-utils and fonts"; \
	    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq poppler-utils fonts-dejavu-core fontconfig >/dev/null; \
	  else \
	    echo "please install poppler-utils and fonts-dejavu-core (tests read exported PDFs with pdftotext)"; \
	  fi; \
	fi

lint: $(VENV)/.installed-test
	$(BIN)/ruff check planner ui tests bench main.py

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

contracts: $(VENV)/.installed-test
	$(BIN)/lint-imports

pytest: $(VENV)/.installed-test sysdeps
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q

test: lint typecheck contracts pytest

test-long: $(VENV)/.installed-test sysdeps
	QT_QPA_PLATFORM=offscreen ROADMAP_TEST_SCALE=10 $(BIN)/pytest -q tests/reliability

bench: $(VENV)/.installed-bench
	QT_QPA_PLATFORM=offscreen $(PY) -m bench

clean:
	rm -rf $(VENV) build *.egg-info
