"""The bundled frameworks load, check clean, cite sources, and score the team-written example sheet."""
import pytest
from openpyxl import load_workbook

from conftest import EXAMPLES
from dudao.framework.check import check_framework
from dudao.framework.load import bundled, load_framework
from dudao.framework.score import score_all
from dudao.framework.sheets import read_scores
from dudao.framework.template import write_template


def test_three_bundled():
    assert {"county_example", "youzhi_junheng", "xueqian_puhui"} <= set(bundled())


@pytest.mark.parametrize("fid", sorted(bundled()))
def test_bundled_checks_clean_and_cites(fid, tmp_path):
    fw = load_framework(fid)
    assert check_framework(fw) == []
    assert fw.source
    for leaf in fw.leaves():
        assert leaf.source or fw.example, f"{fid} {leaf.id} 没有注明依据"
    # full marks in the template reach the top band
    p = tmp_path / "t.xlsx"
    write_template(fw, p, region="某县")
    wb = load_workbook(p)
    ws = wb["评分表"]
    for r in range(4, ws.max_row + 1):
        if ws.cell(r, 4).value is not None and ws.cell(r, 2).value != "加分项":
            ws.cell(r, 7, ws.cell(r, 4).value)
    wb.save(p)
    regions, _ = read_scores(p, fw)
    r = score_all(fw, regions)["regions"][0]
    assert r["region"] == "某县" and r["verified_total"] == fw.full_score
    assert r["grade"] == fw.bands_desc()[0].name


def test_youzhi_junheng_fails_on_one_measured_value(tmp_path):
    fw = load_framework("youzhi_junheng")
    p = tmp_path / "t.xlsx"
    write_template(fw, p, region="某县")
    wb = load_workbook(p)
    ws = wb["评分表"]
    for r in range(4, ws.max_row + 1):
        pid = ws.cell(r, 1).value
        if pid == "A2":
            ws.cell(r, 8, 0.52)  # 小学 largest 差异系数 0.52 > 0.50
        elif pid == "D1":
            ws.cell(r, 8, 86.3)
        elif ws.cell(r, 4).value is not None:
            ws.cell(r, 7, ws.cell(r, 4).value)
    wb.save(p)
    r = score_all(fw, read_scores(p, fw)[0])["regions"][0]
    assert r["verified_total"] == 23 and r["grade"] == "未达到优质均衡"
    assert [d["id"] for d in r["deductions"]] == ["A2"]


def test_example_sheet_scores_with_bundled_framework():
    fw = load_framework("county_example")
    regions, problems = read_scores(EXAMPLES / "frameworks" / "县级履职评分表.xlsx", fw)
    res = {r["region"]: r for r in score_all(fw, regions)["regions"]}
    assert problems == [] and all(not r["errors"] for r in res.values())
    bs, lj = res["北山县"], res["临江区"]
    # 北山: computed from 实测值 – A2-1 2 大班额 → 4; A3-2 92% → 5.52; B4-1 90.25/95 → 5.7; C1-1 1 起 → 8
    pts = {p["id"]: p["verified"] for p in bs["points"]}
    assert (pts["A2-1"], pts["A3-2"], pts["B4-1"], pts["C1-1"]) == (4, 5.52, 5.7, 8)
    # 87.22 of 94 applicable (B3-1 不适用) → 92.79; bonus 2 + 2
    assert (bs["verified_base"], bs["bonus"], bs["verified_total"], bs["grade"]) == (92.79, 4, 96.79, "优秀")
    # 临江: 86 + 4 = 90.0 (优秀 edge), dropped one grade by the fund gate
    assert (lj["verified_total"], lj["grade_before_gates"], lj["grade"]) == (90, "优秀", "良好")
    assert lj["credibility"] == 0.86


def test_docs_yaml_example_loads_and_checks_clean():
    import re

    import yaml

    from conftest import ROOT
    from dudao.framework.load import parse_framework
    doc = (ROOT / "docs" / "frameworks.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", doc, re.S).group(1)
    fw = parse_framework(yaml.safe_load(block))
    assert check_framework(fw) == [] and len(fw.leaves()) == 4


def test_national_frameworks_score_their_example_sheets():
    """make demo scores these sheets: every point of 优质均衡 (24) and 普及普惠 (12) must be met.
    东川县 misses A1 (96.4% of schools, needs 100%) and B5 (3 oversized classes, needs 0);
    西河县 misses A3 (公办园占比 46.3%, needs 50%)."""
    from pathlib import Path

    from dudao.framework import load_framework
    from dudao.framework.score import score_all
    from dudao.framework.sheets import read_scores
    root = Path(__file__).resolve().parents[1] / "examples" / "frameworks"
    got = {}
    for fw_id, sheet in (("youzhi_junheng", "优质均衡评分表.xlsx"), ("xueqian_puhui", "普及普惠评分表.xlsx")):
        fw = load_framework(fw_id)
        for r in score_all(fw, read_scores(root / sheet, fw)[0])["regions"]:
            got[r["region"]] = (r["verified_total"], r["grade"], sorted(d["id"] for d in r["deductions"]))
    assert got == {"东川县": (22, "未达到优质均衡", ["A1", "B5"]), "南岭县": (24, "达到优质均衡", []),
                   "西河县": (11, "未达到普及普惠", ["A3"]), "北塘区": (12, "达到普及普惠", [])}
