# The README's two commands are `make site` and `make test`; each sets itself up:
# a virtual environment in .venv with the pinned requirements.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt
# Material prints a notice about its successor on every build; our output is our own.
export NO_MKDOCS_2_WARNING := 1
# Debian packages are installed only when missing; as root here and in CI, through
# sudo on a developer's machine or a hosted runner.
APT := $(if $(filter 0,$(shell id -u)),,sudo) apt-get
export PYTHONPATH := $(CURDIR)/hooks
# Edit links point at the repository this clone came from: the `origin` remote as an
# https address, without any user name or token in it. No remote (or one that is not
# http(s)/ssh), no edit links. CI sets REPO_URL itself.
REPO_URL ?= $(shell git remote get-url origin 2>/dev/null | sed -E \
	-e 's#^(ssh://)?git@([^:/]+)[:/]#https://\2/#' -e 's#//[^/@]*@#//#' -e 's#\.git$$##' \
	| grep -E '^https?://')
ifneq ($(strip $(REPO_URL)),)
export REPO_URL
export EDIT_URI ?= edit/main/docs/
endif

.PHONY: site serve test check lock clean anchors pdf browser-deps pdf-system-deps bench new new-arguments

# The site, with the whole edition or memo as a PDF (WeasyPrint, from the print/ page).
# Builds of one commit are byte-identical: every date written is the last commit's.
site: $(VENV)/.site-deps $(VENV)/.pdf-deps pdf-system-deps
	export SOURCE_DATE_EPOCH=$$(git log -1 --format=%ct 2>/dev/null || echo 0) && \
	  $(BIN)/mkdocs build --strict --site-dir site && \
	  $(BIN)/python -m scholarly.memo_pdf site

# Adds this build's new section anchors to anchors.lock (never removes any).
anchors: $(VENV)/.site-deps
	tmp=$$(mktemp -d) && UPDATE_ANCHOR_LEDGER=1 $(BIN)/mkdocs build --strict --site-dir "$$tmp"; \
	  status=$$?; rm -rf "$$tmp"; exit $$status

# A preview that rebuilds only the pages you change (--dirty): not --strict, since
# MkDocs warns on every dirty build; `make check` and `make site` stay strict.
serve: $(VENV)/.site-deps
	$(BIN)/mkdocs serve --dirty --no-strict

test: $(VENV)/.test-deps browser-deps pdf-system-deps
	$(BIN)/python -m pytest

# The PDF is part of the site; `make pdf` is a name for those who look for it.
pdf: site

# The browser tests drive Debian's Chromium, or the browser CHROMIUM names (a browser
# download by Playwright is not possible everywhere), and inject axe-core, pinned in
# package-lock.json.
browser-deps: node_modules/.package-lock.json
	test -x "$${CHROMIUM:-/usr/bin/chromium}" || { $(APT) update && $(APT) install -y --no-install-recommends chromium; }

node_modules/.package-lock.json: package.json package-lock.json
	command -v npm >/dev/null || { $(APT) update && $(APT) install -y --no-install-recommends npm; }
	npm ci --ignore-scripts --no-audit --no-fund

# WeasyPrint's system libraries (Pango, HarfBuzz) and a font, installed only if missing.
pdf-system-deps: $(VENV)/.pdf-deps
	$(BIN)/python -c "import weasyprint" 2>/dev/null && fc-list 2>/dev/null | grep -q "DejaVu Serif" || { \
	  $(APT) update && $(APT) install -y --no-install-recommends \
	    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core; }

$(VENV)/.pdf-deps: $(VENV)/.site-deps requirements-pdf.txt
	$(PIP) -r requirements-pdf.txt
	touch $@

check: $(VENV)/.site-deps
	$(BIN)/python -m scholarly.check

# The project's build against plain MkDocs + Material on the same text (bench/README.md).
# BENCH_FLAGS=--quick for a short run, --json for machines.
bench: $(VENV)/.site-deps
	$(BIN)/python bench/run.py $(BENCH_FLAGS)

$(VENV)/.site-deps: requirements.txt constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt
	touch $@

# A new site from this repository (README: "Start a new site"), made by copier from
# template/: DEST is its folder; TITLE, AUTHORS ("Family, Given; ..." or one collective
# name), EDITION=yes with BASIS_TITLE, BASIS_AUTHORS, BASIS_YEAR and BASIS_URL for an
# edition of another work, PUBLIC_URL, REPOSITORY_URL and LICENCE (SPDX) answer its
# questions. At a terminal copier asks for the rest; without one (a script, CI) it
# takes the defaults.
new: new-arguments $(VENV)/.new-deps
	$(BIN)/copier copy --trust --vcs-ref HEAD $$([ -t 0 ] || echo --defaults) \
	  --data date_released=$$(date +%F) \
	  $(if $(TITLE),--data title="$(TITLE)") $(if $(AUTHORS),--data authors="$(AUTHORS)") \
	  $(if $(filter yes,$(EDITION)),--data edition=true) \
	  $(if $(BASIS_TITLE),--data basis_title="$(BASIS_TITLE)") \
	  $(if $(BASIS_AUTHORS),--data basis_authors="$(BASIS_AUTHORS)") \
	  $(if $(BASIS_YEAR),--data basis_year="$(BASIS_YEAR)") $(if $(BASIS_URL),--data basis_url="$(BASIS_URL)") \
	  $(if $(PUBLIC_URL),--data public_url="$(PUBLIC_URL)") \
	  $(if $(REPOSITORY_URL),--data repository_url="$(REPOSITORY_URL)") \
	  $(if $(LICENCE),--data content_licence="$(LICENCE)") \
	  "$(CURDIR)" "$(DEST)"

# Checked before anything is installed.
new-arguments:
	@test -f copier.yml || { echo "make new: this folder is a site; run make new in the repository it was made from" >&2; exit 2; }
	@test -n "$(DEST)" || { echo "make new: name the new site's folder, e.g. make new DEST=../my-memo" >&2; exit 2; }

$(VENV)/.new-deps: $(VENV)/.site-deps requirements-new.txt
	$(PIP) -r requirements-new.txt
	touch $@

$(VENV)/.test-deps: $(VENV)/.site-deps requirements-dev.txt requirements-new.txt requirements-pdf.txt
	$(PIP) -r requirements-dev.txt
	touch $@

# After editing requirements*.txt: pin the whole environment again.
lock: $(VENV)/.test-deps
	{ sed -n '1,2p' constraints.txt; $(BIN)/python -m pip freeze --exclude-editable; } > constraints.new
	mv constraints.new constraints.txt

clean:
	rm -rf site $(VENV)
