# SPDX-License-Identifier: EUPL-1.2
# The two commands of the README:  `make demo`  and  `make test`.
# Everything else is installed by these targets: uv (through pip, in .tools/), then the locked
# dependencies (uv.lock) into .venv/.

PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)

.PHONY: demo test install lint format openapi messages clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.installed: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python "$$(command -v $(PYTHON))"
	touch $@

install: $(VENV)/.installed

## Start the demo: a synthetic region on SQLite at http://127.0.0.1:8000
demo: install
	$(VENV)/bin/wmo-sla demo

## Run the whole test suite (lint, types, migrations, OpenAPI drift, pytest on SQLite and PostgreSQL)
test: install
	bin/run-tests

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## Regenerate the committed OpenAPI document after an API change
openapi: install
	DJANGO_SETTINGS_MODULE=wmo_sla.conf.ci $(VENV)/bin/wmo-sla manage spectacular \
		--validate --fail-on-warn --lang nl --file openapi.yaml

clean:
	rm -rf $(VENV) $(TOOLS) var test-artifacts
