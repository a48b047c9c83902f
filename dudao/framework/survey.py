"""Satisfaction survey results (满意度/认可度 by respondent group) → values for the points that name the groups."""
from __future__ import annotations

from pathlib import Path

from dudao.errors import InputError
from dudao.framework.grid import col, header_role, norm, number, open_workbook, sheet_grid
from dudao.framework.model import Framework

VOCAB = {
    "region": ["地区", "县区", "区县", "县（市、区）", "被评对象"],
    "group": ["群体", "调查对象", "调查群体", "对象", "类别", "问卷对象"],
    "n": ["样本数", "有效问卷数", "有效样本", "调查人数", "人数", "问卷数", "回收问卷数"],
    "satisfied": ["满意人数", "认可人数", "满意及基本满意人数"],
    "rate": ["满意度", "认可度", "满意率", "认可率", "社会认可度"],
}
GROUPS = ["社会人士", "教师", "学生", "家长"]


def read_survey(path: str | Path) -> tuple[dict[str, dict[str, tuple[float, float]]], list[str]]:
    """region ('*' when no region column) → group → (respondents, satisfied), and problems found."""
    path = Path(path)
    wb = open_workbook(path)
    out: dict[str, dict[str, tuple[float, float]]] = {}
    problems: list[str] = []
    for ws in wb.worksheets:
        grid = sheet_grid(ws)
        for hr, row in enumerate(grid[:10]):
            cols = {}
            for c, v in enumerate(row):
                role = header_role(v, VOCAB)
                if role and role not in cols:
                    cols[role] = c
            if "group" in cols and "n" in cols and ("rate" in cols or "satisfied" in cols):
                break
        else:
            continue
        for r in range(hr + 1, len(grid)):
            row = grid[r]
            get = lambda role: row[cols[role]] if role in cols and cols[role] < len(row) else None  # noqa: E731
            group = norm(get("group"))
            if not group:
                continue
            where = f"工作表「{ws.title}」第 {r + 1} 行"
            if group not in GROUPS:
                problems.append(f"{where} {col(cols['group'])} 列：调查对象“{group}”不是{ '、'.join(GROUPS)}之一，已跳过")
                continue
            try:
                n = number(get("n"))
                sat = number(get("satisfied")) if "satisfied" in cols else None
                rate = number(get("rate")) if "rate" in cols else None
            except ValueError:
                problems.append(f"{where}：样本数或满意度不是数字，已跳过")
                continue
            if not n or n <= 0:
                problems.append(f"{where} {col(cols['n'])} 列：样本数应大于 0，已跳过")
                continue
            if sat is None and rate is not None:
                rate = rate * 100 if rate <= 1 else rate
                sat = n * rate / 100
            if sat is None or sat < 0 or sat > n:
                problems.append(f"{where}：满意人数或满意度超出范围（应在 0 到样本数之间），已跳过")
                continue
            region = norm(get("region")) or "*"
            prev = out.setdefault(region, {}).get(group, (0.0, 0.0))
            out[region][group] = (prev[0] + n, prev[1] + sat)
    if not out and not problems:
        raise InputError(f"{path.name}：没有找到问卷结果表头（需要“调查对象”“样本数”和“满意度”或“满意人数”列）")
    return out, problems


def survey_values(fw: Framework, results: dict[str, dict[str, tuple[float, float]]]) -> dict[str, dict[str, float]]:
    """region → point id → pooled satisfaction % of the groups the point names
    (Σ satisfied ÷ Σ respondents over those groups)."""
    out: dict[str, dict[str, float]] = {}
    for region, groups in results.items():
        for leaf in fw.leaves():
            named = [groups[g] for g in leaf.survey if g in groups]
            if not named:
                continue
            n = sum(x[0] for x in named)
            out.setdefault(region, {})[leaf.id] = round(100 * sum(x[1] for x in named) / n, 2)
    return out
