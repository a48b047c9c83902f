"""Check the self-score a report states (the `self_score` of the analysis contract) against a framework.

Pure function for the review pack: findings in the shape of dudao.checks.catalogue.make, with spans.
"""
from __future__ import annotations

from dudao.checks.catalogue import make
from dudao.framework.model import Framework
from dudao.framework.score import band_for
from dudao.framework.sheets import PointIndex

EPS = 0.005


def _n(x) -> str:
    return f"{x:g}"


def check_report_score(report: dict, framework: Framework) -> list[dict]:
    """Findings for one report dict: point count, deductions above a point's value, bonus over the cap,
    total ≠ base − deductions + capped bonus, a grade outside its band."""
    s = report.get("self_score") or {}
    if not s:
        return []
    text = report.get("text") or ""
    spans = s.get("spans") or {}
    fw = framework
    common = {"framework": fw.name, "framework_source": fw.source or fw.name}
    out = []

    def span(*keys):
        for k in keys:
            if spans.get(k):
                return spans[k]
        return (0, 0)

    leaves = fw.leaves()
    stated = s.get("points_count")
    if stated and stated != len(leaves):
        a, b = span("points_count")
        out.append(make("framework_points_count", a, b, text, stated=stated, expected=len(leaves), **common))

    index = PointIndex(fw)
    by_id = {n.id: n for n in leaves}
    bonus_ids = {b.id: b for b in fw.bonus.items}
    for item in s.get("items") or []:
        label, delta = item.get("label"), item.get("delta")
        if not label or delta is None:
            continue
        hit = index.find(label)
        a, b = item["start"], item["end"]
        if hit is None or hit[0] == "inner":
            out.append(make("framework_unknown_point", a, b, text, label=label, verb="扣" if delta < 0 else "加",
                            amount=_n(abs(delta)), **common))
            continue
        kind, pid = hit
        if kind == "leaf" and delta < 0 and -delta > by_id[pid].points + EPS:
            node = by_id[pid]
            out.append(make("framework_deduction_over_max", a, b, text, label=label, point_id=pid,
                            point_name=node.name, amount=_n(-delta), max=_n(node.points), **common))
        elif kind == "bonus" and delta > bonus_ids[pid].limit + EPS:
            out.append(make("framework_deduction_over_max", a, b, text, label=label, point_id=pid,
                            point_name=bonus_ids[pid].name, amount=_n(delta), max=_n(bonus_ids[pid].limit),
                            severity="warning", **common))

    bonus, cap = s.get("bonus"), fw.bonus.cap
    if bonus is not None and cap is not None and bonus > cap + EPS:
        a, b = span("bonus", "total")
        out.append(make("framework_bonus_over_cap", a, b, text, bonus=_n(bonus), cap=_n(cap),
                        cap_source=fw.bonus.source or fw.source or fw.name))

    total, base, deducted = s.get("total"), s.get("base"), s.get("deducted")
    full = fw.full_score
    if base is not None and deducted is not None and abs(full - deducted - base) > EPS:
        a, b = span("base", "deducted")
        out.append(make("framework_total_mismatch", a, b, text, expected=full - deducted, stated=base,
                        detail=f"指标体系满分 {_n(full)} 分，扣 {_n(deducted)} 分，基础分应为 {_n(full - deducted)} 分，"
                               f"报告写 {_n(base)} 分。", **common))
    if base is None and deducted is not None:
        base = full - deducted
    if total is not None and base is not None:
        counted = min(bonus or 0, cap) if cap is not None else (bonus or 0)
        expected = round(base + counted, 2)
        if abs(total - expected) > EPS:
            why = f"（加分 {_n(bonus)} 分超过上限，只计 {_n(counted)} 分）" if bonus and counted < bonus else ""
            a, b = span("total")
            out.append(make("framework_total_mismatch", a, b, text, expected=expected, stated=total,
                            detail=f"按指标体系计分，总分应为基础分 {_n(base)} 分 + 加分 {_n(counted)} 分 = "
                                   f"{_n(expected)} 分{why}，报告写 {_n(total)} 分。", **common))

    grade = s.get("grade")
    if grade and total is not None and fw.bands:
        names = [b.name for b in fw.bands_desc()]
        band = band_for(fw, total)
        if grade in names and band is not None and grade != band.name:
            higher = names.index(grade) < names.index(band.name)
            a, b = span("grade", "total")
            out.append(make("framework_grade_mismatch", a, b, text, total=_n(total), grade=grade, expected=band.name,
                            hint="" if higher else "（低于分数段，如因否决或降等条件请核实）",
                            severity="warning" if higher else "info",
                            bands_source=fw.bands_source or fw.source or fw.name))
    return out


CV_TOLERANCE = 0.005  # reports round to two decimals


def check_report_balance(report: dict, balance: dict) -> list[dict]:
    """A 校际差异系数 the report states (per stage) against the one computed from school data
    (`balance.assess`): it must lie between the smallest and the largest indicator CV of that stage,
    whether it is one indicator's or their mean (综合差异系数)."""
    text = report.get("text") or ""
    out = []
    for ind in report.get("indicators") or []:
        if ind.get("name") != "校际差异系数" or ind.get("kind") != "actual" or ind.get("value") is None:
            continue
        stage = balance.get("stages", {}).get(ind.get("scope"))
        cvs = [r["cv"] for r in (stage or {}).get("cv", []) if r["cv"] is not None]
        if not cvs:
            continue
        low, high, v = min(cvs), max(cvs), ind["value"]
        if low - CV_TOLERANCE <= v <= high + CV_TOLERANCE:
            continue
        out.append(make("balance_cv_mismatch", ind["start"], ind["end"], text, stage=ind["scope"], claimed=_n(v),
                        low=f"{low:.2f}", high=f"{high:.2f}", mean=f"{sum(cvs) / len(cvs):.2f}"))
    return out
