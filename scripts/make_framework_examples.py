"""Write the team-made example sheets under examples/frameworks/ (committed; rerun to regenerate).

All names, regions and figures are invented by the dudao team; the layout imitates what offices send:
a framework table from another office (title row, merged upper levels, 加分项 block, 说明 notes below),
a long verification table for three regions, school data, a survey and the bundled example framework's
template filled for two regions. `framework_docx` writes the same table as Word; the tests call it (a .docx
under examples/ would be taken for a report by `dudao review examples`).
"""
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "examples" / "frameworks"

HEAD = ["一级指标", "二级指标", "序号", "测评点", "分值", "计分办法", "责任单位"]
ROWS = [
    ("一、组织领导（20分）", "1.党政同责", "1", "县委常委会、县政府常务会议每年专题研究教育工作不少于2次", 5,
     "每年专题研究不少于2次得5分，否则得0分", "县委办、县政府办"),
    (None, None, "2", "建立党政领导干部联系学校制度", 5, "未建立的不得分，落实不到位的酌情扣分", "县委教育工委"),
    (None, "2.督导保障", "3", "责任督学挂牌督导覆盖率", 10, "覆盖率达到100%得10分，未达到的按比例得分", "县教育督导室"),
    ("二、保障条件（45分）", "3.经费投入", "4", "落实教育经费“两个只增不减”", 10, "每有一项未落实扣5分", "县财政局"),
    (None, None, "5", "义务教育学校生均公用经费按时足额拨付", 5, "每发现一所学校未足额拨付扣1分，最多扣3分", "县财政局、县教育局"),
    (None, "4.办学条件", "6", "消除56人以上大班额", 10, "每发现1个大班额扣2分，扣完为止", "县教育局"),
    (None, None, "7", "中等职业学校生均校舍建筑面积达到国家标准", 10, "达到国家标准得10分，未达到的酌情扣分", "县教育局"),
    (None, "5.教师队伍", "8", "教师平均工资收入水平不低于当地公务员平均工资收入水平", 10,
     "不低于100%得10分，否则得0分", "县财政局、县人社局"),
    ("三、发展水平（35分）", "6.普及水平", "9", "学前三年毛入园率", 10, "达到85%得满分，未达到的按比例得分", "县教育局"),
    (None, None, "10", "初中学生辍学率", 5, "控制在1%以内得5分，否则不得分", "县教育局"),
    (None, "7.社会认可", "11", "家长、教师、学生和社会人士满意度", 20, "达到85%得20分，未达到的按比例得分", "县教育局"),
]
BONUS = [("获得国家级教育工作表彰", 3, "每项加3分"), ("教育改革经验被省级以上推广", 2, "每项加1分，最多加2分")]
NOTES = [
    "说明：1. 本指标体系满分100分，另设加分项，加分累计不超过5分。",
    "2. 评价结果分为优秀、良好、合格、不合格四个等次：总分90分及以上为优秀，80～89分为良好，60～79分为合格，60分以下为不合格。",
    "3. 存在下列情形之一的，实行一票否决，评价等次直接定为不合格：（1）仍有师生使用D级危房；（2）发生重大校园安全责任事故并造成恶劣影响。",
    "4. 教育经费未落实“两个只增不减”的，评价等次降低一个等次。",
    "5. 存在违规有偿补课问题被省级以上通报的，不得评为优秀。",
    "6. 县域内没有中等职业学校的，第7测评点不适用，不计分，总分按实际适用分值折算为百分制。",
]
TITLE = "示例市2024年度县级人民政府履行教育职责督导评价测评细则"


def framework_xlsx(path: Path):
    wb = Workbook()
    ws = wb.active
    ws.title = "测评细则"
    width = len(HEAD)
    ws.append([TITLE])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.append(HEAD)
    start = {0: None, 1: None}
    for row in ROWS:
        ws.append(list(row))
        r = ws.max_row
        for c in (0, 1):
            if row[c] is not None:
                _close(ws, start[c], r - 1, c)
                start[c] = r
    for c in (0, 1):
        _close(ws, start[c], ws.max_row, c)
    ws.append(["加分项（合计不超过5分）"])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
    for i, (name, pts, rule) in enumerate(BONUS, 1):
        ws.append([None, None, f"加{i}", name, pts, rule, "县教育局"])
    for note in NOTES:
        ws.append([note])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
        ws.cell(ws.max_row, 1).alignment = Alignment(wrap_text=True)
    for col, w in zip("ABCDEFG", (16, 14, 6, 44, 6, 40, 18)):
        ws.column_dimensions[col].width = w
    wb.save(path)


def _close(ws, first, last, c):
    if first is not None and last > first:
        ws.merge_cells(start_row=first, start_column=c + 1, end_row=last, end_column=c + 1)


def framework_docx(path: Path):
    import docx
    d = docx.Document()
    d.add_paragraph(TITLE)
    n = len(ROWS) + len(BONUS) + 2
    t = d.add_table(rows=n, cols=len(HEAD))
    for c, h in enumerate(HEAD):
        t.cell(0, c).text = h
    first = {0: 1, 1: 1}
    for r, row in enumerate(ROWS, 1):
        for c, v in enumerate(row):
            if v is not None:
                t.cell(r, c).text = str(v)
        for c in (0, 1):
            if row[c] is not None and r > first[c]:
                if r - 1 > first[c]:
                    t.cell(first[c], c).merge(t.cell(r - 1, c))
                first[c] = r
    for c in (0, 1):
        if len(ROWS) > first[c]:
            t.cell(first[c], c).merge(t.cell(len(ROWS), c))
    label = len(ROWS) + 1
    merged = t.cell(label, 0).merge(t.cell(label, len(HEAD) - 1))
    merged.text = "加分项（合计不超过5分）"
    for i, (name, pts, rule) in enumerate(BONUS, 1):
        for c, v in enumerate((None, None, f"加{i}", name, pts, rule, "县教育局")):
            if v is not None:
                t.cell(label + i, c).text = str(v)
    for note in NOTES:
        d.add_paragraph(note)
    d.save(str(path))


# 核定 per region: point → (自评, 核定, 扣分理由); None as 自评 means 不适用
REGIONS = {
    "东岭县": ({"1": (5, 5), "2": (5, 4, "联系学校制度落实记录不全"), "3": (10, 9, "覆盖率90%"), "4": (10, 10),
              "5": (5, 4, "1所学校未足额拨付"), "6": (10, 6, "发现2个大班额"), "7": None, "8": (10, 10),
              "9": (10, 10), "10": (5, 5), "11": (20, 18, "满意度76.5%")},
             {"获得国家级教育工作表彰": (3, 3), "教育改革经验被省级以上推广": (2, 2)}, None),
    "西川区": ({"1": (5, 5), "2": (5, 5), "3": (10, 10), "4": (10, 5, "一项未落实"), "5": (5, 5), "6": (10, 10),
              "7": (10, 10), "8": (10, 10), "9": (10, 10), "10": (5, 5), "11": (20, 17)},
             {"教育改革经验被省级以上推广": (2, 1)}, "经核查，教育经费未落实“两个只增不减”；未发现仍有师生使用D级危房"),
    "南湖县": ({"1": (5, 0, "全年仅专题研究1次"), "2": (5, 3), "3": (10, 8), "4": (10, 10), "5": (5, 5),
              "6": (10, 8, "发现1个大班额"), "7": (8, 6), "8": (10, 10), "9": (10, 9), "10": (5, 5),
              "11": (18, 16)}, {}, "实地核查发现仍有师生使用D级危房（城关二小教学楼）"),
}
NAMES = {r[2]: r[3] for r in ROWS}


def long_table(path: Path):
    wb = Workbook()
    ws = wb.active
    ws.title = "核查结果"
    ws.append(["示例市2024年度县级政府履行教育职责评价 自评与核定得分汇总"])
    ws.merge_cells("A1:F1")
    ws.append(["县（市、区）", "测评点", "自评分", "核定分", "扣分理由", "备注"])
    for region, (points, bonus, gate) in REGIONS.items():
        for i, (pid, v) in enumerate(points.items()):
            # offices mix the ways they name a point: "第3测评点", the number, or the full name
            label = (f"第{pid}测评点", pid, NAMES[pid])[i % 3]
            if v is None:
                ws.append([region, label, "不适用", "不适用", None, "县域内无中等职业学校"])
            else:
                ws.append([region, label, v[0], v[1], v[2] if len(v) > 2 else None, None])
        for name, (s, vv) in bonus.items():
            ws.append([region, name, s, vv, None, "加分项"])
        if gate:
            ws.append([region, "否决与降等", None, None, None, gate])
    wb.save(path)


SCHOOL_HEAD = ["学校名称", "学段", "在校生数", "每百名学生拥有高于规定学历教师数", "每百名学生拥有县级以上骨干教师数",
               "每百名学生拥有体育、艺术（美术、音乐）专任教师数", "教学及辅助用房面积（平方米）", "生均体育运动场馆面积",
               "生均教学仪器设备值", "每百名学生拥有网络多媒体教室数"]
SCHOOLS = [
    ("东岭县实验小学", "小学", 1800, 5.1, 1.3, 1.1, 8640, 8.2, 2600, 2.8),
    ("东岭县城南小学", "小学", 1200, 4.6, 1.0, 0.95, 5640, 7.6, 2150, 2.4),
    ("青石镇中心小学", "小学", 650, 4.4, 1.1, 0.92, 3120, 7.0, 2300, 2.5),  # 场馆 7.0 < 7.5 but ≥ 85%
    ("柳湾村小学", "小学", 180, 4.0, 0.6, 0.9, 990, 11.0, 1900, 2.2),  # four short: fails 6-of-7
    ("东岭县第一中学", "初中", 1500, 6.2, 1.4, 1.0, 9300, 11.5, 3100, 2.6),
    ("青石镇中学", "初中", 800, 5.5, 1.0, 0.9, 4800, 10.4, 2600, 2.4),
]


def schools(path: Path):
    wb = Workbook()
    ws = wb.active
    ws.title = "学校数据"
    ws.append(["东岭县义务教育学校资源配置情况（2024年秋季学期）"])
    ws.append(SCHOOL_HEAD)
    for s in SCHOOLS:
        ws.append(list(s))
    wb.save(path)


def survey(path: Path):
    wb = Workbook()
    ws = wb.active
    ws.title = "满意度调查"
    ws.append(["地区", "调查对象", "有效问卷数", "满意人数"])
    data = {"东岭县": (120, 96, 300, 255, 500, 410, 600, 450), "西川区": (100, 85, 250, 215, 400, 350, 500, 420),
            "南湖县": (80, 60, 200, 160, 300, 240, 450, 350)}
    for region, v in data.items():
        for i, group in enumerate(("社会人士", "教师", "学生", "家长")):
            ws.append([region, group, v[2 * i], v[2 * i + 1]])
    wb.save(path)


# the bundled example framework filled in its own template, one sheet per region:
# point → (自评, 核定, 实测值, 扣分原因); 核定 None with a 实测值 lets the rule compute it
FILLED = {
    "北山县": {"A1-1": (4, 4), "A1-2": (6, 6), "A2-1": (6, None, 2, "2个56人以上大班额"), "A2-2": (6, 5, None, "规划未按期实施"),
              "A3-1": (7, 7, 102), "A3-2": (6, None, 92, "完成率92%"), "B1-1": (6, None, 88.5), "B1-2": (6, 6, 83),
              "B2-1": (8, None, 96.2), "B2-2": (8, 8), "B3-1": "不适用", "B4-1": (6, None, 90.25),
              "C1-1": (10, None, 1, "1起违规办学被通报"), "C2-1": (15, 14, None), "J1": (2, 2), "J2": (3, 2)},
    "临江区": {"A1-1": (4, 0, 1, "全年仅专题研究1次"), "A1-2": (6, 3, None, "一个只增不减未落实"), "A2-1": (6, 6, 0),
              "A2-2": (6, 6), "A3-1": (7, 0, 96.4, "低于公务员平均工资"), "A3-2": (6, 6, 100), "B1-1": (6, 6, 91),
              "B1-2": (6, 6, 86), "B2-1": (8, 8, 98), "B2-2": (8, 8, 90), "B3-1": (6, 6), "B4-1": (6, 6, 96),
              "C1-1": (10, 10, 0), "C2-1": (15, 15, 88), "J1": (4, 4)},
}
GATES = {"临江区": "教育经费未实现“两个只增不减”"}

# The two bundled national frameworks (each point 1 分, all points needed), filled for two counties:
# measured values let the threshold rules decide; manual points are entered by hand.
JUNHENG = {
    "东川县": {"A1": (1, None, 96.4, "2所学校生均体育运动场馆面积不足标准的85%"), "A2": (1, None, 0.42),
              "A3": (1, None, 0.38), "B1": (1, 1), "B2": (1, 1), "B3": (1, 1), "B4": (1, None, 0),
              "B5": (1, None, 3, "3个初中班级超过50人"), "B6": (1, 1), "B7": (1, None, 103.2), "B8": (1, None, 100),
              "B9": (1, 1), "B10": (1, None, 12.6), "B11": (1, None, 100), "B12": (1, 1), "B13": (1, None, 55),
              "B14": (1, None, 91.3), "C1": (1, None, 98.7), "C2": (1, None, 96.1), "C3": (1, 1), "C4": (1, 1),
              "C5": (1, 1), "C6": (1, 1), "D1": (1, None, 88.2)},
    "南岭县": {"A1": (1, None, 100), "A2": (1, None, 0.36), "A3": (1, None, 0.31), "B1": (1, 1), "B2": (1, 1),
              "B3": (1, 1), "B4": (1, None, 0), "B5": (1, None, 0), "B6": (1, 1), "B7": (1, None, 100.8),
              "B8": (1, None, 100), "B9": (1, 1), "B10": (1, None, 15.2), "B11": (1, None, 100), "B12": (1, 1),
              "B13": (1, None, 62), "B14": (1, None, 93.5), "C1": (1, None, 99.1), "C2": (1, None, 97.4),
              "C3": (1, 1), "C4": (1, 1), "C5": (1, 1), "C6": (1, 1), "D1": (1, None, 91.5)},
}
PUHUI = {
    "西河县": {"A1": (1, None, 88.6), "A2": (1, None, 82.0), "A3": (1, None, 46.3, "公办园在园幼儿占比未达50%"),
              "B1": (1, 1), "B2": (1, 1), "B3": (1, 1), "B4": (1, 1), "B5": (1, 1), "C1": (1, 1), "C2": (1, 1),
              "C3": (1, 1), "C4": (1, None, 87.0)},
    "北塘区": {"A1": (1, None, 96.3), "A2": (1, None, 91.4), "A3": (1, None, 58.7), "B1": (1, 1), "B2": (1, 1),
              "B3": (1, 1), "B4": (1, 1), "B5": (1, 1), "C1": (1, 1), "C2": (1, 1), "C3": (1, 1), "C4": (1, None, 92.5)},
}


def filled_template(path: Path, framework: str = "county_example", filled: dict = FILLED, gates: dict = GATES):
    sys.path.insert(0, str(ROOT))
    from openpyxl import load_workbook

    from dudao.framework.load import load_framework
    from dudao.framework.template import write_template
    write_template(load_framework(framework), path)
    wb = load_workbook(path)
    base = wb["评分表"]
    sheets = [base] + [wb.copy_worksheet(base) for _ in range(len(filled) - 1)]
    for ws, (region, rows) in zip(sheets, filled.items()):
        ws.title = f"评分表-{region}"
        ws["B2"] = region
        for r in range(4, ws.max_row + 1):
            v = rows.get(ws.cell(r, 1).value)
            if v == "不适用":
                ws.cell(r, 10, "是")
            elif v:
                s, ver, value, reason = (*v, None, None)[:4]
                ws.cell(r, 6, s)
                ws.cell(r, 7, ver)
                ws.cell(r, 8, value)
                ws.cell(r, 9, reason)
            if ws.cell(r, 1).value == "否决与降等" and region in gates:
                ws.cell(r, 11, gates[region])
    wb.save(path)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    framework_xlsx(OUT / "他处测评细则.xlsx")
    long_table(OUT / "核查结果长表.xlsx")
    schools(OUT / "学校数据.xlsx")
    survey(OUT / "满意度调查.xlsx")
    filled_template(OUT / "县级履职评分表.xlsx")
    filled_template(OUT / "优质均衡评分表.xlsx", "youzhi_junheng", JUNHENG, {})
    filled_template(OUT / "普及普惠评分表.xlsx", "xueqian_puhui", PUHUI, {})
    print(f"已写入 {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
