"""Import of another office's layout (merged cells, 加分项 block, 说明 notes) without editing the YAML."""
import json
import sys

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES, ROOT
from dudao.cli import app
from dudao.framework.check import check_framework
from dudao.framework.importer import import_framework
from dudao.framework.load import dump_framework, load_framework
from dudao.framework.score import score_all
from dudao.framework.sheets import read_scores
from dudao.framework.survey import read_survey, survey_values

FW = EXAMPLES / "frameworks"


@pytest.fixture(scope="module")
def imported():
    return import_framework(FW / "他处测评细则.xlsx")


def test_import_reads_tree_rules_bonus_and_notes(imported):
    fw, understood, missed = imported
    assert check_framework(fw) == []
    assert fw.name == "示例市2024年度县级人民政府履行教育职责督导评价测评细则"
    assert [(n.id, n.name, n.points) for n in fw.nodes] == [("A", "组织领导", 20), ("B", "保障条件", 45),
                                                            ("C", "发展水平", 35)]
    assert [c.id for c in fw.nodes[1].children] == ["B1", "B2", "B3"]
    leaves = {n.id: n for n in fw.leaves()}
    assert len(leaves) == 11 and fw.full_score == 100
    assert leaves["1"].rule.kind == "threshold" and leaves["1"].rule.target == 2
    assert leaves["3"].rule.kind == "prorata" and leaves["3"].rule.target == 100
    assert (leaves["5"].rule.kind, leaves["5"].rule.per, leaves["5"].rule.cap) == ("deduct", 1, 3)
    assert (leaves["6"].rule.kind, leaves["6"].rule.per, leaves["6"].rule.cap) == ("deduct", 2, None)
    assert (leaves["10"].rule.op, leaves["10"].rule.target) == ("<=", 1)
    assert leaves["2"].rule.kind == "manual" and leaves["5"].units == ["县财政局", "县教育局"]
    assert leaves["11"].survey == ["社会人士", "教师", "学生", "家长"] and leaves["8"].survey == []
    assert fw.bonus.cap == 5
    assert [(b.name, b.value, b.max) for b in fw.bonus.items] == [("获得国家级教育工作表彰", 3, None),
                                                                  ("教育改革经验被省级以上推广", 1, 2)]
    assert [(g.id, g.kind, g.name) for g in fw.gates] == [
        ("V1", "veto", "仍有师生使用D级危房"), ("V2", "veto", "发生重大校园安全责任事故并造成恶劣影响"),
        ("D1", "downgrade", "教育经费未落实“两个只增不减”"), ("N1", "no_excellent", "存在违规有偿补课问题被省级以上通报")]
    assert [(b.name, b.min, b.max) for b in fw.bands_desc()] == [("优秀", 90, None), ("良好", 80, 90), ("合格", 60, 80),
                                                                 ("不合格", 0, 60)]
    assert fw.na_policy == "rescale"
    assert any("未能读成计分规则" in m and "建立党政领导干部联系学校制度" in m for m in missed)


def test_word_table_imports_the_same(imported, tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    from make_framework_examples import framework_docx
    framework_docx(tmp_path / "他处测评细则.docx")
    fw_docx, _, _ = import_framework(tmp_path / "他处测评细则.docx")
    a = imported[0].model_dump(exclude={"id", "source"})
    assert fw_docx.model_dump(exclude={"id", "source"}) == a


def test_imported_framework_scores_the_long_table(imported, tmp_path):
    # through YAML, unedited
    p = tmp_path / "fw.yaml"
    p.write_text(dump_framework(imported[0]), encoding="utf-8")
    fw = load_framework(p)
    regions, problems = read_scores(FW / "核查结果长表.xlsx", fw)
    assert problems == []
    res = {r["region"]: r for r in score_all(fw, regions)["regions"]}
    dl, xc, nh = res["东岭县"], res["西川区"], res["南湖县"]
    # 东岭: point 7 N/A; 81 of 90 applicable → 90.0; bonus 3 + 2 = 5 (cap 5)
    assert (dl["verified_base"], dl["bonus"], dl["verified_total"], dl["grade"]) == (90, 5, 95, "优秀")
    assert dl["not_applicable"] == ["7"] and dl["self_total"] == 105 and dl["credibility"] == 0.9
    # 西川: 92 + 1 = 93 优秀, dropped one grade for the fund gate; the denied D级危房 is no gate
    assert (xc["verified_total"], xc["grade_before_gates"], xc["grade"]) == (93, "优秀", "良好")
    assert [g["id"] for g in xc["gates"]] == ["D1"]
    # 南湖: exactly 80 (良好 edge), vetoed → 不合格
    assert (nh["verified_total"], nh["grade_before_gates"], nh["grade"]) == (80, "良好", "不合格")
    assert all(not r["errors"] for r in res.values())


def test_survey_feeds_points_that_name_groups(imported):
    fw = imported[0]
    results, problems = read_survey(FW / "满意度调查.xlsx")
    assert problems == []
    values = survey_values(fw, results)
    # 东岭: (96 + 255 + 410 + 450) / (120 + 300 + 500 + 600) = 1211 / 1520
    assert values["东岭县"]["11"] == 79.67 and set(values["东岭县"]) == {"11"}


def test_cli_import_prints_understood_and_writes_yaml(tmp_path):
    out = tmp_path / "fw.yaml"
    r = CliRunner().invoke(app, ["framework", "import", str(FW / "他处测评细则.xlsx"), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "一票否决：仍有师生使用D级危房" in r.output and "未能识别" in r.output
    r = CliRunner().invoke(app, ["score", "--framework", str(out), "--scores", str(FW / "核查结果长表.xlsx"),
                                 "--format", "json"])
    assert r.exit_code == 0, r.output
    assert [x["grade"] for x in json.loads(r.stdout)["regions"]] == ["优秀", "良好", "不合格"]
    again = CliRunner().invoke(app, ["framework", "import", str(FW / "他处测评细则.xlsx"), "--out", str(out)])
    assert again.exit_code == 2 and "已存在" in again.output


def test_import_rejects_unknown_layout(tmp_path):
    from openpyxl import Workbook
    wb = Workbook()
    wb.active.append(["姓名", "年龄"])
    p = tmp_path / "x.xlsx"
    wb.save(p)
    r = CliRunner().invoke(app, ["framework", "import", str(p), "--out", str(tmp_path / "o.yaml")])
    assert r.exit_code == 2 and "没有找到指标体系表头" in r.output and not (tmp_path / "o.yaml").exists()


def test_second_layout_codes_blank_cells_total_row_and_inline_notes(tmp_path):
    """Another wording: 三级指标 with code prefixes, upper levels left blank instead of merged,
    a 合计 row, 标准分/评分细则 headers, notes in one unmerged cell with bands written 优秀（90分以上）."""
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.append(["某县2023年度教育督导评估细则"])
    ws.append([])
    ws.append(["一级指标", "二级指标", "三级指标", "标准分", "评分细则", "牵头单位"])
    ws.append(["A 投入保障", "A1 经费", "A1.1 生均公用经费足额拨付", 6, "每少拨付一所学校扣2分，扣完为止", "财政局"])
    ws.append([None, None, "A1.2 教育附加费足额征收", 4, "足额征收得4分，未足额的酌情扣分", "税务局/财政局"])
    ws.append([None, "A2 队伍", "A2.1 教师资格持证上岗率", 10, "持证率达到100%得10分，否则得0分", "教育局"])
    ws.append(["B 质量发展", "B1 普及", "B1.1 残疾儿童入学率", 10, "不低于95%得满分，未达到的按比例得分", "教育局"])
    ws.append(["合计", None, None, 30, None, None])
    ws.append(["注：1.评估结果分优秀（27分以上）、良好（24-26分）、合格（18-23分）、不合格（18分以下）四个等次。"
               "2.凡发生校园欺凌致人重伤事件的，不能评为优秀。3.加分项目累计最高不超过3分。"])
    p = tmp_path / "b.xlsx"
    wb.save(p)
    fw, understood, missed = import_framework(p)
    assert [n.id for n, _, _ in fw.walk()] == ["A", "A1", "A1.1", "A1.2", "A2", "A2.1", "B", "B1", "B1.1"]
    assert fw.nodes[0].name == "投入保障" and fw.nodes[0].points == 20 and fw.full_score == 30
    leaves = {n.id: n for n in fw.leaves()}
    assert (leaves["A1.1"].rule.kind, leaves["A1.1"].rule.per) == ("deduct", 2)
    assert leaves["A1.2"].units == ["税务局", "财政局"]
    assert (leaves["A2.1"].rule.kind, leaves["A2.1"].rule.target) == ("threshold", 100)
    assert (leaves["B1.1"].rule.kind, leaves["B1.1"].rule.target) == ("prorata", 95)
    # 24-26 closes up to 27, 18-23 to 24
    assert [(b.name, b.min, b.max) for b in fw.bands_desc()] == [("优秀", 27, None), ("良好", 24, 27), ("合格", 18, 24),
                                                                 ("不合格", 0, 18)]
    assert [(g.kind, g.name) for g in fw.gates] == [("no_excellent", "发生校园欺凌致人重伤事件")]
    assert fw.bonus.cap == 3
    assert check_framework(fw) == []


def test_bad_framework_yaml_names_the_place(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("id: x\nname: 坏\nnodes:\n- id: A\n  name: 甲\n  points: 十\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["framework", "check", str(p)])
    assert r.exit_code == 3
    msg = r.output.replace("\n", "")
    assert "nodes → 第 1 项（A） → points" in msg and "应为数字" in msg


def test_cli_score_with_survey_fills_blank_points(tmp_path):
    from openpyxl import Workbook
    fwp = tmp_path / "fw.yaml"
    CliRunner().invoke(app, ["framework", "import", str(FW / "他处测评细则.xlsx"), "--out", str(fwp)])
    wb = Workbook()
    ws = wb.active
    ws.append(["地区", "测评点", "自评分", "核定分"])
    for i in range(1, 11):
        ws.append(["甲县", str(i), None, None])
    ws.append(["甲县", "11", 20, None])  # 核定 left to the survey
    wb.save(tmp_path / "s.xlsx")
    sv = Workbook()
    sv.active.append(["调查对象", "样本数", "满意度"])
    for group, n, rate in (("家长", 300, 80), ("教师", 100, 0.9)):  # a rate may be a fraction
        sv.active.append([group, n, rate])
    sv.save(tmp_path / "v.xlsx")
    r = CliRunner().invoke(app, ["score", "--framework", str(fwp), "--scores", str(tmp_path / "s.xlsx"),
                                 "--survey", str(tmp_path / "v.xlsx"), "--format", "json"])
    p11 = next(p for p in json.loads(r.stdout)["regions"][0]["points"] if p["id"] == "11")
    # (300·80% + 100·90%) / 400 = 82.5% → prorata to 85%: 20 × 82.5 / 85 = 19.41
    assert p11["value"] == 82.5 and p11["verified"] == 19.41
