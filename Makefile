# Stable Gradients: `make lab` to learn, `make test` to check. Only Python >= 3.10 and make needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888

.PHONY: lab test test-fast notebooks bench present html nav clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install only when the requirements or the package metadata change.
$(STAMP): requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet -e . --no-deps
	@touch $(STAMP)

## lab: start JupyterLab on notebooks/ at http://localhost:$(PORT) (token authentication)
lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks --ServerApp.ip=localhost --port=$(PORT)

## test: unit tests, claim tests, widget tests, notebooks under nbval (strict) and browser tests
test: $(STAMP)
	$(BIN)/python -m pytest

## test-fast: the unit tests only
test-fast: $(STAMP)
	$(BIN)/python -m pytest tests -m "not slow"

## notebooks: re-execute every notebook in place, top to bottom
notebooks: $(STAMP)
	$(BIN)/python tools/run_notebooks.py notebooks/*.ipynb

## bench: benchmarks of the compute core, the explorers and the notebooks -> benchmarks/RESULTS.md
bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
