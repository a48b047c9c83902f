"""YAML → Excel template → filled sheet → score, and long tables with bad rows."""
import json

from framework_kit import small
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from dudao.cli import app
from dudao.framework.load import dump_framework, load_framework
from dudao.framework.score import score_all
from dudao.framework.sheets import read_scores
from dudao.framework.template import write_template


def _fill_template(src, dst, region, rows, gate_note=None):
    wb = load_workbook(src)
    ws = wb["评分表"]
    ws["B2"] = region
    for r in range(4, ws.max_row + 1):
        pid = ws.cell(r, 1).value
        if pid in rows:
            s, v, na, reason = rows[pid]
            ws.cell(r, 6, s)
            ws.cell(r, 7, v)
            ws.cell(r, 10, na)
            ws.cell(r, 9, reason)
        if pid == "否决与降等" and gate_note:
            ws.cell(r, 11, gate_note)
    wb.save(dst)


def test_template_round_trip(tmp_path):
    fw = small()
    (tmp_path / "fw.yaml").write_text(dump_framework(fw), encoding="utf-8")
    fw = load_framework(tmp_path / "fw.yaml")
    tpl = tmp_path / "评分表.xlsx"
    assert write_template(fw, tpl) == 5
    ws = load_workbook(tpl)["评分表"]
    dvs = {(dv.formula1, dv.formula2): str(dv.sqref).split() for dv in ws.data_validations.dataValidation
           if dv.type == "decimal"}
    assert "F4:G4" in dvs[("0", "10")] and "F6:G6" in dvs[("0", "30")]  # A1 at most 10, A3 at most 30
    filled = tmp_path / "filled.xlsx"
    _fill_template(tpl, filled, "甲县", {
        "A1": (10, 6, None, "发现2个大班额"), "A2": (20, 20, None, None), "A3": (30, 24, None, None),
        "B1": (10, 6.25, None, None), "B2": (None, None, "是", None), "J1": (4, 4, None, None), "J2": (3, 3, None, None),
    }, gate_note="经费未落实")
    regions, problems = read_scores(filled, fw)
    assert problems == [] and [r.region for r in regions] == ["甲县"]
    r = score_all(fw, regions)["regions"][0]
    # base (6 + 20 + 24 + 6.25) / 70 × 100 = 80.36; bonus 7 capped at 5
    assert r["verified_total"] == 85.36 and r["bonus"] == 5
    assert r["self_total"] == 100 + 5  # self (10+20+30+10)/70×100 = 100, bonus 5
    assert r["grade_before_gates"] == "良好" and r["grade"] == "合格"
    assert r["not_applicable"] == ["B2"] and r["errors"] == []


def _long(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.title = "核查结果"
    ws.append(["2024年度县级政府履职评价核查结果"])
    ws.append(["地区", "观测点", "自评得分", "核定得分", "备注"])
    for row in rows:
        ws.append(row)
    wb.save(path)


def test_long_table_bad_rows_named_and_other_regions_scored(tmp_path):
    fw = small()
    p = tmp_path / "long.xlsx"
    _long(p, [
        ["甲县", "A1", 10, 8, None], ["甲县", "普惠率", 20, 20, None], ["甲县", "A3", 30, "三十", None],
        ["甲县", "B1", 10, 10, None], ["甲县", "B2", 30, 30, None], ["甲县", "不存在的点", 3, 3, None],
        ["乙县", "A1", 10, 10, None], ["乙县", "A2", 20, 20, None], ["乙县", "A3", 30, 30, None],
        ["乙县", "B1", 10, 10, None], ["乙县", "B2", 30, 25, None], ["乙县", "国家级表彰", 2, 2, None],
        ["乙县", "否决与降等", None, None, "仍有师生使用D级危房"],
        ["丙县", "A1", 10, 10, "未发现仍有师生使用D级危房"],
    ])
    regions, _ = read_scores(p, fw)
    res = {r["region"]: r for r in score_all(fw, regions)["regions"]}
    jia = res["甲县"]["errors"]
    assert any("工作表「核查结果」第 5 行 D 列" in e and "不是数字" in e for e in jia)
    assert any("第 8 行 B 列" in e and "不存在的点" in e for e in jia)
    assert res["乙县"]["verified_total"] == 97 and res["乙县"]["grade"] == "不合格"
    assert res["乙县"]["gates"][0]["name"] == "仍有师生使用D级危房"
    assert res["丙县"]["gates"] == []


def test_cli_template_and_score(tmp_path):
    runner = CliRunner()
    tpl = tmp_path / "t.xlsx"
    r = runner.invoke(app, ["framework", "template", "county_example", "--out", str(tpl)])
    assert r.exit_code == 0, r.output
    filled = tmp_path / "f.xlsx"
    wb = load_workbook(tpl)
    ws = wb["评分表"]
    ws["B2"] = "示例县"
    for row in range(4, ws.max_row + 1):
        if ws.cell(row, 4).value is not None and ws.cell(row, 2).value != "加分项":
            ws.cell(row, 6, ws.cell(row, 4).value)
            ws.cell(row, 7, ws.cell(row, 4).value)
    wb.save(filled)
    out = tmp_path / "结果.xlsx"
    r = runner.invoke(app, ["score", "--framework", "county_example", "--scores", str(filled), "--format", "json",
                            "--out", str(out)])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    reg = data["regions"][0]
    assert reg["region"] == "示例县" and reg["verified_total"] == 100 and reg["grade"] == "优秀"
    assert reg["credibility"] == 1.0
    assert load_workbook(out)["汇总"]["C2"].value == 100


def test_cli_check_reports_problems(tmp_path):
    bad = small(bands=[{"name": "优秀", "min": 90}, {"name": "合格", "min": 0, "max": 85}])
    p = tmp_path / "bad.yaml"
    p.write_text(dump_framework(bad), encoding="utf-8")
    r = CliRunner().invoke(app, ["framework", "check", str(p)])
    assert r.exit_code == 3 and "空档" in r.output
    r = CliRunner().invoke(app, ["framework", "show", "county_example", "--format", "json"])
    data = json.loads(r.stdout)
    assert data["bonus"]["cap"] == 5 and {"id": "A1-1"}.items() <= data["nodes"][2].items()
    assert data["nodes"][2]["parent"] == "A1" and data["nodes"][2]["rule"]["kind"] == "threshold"


def test_unreadable_sheet_gets_chinese_error(tmp_path):
    p = tmp_path / "x.xlsx"
    p.write_text("不是表格", encoding="utf-8")
    r = CliRunner().invoke(app, ["score", "--framework", "county_example", "--scores", str(p)])
    assert r.exit_code == 2 and "无法读取 Excel 文件" in r.output.replace("\n", "")


def test_out_of_range_names_sheet_row_and_column(tmp_path):
    fw = small()
    p = tmp_path / "long.xlsx"
    _long(p, [["甲县", "A1", 10, 12, None], ["甲县", "A2", -1, 20, None]])
    regions, _ = read_scores(p, fw)
    errors = score_all(fw, regions)["regions"][0]["errors"]
    assert any(e.startswith("工作表「核查结果」第 3 行 D 列：核定得分 12 分超过该项最高 10 分") for e in errors)
    assert any(e.startswith("工作表「核查结果」第 4 行 C 列：自评得分 -1 分小于 0") for e in errors)
