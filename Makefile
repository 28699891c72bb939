# Two commands on a fresh machine: `make run` and `make test`. Both build .venv from the registries.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= storyline.db

.PHONY: run test lint bench quality train-cleaner clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,bench,scale]'
	touch $@ $(VENV)/.installed

OUT ?= out

run: $(VENV)/.installed
	$(BIN)/storyline run examples --out $(OUT)
	$(BIN)/storyline stories --db $(OUT)/storyline.db
	@echo "open in a browser: $(abspath $(OUT))/index.html  (or serve it: $(BIN)/storyline serve --db $(OUT)/storyline.db)"

test: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src
	$(BIN)/python -m pytest -m "slow or not slow"  # everything; plain `pytest` skips the slow tests

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/html_eval.py

quality: $(VENV)/.installed-test
	$(BIN)/python benchmarks/quality.py

# Refit the cleaner's line model (src/storyline/clean/line_model.json) from ../shared/data.
train-cleaner: $(VENV)/.installed-test
	$(BIN)/python benchmarks/train_cleaner.py

clean:
	rm -rf $(VENV) $(OUT) $(DB) $(DB)-wal $(DB)-shm
