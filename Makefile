# Stable Gradients: `make lab` to learn, `make test` to check. Python >= 3.10 and make needed (and npm for test, html).
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
# A forward pass keeps ~2 x depth fresh arrays alive for the backward pass; with glibc's defaults the freed
# ones go back to the OS and the next pass faults them in again. Keeping 64 MiB of padding on the heap
# makes the core's forward + backward 1.1x the bare matrix products instead of 1.45x (make bench, relu
# 10 x 256 on 512 examples). An environment setting for our own processes, not an import side effect.
# Arrays of 128 KiB and more are mmap-ed and unmapped on free by default, so each slider move faults its
# arrays in again (~3 us a page): up to 32 MiB they come from the heap, and the heap keeps up to 256 MiB free
# (an explorer's compute per move 20-30% faster, make bench).
export MALLOC_TOP_PAD_ ?= 67108864
export MALLOC_MMAP_THRESHOLD_ ?= 33554432
export MALLOC_TRIM_THRESHOLD_ ?= 268435456
PRESENT_PORT ?= 8866
# Jupyter refuses to run as root (containers, some CI machines) unless told to
ROOT_FLAG := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)
NB     ?= notebooks
# The lock: `make` installs these exact versions (see tools/lock.py). `make test CONSTRAINTS=` installs from
# the ranges of requirements.txt alone (another Python than the lock's 3.11, say).
CONSTRAINTS ?= constraints.txt
JS_STAMP := tools/js/node_modules/.installed
# `make lab` reads the project's Jupyter configuration (jupyter/config) and keeps its settings, workspace and
# trusted-notebook records in jupyter/ (git-ignored), never in the user's global ones.
LAB_ENV := JUPYTER_CONFIG_DIR=$(CURDIR)/jupyter/config

.PHONY: lab test test-fast notebooks bench present html nav lock js clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install only when the requirements or the package metadata change.
$(STAMP): requirements.txt $(CONSTRAINTS) pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt $(if $(CONSTRAINTS),-c $(CONSTRAINTS))
	$(BIN)/python -m pip install --quiet -e . --no-deps
	@touch $(STAMP)

# The JavaScript the course site serves itself and axe-core for the accessibility tests (npm, tools/js)
$(JS_STAMP): tools/js/package.json tools/js/package-lock.json
	cd tools/js && npm ci --no-audit --no-fund --loglevel=error
	@touch $(JS_STAMP)

## js: install the site's JavaScript (MathJax, require.js, the widget renderer) and axe-core with npm
js: $(JS_STAMP)

## lab: JupyterLab at http://localhost:$(PORT) (token authentication), opened on notebooks/00_start_here.ipynb,
##      with the project's own settings (no news pop-up) and workspace (jupyter/)
lab: $(STAMP)
	@$(LAB_ENV) $(BIN)/jupyter trust notebooks/*.ipynb >/dev/null
	$(LAB_ENV) $(BIN)/jupyter lab --ServerApp.port=$(PORT) $(ROOT_FLAG)

## test: unit tests, claim tests, widget tests, notebooks under nbval (strict) and browser tests
test: $(STAMP) $(JS_STAMP)
	$(BIN)/python -m pytest --durations=15

## test-fast: the unit, claim and widget tests only (no notebooks, no browser)
test-fast: $(STAMP)
	$(BIN)/python -m pytest tests -m "not slow and not browser"

## notebooks: re-execute every notebook in place, top to bottom
notebooks: $(STAMP)
	$(BIN)/python -m tools.run_notebooks notebooks/*.ipynb

## bench: benchmarks of the compute core, the explorers, the sliders in JupyterLab + Chromium (key press to new
##        figure), PNG vs ipympl, the axe counts and the notebooks -> benchmarks/RESULTS.md (about 15 min);
##        a part only: make bench BENCH_ARGS="--only browser --notebooks 02"
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run_all $(BENCH_ARGS)

## present: the notebooks as slider apps, outputs only (Voila), at http://localhost:$(PRESENT_PORT) with a token;
##          one notebook: make present NB=notebooks/02_variance_blowup.ipynb
present: $(STAMP)
	$(BIN)/voila $(NB) --Voila.ip=localhost --port=$(PRESENT_PORT) --Voila.auto_token=True

## html: the course site (Jupyter Book 1, works offline) of the executed notebooks in site/ (open site/index.html)
html: $(STAMP) $(JS_STAMP)
	$(BIN)/python -m tools.site --out site

## nav: insert or refresh the in-notebook navigation, Colab and Binder cells of every notebook (tools/nav.py)
nav: $(STAMP)
	$(BIN)/python -m tools.nav notebooks

## lock: rewrite constraints.txt and binder/requirements.txt from .venv (after upgrading it; see tools/lock.py)
lock: $(STAMP)
	$(BIN)/python -m tools.lock

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build site tools/js/node_modules
