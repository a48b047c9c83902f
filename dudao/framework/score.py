"""The scoring engine: rules, N/A rescaling, bonus cap, gates and grade bands, in plain Python."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from dudao.framework.model import Band, Framework, Node

EPS = 1e-6
TOP_GAPS = 5
# Credibility of a self-evaluation (dudao's own measure; see docs/frameworks.md):
#   1 − Σ|self_i − verified_i| / Σ max_i over the applicable points with both scores.
CREDIBILITY_FORMULA = "可信度 = 1 − Σ|自评得分 − 核定得分| ÷ Σ该点分值（只计适用且两项得分都有的观测点）"


@dataclass
class Entry:
    """One row of a scoring sheet for one point (or bonus item) of one region."""
    point: str
    where: str  # "工作表「评分表」第 5 行" – for messages
    self_score: Optional[float] = None
    verified: Optional[float] = None
    value: Optional[float] = None  # measured value / number of occurrences, for computed rules
    na: bool = False
    reason: str = ""
    columns: dict = field(default_factory=dict)  # "self"/"verified" → column letter, for messages

    def at(self, role: str) -> str:
        c = self.columns.get(role)
        return f"{self.where} {c} 列：" if c and self.where else self.where


@dataclass
class RegionScores:
    region: str
    entries: dict[str, Entry] = field(default_factory=dict)
    bonus: dict[str, Entry] = field(default_factory=dict)
    gates: list[tuple[str, str]] = field(default_factory=list)  # (gate id, where it was named)
    errors: list[str] = field(default_factory=list)


def _r(x: float) -> float:
    return round(x + 0.0, 2)


def rule_score(node: Node, value: float) -> Optional[float]:
    """The score a leaf's rule gives for a measured value (occurrences for `deduct`); None for manual."""
    r, pts = node.rule, node.points
    if r is None or r.kind == "manual":
        return None
    if r.kind == "deduct":
        cap = pts if r.cap is None else r.cap
        return _r(pts - min(cap, r.per * max(value, 0)))
    met = value >= r.target if r.op == ">=" else value <= r.target
    if r.kind == "threshold":
        return _r(pts if met else r.fail_score)
    # prorata
    if met:
        return _r(pts)
    ratio = value / r.target if r.op == ">=" else (r.target / value if value > 0 else 1.0)
    return _r(pts * max(0.0, min(1.0, ratio)))


def band_for(fw: Framework, total: float) -> Optional[Band]:
    bands = fw.bands_desc()
    for b in bands:
        if total >= b.min - EPS and (b.max is None or total < b.max - EPS or b is bands[0]):
            return b
    return bands[-1] if bands else None


def apply_gates(fw: Framework, band: Optional[Band], gate_ids: list[str]) -> Optional[Band]:
    """Downgrades first (one band each), then 'cannot be the top band', then vetoes (lowest band)."""
    if band is None:
        return None
    bands = fw.bands_desc()
    i = bands.index(band)
    kinds = [g.kind for g in fw.gates if g.id in gate_ids]
    i = min(i + kinds.count("downgrade"), len(bands) - 1)
    if "no_excellent" in kinds and i == 0:
        i = min(1, len(bands) - 1)
    if "veto" in kinds:
        i = len(bands) - 1
    return bands[i]


def _check_range(value: Optional[float], hi: float, what: str, where: str, errors: list[str]) -> Optional[float]:
    if value is None:
        return None
    if value < -EPS:
        errors.append(f"{where}{what} {value:g} 分小于 0，已按未填处理")
        return None
    if value > hi + EPS:
        errors.append(f"{where}{what} {value:g} 分超过该项最高 {hi:g} 分，已按未填处理")
        return None
    return value


def score_region(fw: Framework, rs: RegionScores, survey_values: Optional[dict[str, float]] = None) -> dict:
    """Score one region. Problems go to its `errors`; the region is still scored."""
    errors = list(rs.errors)
    survey_values = survey_values or {}
    points, na_ids, unverified = [], [], []
    applicable_max = self_sum = ver_sum = 0.0
    gap_abs = gap_max = 0.0
    for leaf in fw.leaves():
        e = rs.entries.get(leaf.id)
        if e is None:
            e = Entry(point=leaf.id, where="")
            if leaf.id not in survey_values:
                errors.append(f"缺少观测点 {leaf.id}“{leaf.name}”的得分，按 0 分计")
        na = e.na
        if na and fw.na_policy == "forbid":
            errors.append(f"{e.where}观测点 {leaf.id} 标为不适用，但本指标体系不允许不适用，按 0 分计")
        s = _check_range(e.self_score, leaf.points, "自评得分", e.at("self"), errors)
        v = _check_range(e.verified, leaf.points, "核定得分", e.at("verified"), errors)
        value = e.value if e.value is not None else survey_values.get(leaf.id)
        computed = rule_score(leaf, value) if value is not None else None
        if computed is not None:
            if v is None:
                v = computed
            elif abs(v - computed) > 0.005:
                errors.append(f"{e.where}观测点 {leaf.id} 核定得分 {v:g} 分，与按评分规则和实测值 {value:g} "
                              f"计算的 {computed:g} 分不符（以填写的核定得分为准）")
        if v is None and s is not None and not na:
            unverified.append(leaf.id)
            v = s  # not verified: the self score stands, and the region says so
        row = {"id": leaf.id, "name": leaf.name, "max": leaf.points, "self": s, "verified": v,
               "not_applicable": na and fw.na_policy != "forbid", "reason": e.reason}
        if value is not None:
            row["value"] = value
        points.append(row)
        if row["not_applicable"]:
            na_ids.append(leaf.id)
            if fw.na_policy == "zero":
                applicable_max += leaf.points
            continue
        applicable_max += leaf.points
        self_sum += s or 0.0
        ver_sum += v or 0.0
        if s is not None and v is not None:
            gap_abs += abs(s - v)
            gap_max += leaf.points
    scale = fw.full_score / applicable_max if (fw.na_policy == "rescale" and applicable_max > EPS) else 1.0
    if applicable_max <= EPS:
        errors.append("所有观测点都标为不适用，无法计分")
        scale = 0.0
    base_self, base_ver = _r(self_sum * scale), _r(ver_sum * scale)

    bonus_rows, bself, bver = [], 0.0, 0.0
    items = {b.id: b for b in fw.bonus.items}
    for bid, e in rs.bonus.items():
        item = items[bid]
        s = _check_range(e.self_score, item.limit, "加分", e.at("self"), errors)
        v = _check_range(e.verified, item.limit, "核定加分", e.at("verified"), errors)
        if v is None and e.value is not None:
            v = min(item.limit, item.value * e.value)
        if v is None:
            v = s
        bself += s or 0.0
        bver += v or 0.0
        bonus_rows.append({"id": bid, "name": item.name, "max": item.limit, "self": s, "verified": v,
                           "reason": e.reason})
    cap = fw.bonus.cap
    bonus_self = _r(min(bself, cap) if cap is not None else bself)
    bonus_ver = _r(min(bver, cap) if cap is not None else bver)

    self_total, ver_total = _r(base_self + bonus_self), _r(base_ver + bonus_ver)
    gate_ids = []
    gates = []
    for gid, where in rs.gates:
        if gid not in gate_ids:
            gate_ids.append(gid)
            g = next(g for g in fw.gates if g.id == gid)
            gates.append({"id": g.id, "kind": g.kind, "name": g.name, "where": where})
    band = band_for(fw, ver_total)
    graded = apply_gates(fw, band, gate_ids)
    self_band = band_for(fw, self_total)

    deductions = [{"id": p["id"], "name": p["name"], "max": p["max"], "verified": p["verified"],
                   "lost": _r(p["max"] - (p["verified"] or 0)), "reason": p["reason"]}
                  for p in points if not p["not_applicable"] and (p["verified"] or 0) < p["max"] - EPS]
    gaps = sorted((p for p in points if p["self"] is not None and p["verified"] is not None
                   and abs(p["self"] - p["verified"]) > EPS),
                  key=lambda p: (-abs(p["self"] - p["verified"]), p["id"]))[:TOP_GAPS]
    return {
        "region": rs.region,
        "self_total": self_total,
        "verified_total": ver_total,
        "self_base": base_self,
        "verified_base": base_ver,
        "bonus": bonus_ver,
        "self_bonus": bonus_self,
        "bonus_claimed": _r(bver),
        "grade": graded.name if graded else None,
        "grade_before_gates": band.name if band else None,
        "self_grade": self_band.name if self_band else None,
        "gates": gates,
        "not_applicable": na_ids,
        "scale": round(scale, 6),
        "deducted": _r(sum(d["lost"] for d in deductions)),
        "deductions": deductions,
        "largest_gaps": [{"id": p["id"], "name": p["name"], "self": p["self"], "verified": p["verified"],
                          "gap": _r(p["self"] - p["verified"])} for p in gaps],
        "credibility": round(1 - gap_abs / gap_max, 4) if gap_max > EPS else None,
        "unverified": unverified,
        "points": points,
        "bonus_items": bonus_rows,
        "errors": errors,
    }


def score_all(fw: Framework, regions: list[RegionScores], survey: Optional[dict[str, dict[str, float]]] = None) -> dict:
    """{"regions": [...]} for every region; survey maps region → point id → measured value."""
    survey = survey or {}
    return {"framework": {"id": fw.id, "name": fw.name, "full_score": fw.full_score},
            "credibility_formula": CREDIBILITY_FORMULA,
            "regions": [score_region(fw, rs, survey.get(rs.region) or survey.get("*")) for rs in regions]}
