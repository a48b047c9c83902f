"""Terminal renderings of analysis results (Chinese tables with rich)."""
from __future__ import annotations

from rich.table import Table

from dudao.checks import DOC_TYPE_NAMES

SEVERITY_NAMES = {"error": "严重", "warning": "警告", "info": "提示"}
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
ROLE_NAMES = {"overview": "基本情况", "practices": "主要做法", "achievements": "成效", "self_assessment": "自评",
              "problems": "问题", "measures": "措施"}


def report_title(report: dict) -> str:
    """The title line: the first of the leading lines that names a report, else the first line."""
    lines = [ln for ln in report["text"].split("\n")[:4] if ln.strip()]
    for ln in lines:
        if any(w in ln for w in ("报告", "汇报", "意见", "方案")) and len(ln) <= 60:
            return ln[:40]
    return (lines[0] if lines else "")[:40]


def _region(report) -> str:
    r = report.get("region")
    if r and r.get("name"):
        parts = [r.get("province"), r.get("city"), r["name"]]
        return "".join(dict.fromkeys(p for p in parts if p)) + (f"（{r['adcode']}）" if r.get("adcode") else "")
    hint = report.get("province_hint")
    return f"未具名（疑为{hint}）" if hint else "未具名"


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def print_report_table(console, result: dict) -> None:
    console.rule(f"{result['source']}（{result['format']}{'，' + result['encoding'] if result.get('encoding') else ''}）")
    for k, r in enumerate(result["reports"], 1):
        t = Table(show_header=False, box=None, padding=(0, 1))
        t.add_column(style="bold")
        t.add_column()
        t.add_row("报告", f"第 {k} 篇：{report_title(r)}")
        t.add_row("类型", "政府履职自评报告" if r.get("relevant") else DOC_TYPE_NAMES.get(r.get("doc_type"), "其他"))
        if r.get("relevant"):
            t.add_row("地区", _region(r))
            t.add_row("年度", f"工作年度 {r.get('work_year') or '未知'}；评价轮次 {r.get('round_year') or '未写明'}")
            if r.get("issuer"):
                t.add_row("发文单位", r["issuer"])
            if r.get("scheme_refs"):
                t.add_row("依据文号", "、".join(r["scheme_refs"]))
            s = r.get("self_score")
            if s:
                parts = [f"{label}{s[key]}" for key, label in (("total", "总分 "), ("base", "基础分 "), ("bonus", "加分 "),
                                                                 ("deducted", "扣分 "), ("grade", "等级 "),
                                                                 ("points_count", "观测点数 ")) if s.get(key) is not None]
                t.add_row("自评得分", "；".join(parts))
            heads = [f"{h['heading']}［{'、'.join(ROLE_NAMES.get(x, x) for x in h['roles'])}］"
                     for h in r.get("sections", []) if h["level"] == 1]
            if heads:
                t.add_row("一级标题", "\n".join(heads))
            if r.get("problems"):
                t.add_row("自述问题", "\n".join(f"{i}. {p['text']}" for i, p in enumerate(r["problems"], 1)))
            inds = [i for i in r.get("indicators", []) if i.get("kind") == "actual"]
            if inds:
                t.add_row("主要指标", "\n".join(
                    f"{i['name']}{'（' + str(i['scope']) + '）' if i.get('scope') else ''}："
                    f"{'未填写' if i.get('value') is None else _fmt(i['value'])}{i.get('unit') or ''}" for i in inds))
            if r.get("placeholders"):
                t.add_row("模板占位", f"{len(r['placeholders'])} 处，如 " + "、".join(p["text"] for p in r["placeholders"][:5]))
        t.add_row("发现", _finding_counts(r))
        console.print(t)
        console.print()


def _fmt(v):
    return int(v) if isinstance(v, float) and v.is_integer() else v


def _finding_counts(r) -> str:
    counts = {}
    for f in r.get("findings", []):
        counts[f["severity"]] = counts.get(f["severity"], 0) + 1
    if not counts:
        return "无"
    return "，".join(f"{SEVERITY_NAMES[s]} {counts[s]} 条" for s in ("error", "warning", "info") if s in counts)


def print_findings_table(console, result: dict) -> None:
    for k, r in enumerate(result["reports"], 1):
        console.rule(f"{result['source']} · 第 {k} 篇：{report_title(r)}")
        findings = r.get("findings", [])
        if not findings:
            console.print("未发现问题。")
            continue
        t = Table(show_lines=True)
        t.add_column("级别", no_wrap=True)
        t.add_column("问题", no_wrap=True)
        t.add_column("说明", overflow="fold")
        t.add_column("原文摘录（行）", overflow="fold")
        t.add_column("依据", overflow="fold")
        for f in findings:
            quote = (f.get("quote") or "").replace("\n", " ")
            where = f"第 {line_of(r['text'], f['start'])} 行"
            t.add_row(f"[{SEVERITY_STYLE[f['severity']]}]{SEVERITY_NAMES[f['severity']]}[/]", f["title"], f["message"],
                      f"{quote[:40]}（{where}）" if quote else where, f["source"])
        console.print(t)


def findings_json(statuses: list[dict]) -> list[dict]:
    out = []
    for st in statuses:
        if st["status"] != "ok":
            out.append({"source": st["source"], "status": "failed", "reason": st["reason"]})
            continue
        res = st["result"]
        out.append({"source": res["source"], "status": "ok",
                    "reports": [{"title": report_title(r), "doc_type": r.get("doc_type"), "findings": r.get("findings", [])}
                                for r in res["reports"]]})
    return out
