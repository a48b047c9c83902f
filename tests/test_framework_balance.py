"""优质均衡 school data: standards per stage, the 6-of-7 rule, enrolment-weighted 差异系数, and bad rows."""
import json

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from conftest import EXAMPLES
from dudao.cli import app
from dudao.framework.balance import assess, cv, read_schools, standards

INDS = [i["name"] for i in standards()["indicators"]]


def test_weighted_cv_by_hand():
    # X̄ = (100·4 + 300·8) / 400 = 7; S² = (100·9 + 300·1) / 400 = 3; CV = √3 / 7
    assert cv([(100, 4), (300, 8)]) == pytest.approx(3 ** 0.5 / 7)
    assert cv([(50, 2.5), (50, 2.5)]) == 0


def _school(name, stage, students, values):
    return {"school": name, "stage": stage, "students": students, "values": dict(zip(
        ["R1", "R2", "R3", "R4", "R5", "R6", "R7"], values))}


PRIMARY_OK = [4.2, 1.0, 0.9, 4.5, 7.5, 2000, 2.3]  # exactly the 小学 standards


def test_six_of_seven_with_remaining_at_85_percent():
    edge = PRIMARY_OK[:4] + [7.5 * 0.85] + PRIMARY_OK[5:]       # one short, exactly 85%
    under = PRIMARY_OK[:4] + [7.5 * 0.84] + PRIMARY_OK[5:]      # one short, below 85%
    two = [4.1] + PRIMARY_OK[1:4] + [7.4] + PRIMARY_OK[5:]      # two short
    res = assess([_school("甲", "小学", 500, PRIMARY_OK), _school("乙", "小学", 500, edge),
                  _school("丙", "小学", 500, under), _school("丁", "小学", 500, two)])
    assert [(s["met"], s["passes"]) for s in res["schools"]] == [(7, True), (6, True), (6, False), (5, False)]
    assert not res["passes"] and "丙、丁" in res["verdict"]


def test_cv_limits_per_stage():
    junior = [5.3, 1.0, 0.9, 5.8, 10.2, 2500, 2.4]
    wide = [x * 3 for x in junior]
    # two schools of 100 pupils at x and 3x: X̄ = 2x, S = x, CV = 0.5 > 0.45 for 初中, passes the 0.50 of 小学
    res = assess([_school("甲", "初中", 100, junior), _school("乙", "初中", 100, wide)])
    assert all(r["cv"] == 0.5 and not r["ok"] for r in res["stages"]["初中"]["cv"])
    res = assess([_school("甲", "小学", 100, PRIMARY_OK), _school("乙", "小学", 100, [x * 3 for x in PRIMARY_OK])])
    assert all(r["cv"] == 0.5 and r["ok"] for r in res["stages"]["小学"]["cv"]) and res["passes"]


def test_example_sheet_raw_counts_and_verdict():
    schools, problems = read_schools(EXAMPLES / "frameworks" / "学校数据.xlsx")
    assert problems == [] and len(schools) == 6
    assert schools[0]["values"]["R4"] == 4.8  # 8640 ㎡ ÷ 1800 pupils, from the raw area column
    res = assess(schools)
    assert [s["school"] for s in res["schools"] if not s["passes"]] == ["柳湾村小学"]
    assert not res["passes"]


def test_bad_rows_named(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "学校"
    ws.append(["学校名称", "学段", "在校生数", *INDS])
    ws.append(["一贯制学校", "九年一贯制", 900, *PRIMARY_OK])
    ws.append(["甲小学", "小学", "很多", *PRIMARY_OK])
    ws.append(["乙小学", "小学", 300, *PRIMARY_OK[:6], "缺"])
    ws.append(["丙小学", "小学", 300, *PRIMARY_OK])
    p = tmp_path / "s.xlsx"
    wb.save(p)
    schools, problems = read_schools(p)
    assert [s["school"] for s in schools] == ["丙小学"]
    assert "第 2 行 B 列" in problems[0] and "分两行" in problems[0]
    assert "第 3 行 C 列" in problems[1] and "第 4 行 J 列" in problems[2]
    r = CliRunner().invoke(app, ["balance", str(p), "--format", "json"])
    assert r.exit_code == 1 and json.loads(r.stdout)["problems"] == problems
