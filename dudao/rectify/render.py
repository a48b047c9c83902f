"""Chinese tables of `dudao rectify` for the terminal."""
from __future__ import annotations

from rich.table import Table

from dudao.rectify.status import LABELS

_STYLE = {"resolved": "green", "in_progress": "yellow", "persists": "red", "not_addressed": "magenta"}


def _clip(s: str, n: int = 60) -> str:
    s = s.replace("\n", " ")
    return s if len(s) <= n else s[:n - 1] + "…"


def figure_text(f: dict) -> str:
    std = f"（标准 {'≥' if f.get('op') == '>=' else '≤'}{f['standard']:g}{f['unit']}）" if f.get("standard") is not None else ""
    return f"{f['name']} {f['before']:g}{f['unit']} → {f['after']:g}{f['unit']}{std}"


def print_problems(console, result: dict) -> None:
    t = Table(title="上轮反馈问题整改情况", show_lines=True)
    for col in ("序号", "上轮问题", "整改状态", "依据（本年度报告原文）", "数据对比"):
        t.add_column(col)
    for k, p in enumerate(result["problems"], 1):
        ev = "\n".join(f"{_clip(e['quote'])}（{e.get('file', '')} {e['start']}–{e['end']}）" for e in p["evidence"]) or "—"
        figs = "\n".join(figure_text(f) for f in p["figures"]) or "—"
        t.add_row(str(k), _clip(p["title"], 40), f"[{_STYLE[p['status']]}]{LABELS[p['status']]}[/]", ev, figs)
    console.print(t)
    c = result["counts"]
    console.print(f"共 {len(result['problems'])} 个问题：已整改 {c['resolved']} 个，整改中 {c['in_progress']} 个，"
                  f"仍存在 {c['persists']} 个，未回应 {c['not_addressed']} 个。")


def print_history(console, result: dict) -> None:
    t = Table(title="反复出现的问题", show_lines=True)
    for col in ("序号", "问题", "出现年份", "历年情况"):
        t.add_column(col)
    for k, g in enumerate(result["recurring"], 1):
        rows = "\n".join(f"{h['year'] or '年份不详'}年 {h['file']}：{_clip(h['text'], 36)}"
                         + (f"（次年：{LABELS[h['next_status']]}）" if h.get("next_status") else "")
                         for h in g["history"])
        t.add_row(str(k), _clip(g["title"], 30), "、".join(str(y) for y in g["years"]), rows)
    console.print(t)
    console.print(f"读取 {result['counts']['feedback']} 份反馈意见、{result['counts']['reports']} 份报告，"
                  f"发现反复出现的问题 {len(result['recurring'])} 个。")
