# Stable Gradients: `make lab` to learn, `make test` to check. Only Python >= 3.10 and make needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888
# The series multiplies small matrices (at most a few hundred wide): one BLAS thread is about as fast,
# and never stalls spinning for a second core that the browser or another kernel is using.
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1
PRESENT_PORT ?= 8866
# Jupyter refuses to run as root (containers, some CI machines) unless told to
ROOT_FLAG := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)
NB     ?= notebooks

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
	$(BIN)/jupyter lab --notebook-dir=notebooks --ServerApp.ip=localhost --port=$(PORT) $(ROOT_FLAG)

## test: unit tests, claim tests, widget tests, notebooks under nbval (strict) and browser tests
test: $(STAMP)
	$(BIN)/python -m pytest --durations=15

## test-fast: the unit, claim and widget tests only (no notebooks, no browser)
test-fast: $(STAMP)
	$(BIN)/python -m pytest tests -m "not slow and not browser"

## notebooks: re-execute every notebook in place, top to bottom
notebooks: $(STAMP)
	$(BIN)/python tools/run_notebooks.py notebooks/*.ipynb

## bench: benchmarks of the compute core, the explorers and the notebooks -> benchmarks/RESULTS.md
bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

## present: the notebooks as slider apps, outputs only (Voila), at http://localhost:$(PRESENT_PORT) with a token;
##          one notebook: make present NB=notebooks/02_variance_blowup.ipynb
present: $(STAMP)
	$(BIN)/voila $(NB) --Voila.ip=localhost --port=$(PRESENT_PORT) --Voila.auto_token=True

## html: a static site of the executed notebooks in site/ (open site/index.html);
##       WIDGETS_JS=DIR makes it work offline (see tools/build_html.py)
html: $(STAMP)
	$(BIN)/python tools/build_html.py --out site $(if $(WIDGETS_JS),--widgets-js $(WIDGETS_JS))

## nav: insert or refresh the navigation, Colab and Binder cells of every notebook (tools/nav.py)
nav: $(STAMP)
	$(BIN)/python tools/nav.py notebooks

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
