"""One home for indicator semantics: units, year scopes, standards and the pass/fail verdict."""
import pytest

from dudao.resources import load_yaml
from dudao.semantics import (base_unit, convert, in_base_unit, is_money, is_year_scope, judge, scale_of,
                             series_rules, standard_rule, standard_text, year_of_scope)


@pytest.mark.parametrize("unit, scale", [("亿元", 1e8), ("万元", 1e4), ("千元", 1e3), ("元", 1), ("万个", 1e4),
                                         ("万", 1e4), ("千米", 1), ("千克", 1), ("%", 1), ("", 1), (None, 1)])
def test_scale_of(unit, scale):
    assert scale_of(unit) == scale


def test_base_units_and_conversion():
    assert base_unit("亿元") == ("元", 1e8) and base_unit("‰") == ("%", 0.1)
    assert in_base_unit(12.67, "亿元") == pytest.approx(1.267e9)
    assert convert(1.2, "亿元", "万元") == pytest.approx(12000)
    assert convert(5, "‰", "%") == pytest.approx(0.5)
    assert convert(3, "人", "元") is None and in_base_unit(None, "元") is None
    assert is_money("万元") and is_money("元") and not is_money("万人") and not is_money(None)


@pytest.mark.parametrize("scope, year", [("2021", 2021), ("2021年", 2021), ("2020年度", 2020), ("小学", None),
                                         (None, None), ("2021-2022", None), ("1890", None)])
def test_year_scopes(scope, year):
    assert year_of_scope(scope) == year and is_year_scope(scope) == (year is not None)


def _ind(name, value, unit="%", scope=None, kind="actual"):
    return {"name": name, "value": value, "unit": unit, "scope": scope, "kind": kind}


def test_judge_thresholds_and_scopes():
    assert judge(_ind("普惠性幼儿园覆盖率", 78.0))["meets"] is False
    v = judge(_ind("普惠性幼儿园覆盖率", 92.5))
    assert v["meets"] is True and v["standard"] == "≥80%" and "督导评估办法" in v["source"]
    assert judge(_ind("校际差异系数", 0.48, "", "初中"))["meets"] is False     # 初中 ≤ 0.45
    assert judge(_ind("校际差异系数", 0.48, "", "小学"))["meets"] is True      # 小学 ≤ 0.50
    assert judge(_ind("普惠性幼儿园覆盖率", 78.0, scope="2021"))["meets"] is False  # a year is no scope


def test_judge_kinds_units_and_provinces():
    assert judge(_ind("普惠性幼儿园覆盖率", 70.0, kind="target"))["meets"] is None
    assert judge(_ind("普惠性幼儿园覆盖率", None))["meets"] is None
    assert judge(_ind("社会公众满意度", 9.2, "分"))["meets"] is True            # 9.2 of 10 = 92
    assert judge(_ind("生均公用经费", 0.07, "万元", "小学"))["meets"] is None     # not comparable in 万元
    west = judge(_ind("生均公用经费", 620, "元", "小学"), "四川省")
    east = judge(_ind("生均公用经费", 620, "元", "小学"), "江苏省")
    assert west["meets"] is True and east["meets"] is False
    assert east["standard"] == "≥600元（东部≥650元）"
    assert judge(_ind("不在标准里的指标", 1.0))["rule"] is None
    assert judge(_ind("近视率变化", -0.3, "个百分点", kind="change"))["meets"] is False
    assert standard_text(None) == "—"


def test_series_rule_is_data_and_not_a_threshold():
    assert "一般公共预算教育支出" in series_rules("no_fall")
    assert standard_rule("一般公共预算教育支出", None) is None
    assert judge(_ind("一般公共预算教育支出", 3.2, "亿元"))["meets"] is None


def test_every_standard_has_a_source():
    std = load_yaml("standards")
    for name, rules in std.items():
        if name in ("held_kinds", "eastern_provinces"):
            continue
        for r in rules:
            assert r["source"] and r["op"] in (">=", "<=", "no_fall"), (name, r)
