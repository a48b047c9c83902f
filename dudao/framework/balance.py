"""优质均衡 resource indicators per school: standards, the 6-of-7 rule and enrolment-weighted 差异系数."""
from __future__ import annotations

import math
import re
from pathlib import Path

from dudao.errors import InputError
from dudao.framework.grid import col, norm, number, open_workbook, sheet_grid
from dudao.resources import load_yaml

_BRACKET = re.compile(r"[（(]([^（）()]*)[)）]$")


def standards() -> dict:
    return load_yaml("balance_standards")


def _header_key(cell) -> tuple[str, float]:
    """A header without its unit suffix, and the factor the unit asks for (万元 → 10000)."""
    t = norm(cell)
    m = _BRACKET.search(t)
    if m and any(u in m.group(1) for u in ("万元", "元", "平方米", "㎡", "m²", "间", "人", "个")):
        return t[:m.start()], (10000.0 if "万元" in m.group(1) else 1.0)
    return t, 1.0


def read_schools(path: str | Path) -> tuple[list[dict], list[str]]:
    """One dict per school (name, stage, students, values by indicator id) and the problems found."""
    path = Path(path)
    std = standards()
    wb = open_workbook(path)
    for ws in wb.worksheets:
        grid = sheet_grid(ws)
        for hr, row in enumerate(grid[:15]):
            keys = [_header_key(v) for v in row]
            roles = {}
            for c, (k, _f) in enumerate(keys):
                for role, words in std["headers"].items():
                    if k in words and role not in roles:
                        roles[role] = c
            if "stage" in roles and "students" in roles:
                return _rows(ws.title, grid, hr, keys, roles, std)
    raise InputError(f"{path.name}：没有找到学校数据表头（需要“学段”和“在校生数”列）")


def _rows(sheet, grid, hr, keys, roles, std):
    value_cols, raw_cols = {}, {}
    for c, (k, factor) in enumerate(keys):
        for ind in std["indicators"]:
            if k == norm(ind["name"]):
                value_cols[ind["id"]] = (c, factor)
            elif k == norm(ind["raw"]):
                raw_cols[ind["id"]] = (c, factor)
    missing = [i["name"] for i in std["indicators"] if i["id"] not in value_cols and i["id"] not in raw_cols]
    if missing:
        raise InputError(f"工作表「{sheet}」缺少资源配置指标列：{'、'.join(missing)}（可填指标值，或填原始数由程序折算）")
    schools, problems = [], []
    for r in range(hr + 1, len(grid)):
        row = grid[r]
        if not any(norm(v) for v in row):
            continue
        where = f"工作表「{sheet}」第 {r + 1} 行"
        name = norm(row[roles["school"]]) if "school" in roles else f"第{r + 1}行学校"
        stage = norm(row[roles["stage"]])
        if stage not in std["stages"]:
            problems.append(f"{where} {col(roles['stage'])} 列：学段“{stage}”应为小学或初中"
                            f"（一贯制学校请按小学部、初中部分两行填写），该校已跳过")
            continue
        try:
            students = number(row[roles["students"]])
        except ValueError:
            students = None
        if not students or students <= 0:
            problems.append(f"{where} {col(roles['students'])} 列：在校生数应为大于 0 的数字，该校已跳过")
            continue
        values, bad = {}, False
        for ind in std["indicators"]:
            iid = ind["id"]
            c, factor = value_cols.get(iid) or raw_cols[iid]
            try:
                v = number(row[c] if c < len(row) else None)
            except ValueError:
                v = None
            if v is None or v < 0:
                problems.append(f"{where} {col(c)} 列：{ind['name']}缺失或不是非负数字，该校已跳过")
                bad = True
                break
            v *= factor
            if iid not in value_cols:  # a raw count: per student or per hundred students
                v = v / students * ind["per"]
            values[iid] = round(v, 4)
        if not bad:
            schools.append({"school": name, "stage": stage, "students": students, "values": values, "where": where})
    return schools, problems


def cv(pairs: list[tuple[float, float]]) -> float | None:
    """Enrolment-weighted coefficient of variation of (students, value) pairs (教督〔2012〕3号 附件)."""
    p = sum(w for w, _ in pairs)
    if p <= 0:
        return None
    mean = sum(w * x for w, x in pairs) / p
    if mean <= 0:
        return None
    s = math.sqrt(sum(w * (x - mean) ** 2 for w, x in pairs) / p)
    return s / mean


def assess(schools: list[dict]) -> dict:
    std = standards()
    inds = std["indicators"]
    out_schools = []
    for s in schools:
        checks = []
        for ind in inds:
            target = ind["standard"][s["stage"]]
            v = s["values"][ind["id"]]
            checks.append({"id": ind["id"], "name": ind["name"], "value": v, "standard": target,
                           "met": v >= target, "ratio": round(v / target, 4)})
        met = sum(c["met"] for c in checks)
        rest_ok = all(c["ratio"] >= std["rest_ratio"] for c in checks if not c["met"])
        out_schools.append({"school": s["school"], "stage": s["stage"], "students": s["students"], "met": met,
                            "passes": met >= std["min_met"] and rest_ok, "indicators": checks})
    stages = {}
    for stage in std["stages"]:
        group = [s for s in schools if s["stage"] == stage]
        if not group:
            continue
        rows = []
        for ind in inds:
            value = cv([(s["students"], s["values"][ind["id"]]) for s in group])
            rows.append({"id": ind["id"], "name": ind["name"], "cv": round(value, 4) if value is not None else None,
                         "limit": std["cv_max"][stage],
                         "ok": value is not None and value <= std["cv_max"][stage] + 1e-12})
        stages[stage] = {"schools": len(group), "students": sum(s["students"] for s in group), "cv": rows}
    failing = [s["school"] for s in out_schools if not s["passes"]]
    over = [f"{stage}{r['name']}（{r['cv']}）" for stage, d in stages.items() for r in d["cv"] if not r["ok"]]
    ok = bool(out_schools) and not failing and not over
    reasons = ([f"{len(failing)} 所学校未达到“至少6项达标、余项不低于85%”：{'、'.join(failing)}"] if failing else []) + \
              ([f"校际差异系数超标：{'；'.join(over)}"] if over else [])
    verdict = ("资源配置达到优质均衡要求（政府保障程度、教育质量、社会认可度另行评估）" if ok
               else "资源配置未达到优质均衡要求：" + "；".join(reasons or ["没有可测算的学校"]))
    return {"schools": out_schools, "stages": stages, "passes": ok, "verdict": verdict,
            "sources": {k: std[k] for k in ("source", "rule_source", "cv_source", "formula_source")}}


def print_balance(console, result: dict) -> None:
    from rich.table import Table
    inds = standards()["indicators"]
    t = Table(title="逐校资源配置（✗ 为未达标，括号内为达到标准的比例）")
    for h in ["学校", "学段", "在校生", *[i["id"] for i in inds], "达标项", "结论"]:
        t.add_column(h)
    for s in result["schools"]:
        cells = [f"{c['value']:g}" + ("" if c["met"] else f" ✗({c['ratio']:.0%})") for c in s["indicators"]]
        t.add_row(s["school"], s["stage"], f"{s['students']:g}", *cells, f"{s['met']}/7", "达标" if s["passes"] else "未达标")
    console.print(t)
    console.print("；".join(f"{i['id']} {i['name']}" for i in inds))
    for stage, d in result["stages"].items():
        cvs = "；".join(f"{r['id']} {r['cv']}" + ("" if r["ok"] else " ✗") for r in d["cv"])
        console.print(f"{stage}（{d['schools']} 所，限值 {d['cv'][0]['limit']}）差异系数：{cvs}")
    console.print(f"[bold]{result['verdict']}[/]")
    console.print(f"[dim]{result['sources']['formula_source']}[/]")
    for p in result.get("problems", []):
        console.print(f"  [yellow]{p}[/]")
