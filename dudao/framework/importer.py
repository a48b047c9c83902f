"""Import the frameworks offices keep in Excel or Word: a title row, merged upper levels, a 加分项 block and
the 说明 notes under the table (bonus cap, grade bands, vetoes, 不得评为优秀, N/A rule)."""
from __future__ import annotations

import re
from pathlib import Path

from dudao.errors import InputError
from dudao.framework.grid import docx_tables, header_role, merged_across, norm, number, open_workbook, sheet_grid, terms
from dudao.framework.load import parse_framework
from dudao.framework.model import Framework
from dudao.framework.notes import read_notes


def import_framework(path: str | Path) -> tuple[Framework, list[str], list[str]]:
    """The framework, what was understood and what was not (left for editing the YAML)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        wb = open_workbook(path)
        tables = [(sheet_grid(ws), merged_across(ws), ws.title) for ws in wb.worksheets]
        after: list[str] = []
    elif suffix == ".docx":
        raw, before, after = docx_tables(path)
        tables = [(g, wide, f"表格{i + 1}") for i, (g, wide) in enumerate(raw)]
        if before:
            tables = [([[before[-1]], *g], {w + 1 for w in wide} | {0}, label) for g, wide, label in tables]
    else:
        raise InputError(f"{path.name}：只支持 Excel（.xlsx）或 Word（.docx）格式的指标体系表")
    for grid, wide, label in tables:
        head = _header(grid)
        if head is not None:
            return _Table(grid, wide, label, head, after, path).build()
    raise InputError(f"{path.name}：没有找到指标体系表头（需要“一级指标/观测点/评价内容”等指标列和“分值/权重/标准分”列）")


def _header(grid):
    vocab = terms()["headers"]
    for r, row in enumerate(grid[:20]):
        roles: dict[str, list[int]] = {}
        for c, v in enumerate(row):
            role = header_role(v, vocab)
            if role:
                roles.setdefault(role, []).append(c)
        if "level" in roles and "points" in roles:
            return r, roles
    return None


def _words_rx(words) -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


class _Table:
    def __init__(self, grid, wide, label, head, after, path):
        self.grid, self.wide, self.label, self.after, self.path = grid, wide, label, after, path
        self.hr, self.roles = head
        self.t = terms()
        self.rx = {k: re.compile(v) for k, v in self.t["rules"].items()}
        self.understood: list[str] = []
        self.missed: list[str] = []
        self._chains: list[list[str]] = []
        self._leaf_rules: list[str] = []

    def cell(self, row, role, k=0):
        cols = self.roles.get(role, [])
        return row[cols[k]] if k < len(cols) and cols[k] < len(row) else None

    def where(self, r, role=None):
        from dudao.framework.grid import col
        c = f" {col(self.roles[role][0])} 列" if role in self.roles else ""
        return f"{self.path.name}「{self.label}」第 {r + 1} 行{c}"

    def build(self):
        title = next((norm(v) for row in self.grid[:self.hr] for v in row if norm(v)), None) or self.path.stem
        roots: list[dict] = []
        bonus_items, notes = [], []
        bonus_cap_label = None
        in_bonus = in_notes = False
        level_cols = self.roles["level"]
        prev_path: list[str] = []
        block = _words_rx(self.t["bonus_block"])
        notes_start = re.compile(r"^(?:" + "|".join(map(re.escape, self.t["notes_start"])) + r")(?:[:：]|\d|$)")
        totals = set(self.t["total_row"])
        leaves = 0
        for r in range(self.hr + 1, len(self.grid)):
            row = self.grid[r]
            texts = [norm(v) for v in row if norm(v)]
            if not texts:
                continue
            first = texts[0]
            if in_notes:
                notes.append(" ".join(dict.fromkeys(str(v).strip() for v in row if norm(v))))
                continue
            if notes_start.match(first) and (r in self.wide or len(set(texts)) == 1 or not self._has_points(row)):
                in_notes = True
                notes.append(" ".join(dict.fromkeys(str(v).strip() for v in row if norm(v))))
                continue
            if len(set(texts)) == 1 and (r in self.wide or len(texts) > 1 or not self._has_points(row)):
                m = block.match(first)
                if m:
                    in_bonus = True
                    cap = re.search(self.t["notes"]["bonus_cap"], first) or re.search(r"(\d+(?:\.\d+)?)\s*分", first)
                    bonus_cap_label = float(cap.group(1)) if cap else None
                elif first not in totals:
                    self.missed.append(f"{self.where(r)}：整行文字“{first[:30]}”未能识别，已跳过")
                continue
            path = [norm(row[c]) if c < len(row) else "" for c in level_cols]
            path = [p or (prev_path[i] if i < len(prev_path) and i < len(path) - 1 else "") for i, p in enumerate(path)]
            if path and path[0] in totals:
                continue
            if path and block.fullmatch(_strip_points(path[0])[0]):
                in_bonus = True
            chain = [p for i, p in enumerate(path) if p and (i == 0 or p != path[i - 1])]
            prev_path = path
            try:
                pts = number(self.cell(row, "points"))
            except ValueError:
                self.missed.append(f"{self.where(r, 'points')}：分值“{self.cell(row, 'points')}”不是数字，该行已跳过")
                continue
            rule_text = " ".join(norm(self.cell(row, "rule", k)) for k in range(len(self.roles.get("rule", []))))
            if in_bonus:
                item = self._bonus_item(r, [c for c in chain if not block.fullmatch(_strip_points(c)[0])], pts, rule_text)
                if item:
                    item["id"] = item["id"] or f"J{len(bonus_items) + 1}"
                    bonus_items.append(item)
                continue
            if pts is None or not chain:
                self.missed.append(f"{self.where(r, 'points')}：没有分值，该行已跳过")
                continue
            self._add(roots, chain, pts, rule_text, row, r)
            leaves += 1
        if not roots:
            raise InputError(f"{self.path.name}：表头下没有读到任何带分值的指标行")
        nodes = self._finish(roots)
        note_data = read_notes(notes + self.after, self.understood, self.missed)
        bonus = {"items": bonus_items}
        cap = note_data.pop("bonus_cap", None)
        if cap is None:
            cap = bonus_cap_label
        if cap is not None:
            bonus["cap"] = cap
        full = note_data.pop("full_score", None) or sum(n["points"] for n in nodes)
        data = {"id": re.sub(r"\s+", "_", self.path.stem), "name": title, "full_score": full, "nodes": nodes,
                "bonus": bonus, "source": f"由 {self.path.name} 导入", **note_data}
        levels = max((len(c) for c in self._chains), default=0)
        self.understood.insert(0, f"标题“{title}”；表头在第 {self.hr + 1} 行；{levels} 级指标，观测点 {leaves} 个，"
                                  f"一级指标分值合计 {sum(n['points'] for n in nodes):g} 分")
        if bonus_items:
            self.understood.insert(1, f"加分项 {len(bonus_items)} 项" + (f"，合计上限 {cap:g} 分" if cap is not None else ""))
        manual = [name for kind, name in self._leaf_rules if kind == "manual"]
        if manual:
            self.missed.append(f"{len(manual)} 个观测点的评分标准未能读成计分规则，按人工评分处理（可在 YAML 中补写 rule）："
                               + "；".join(f"“{n[:20]}”" for n in manual))
        return parse_framework(data, str(self.path)), self.understood, self.missed

    def _has_points(self, row) -> bool:
        try:
            return number(self.cell(row, "points")) is not None
        except ValueError:
            return False

    def _add(self, roots, chain, pts, rule_text, row, r):
        self._chains.append(chain)
        level = roots
        for depth, raw in enumerate(chain):
            name, stated = _strip_points(raw)
            code, name = self._code(name)
            last = depth == len(chain) - 1
            node = next((n for n in level if n["_raw"] == raw and not (last and "points" in n)), None)
            if node is None:
                node = {"_raw": raw, "_code": code, "_stated": stated, "name": name, "children": []}
                level.append(node)
            if last:
                node["points"] = pts
                seq = norm(self.cell(row, "id"))
                node["_seq"] = seq or None
                rule = self._rule(rule_text, pts)
                self._leaf_rules.append((rule["kind"], name))
                node["rule"] = rule
                units = norm(self.cell(row, "units"))
                if units:
                    node["units"] = [u for u in re.split(r"[、,，/；;]", units) if u]
                said = name + rule_text
                groups = [g for g in self.t["survey_groups"] if g in said] \
                    if any(w in said for w in self.t["survey_words"]) else []
                if groups:
                    node["survey"] = groups
                ev = norm(self.cell(row, "evidence"))
                if ev:
                    node["evidence"] = [ev]
            level = node["children"]

    def _code(self, name):
        name = re.sub(self.t["rules"]["number_prefix"], "", name)
        m = self.rx["code_prefix"].match(name)
        if m:
            return m.group("id").replace("－", "-"), m.group("name")
        return None, name

    def _finish(self, roots) -> list[dict]:
        seqs = [n.get("_seq") for n in _all(roots) if not n["children"]]
        use_seq = all(seqs) and len(set(seqs)) == len(seqs)

        def fix(nodes, parent_id, depth):
            out = []
            for i, n in enumerate(nodes, 1):
                if n["_code"]:
                    nid = n["_code"]
                elif not n["children"] and use_seq:
                    nid = n["_seq"]
                elif parent_id is None:
                    nid = chr(64 + i) if i <= 26 else f"Z{i}"
                else:
                    nid = f"{parent_id}{'' if depth == 2 else '-'}{i}"
                kids = fix(n["children"], nid, depth + 1)
                node = {"id": nid, "name": n["name"]}
                if kids:
                    node["points"] = n["_stated"] if n["_stated"] is not None else sum(k["points"] for k in kids)
                    node["children"] = kids
                else:
                    node["points"] = n["points"]
                    for k in ("rule", "units", "evidence", "survey"):
                        if n.get(k):
                            node[k] = n[k]
                out.append(node)
            return out
        return fix(roots, None, 1)

    def _rule(self, text: str, pts: float) -> dict:
        rx = self.rx
        if not text:
            return {"kind": "manual"}
        m = rx["deduct_per"].search(text)
        if m:
            rule = {"kind": "deduct", "per": float(m.group(1)), "text": text}
            cap = rx["deduct_cap"].search(text)
            if cap and float(cap.group(1)) < pts:
                rule["cap"] = float(cap.group(1))
            return rule
        lo, hi = rx["target_at_least"].search(text), rx["target_at_most"].search(text)
        tm = min((m for m in (lo, hi) if m), key=lambda m: m.start(), default=None)
        if tm is None:
            return {"kind": "manual", "text": text}
        rule = {"target": float(tm.group(1)), "op": ">=" if tm is lo else "<=", "text": text}
        if tm.group(2):
            rule["unit"] = tm.group(2).replace("％", "%")
        if rx["prorata"].search(text):
            return {"kind": "prorata", **rule}
        if rx["fail_score"].search(text) or rx["full_marks"].search(text):
            fs = rx["fail_score"].search(text)
            if fs and float(fs.group(1)) <= pts:
                rule["fail_score"] = float(fs.group(1))
            return {"kind": "threshold", **rule}
        return {"kind": "manual", "text": text}

    def _bonus_item(self, r, chain, pts, text):
        if not chain:
            self.missed.append(f"{self.where(r)}：加分项没有名称，已跳过")
            return None
        name, stated = _strip_points(chain[-1])
        code, name = self._code(name)
        per = self.rx["bonus_per"].search(text)
        most = self.rx["bonus_max"].search(text)
        value = float(per.group(1)) if per else (pts or stated)
        if not value:
            self.missed.append(f"{self.where(r)}：加分项“{name}”没有分值，已跳过")
            return None
        item = {"id": code, "name": name, "value": value}
        limit = float(most.group(1)) if most else (pts if pts and pts > value else None)
        if limit and limit > value:
            item["max"] = limit
        return item


def _all(nodes):
    for n in nodes:
        yield n
        yield from _all(n["children"])


def _strip_points(name: str) -> tuple[str, float | None]:
    m = re.search(terms()["rules"]["points_suffix"], name)
    if m:
        return name[:m.start()], float(m.group(1))
    return name, None
