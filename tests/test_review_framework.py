"""dudao review --framework/--scores: a report's stated self-score checked against a framework (findings
with spans in every part of the pack), and a scoring sheet scored into a 评分 sheet and scores.html.
Reports and the long scoring table are team-written; the template sheet is examples/frameworks/."""
from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from test_review_browser import chromium  # noqa: F401  (the headless browser fixture)

ROOT = Path(__file__).resolve().parents[1]
SHEET = ROOT / "examples" / "frameworks" / "县级履职评分表.xlsx"

# 15 points stated (the framework has 14), 9 deducted from a 6-point item, a 7-point bonus over the
# cap of 5, so the total should be 90 + 5 = 95, not 97.
TONGLU = """桐庐县人民政府2023年度履行教育职责自评报告

一、基本情况
全县现有中小学42所，幼儿园37所，在校学生5.6万人，专任教师4100人。

二、履职情况
（一）经费投入。县财政一般公共预算教育支出逐年增长，生均公用经费按时足额拨付到校。
（二）学校建设。新建城东小学一所，改造农村薄弱学校操场9处。

三、自评结果
我县按照评价指标体系共15个观测点开展自查。第2观测点因城区1所初中存在2个超大班额扣9分，第8观测点因教师培训经费未足额安排扣1分。以上共扣10分，基础得分90分。当年获全国教育系统先进集体表彰，申报加分7分。自评总分97分，等次为优秀。

四、存在问题
一是城区学位供给仍然偏紧；二是乡村学校音体美教师不足。

五、下一步工作
2024年重点推进城区学校扩容。
"""

# 100 − 8 = 92 but the total says 85, and 85 is 良好, not 优秀.
JIANDE = """建德市2023年度政府履行教育职责情况自评报告

一、主要工作
市政府全年召开教育专题会议4次，推进学前教育普惠发展。

二、自评得分
对照14个观测点逐项打分，第6观测点因义务教育教师平均工资收入未达到当地公务员水平扣5分，第11观测点因1所学校食堂管理不规范扣3分，合计扣8分，基础得分92分，自评总分85分，等次为优秀。

三、存在问题
部分农村学校生源持续减少。
"""

EXPECTED = {"桐庐县": {"framework_points_count": "15个观测点",
                     "framework_deduction_over_max": "第2观测点因城区1所初中存在2个超大班额扣9分",
                     "framework_bonus_over_cap": "加分7分", "framework_total_mismatch": "自评总分97分"},
            "建德市": {"framework_total_mismatch": "自评总分85分", "framework_grade_mismatch": "等次为优秀"}}


def _reports():
    import dudao
    return [dudao.analyze_text(t)[0] for t in (TONGLU, JIANDE)]


def _long_table(path: Path) -> Path:
    """地区/观测点/自评得分/核定得分/扣分原因, one row per point of county_example, plus a bonus row.
    桐庐县: verified 0 on A2-1 (6) and 5 on A3-2 (6): base 93, bonus 4 → 97; self 100 + 4 = 104.
    建德市: self 2 on A3-1 (7) and 7 on C1-1 (10); verified 4 on C1-1: self 92, verified 89."""
    from dudao.framework import load_framework
    fw = load_framework("county_example")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "核定结果"
    ws.append(["地区", "观测点", "自评得分", "核定得分", "扣分原因"])
    verified = {"桐庐县": {"A2-1": 0, "A3-2": 5}, "建德市": {"A3-1": 2, "C1-1": 4}}
    self_scores = {"桐庐县": {}, "建德市": {"A3-1": 2, "C1-1": 7}}
    for region in ("桐庐县", "建德市"):
        for leaf in fw.leaves():
            s = self_scores[region].get(leaf.id, leaf.points)
            ws.append([region, leaf.id, s, verified[region].get(leaf.id, s),
                       "核查发现2个大班额" if (region, leaf.id) == ("桐庐县", "A2-1") else None])
    ws.append(["桐庐县", "获国家级教育工作表彰", 4, 4, None])
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    import dudao
    tmp = tmp_path_factory.mktemp("fw")
    sheet = _long_table(tmp / "核定结果.xlsx")
    summary = dudao.build_review_pack(_reports(), tmp / "out", framework="county_example", scores=sheet)
    return tmp / "out", summary


def test_framework_findings_have_spans_and_join_the_report_findings(pack):
    import dudao
    out, summary = pack
    wb = openpyxl.load_workbook(out / "review.xlsx", read_only=True)
    found = list(wb["发现"].iter_rows(values_only=True))
    seen = {}
    for r in summary["reports"]:
        text = dudao.analyze_text(TONGLU if r["region"] == "桐庐县" else JIANDE)[0].text
        codes = {row[8]: row[6] for row in found if row[0] and r["region"] in str(row[0])
                 and str(row[8]).startswith("framework_")}
        seen[r["region"]] = set(codes)
        page = (out / r["page"]).read_text(encoding="utf-8")
        for code, quote in EXPECTED[r["region"]].items():
            assert codes[code] == quote                 # the workbook's 原文摘录 is text[start:end]
            assert f'data-s="{text.index(quote)}"' in page   # highlighted on the report's page
        # the counts include them (the analysis alone finds none of these)
        assert sum(r["findings"].values()) >= len(EXPECTED[r["region"]])
    assert seen == {k: set(v) for k, v in EXPECTED.items()}
    letter = next((out / "feedback").glob("*建德*.docx"))
    from docx import Document
    body = "\n".join(p.text for p in Document(str(letter)).paragraphs)
    assert "85" in body and "良好" in body               # the grade finding is told in the letter


def test_finding_spans_in_memory(tmp_path):
    """Through the library: every framework finding's quote is text[start:end]."""
    from dudao.framework import load_framework
    from dudao.review import scoring
    from dudao.review.pack import make_entries, records_of
    entries = make_entries(records_of([r.model_dump(mode="json") for r in _reports()]))
    added = scoring.add_findings(entries, load_framework("county_example"))
    assert added == 6
    for e in entries:
        fw = [f for f in e.report["findings"] if f["code"].startswith("framework_")]
        assert {f["code"] for f in fw} == set(EXPECTED[e.region_name])
        for f in fw:
            assert e.text[f["start"]:f["end"]] == f["quote"] == EXPECTED[e.region_name][f["code"]]


def test_score_sheet_and_page(pack):
    out, summary = pack
    assert summary["counts"]["scored_regions"] == 2 and summary["counts"]["scored_regions_matched"] == 2
    wb = openpyxl.load_workbook(out / "review.xlsx", read_only=True)
    rows = {r[0]: r for r in wb["评分"].iter_rows(values_only=True) if r and r[0] in ("桐庐县", "建德市")}
    # 地区, 报告自述总分, 评分表自评总分, 核定总分, 核定基础分, 核定加分, 扣分, 自评等次, 核定等次, …, 可信度
    assert rows["桐庐县"][1:9] == ("97", 104, 97, 93, 4, 7, "优秀", "优秀")
    assert rows["建德市"][1:9] == ("85", 92, 89, 89, 0, 11, "优秀", "良好")
    assert rows["桐庐县"][11] == pytest.approx(0.93) and rows["建德市"][11] == pytest.approx(0.97)
    points = [r for r in wb["评分明细"].iter_rows(values_only=True) if r and r[0] == "桐庐县"]
    assert len(points) == 15                         # 14 points and the bonus item
    a21 = next(r for r in points if r[1] == "A2-1")
    assert a21[4:7] == (6, 0, 6) and a21[9] == "核查发现2个大班额"
    html = (out / "scores.html").read_text(encoding="utf-8")
    assert 'href="scores.html"' in (out / "index.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "桐庐县" in html and "核查发现2个大班额" in html
    assert 'href="reports/1.html"' in html and "93.0%" in html


def test_template_sheet_from_examples(tmp_path):
    """The bundled example sheet: its regions have no report in the pack; they are scored as
    `dudao score` scores them and listed as unmatched."""
    import dudao
    from dudao.framework import load_framework
    from dudao.framework.score import score_all
    from dudao.framework.sheets import read_scores
    fw = load_framework("county_example")
    expected = score_all(fw, read_scores(SHEET, fw)[0])
    dudao.build_review_pack(_reports()[:1], tmp_path / "out", framework="county_example", scores=SHEET)
    wb = openpyxl.load_workbook(tmp_path / "out" / "review.xlsx", read_only=True)
    rows = {r[0]: r for r in wb["评分"].iter_rows(values_only=True) if r}
    for r in expected["regions"]:
        assert rows[r["region"]][3] == r["verified_total"] and rows[r["region"]][14] == "未匹配到报告"


def _cli(args):
    from dudao.cli import app
    return CliRunner().invoke(app, args)


@pytest.mark.parametrize("extra, words", [
    (["--framework", "no_such_framework"], "找不到指标体系"),
    (["--framework", "county_example", "--scores", "BROKEN"], "无法读取"),
    (["--framework", "county_example", "--scores", "MISSING"], "找不到评分表"),
    (["--scores", "SHEET"], "须同时指定指标体系"),
])
def test_bad_input_is_refused_before_writing(tmp_path, extra, words):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(JIANDE, encoding="utf-8")
    broken = tmp_path / "坏表.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    swap = {"BROKEN": str(broken), "MISSING": str(tmp_path / "无.xlsx"), "SHEET": str(SHEET)}
    res = _cli(["review", str(tmp_path / "in"), "--out", str(tmp_path / "out"), *[swap.get(a, a) for a in extra]])
    assert res.exit_code != 0 and words in res.output.replace("\n", ""), res.output
    assert not (tmp_path / "out").exists()


def test_cli_review_with_framework(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(TONGLU, encoding="utf-8")
    res = _cli(["review", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--framework", "county_example",
                "--scores", str(_long_table(tmp_path / "s.xlsx"))])
    assert res.exit_code == 0, res.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["outputs"]["scores"] == "scores.html" and summary["counts"]["scored_regions_matched"] == 1
    assert "评分核定" in res.output


def test_scores_page_renders_in_chromium(chromium, pack, tmp_path):
    from test_review_browser import _fallback_render
    out, _ = pack
    png = tmp_path / "scores.png"
    errors = _fallback_render(chromium, (out / "scores.html").as_uri(), png, tmp_path / "profile")
    assert not errors and png.is_file() and png.stat().st_size > 10_000
