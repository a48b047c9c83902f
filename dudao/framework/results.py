"""Scoring results as a workbook: a summary per region, every point, and how the figures were computed."""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from dudao.atomic import atomic_path


def write_results(result: dict, path: str | Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    add_result_sheets(wb, result)
    with atomic_path(path) as tmp:
        wb.save(tmp)


def add_result_sheets(wb, result: dict, prefix: str = "") -> None:
    """Add the summary, per-point and notes sheets to a workbook (also for the review pack's 评分 sheet)."""
    ws = wb.create_sheet(f"{prefix}汇总")
    ws.append(["地区", "自评总分", "核定总分", "核定基础分（折算后）", "核定加分（封顶后）", "扣分", "自评等次", "核定等次",
               "否决/降等", "不适用观测点", "自评可信度", "未核定观测点", "问题"])
    for r in result["regions"]:
        ws.append([r["region"], r["self_total"], r["verified_total"], r["verified_base"], r["bonus"], r["deducted"],
                   r["self_grade"], r["grade"], "；".join(g["name"] for g in r["gates"]),
                   "、".join(r["not_applicable"]), r["credibility"], "、".join(r["unverified"]), "；".join(r["errors"])])
    pts = wb.create_sheet(f"{prefix}逐点")
    pts.append(["地区", "编号", "观测点", "分值", "自评得分", "核定得分", "自评−核定", "实测值", "不适用", "扣分原因"])
    for r in result["regions"]:
        for p in r["points"] + r["bonus_items"]:
            gap = (p["self"] - p["verified"]) if p["self"] is not None and p["verified"] is not None else None
            pts.append([r["region"], p["id"], p["name"], p["max"], p["self"], p["verified"],
                        round(gap, 2) if gap is not None else None, p.get("value"),
                        "是" if p.get("not_applicable") else "", p["reason"]])
    notes = wb.create_sheet(f"{prefix}说明")
    notes.append([f"指标体系：{result['framework']['name']}"])
    notes.append([result["credibility_formula"]])
    notes.append(["核定总分 = 适用观测点核定得分之和 × 满分 ÷ 适用观测点分值之和（不适用折算） + min(核定加分之和, 加分上限)"])
    for p in result.get("problems", []):
        notes.append([p])
    for sheet in (ws, pts):
        for c in sheet[1]:
            c.font = Font(bold=True)
