"""Structural checks of a framework: points add up, ids unique, rules complete, bands ordered and gap-free."""
from __future__ import annotations

from dudao.framework.model import Framework

EPS = 1e-6


def _n(x: float) -> str:
    return f"{x:g}"


def check_framework(fw: Framework) -> list[str]:
    """Every problem found, as Chinese sentences (empty list: the framework is sound)."""
    problems: list[str] = []
    seen: dict[str, str] = {}

    def unique(i: str, what: str):
        if i in seen:
            problems.append(f"编号“{i}”重复：{seen[i]}与{what}")
        else:
            seen[i] = what

    top = sum(n.points for n in fw.nodes)
    if abs(top - fw.full_score) > EPS:
        problems.append(f"一级指标分值合计 {_n(top)} 分，与满分 {_n(fw.full_score)} 分不符")
    for node, _parent, _depth in fw.walk():
        unique(node.id, f"指标“{node.name}”")
        if node.children:
            s = sum(c.points for c in node.children)
            if abs(s - node.points) > EPS:
                problems.append(f"指标 {node.id}“{node.name}”分值 {_n(node.points)} 分，下级分值合计 {_n(s)} 分，不相等")
            if node.rule is not None:
                problems.append(f"指标 {node.id} 有下级指标，评分规则应写在下级观测点上")
        elif node.rule is not None:
            problems.extend(_rule_problems(node))
    for b in fw.bonus.items:
        unique(b.id, f"加分项“{b.name}”")
    for g in fw.gates:
        unique(g.id, f"否决/降等条件“{g.name}”")
    problems.extend(_band_problems(fw))
    if any(g.kind in ("downgrade", "no_excellent") for g in fw.gates) and len(fw.bands) < 2:
        problems.append("设有降等或“不得评为优秀”条件，但等次不足两档")
    return problems


def _rule_problems(node) -> list[str]:
    r, out, tag = node.rule, [], f"观测点 {node.id}“{node.name}”"
    if r.kind == "deduct" and r.per is None:
        out.append(f"{tag}按次扣分，但未写每次扣多少分（per）")
    if r.kind in ("threshold", "prorata") and r.target is None:
        out.append(f"{tag}的评分规则缺少目标值（target）")
    if r.kind == "prorata" and r.target is not None and r.target <= 0 and r.op == ">=":
        out.append(f"{tag}按比例计分的目标值应大于 0")
    if r.cap is not None and r.cap > node.points + EPS:
        out.append(f"{tag}扣分上限 {_n(r.cap)} 分超过该点分值 {_n(node.points)} 分")
    if r.fail_score > node.points + EPS:
        out.append(f"{tag}未达标得分 {_n(r.fail_score)} 分超过该点分值 {_n(node.points)} 分")
    return out


def _band_problems(fw: Framework) -> list[str]:
    if not fw.bands:
        return ["未设置等次（bands）"]
    out = []
    bands = fw.bands_desc()
    names = [b.name for b in bands]
    if len(set(names)) != len(names):
        out.append("等次名称重复")
    if bands[0].max is not None and bands[0].max < fw.full_score - EPS:
        out.append(f"最高等次“{bands[0].name}”上限 {_n(bands[0].max)} 分低于满分 {_n(fw.full_score)} 分")
    for hi, lo in zip(bands, bands[1:]):
        if lo.max is None:
            out.append(f"等次“{lo.name}”不是最高等次，须写上限（max）")
        elif lo.max < hi.min - EPS:
            out.append(f"等次之间有空档：“{lo.name}”止于 {_n(lo.max)} 分，“{hi.name}”从 {_n(hi.min)} 分起")
        elif lo.max > hi.min + EPS:
            out.append(f"等次区间重叠：“{lo.name}”止于 {_n(lo.max)} 分，“{hi.name}”从 {_n(hi.min)} 分起")
    for b in bands:
        if b.max is not None and b.max <= b.min:
            out.append(f"等次“{b.name}”下限 {_n(b.min)} 分不小于上限 {_n(b.max)} 分")
    if bands[-1].min > EPS:
        out.append(f"最低等次“{bands[-1].name}”从 {_n(bands[-1].min)} 分起，低于此分的得分没有等次")
    return out
