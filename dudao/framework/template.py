"""The scoring sheet reviewers fill: one row per point, self and verified scores limited to [0, max]."""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from dudao.atomic import atomic_path
from dudao.framework.model import GATE_WORDS, NA_WORDS, Framework

HEADERS = ["编号", "上级指标", "观测点", "分值", "评分标准", "自评得分", "核定得分", "实测值", "扣分原因", "不适用", "备注"]
WIDTHS = [9, 28, 40, 7, 44, 10, 10, 9, 30, 8, 30]
GATE_ROW = "否决与降等"
FILL = PatternFill("solid", fgColor="FFF2CC")


def _fmt(x: float) -> str:
    return f"{x:g}"


def write_template(fw: Framework, path: str | Path, region: str = "") -> int:
    """Write the template; returns the number of point rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = "评分表"
    ws.append([f"{fw.name} 评分表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["地区", region or None, "（填写被评地区名称；多个地区请复制本工作表，每个地区一张）"])
    ws["B2"].fill = FILL
    ws.append(HEADERS)
    for c in ws[3]:
        c.font = Font(bold=True)
    parents = {}
    for node, parent, _d in fw.walk():
        parents[node.id] = parent
    names = {n.id: n.name for n, _p, _d in fw.walk()}
    by_max: dict[float, list[str]] = {}
    rows = 0
    for leaf in fw.leaves():
        chain, p = [], parents[leaf.id]
        while p:
            chain.append(f"{p} {names[p]}")
            p = parents[p]
        rule = leaf.rule.text if leaf.rule and leaf.rule.text else ""
        ws.append([leaf.id, " / ".join(reversed(chain)), leaf.name, leaf.points, rule])
        by_max.setdefault(leaf.points, []).append(ws.max_row)
        rows += 1
    cap = f"；加分合计不超过 {_fmt(fw.bonus.cap)} 分" if fw.bonus.cap is not None else ""
    for b in fw.bonus.items:
        ws.append([b.id, "加分项", b.name, b.limit, f"每项加 {_fmt(b.value)} 分，本项最高 {_fmt(b.limit)} 分{cap}"])
        by_max.setdefault(b.limit, []).append(ws.max_row)
    if fw.gates:
        words = "；".join(f"{g.name}（{GATE_WORDS[g.kind]}）" for g in fw.gates)
        ws.append([GATE_ROW, None, GATE_ROW, None, f"如有下列情形，请在“备注”中照原文写明：{words}"])
    for vmax, rownums in by_max.items():
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2=_fmt(vmax), allow_blank=True,
                            showErrorMessage=True, errorTitle="得分超出范围", error=f"得分应在 0 到 {_fmt(vmax)} 分之间")
        for r in rownums:
            dv.add(f"F{r}:G{r}")
        ws.add_data_validation(dv)
    na = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    na.add(f"J4:J{ws.max_row}")
    ws.add_data_validation(na)
    for i, w in enumerate(WIDTHS):
        ws.column_dimensions[chr(65 + i)].width = w
    for row in ws.iter_rows(min_row=4):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "D4"
    _notes_sheet(wb.create_sheet("说明"), fw)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return rows


def _notes_sheet(ws, fw: Framework):
    ws.column_dimensions["A"].width = 100
    lines = [f"指标体系：{fw.name}", f"满分：{_fmt(fw.full_score)} 分", f"不适用：{NA_WORDS[fw.na_policy]}"]
    if fw.bonus.items:
        cap = f"{_fmt(fw.bonus.cap)} 分" if fw.bonus.cap is not None else "不设上限"
        lines.append(f"加分：合计不超过 {cap}")
    for b in fw.bands_desc():
        upper = f"不足 {_fmt(b.max)} 分" if b.max is not None else "及以上"
        lines.append(f"等次：{b.name}　{_fmt(b.min)} 分{'' if b.max is None else ' 至 '}{upper}")
    for g in fw.gates:
        lines.append(f"{GATE_WORDS[g.kind]}：{g.name}")
    lines.append("填写：自评得分、核定得分填 0 到该点分值之间的数字；不适用的观测点在“不适用”列选“是”；"
                 "也可只填“实测值”（比例或发生次数），由评分规则计算核定得分。")
    for line in lines:
        ws.append([line])
