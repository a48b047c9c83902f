"""The scoring engine against hand-computed numbers: every rule kind, N/A, bonus cap, gates, band edges."""
import pytest
from framework_kit import small

from dudao.framework.check import check_framework
from dudao.framework.score import Entry, RegionScores, apply_gates, band_for, rule_score, score_region


def leaf(fw, pid):
    return next(n for n in fw.leaves() if n.id == pid)


@pytest.mark.parametrize("count,expected", [(0, 10), (1, 8), (3, 4), (5, 4), (100, 4)])
def test_deduct_per_occurrence_with_cap(count, expected):
    # 10 points, 2 per occurrence, at most 6 off
    assert rule_score(leaf(small(), "A1"), count) == expected


def test_deduct_without_cap_stops_at_zero():
    fw = small()
    node = leaf(fw, "A1").model_copy(update={"rule": leaf(fw, "A1").rule.model_copy(update={"cap": None})})
    assert rule_score(node, 4) == 2
    assert rule_score(node, 7) == 0


@pytest.mark.parametrize("value,expected", [(85, 20), (84.9, 5), (100, 20)])
def test_threshold(value, expected):
    assert rule_score(leaf(small(), "A2"), value) == expected


@pytest.mark.parametrize("value,expected", [(90, 30), (72, 24), (0, 0), (100, 30), (45, 15)])
def test_prorata_at_least(value, expected):
    assert rule_score(leaf(small(), "A3"), value) == expected


@pytest.mark.parametrize("value,expected", [(5, 10), (8, 6.25), (0, 10), (10, 5)])
def test_prorata_at_most(value, expected):
    assert rule_score(leaf(small(), "B1"), value) == expected


def test_manual_rule_computes_nothing():
    assert rule_score(leaf(small(), "B2"), 3) is None


def _region(fw, verified, self_scores=None, na=(), bonus=None, gates=()):
    rs = RegionScores(region="甲县")
    for pid, v in verified.items():
        s = (self_scores or {}).get(pid, v)
        rs.entries[pid] = Entry(point=pid, where=f"第{pid}行", self_score=s, verified=v, na=pid in na)
    for bid, v in (bonus or {}).items():
        rs.bonus[bid] = Entry(point=bid, where="", self_score=v, verified=v)
    rs.gates = [(g, "备注") for g in gates]
    return rs


FULL = {"A1": 6, "A2": 20, "A3": 24, "B1": 6.25, "B2": 30}


def test_totals_without_na():
    r = score_region(small(), _region(small(), FULL))
    assert r["verified_total"] == 86.25 and r["grade"] == "良好"
    assert r["deducted"] == 13.75  # 4 + 0 + 6 + 3.75
    assert [d["id"] for d in r["deductions"]] == ["A1", "A3", "B1"]


def test_na_rescaled_to_full_score():
    fw = small()
    r = score_region(fw, _region(fw, {**FULL, "B2": None}, na={"B2"}))
    # (6 + 20 + 24 + 6.25) / 70 × 100 = 80.357…
    assert r["verified_base"] == 80.36 and r["not_applicable"] == ["B2"]
    assert r["grade"] == "良好"


def test_na_counted_as_zero():
    fw = small(na_policy="zero")
    r = score_region(fw, _region(fw, {**FULL, "B2": None}, na={"B2"}))
    assert r["verified_base"] == 56.25 and r["grade"] == "不合格"


def test_na_not_allowed_is_an_error():
    fw = small(na_policy="forbid")
    r = score_region(fw, _region(fw, {**FULL, "B2": None}, na={"B2"}))
    assert r["verified_base"] == 56.25 and r["not_applicable"] == []
    assert any("不允许不适用" in e for e in r["errors"])


def test_bonus_cap():
    fw = small()
    r = score_region(fw, _region(fw, FULL, bonus={"J1": 4, "J2": 3}))
    assert r["bonus_claimed"] == 7 and r["bonus"] == 5
    assert r["verified_total"] == 91.25 and r["grade"] == "优秀"


def test_bonus_item_above_its_maximum_is_rejected():
    fw = small()
    r = score_region(fw, _region(fw, FULL, bonus={"J1": 5}))
    assert r["bonus"] == 0 and any("超过该项最高 4 分" in e for e in r["errors"])


def test_score_out_of_range_is_named_and_region_still_scored():
    fw = small()
    r = score_region(fw, _region(fw, {**FULL, "A1": 12, "A2": -1}))
    assert any("第A1行" in e and "超过" in e for e in r["errors"])
    assert any("第A2行" in e and "小于 0" in e for e in r["errors"])
    assert r["verified_total"] == 60.25  # A1 and A2 count 0, the rest stands


def test_measured_value_computes_verified_score():
    fw = small()
    rs = _region(fw, {**FULL, "A3": None})
    rs.entries["A3"].value = 81
    r = score_region(fw, rs)
    a3 = next(p for p in r["points"] if p["id"] == "A3")
    assert a3["verified"] == 27  # 30 × 81 / 90


def test_credibility_and_gaps():
    fw = small()
    self_scores = {"A1": 10, "A2": 20, "A3": 30, "B1": 10, "B2": 30}
    r = score_region(fw, _region(fw, FULL, self_scores=self_scores))
    assert r["self_total"] == 100
    # Σ|gap| = 4 + 6 + 3.75 = 13.75 over Σmax 100
    assert r["credibility"] == pytest.approx(0.8625)
    assert [g["id"] for g in r["largest_gaps"]] == ["A3", "A1", "B1"]


@pytest.mark.parametrize("total,grade", [(105, "优秀"), (100, "优秀"), (90, "优秀"), (89.99, "良好"), (80, "良好"),
                                         (79.99, "合格"), (60, "合格"), (59.99, "不合格"), (0, "不合格")])
def test_band_edges(total, grade):
    assert band_for(small(), total).name == grade


@pytest.mark.parametrize("start,gates,expected", [
    ("优秀", ["V"], "不合格"), ("合格", ["V"], "不合格"),
    ("优秀", ["D"], "良好"), ("合格", ["D"], "不合格"), ("不合格", ["D"], "不合格"),
    ("优秀", ["N"], "良好"), ("良好", ["N"], "良好"),
    ("优秀", ["D", "N"], "良好"), ("良好", ["D", "V"], "不合格"),
])
def test_gates(start, gates, expected):
    fw = small()
    band = next(b for b in fw.bands if b.name == start)
    assert apply_gates(fw, band, gates).name == expected


def test_gate_in_region_result():
    fw = small()
    r = score_region(fw, _region(fw, FULL, bonus={"J1": 4}, gates=["N"]))
    assert r["verified_total"] == 90.25 and r["grade_before_gates"] == "优秀" and r["grade"] == "良好"
    assert r["gates"][0]["kind"] == "no_excellent"


def test_missing_point_is_reported():
    fw = small()
    r = score_region(fw, _region(fw, {k: v for k, v in FULL.items() if k != "B2"}))
    assert any("B2" in e for e in r["errors"]) and r["verified_total"] == 56.25


def test_check_finds_sum_band_and_id_problems():
    assert check_framework(small()) == []
    data_bad = small(bands=[{"name": "优秀", "min": 90}, {"name": "良好", "min": 80, "max": 89},
                            {"name": "不合格", "min": 0, "max": 80}])
    assert any("空档" in p for p in check_framework(data_bad))
    fw = small()
    fw.nodes[0].children[0].points = 11
    fw.nodes[1].id = "A"
    problems = check_framework(fw)
    assert any("下级分值合计 61" in p for p in problems)
    assert any("一级指标分值合计" not in p and "重复" in p for p in problems)
    overlap = small(bands=[{"name": "优秀", "min": 90}, {"name": "合格", "min": 0, "max": 95}])
    assert any("重叠" in p for p in check_framework(overlap))
    low = small(bands=[{"name": "优秀", "min": 90}, {"name": "合格", "min": 10, "max": 90}])
    assert any("没有等次" in p for p in check_framework(low))
