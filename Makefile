# Two commands set up a fresh machine: `make lab` and `make test`.
# Both create .venv when it is missing and install what is needed, idempotently.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYSTEM_PACKAGES := bubblewrap graphviz chromium

.PHONY: lab test lint bench conformance install system-packages clean

# JupyterLab refuses to run as root without --allow-root (containers, Binder-like machines).
lab: install
	$(BIN)/jupyter lab --ServerApp.root_dir=lessons $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

# The tests compute on small tensors, where torch's worker threads mostly wait for each other:
# with another job on the same cores they made some tests 30-60x slower. One thread keeps
# the suite's time steady (the suite also passes with OMP_NUM_THREADS=2: set it to compare).
test: install
	$(BIN)/ruff check .
	OMP_NUM_THREADS=$${OMP_NUM_THREADS:-1} $(BIN)/python -m pytest --durations=25

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python bench/fit_overhead.py

conformance: install
	$(BIN)/python scripts/keras_conformance.py

install: system-packages $(STAMP)

# apt-get only runs as root and only for packages that are missing.
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q $$missing; \
	  else echo "Please install:$$missing (needs root)"; fi; fi

# torch is pinned here so pip takes the CPU build from local disk instead of a multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e ".[test,bench,onnx]"
	touch $(STAMP)

clean:
	rm -rf $(VENV)
