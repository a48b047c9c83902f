"""Incremental copy detection (dudao.review.copyindex.CopyIndex): checking one new report against
a saved index gives the passages find_copies gives for the same texts. Texts are the invented
ones of test_copydetect."""
from __future__ import annotations

import pytest

from dudao.review.copydetect import find_copies
from dudao.review.copyindex import CopyIndex
from test_copydetect import A, B, C, D, NAMES, STOCK, text

EARLIER = {"A": text(A), "B": text(B), "C": text(C), "D": text(D)}


def spans(pairs, new_id):
    """(partner, new text's span, partner's span, kind) of every passage, new text first."""
    out = set()
    for pair in pairs:
        for p in pair["passages"]:
            if pair["a"] == new_id:
                out.add((pair["b"], p["a_start"], p["a_end"], p["b_start"], p["b_end"], p["kind"]))
            else:
                out.add((pair["a"], p["b_start"], p["b_end"], p["a_start"], p["a_end"], p["kind"]))
    return out


def test_check_equals_find_copies_and_survives_reopening(tmp_path):
    path = tmp_path / "copies.sqlite"
    with CopyIndex(path) as index:
        index.add_many(EARLIER.items(), NAMES)
        assert len(index) == 4
    new = text([STOCK, B[0], A[1], C[2], A[3].replace("云溪县", "新丰县")])
    names = {**NAMES, "N": ["新丰县", "新丰"]}
    with CopyIndex(path) as index:                      # reopened from disk
        got = index.check("N", new, names["N"])
        assert len(index) == 4                          # checking does not add
    want = find_copies([("N", new), *EARLIER.items()], region_names=names)
    want_pairs = [p for p in want["pairs"] if "N" in (p["a"], p["b"])]
    assert spans(got["pairs"], "N") == spans(want_pairs, "N")
    assert {p["b"] for p in got["pairs"]} == {"A", "B", "C"}
    assert got["ratio"] == pytest.approx(want["ratios"]["N"])
    for p in got["pairs"]:
        assert p["a"] == "N" and p["confirmed"] is False
        for x in p["passages"]:
            assert x["a_text"] == new[x["a_start"]:x["a_end"]]
            assert x["b_text"] == EARLIER[p["b"]][x["b_start"]:x["b_end"]]


def test_add_then_check_and_duplicates(tmp_path):
    index = CopyIndex(tmp_path / "i.sqlite")
    index.add("A", text(A), NAMES["A"])
    first = index.check("X", text([B[1], A[2]]), NAMES["B"])
    assert [p["b"] for p in first["pairs"]] == ["A"]
    index.add("X", text([B[1], A[2]]), NAMES["B"])
    second = index.check("Y", text([C[0], B[1]]), NAMES["C"])
    assert {p["b"] for p in second["pairs"]} == {"X"}
    # a passage in every one of three reports is stock phrasing, as in find_copies
    third = text([C[1], A[2]])
    assert index.check("Y", third, NAMES["C"])["pairs"] == []
    assert find_copies([("Y", third), ("A", text(A)), ("X", text([B[1], A[2]]))], region_names=NAMES)["pairs"] == []
    with pytest.raises(ValueError, match="重复"):
        index.add("A", "另一篇")
    assert len(index) == 2
    copy = tmp_path / "copy.sqlite"
    index.save(copy)
    assert len(CopyIndex(copy)) == 2
    assert index.check("Z", text(D), NAMES["D"])["pairs"] == []
