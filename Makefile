# The two commands a newcomer needs: `make demo` and `make test`. Each creates .venv when it is missing.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: demo test test-fast bench clean-venv

$(BIN)/taskforce: setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# The main job: a complete invented workspace in demo-workspace/ (drafts, PDFs, archive, index, searches).
demo: $(BIN)/taskforce
	$(BIN)/taskforce --home demo-workspace demo

# The benchmark suite at 1,000 and 10,000 documents (tens of minutes); writes bench/RESULTS.md.
bench: $(BIN)/taskforce
	$(BIN)/python -m bench --docs 1000 --docs 10000

# The whole suite: what CI runs.
test: $(BIN)/taskforce
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# The edit-test loop: everything but the tests marked slow (crash trials, OCR, LibreOffice, browser, wheel).
test-fast: $(BIN)/taskforce
	$(BIN)/python -m pytest -q -m "not slow" $(PYTEST_ARGS)

clean-venv:
	rm -rf $(VENV)
