# The README's two commands are `make site` and `make test`; each sets itself up:
# a virtual environment in .venv with the pinned requirements.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt
# Material prints a notice about its successor on every build; our output is our own.
export NO_MKDOCS_2_WARNING := 1
export PYTHONPATH := $(CURDIR)/hooks

.PHONY: site serve test check lock clean

site: $(VENV)/.site-deps
	$(BIN)/mkdocs build --strict --site-dir site

serve: $(VENV)/.site-deps
	$(BIN)/mkdocs serve --strict

test: $(VENV)/.test-deps
	$(BIN)/python -m pytest

check: $(VENV)/.site-deps
	$(BIN)/python -m scholarly.check

$(VENV)/.site-deps: requirements.txt constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt
	touch $@

$(VENV)/.test-deps: $(VENV)/.site-deps requirements-dev.txt
	$(PIP) -r requirements-dev.txt
	touch $@

# After editing requirements*.txt: pin the whole environment again.
lock: $(VENV)/.test-deps
	{ sed -n '1,2p' constraints.txt; $(BIN)/python -m pip freeze --exclude-editable; } > constraints.new
	mv constraints.new constraints.txt

clean:
	rm -rf site $(VENV)
