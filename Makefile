# Two commands on a fresh machine: `make demo` and `make test` (see README).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
OUT    ?= out/demo

.PHONY: demo test eval bench install clean examples

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

demo: install
	$(BIN)/dudao analyze examples --out $(OUT) --force
	@echo "示例分析结果在 $(OUT)/ （每个文件一个 JSON，汇总见 $(OUT)/summary.json）"

test: install
	$(BIN)/python -m pytest

eval: install
	$(BIN)/dudao eval

bench: install
	$(BIN)/python benchmarks/throughput.py

examples: install
	$(BIN)/python scripts/make_examples.py

clean:
	rm -rf out .pytest_cache
