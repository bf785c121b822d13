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

# Quiet: setuptools' boxed notice that an editable install is one is not shown (errors are).
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	PYTHONWARNINGS="ignore:Editable installation" \
		$(BIN)/python -m pip install --quiet -e ".[dev,dask]"
	touch $(STAMP)

ARGS ?=
run: $(STAMP)
	$(BIN)/python -m experiments run heroic_vs_distributed $(ARGS)

APP_PORT ?= 8765
HOST ?= 127.0.0.1
# Prints the first free port after APP_PORT when APP_PORT is taken, nothing when it is free
# (or when HOST is not an address of this machine: then the server says so), and a line
# saying what is allowed when APP_PORT is not a port number.
define SPARE_PORT
import errno, socket, sys
host, text = sys.argv[1], sys.argv[2]
if not (text.isdigit() and 1 <= int(text) <= 65535):
    sys.exit(print(f"APP_PORT={text} is not allowed; allowed: a whole number from 1 to 65535"))
def free(port):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            s.bind((host, port))
        except OSError as error:  # taken, or barred; another address: the server says so
            return error.errno not in (errno.EADDRINUSE, errno.EACCES)
    return True
start = int(text)
if not free(start):
    print(next((p for p in range(start + 1, start + 100) if free(p)), start + 1))
endef
# solara run, and nothing but a new line when Ctrl-C stops it
define SERVE_APP
import sys
import click
from solara.__main__ import cli
try:
    cli(["run", "app.page", "--host", sys.argv[1], "--port", sys.argv[2], "--production",
         "--no-check-version"], standalone_mode=False)
except (KeyboardInterrupt, click.exceptions.Abort):
    pass
endef
export SERVE_APP
app: $(STAMP)
	$(eval SPARE := $(shell $(BIN)/python -c '$(SPARE_PORT)' '$(HOST)' '$(APP_PORT)'))
	$(if $(findstring not allowed,$(SPARE)),$(error $(SPARE)))
	$(if $(SPARE),$(error port $(APP_PORT) is in use; run make app APP_PORT=$(SPARE)))
	@echo "The workshop app: open http://$(HOST):$(APP_PORT) (Ctrl-C stops it)"
	@exec $(BIN)/python -c "$$SERVE_APP" '$(HOST)' '$(APP_PORT)'

notebooks: $(STAMP)
	$(BIN)/python -m pip install --quiet jupyterlab
	$(BIN)/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root)

notebooks-html: $(STAMP)
	$(BIN)/python notebooks/render.py

validate: $(STAMP)
	$(BIN)/python -m experiments run validation

compare: $(STAMP)
	$(BIN)/python -m model $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadgroup $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_model.py
	$(BIN)/python benchmarks/bench_sweep.py
	$(BIN)/python benchmarks/bench_app.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
