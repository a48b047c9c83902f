# Two commands on a fresh machine: `make demo` and `make test` (see README).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
DEV    := $(VENV)/.dev-$(shell cksum pyproject.toml | cut -d' ' -f1)
OUT    ?= out/demo
# setuptools prints an information-only notice on every editable install (not a warning about
# this project); filtered by its exact text so that real warnings still show.
PIP    := PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip

.PHONY: demo test eval bench install clean examples

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

# benchmarks/ and scripts/ need the [dev] extra (psutil, jieba, reportlab).
$(DEV): $(STAMP)
	$(PIP) install -q -e '.[test,dev]'
	rm -f $(VENV)/.dev-*
	touch $@

demo: install
	$(BIN)/dudao review examples --out $(OUT) --force
	for fw in county_example youzhi_junheng xueqian_puhui; do $(BIN)/dudao framework check $$fw || exit 1; done
	$(BIN)/dudao score --framework county_example --scores examples/frameworks/县级履职评分表.xlsx --out $(OUT)/评分结果.xlsx
	$(BIN)/dudao score --framework youzhi_junheng --scores examples/frameworks/优质均衡评分表.xlsx --out $(OUT)/优质均衡评分结果.xlsx
	$(BIN)/dudao score --framework xueqian_puhui --scores examples/frameworks/普及普惠评分表.xlsx --out $(OUT)/普及普惠评分结果.xlsx
	@echo "评审包已生成：$(OUT)/index.html（网页总览）、$(OUT)/review.xlsx、$(OUT)/feedback/（反馈意见初稿）、$(OUT)/analysis/（逐个文件的分析 JSON）；评分结果：$(OUT)/*评分结果.xlsx"

# The platform tests run on SQLite and on a throwaway PostgreSQL server (installed if missing).
test: install
	eval "$$(bash scripts/start_postgres.sh)" && $(BIN)/python -m pytest

eval: install
	$(BIN)/python scripts/eval_copy.py
	$(BIN)/dudao eval
	$(BIN)/python scripts/eval_rectify.py
	@echo "第二套评测集（rectify_blind2，原为盲测，已用于调整规则，不再是盲测）："
	$(BIN)/python scripts/eval_rectify.py tests/fixtures/rectify_blind2
	@echo "第三套评测集（rectify_blind3，原为盲测，已用于调整规则，不再是盲测）："
	$(BIN)/python scripts/eval_rectify.py tests/fixtures/rectify_blind3
	@echo "第四套评测集（rectify_blind4，原为盲测，已用于调整规则，不再是盲测）："
	$(BIN)/python scripts/eval_rectify.py tests/fixtures/rectify_blind4
	@echo "第五套评测集（rectify_blind5，原为盲测，已用于调整规则，不再是盲测）："
	$(BIN)/python scripts/eval_rectify.py tests/fixtures/rectify_blind5
	@echo "第六套评测集（rectify_blind6，原为盲测，已用于开发，不再是盲测）："
	$(BIN)/python scripts/eval_rectify.py tests/fixtures/rectify_blind6
	@echo "第七套评测集（rectify_blind7，原为盲测，已用于开发，不再是盲测）："
	$(BIN)/python scripts/eval_rectify.py tests/fixtures/rectify_blind7
	@echo "第八套评测集（rectify_blind8，原为盲测，已用于开发，不再是盲测）："
	$(BIN)/python scripts/eval_rectify.py tests/fixtures/rectify_blind8
	@echo "第九套评测集（rectify_blind9，原为盲测，已用于开发，不再是盲测）："
	$(BIN)/python scripts/eval_rectify.py tests/fixtures/rectify_blind9
	@echo "第十至十九、二十三至二十七、五十八至一百四十五套评测集（原为盲测，首次评测后成为学习模型的训练数据）："
	$(BIN)/python scripts/eval_rectify.py $(foreach n,10 11 12 13 14 15 16 17 18 19 23 24 25 26 27 58 59 60 61 62 63 64 65 66 67 68 69 70 71 72 73 74 75 76 77 78 79 80 81 82 83 84 85 86 87 88 89 90 91 92 93 94 95 96 97 98 99 100 101 102 103 104 105 106 107 108 109 110 111 112 113 114 115 116 117 118 119 120 121 122 123 124 125 126 127 128 129 130 131 132 133 134 135 136 137 138 139 140 141 142 143 144 145,tests/fixtures/rectify_blind$(n))
	@echo "留出的盲测（rectify_blind20–22、28–57，三十三位作者在未读规则的情况下编写，从未用于调整或训练）："
	$(BIN)/python scripts/eval_rectify.py --total $(foreach n,20 21 22 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57,tests/fixtures/rectify_blind$(n))
	@echo "最新留出的盲测（rectify_blind146–153，八位作者按新的编写说明编写，从未用于调整或训练）："
	$(BIN)/python scripts/eval_rectify.py --total $(foreach n,146 147 148 149 150 151 152 153,tests/fixtures/rectify_blind$(n))
	@echo "整改判定：规则、规则+核验模型、再加状态模型，留一评测集交叉验证（在其余各套上训练，评本套；约一小时）："
	$(BIN)/python scripts/train_rectify_model.py --loso
	$(BIN)/python scripts/eval_doctype.py

bench: $(DEV)
	$(BIN)/python benchmarks/extractors.py
	$(BIN)/python benchmarks/throughput.py
	$(BIN)/python benchmarks/review_copy.py
	$(BIN)/python benchmarks/scale.py

examples: $(DEV)
	$(BIN)/python scripts/make_examples.py

clean:
	rm -rf out .pytest_cache
