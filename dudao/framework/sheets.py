"""Read filled scoring sheets: the dudao template (one sheet per region) or a long table
(地区 / 观测点 / 自评得分 / 核定得分 / 备注, bonus items as rows, gates named in 备注)."""
from __future__ import annotations

import re
from pathlib import Path

from dudao.errors import InputError
from dudao.framework.grid import col, header_role, norm, number, open_workbook, sheet_grid, terms
from dudao.framework.model import Framework
from dudao.framework.score import Entry, RegionScores

HEADER_SCAN = 15


class PointIndex:
    """Finds a framework point, bonus item or non-leaf node from what a sheet calls it (id, number or name)."""

    def __init__(self, fw: Framework):
        self.leaf, self.bonus, self.inner = {}, {}, set()
        self.order = [n.id for n in fw.leaves()]
        for node, _p, _d in fw.walk():
            keys = {_key(node.id), _key(node.name)}
            if node.is_leaf:
                for k in keys:
                    self.leaf.setdefault(k, node.id)
            else:
                self.inner |= keys
        for b in fw.bonus.items:
            for k in (_key(b.id), _key(b.name)):
                self.bonus.setdefault(k, b.id)
        self.number = re.compile(terms()["point_number"])
        self.suffix = re.compile(terms()["point_suffix"])

    def find(self, text: str) -> tuple[str, str] | None:
        """("leaf"|"bonus"|"inner", id) or None."""
        k = _key(text)
        stem = self.suffix.sub("", k)
        if k in self.leaf or stem in self.leaf:
            return "leaf", self.leaf.get(k) or self.leaf[stem]
        if k in self.bonus:
            return "bonus", self.bonus[k]
        if k in self.inner:
            return "inner", k
        m = self.number.match(k)
        if m and _key(m.group(1)) in self.leaf:
            return "leaf", self.leaf[_key(m.group(1))]
        if m and 1 <= int(m.group(1)) <= len(self.order):
            return "leaf", self.order[int(m.group(1)) - 1]  # "第15测评点" / 序号 15: the 15th point in order
        return None


def _key(s) -> str:
    return norm(s).lower().strip("。.：:")


def gates_named(fw: Framework, text: str) -> list[str]:
    """Ids of the gates a free-text cell names in the framework's words (not when denied: 未发现…)."""
    t = norm(text)
    if not t:
        return []
    negations = terms()["notes"]["negations"]
    out = []
    for g in fw.gates:
        for phrase in [g.name, *g.aliases]:
            p = norm(phrase)
            i = t.find(p)
            if i < 0:
                continue
            before = t[max(0, i - 4):i]
            if any(before.endswith(n) for n in negations):
                continue
            out.append(g.id)
            break
    return out


def read_scores(path: str | Path, fw: Framework) -> tuple[list[RegionScores], list[str]]:
    """Regions found in a filled sheet (in order) and problems that belong to no region."""
    path = Path(path)
    wb = open_workbook(path)
    vocab = terms()["sheet_headers"]
    regions: dict[str, RegionScores] = {}
    problems: list[str] = []
    found_header = False
    index = PointIndex(fw)
    for ws in wb.worksheets:
        grid = sheet_grid(ws)
        head = _header(grid, vocab)
        if head is None:
            continue
        found_header = True
        hr, cols = head
        default_region = _region_label(grid[:hr], vocab) or ws.title
        _read_rows(fw, index, ws.title, grid, hr, cols, default_region, regions, problems)
    if not found_header:
        raise InputError(f"{path.name}：没有找到评分表表头（需要“观测点”或“编号”列，以及“自评得分”或“核定得分”列）")
    return list(regions.values()), problems


def _header(grid, vocab):
    for r, row in enumerate(grid[:HEADER_SCAN]):
        cols: dict[str, list[int]] = {}
        for c, v in enumerate(row):
            role = header_role(v, vocab)
            if role:
                cols.setdefault(role, []).append(c)
        if "point" in cols and ("self" in cols or "verified" in cols):
            return r, cols
    return None


def _region_label(rows, vocab) -> str | None:
    """'地区：' followed by the name in the next cell, above the header (the template's layout)."""
    for row in rows:
        for c, v in enumerate(row):
            t = norm(v).rstrip("：:")
            if t in vocab["region"]:
                rest = [norm(x) for x in row[c + 1:] if norm(x)]
                if rest and not rest[0].startswith("（"):
                    return rest[0]
            elif t.startswith(("地区：", "地区:")) and len(t) > 3:
                return t[3:]
    return None


def _read_rows(fw, index, sheet, grid, hr, cols, default_region, regions, problems):
    gate_rows = {norm(w) for w in terms()["gate_row"]}
    yes = {norm(w) for w in terms()["yes_words"]}
    totals = {norm(w) for w in terms()["total_row"]}
    first = lambda role: cols[role][0] if role in cols else None  # noqa: E731
    for r in range(hr + 1, len(grid)):
        row = grid[r]
        cell = lambda c: row[c] if c is not None and c < len(row) else None  # noqa: E731
        if not any(norm(v) for v in row):
            continue
        where = f"工作表「{sheet}」第 {r + 1} 行"
        region = norm(cell(first("region"))) or default_region
        rs = regions.setdefault(region, RegionScores(region=region))
        note = " ".join(str(cell(c)) for c in cols.get("note", []) if norm(cell(c)))
        for gid in gates_named(fw, note):
            rs.gates.append((gid, f"{where} {col(cols['note'][0])} 列"))
        labels = [norm(cell(c)) for c in cols["point"] if norm(cell(c))]
        if not labels:
            if not note:
                rs.errors.append(f"{where}：没有填写观测点，已跳过")
            continue
        if labels[0] in gate_rows or any(lb in gate_rows for lb in labels):
            continue
        hit = next((h for h in map(index.find, labels) if h), None)
        if hit is None:
            if labels[0] in totals:
                continue
            c = cols["point"][0]
            rs.errors.append(f"{where} {col(c)} 列：观测点“{labels[0]}”在指标体系中找不到，已跳过")
            continue
        kind, pid = hit
        if kind == "inner":
            continue  # a subtotal row of an upper-level indicator
        e = Entry(point=pid, where=where, columns={r: col(cols[r][0]) for r in ("self", "verified") if r in cols})
        bad = False
        for role, attr in (("self", "self_score"), ("verified", "verified"), ("value", "value")):
            c = first(role)
            v = cell(c)
            if role != "value" and norm(v) in yes and norm(v) not in ("1",):
                e.na = True
                continue
            try:
                setattr(e, attr, number(v))
            except ValueError:
                rs.errors.append(f"{where} {col(c)} 列：“{v}”不是数字，该行已跳过")
                bad = True
        if bad:
            continue
        na_cell = norm(cell(first("na")))
        e.na = e.na or (na_cell in yes and na_cell not in ("否",))
        e.reason = " ".join(str(cell(c)) for c in cols.get("reason", []) if norm(cell(c)))
        target = rs.bonus if kind == "bonus" else rs.entries
        if pid in target:
            rs.errors.append(f"{where}：{pid} 在地区“{region}”中重复出现，以第一次为准")
            continue
        if kind == "bonus" and e.na:
            continue
        target[pid] = e
