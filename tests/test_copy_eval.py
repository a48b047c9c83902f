"""The copy-detection evaluation set (tests/fixtures/copypairs) and its gate: passage-level
precision ≥ 95 % and recall ≥ 90 % (scripts/eval_copy.py, also run by `make eval`)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("eval_copy", ROOT / "scripts" / "eval_copy.py")
eval_copy = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(eval_copy)


@pytest.fixture(scope="module")
def pairs():
    return eval_copy.load_pairs()


def test_set_is_large_and_varied(pairs):
    assert len(pairs) >= 30
    kinds = {p["kind"] for p in pairs}
    assert {"verbatim", "edited", "template", "independent", "formula", "signoff", "policy",
            "statistics"} <= kinds
    assert sum(len(p["gold"]) for p in pairs) >= 20


def test_gold_spans_quote_the_texts(pairs):
    for p in pairs:
        for g in p["gold"]:
            assert p["a"][g["a_start"]:g["a_end"]] == g["a_text"], p["id"]
            assert p["b"][g["b_start"]:g["b_end"]] == g["b_text"], p["id"]


def test_matching_rule():
    gold = {"a_start": 100, "a_end": 200, "b_start": 10, "b_end": 110}
    assert eval_copy.matches({"a_start": 150, "a_end": 400, "b_start": 60, "b_end": 300}, gold)
    assert not eval_copy.matches({"a_start": 160, "a_end": 400, "b_start": 60, "b_end": 300}, gold)
    assert not eval_copy.matches({"a_start": 100, "a_end": 200, "b_start": 500, "b_end": 600}, gold)


def test_precision_and_recall_reach_the_targets(pairs):
    r = eval_copy.evaluate(pairs)
    assert r["precision"] >= eval_copy.MIN_PRECISION, r["errors"]
    assert r["recall"] >= eval_copy.MIN_RECALL, r["errors"]
