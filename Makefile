# yibao — make targets.  `make run` and `make test` each work on a fresh clone: they create
# (or reuse) .venv themselves.  Settings for the Voilà server live in voila.json.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Reinstall only when a requirements file or pyproject.toml changed since the last install.
STAMP  := $(VENV)/.yibao-installed
# Our Voilà template, linked into the venv so that any Jupyter run from it (jupyter lab's Voilà
# preview, a plain `voila`) finds the template voila.json names; without it Voilà's server
# extension hangs on the page instead of failing.
TEMPLATE_LINK := $(VENV)/share/jupyter/voila/templates/yibao

HOST ?= 127.0.0.1
PORT ?= 8866
HOME_PAGE := voila/render/notebooks/index.ipynb

# Voilà exactly as the apps are served: from the project root (so /voila/render/notebooks/...
# works), with voila.json from the project root only (a stray ~/.jupyter/voila.json is ignored),
# and our template (share/jupyter/voila/templates/yibao) on the Jupyter data path.
# tests/browser/conftest.py starts the same command; tests/test_serving_config.py checks that.
VOILA_ENV  := JUPYTER_PATH=$(CURDIR)/share/jupyter$(if $(JUPYTER_PATH),:$(JUPYTER_PATH))
VOILA_ARGS := --no-browser --Voila.ip=$(HOST) --Voila.port=$(PORT) --Voila.port_retries=0 \
              --Voila.config_file_paths=$(CURDIR)

.PHONY: help venv run test pytest lint bench clean

help:
	@echo "make venv   create or update .venv (python3 -m venv + requirements-dev.txt + -e .)"
	@echo "make run    serve the apps: http://$(HOST):$(PORT)/$(HOME_PAGE) (HOST=, PORT= to change)"
	@echo "make test   ruff check + pytest (unit, notebook and browser tests)"
	@echo "make pytest pytest only (PYTEST_ARGS= to pass options)"
	@echo "make lint   ruff check + ruff format --check"
	@echo "make bench  run every benchmarks/*.py"
	@echo "make clean  remove caches and test artifacts (keeps .venv)"

venv: $(STAMP) $(TEMPLATE_LINK)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -r requirements-dev.txt -e .
	touch $@

$(TEMPLATE_LINK): | $(STAMP)
	mkdir -p $(dir $@)
	ln -sfn $(CURDIR)/share/jupyter/voila/templates/yibao $@

run: venv
	@echo "医保个人账户小工具 — 设置见 voila.json，按 Ctrl-C 停止。"
	@echo "首页 / Home page: http://$(HOST):$(PORT)/$(HOME_PAGE)"
	@echo "(serving $(CURDIR) with the settings in voila.json; Ctrl-C stops)"
	$(VOILA_ENV) $(BIN)/voila $(VOILA_ARGS)

test: venv
	$(BIN)/ruff check .
	@$(MAKE) --no-print-directory pytest

# pytest alone; exit code 5 (no tests collected) is a failure: CI must never pass without tests.
pytest: venv
	@echo "$(BIN)/python -m pytest $(PYTEST_ARGS)"; \
	status=0; $(BIN)/python -m pytest $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ]; then \
		echo "FAILED: pytest collected no tests (exit code 5) — CI must never pass without tests." >&2; \
		echo "失败：没有收集到任何测试。" >&2; \
		exit 1; \
	fi; \
	exit $$status

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: venv
	@set -e; found=0; \
	for script in benchmarks/*.py; do \
		[ -e "$$script" ] || continue; \
		found=1; \
		echo "== $$script"; \
		$(VOILA_ENV) $(BIN)/python "$$script"; \
	done; \
	if [ $$found -eq 0 ]; then echo "no benchmarks/*.py found" >&2; exit 1; fi

clean:
	rm -rf test-artifacts .pytest_cache .ruff_cache build *.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
	find . -path ./$(VENV) -prune -o -name .ipynb_checkpoints -type d -prune -exec rm -rf {} +
