# The two commands of the README: `make run` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
SAMPLES := samples/nanchang
OUT    ?= out

.PHONY: run serve test install install-dev system-deps system-deps-test eval bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

system-deps:
	@scripts/system-deps.sh runtime
system-deps-test:
	@scripts/system-deps.sh test

AS_OF  ?= 2024
DB     := sqlite:///$(OUT)/planwatch.db

## run: the main job on the bundled Nanchang samples — extract, store, link, assess as of $(AS_OF)
run: install system-deps
	@mkdir -p $(OUT) && rm -f $(OUT)/planwatch.db
	$(PY) -m planwatch extract $(SAMPLES) --format jsonl > $(OUT)/claims.jsonl
	$(PY) -m planwatch ingest $(SAMPLES) --db $(DB) --as-of $(AS_OF)
	$(PY) -m planwatch assess --db $(DB) --as-of $(AS_OF) --format jsonl > $(OUT)/assessments.jsonl
	@echo "The $(AS_OF) commitments of the work report (001) and their verdicts:"
	COLUMNS=180 $(PY) -m planwatch assess --db $(DB) --as-of $(AS_OF) --format table --doc 001
	$(PY) -m planwatch report --db $(DB) --as-of $(AS_OF) --out $(OUT)/report
	@echo "wrote $(OUT)/claims.jsonl (every claim with its quote), $(OUT)/assessments.jsonl (every target's verdict), $(OUT)/planwatch.db, and the report (DOCX, XLSX, PDF, HTML, Markdown) in $(OUT)/report/"
	@echo "browse it: make serve   (planwatch serve --db $(DB), then open http://127.0.0.1:8000)"

## serve: the dashboard over what make run stored
serve: install
	$(PY) -m planwatch serve --db $(DB)

## test: the whole suite
test: install-dev system-deps-test
	$(PY) -m pytest -q

## eval: extraction scores on the dev gold (../shared/gold/dev)
eval: install
	$(PY) -m planwatch eval --gold ../shared/gold/dev --docs $(SAMPLES)

bench: install
	$(PY) bench/extract_speed.py

clean:
	rm -rf $(VENV) $(OUT) planwatch.db .pytest_cache
