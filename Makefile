# Two set-up commands for a fresh machine (README): `make demo` and `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# setuptools warns on every editable install of a project that maps a package to another folder (our pattern files,
# extractor.pattern_files -> patterns/): "Editable installation. Please be careful with folders ... same name".
# That one notice is known and harmless here; everything else setuptools or pip says is still shown.
QUIET_EDITABLE := PYTHONWARNINGS='ignore:Editable installation'

# Install rasd and convert the sample articles: records in samples/out/records.jsonl, one fact per line shown.
demo: $(BIN)/python
	$(QUIET_EDITABLE) $(BIN)/pip install -q -e .
	$(BIN)/rasd batch samples/articles.jsonl -o samples/out/records.jsonl
	$(BIN)/python samples/show.py samples/out/records.jsonl

# Install the test extras (and every optional extra the tests exercise), lint, and run the whole suite.
test: $(BIN)/python
	$(QUIET_EDITABLE) $(BIN)/pip install -q -e '.[test,all]'
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

bench: $(BIN)/python
	$(QUIET_EDITABLE) $(BIN)/pip install -q -e '.[test,bench]'
	$(BIN)/python bench/numbers.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .hypothesis
