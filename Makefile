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
	$(BIN)/dudao review examples --out $(OUT) --force
	@echo "评审包已生成：$(OUT)/index.html（网页总览）、$(OUT)/review.xlsx、$(OUT)/feedback/（反馈意见初稿）、$(OUT)/analysis/（逐个文件的分析 JSON）"

test: install
	$(BIN)/python -m pytest

eval: install
	$(BIN)/python scripts/eval_copy.py
	$(BIN)/dudao eval

bench: install
	$(BIN)/python benchmarks/throughput.py
	$(BIN)/python benchmarks/review_copy.py
	$(BIN)/python benchmarks/scale.py

examples: install
	$(BIN)/python scripts/make_examples.py

clean:
	rm -rf out .pytest_cache
