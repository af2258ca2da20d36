# yibao — make targets.  `make run` and `make test` each work on a fresh clone: they create
# (or reuse) .venv themselves.  Settings for the Voilà server live in voila.json.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Reinstall only when a requirements file or pyproject.toml changed since the last install.
STAMP  := $(VENV)/.yibao-installed
# Our Voilà template, linked into the venv so that any Jupyter run from it (jupyter lab's Voilà
# preview, a plain `voila`) finds the template voila.json names (voila.py stops Voilà at start-up
# when it is missing).  `pip install .` installs the template itself (pyproject.toml's data-files);
# the editable install made here does not install data files, hence the link (edits show at once).
# Never `pip install .` (non-editable) into this .venv: pip would write through the link, and
# uninstalling would then delete the files in share/.
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

# JupyterLab on the notebooks (`make lab`), with the same template path; Voilà's preview (the
# voila package's JupyterLab extension) renders the apps inside it.  The kernels are Lab's own:
# voila.json's culling and kernel client are for the public Voilà server only.
LAB_PORT ?= 8888
LAB_ARGS := --ServerApp.ip=$(HOST) --ServerApp.port=$(LAB_PORT) --ServerApp.port_retries=0 \
            --ServerApp.root_dir=$(CURDIR) --LabApp.default_url=/lab/tree/notebooks/index.ipynb \
            $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: help venv run lab test test-clock pytest lint bench clean

help:
	@echo "make venv   create or update .venv (python3 -m venv + requirements-dev.txt + -e .)"
	@echo "make run    serve the apps: http://$(HOST):$(PORT)/$(HOME_PAGE) (HOST=, PORT= to change)"
	@echo "make lab    JupyterLab on the notebooks (read and change them; Voilà preview inside)"
	@echo "make test   ruff check + pytest (unit, notebook and browser tests)"
	@echo "make test-clock  pytest without the browser tests, clock faked to $(CLOCK_DAYS)"
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

lab: venv
	@echo "JupyterLab — notebooks/index.ipynb first; Voilà preview: the Voilà button of a notebook."
	$(VOILA_ENV) $(BIN)/jupyter lab $(LAB_ARGS)

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

# No test may depend on today's date: the suite (browser tests aside) again with the clock set to
# each of CLOCK_DAYS by faketime (apt-get install faketime); the Jupyter kernels nbval starts
# inherit the faked clock (LD_PRELOAD, FAKETIME). Each day is checked to take first, and each run
# is cut off after CLOCK_TIMEOUT seconds. Left out: tests/test_serving_heartbeat.py, which reads no
# date but times thread joins, and libfaketime 0.9.10 makes Python's timed waits hang
# (wolfcw/libfaketime#390; --exclude-monotonic instead breaks time.sleep, #426).  Also left out:
# the packaging tests (wheel, start-up errors, make lab), which build and start servers and read
# no date (≈50 s a day; they pass under faketime too).
CLOCK_DAYS    ?= 2027-03-01 2030-01-01
CLOCK_TIMEOUT ?= 900
CLOCK_PYTEST  := -p no:cacheprovider --ignore=tests/browser --ignore=tests/test_serving_heartbeat.py \
                 --ignore=tests/test_wheel.py --ignore=tests/test_startup_errors.py \
                 --ignore=tests/test_lab.py

test-clock: venv
	@command -v faketime >/dev/null || { \
		echo "FAILED: make test-clock needs faketime (apt-get install faketime)." >&2; exit 1; }
	@failed=""; \
	for day in $(CLOCK_DAYS); do \
		echo "== faketime '$$day 10:00:00': pytest $(CLOCK_PYTEST) $(PYTEST_ARGS)"; \
		if ! faketime "$$day 10:00:00" $(BIN)/python -c \
			"import datetime, sys; sys.exit(str(datetime.date.today()) != '$$day')"; then \
			echo "FAILED: faketime did not set the clock to $$day." >&2; failed="$$failed $$day"; \
			continue; \
		fi; \
		timeout $(CLOCK_TIMEOUT) faketime "$$day 10:00:00" \
			$(BIN)/python -m pytest $(CLOCK_PYTEST) $(PYTEST_ARGS) || failed="$$failed $$day"; \
	done; \
	if [ -n "$$failed" ]; then \
		echo "FAILED: tests fail with the clock at:$$failed (see above)." >&2; \
		echo "失败：时钟调到$$failed 时有测试不通过——测试不能依赖今天的日期。" >&2; \
		exit 1; \
	fi; \
	echo "test-clock: passed with the clock at $(CLOCK_DAYS)"

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
