# Every target sets up its own virtual environment on first use.
#   make run    the flagship experiment (ARGS="--out DIR ...")   make test   the test suite
#   make lint   ruff                          make bench  speed benchmarks
#   make app    the workshop app (http://127.0.0.1:8765)
#   make compare  one organisation per policy, side by side
#   make validate the published patterns and world checks (~12 min): results/validation/
#   make notebooks the tutorials     make notebooks-html  render them, run in full, to docs/notebooks/
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: setup run app notebooks notebooks-html validate compare test lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,dask]"
	touch $(STAMP)

ARGS ?=
run: $(STAMP)
	$(BIN)/python -m experiments run heroic_vs_distributed $(ARGS)

APP_PORT ?= 8765
HOST ?= 127.0.0.1
app: $(STAMP)
	@echo "The workshop app: open http://$(HOST):$(APP_PORT) (Ctrl-C stops it)"
	$(BIN)/solara run app.page --host $(HOST) --port $(APP_PORT) --production --no-check-version

notebooks: $(STAMP)
	$(BIN)/python -m pip install --quiet jupyterlab
	$(BIN)/jupyter lab notebooks/

notebooks-html: $(STAMP)
	$(BIN)/python notebooks/render.py

validate: $(STAMP)
	$(BIN)/python -m experiments run validation

compare: $(STAMP)
	$(BIN)/python -m model

test: $(STAMP)
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_model.py
	$(BIN)/python benchmarks/bench_sweep.py
	$(BIN)/python benchmarks/bench_app.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
