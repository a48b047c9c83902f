"""The review pack's web pages: OUT/index.html (dashboard) and OUT/reports/<n>.html (one per report).

Every page is self-contained: CSS, JS and charts (SVG) are inline, nothing is fetched (a
Content-Security-Policy forbids it). ALL report text goes through html.escape: reports are
untrusted input and may contain markup.
"""
from __future__ import annotations

import json
import time
from html import escape
from importlib.resources import files
from pathlib import Path

from dudao.atomic import write_text
from dudao.review.model import LEVEL_LABELS, SEVERITY_LABELS, Entry, Pack, encodable, indicator_matrix
from dudao.review.themes import vocabulary
from dudao.semantics import judge, passes

CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
       "base-uri 'none'; form-action 'none'")
KIND_LABELS = {"finding": "核查发现", "indicator": "指标数字", "placeholder": "模板占位", "copy": "雷同段落",
               "problem": "自述问题", "previous": "上轮问题"}
# Which explanation a highlighted piece of text links to when several cover it.
KIND_PRIORITY = ("finding", "placeholder", "indicator", "problem", "previous", "copy")
SEV_ORDER = {"error": 0, "warning": 1, "info": 2}
# how a last-round problem's rectification status is coloured (dudao.rectify statuses)
STATUS_BADGE = {"resolved": "ok", "in_progress": "info", "persists": "error", "not_addressed": "warning"}
INDICATOR_KINDS = {"actual": "实际", "target": "目标", "comparison": "比较", "change": "变化"}


def esc(value) -> str:
    return escape("" if value is None else str(value), quote=True)


def _asset(name: str) -> str:
    return (files("dudao.review") / "assets" / name).read_text(encoding="utf-8")


def fmt_num(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        if v.is_integer():
            return str(int(v))
        return f"{v:.4f}".rstrip("0").rstrip(".")
    return str(v)


def fmt_pct(r: float) -> str:
    return f"{r * 100:.1f}%"


def page(title: str, body: str, *, topbar: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n"
        "<meta name=\"referrer\" content=\"no-referrer\">\n"
        "<link rel=\"icon\" href=\"data:,\">\n"
        f"<title>{esc(title)}</title>\n<style>\n{_asset('review.css')}</style>\n</head>\n<body>\n"
        f"{topbar}\n<main class=\"container\">\n{body}\n</main>\n"
        f"<footer>本页面由 dudao 生成，可离线打开，不连接网络；统计与核查结果仅供审阅参考，请以原件为准。</footer>\n"
        f"<script>\n{_asset('review.js')}</script>\n</body>\n</html>\n"
    )


def write_site(pack: Pack, out: Path, advance=None) -> None:
    out = Path(out)
    (out / "reports").mkdir(parents=True, exist_ok=True)
    partner_index = _partner_index(pack)
    from dudao.review.outdir import Writes
    with Writes() as w:
        for k, e in enumerate(pack.entries):
            prev = pack.entries[k - 1] if k > 0 else None
            nxt = pack.entries[k + 1] if k + 1 < len(pack.entries) else None
            w.write_text(out / e.page, encodable(report_page(pack, e, prev, nxt, partner_index)))
            if advance:
                advance()
    _write(out / "index.html", dashboard(pack))
    if advance:
        advance()


def _write(path: Path, text: str) -> None:
    write_text(path, encodable(text))


# --- dashboard -----------------------------------------------------------------------------

def dashboard(pack: Pack) -> str:
    c = _counts(pack)
    generated = time.strftime("%Y-%m-%d %H:%M", time.localtime(pack.started))
    from dudao.version import __version__
    sub = f"生成时间 {generated} · dudao {esc(__version__)}"
    if pack.scheme_name:
        sub += f" · 评价方案：{esc(pack.scheme_name)}"
    topbar = (f"<header class=\"topbar\"><h1>政府履行教育职责自评报告 · 评审总览</h1><div class=\"sub\">{sub}</div>"
              "<nav><a href=\"#overview\">概况</a><a href=\"#findings\">核查发现</a><a href=\"#indicators\">指标对比</a>"
              "<a href=\"#themes\">问题主题</a><a href=\"#copies\">雷同检测</a><a href=\"#reports\">报告一览</a>"
              + ("<a href=\"scores.html\">评分核定</a>" if pack.scores else "")
              + ("<a href=\"previous.html\">上轮问题整改</a>" if pack.previous else "")
              + "<a href=\"review.xlsx\">Excel 汇总表</a></nav></header>")
    parts = [_cards(pack, c), _findings_panel(pack), _indicator_panel(pack), _themes_panel(pack),
             _copies_panel(pack), _reports_panel(pack)]
    statuses = pack.statuses + pack.reference_statuses
    failed = [s for s in statuses if s["status"] == "failed"]
    skipped = [s for s in statuses if s["status"] == "skipped"]
    if failed:
        items = "".join(f"<li>{esc(s['source'])}：{esc(s.get('reason'))}</li>" for s in failed)
        parts.append(f"<section class=\"panel failed\"><h2>未能读取的文件<small>{len(failed)} 个</small></h2><ul>{items}</ul></section>")
    if skipped:   # not report formats (README, spreadsheets…): listed, not failures
        items = "".join(f"<li>{esc(s['source'])}：{esc(s.get('reason'))}</li>" for s in skipped)
        parts.append(f"<section class=\"panel skipped\"><h2>跳过的非报告文件<small>{len(skipped)} 个</small></h2>"
                     f"<ul>{items}</ul></section>")
    return page("评审总览 · 政府履行教育职责自评报告", "\n".join(parts), topbar=topbar)


def _counts(pack: Pack) -> dict:
    ok = sum(1 for s in pack.statuses if s["status"] == "ok")
    return {"inputs": len(pack.statuses), "ok": ok,
            "failed": sum(1 for s in pack.statuses if s["status"] == "failed"),
            "skipped": sum(1 for s in pack.statuses if s["status"] == "skipped"),
            "reports": len(pack.entries), "relevant": len(pack.relevant), "findings": pack.finding_totals(),
            "pairs": len(pack.copies.get("pairs") or []),
            "passages": sum(len(p.get("passages") or []) for p in pack.copies.get("pairs") or []),
            "problems": sum(len(e.report.get("problems") or []) for e in pack.relevant)}


def _card(num, label, hint="", cls=""):
    return (f"<div class=\"card {cls}\"><div class=\"num\">{esc(num)}</div><div class=\"lbl\">{esc(label)}</div>"
            f"{f'<div class=hint>{esc(hint)}</div>' if hint else ''}</div>")


def _cards(pack: Pack, c: dict) -> str:
    f = c["findings"]
    refs = f"另有参照文件 {len(pack.reference_statuses)} 个" if pack.reference_statuses else ""
    cards = [
        _card(c["inputs"], "输入文件", f"成功 {c['ok']} · 失败 {c['failed']}"
              + (f" · 跳过 {c['skipped']}" if c["skipped"] else ""), "err" if c["failed"] else ""),
        _card(c["reports"], "识别出的报告", "一个文件可含多篇"),
        _card(c["relevant"], "政府履职自评报告", "参与统计与反馈"),
        _card(f["error"], "严重问题", "需要退回或重点整改", "err"),
        _card(f["warning"], "警告", "需要核实或修改", "warn"),
        _card(f["info"], "提示", "格式与规范", "info"),
        _card(c["problems"], "报告自述问题", "“存在问题”部分"),
        _card(c["pairs"], "雷同报告对", f"雷同段落 {c['passages']} 处" + (f"；{refs}" if refs else "")),
    ]
    return f"<section id=\"overview\" class=\"cards\">{''.join(cards)}</section>"


def _findings_panel(pack: Pack) -> str:
    by_code: dict[str, dict] = {}
    for e in pack.entries:
        for f in e.report.get("findings") or []:
            d = by_code.setdefault(f["code"], {"title": f.get("title") or f["code"], "severity": f.get("severity", "info"),
                                                "count": 0, "reports": set()})
            d["count"] += 1
            d["reports"].add(e.id)
            if SEV_ORDER.get(f.get("severity"), 9) < SEV_ORDER.get(d["severity"], 9):
                d["severity"] = f["severity"]
    if not by_code:
        body = "<div class=\"empty\">没有核查发现。</div>"
        return f"<section id=\"findings\" class=\"panel\"><h2>核查发现</h2>{body}</section>"
    rows = sorted(by_code.items(), key=lambda kv: (SEV_ORDER.get(kv[1]["severity"], 9), -kv[1]["count"]))
    chart = bar_chart([(d["title"], d["count"], {"error": "#c0392b", "warning": "#d68910", "info": "#2e86c1"}[d["severity"]])
                       for _, d in rows], unit="条")
    totals = pack.finding_totals()
    sev = _severity_bar(totals)
    table = "".join(
        f"<tr><td><span class=\"badge {d['severity']}\">{SEVERITY_LABELS.get(d['severity'])}</span></td>"
        f"<td>{esc(d['title'])}</td><td class=\"num\">{d['count']}</td><td class=\"num\">{len(d['reports'])}</td>"
        f"<td><code>{esc(code)}</code></td></tr>" for code, d in rows)
    return (f"<section id=\"findings\" class=\"panel\"><h2>核查发现<small>按级别与类型统计（含非自评报告的“非政府履职自评报告”提示）</small></h2>"
            f"<div class=\"grid2\"><div>{sev}{chart}</div><div><table class=\"data\"><thead><tr><th>级别</th><th>问题</th>"
            f"<th class=\"num\">条数</th><th class=\"num\">涉及报告</th><th>代码</th></tr></thead><tbody>{table}</tbody></table></div></div></section>")


def _severity_bar(totals: dict) -> str:
    total = sum(totals.values()) or 1
    width, x, parts, legend = 560, 0.0, [], []
    colors = {"error": "#c0392b", "warning": "#d68910", "info": "#2e86c1"}
    for sev in ("error", "warning", "info"):
        w = width * totals.get(sev, 0) / total
        if w > 0:
            parts.append(f"<rect x=\"{x:.1f}\" y=\"0\" width=\"{w:.1f}\" height=\"16\" fill=\"{colors[sev]}\"/>")
        x += w
        legend.append(f"<span class=\"badge {sev}\">{SEVERITY_LABELS[sev]} {totals.get(sev, 0)}</span>")
    svg = (f"<svg viewBox=\"0 0 {width} 16\" role=\"img\" aria-label=\"发现按级别\" preserveAspectRatio=\"none\" "
           f"style=\"height:16px;border-radius:4px;background:#eef1f5\">{''.join(parts)}</svg>")
    return f"<div style=\"margin-bottom:12px\">{svg}<div style=\"margin-top:6px;display:flex;gap:8px\">{''.join(legend)}</div></div>"


def bar_chart(rows: list[tuple[str, float, str]], unit: str = "", label_w: int = 150, width: int = 560) -> str:
    """Horizontal bars: (label, value, colour)."""
    if not rows:
        return ""
    bar_h, gap, top = 18, 7, 4
    vmax = max(v for _, v, _ in rows) or 1
    plot = width - label_w - 60
    h = top + len(rows) * (bar_h + gap)
    out = [f"<svg viewBox=\"0 0 {width} {h}\" role=\"img\" aria-label=\"柱状图\">"]
    for k, (label, v, color) in enumerate(rows):
        y = top + k * (bar_h + gap)
        w = max(2.0, plot * v / vmax)
        out.append(f"<text x=\"{label_w - 8}\" y=\"{y + 13}\" text-anchor=\"end\" font-size=\"12\" fill=\"#33475b\">{esc(_short(label, 12))}</text>")
        out.append(f"<rect x=\"{label_w}\" y=\"{y}\" width=\"{w:.1f}\" height=\"{bar_h}\" rx=\"3\" fill=\"{color}\"><title>{esc(label)}：{fmt_num(v)}{esc(unit)}</title></rect>")
        out.append(f"<text x=\"{label_w + w + 6:.1f}\" y=\"{y + 13}\" font-size=\"12\" fill=\"#33475b\">{fmt_num(v)}</text>")
    out.append("</svg>")
    return "".join(out)


def _short(s: str, n: int) -> str:
    s = s or ""
    return s if len(s) <= n else s[:n - 1] + "…"


CHART_ALL = 24        # up to this many regions every region gets a bar
CHART_ENDS = 10       # beyond it: the top and bottom ten, a distribution and a searchable table
HIST_BINS = 12


def per_region(col: dict, rows: list[dict]) -> list[tuple]:
    """(entry, cell) for one indicator, one per region: a region reported twice (two years) is
    counted once, with its latest work year."""
    best: dict[str, tuple] = {}
    for r in rows:
        cell = r["cells"].get(col["key"])
        if not cell or cell["value"] is None:
            continue
        e = r["entry"]
        old = best.get(e.region_key)
        if old is None or (e.report.get("work_year") or 0) > (old[0].report.get("work_year") or 0):
            best[e.region_key] = (e, cell)
    data = list(best.values())
    data.sort(key=lambda x: -(x[1]["value"] or 0))
    return data


def _scale(col: dict, values: list[float]):
    rule = col["rule"]
    lo = min(0.0, min(values))
    hi = max(values + ([rule["value"]] if rule else []) + ([rule["value_east"]] if rule and rule.get("value_east") else []))
    if col["unit"] == "%" and hi <= 100:
        hi = 100.0
    hi = hi * 1.05 if hi > 0 else 1.0
    return lo, hi


def _standard_lines(col, X, top: int, bottom: float, width: int) -> list[str]:
    rule = col["rule"]
    if not rule:
        return []
    two = bool(rule.get("value_east"))
    sym = "≥" if rule["op"] == ">=" else "≤"
    lines = [(rule["value"], "5 3", "国家标准", top - 8 - (14 if two else 0))]
    if two:
        lines.append((rule["value_east"], "2 3", "东部标准", top - 8))
    out = []
    for val, dash, name, ty in lines:
        x = X(val)
        out.append(f"<line x1=\"{x:.1f}\" y1=\"{ty + 3}\" x2=\"{x:.1f}\" y2=\"{bottom:.1f}\" stroke=\"#c0392b\" "
                   f"stroke-width=\"1.5\" stroke-dasharray=\"{dash}\"/>")
        anchor = "end" if x > width - 80 else "start" if x < 170 else "middle"
        out.append(f"<text x=\"{x:.1f}\" y=\"{ty}\" text-anchor=\"{anchor}\" font-size=\"11\" fill=\"#c0392b\">"
                   f"{name} {sym}{fmt_num(val)}{esc(rule.get('unit') or '')}</text>")
    return out


def _bars(col: dict, data: list[tuple], lo: float, hi: float, gap_after: int | None = None, hidden: int = 0) -> str:
    """One bar per region, sorted; with gap_after, a “… N 个地区 …” row after that many bars."""
    rule = col["rule"]
    two = bool(rule and rule.get("value_east"))
    label_w, width, bar_h, gap = 130, 560, 18, 7
    top = 36 if two else 22
    plot = width - label_w - 70

    def X(v):
        return label_w + plot * (v - lo) / ((hi - lo) or 1)

    n_rows = len(data) + (1 if gap_after is not None else 0)
    h = top + n_rows * (bar_h + gap) + 4
    out = [f"<svg viewBox=\"0 0 {width} {h}\" role=\"img\" aria-label=\"{esc(col['label'])}\">",
           f"<line x1=\"{X(0):.1f}\" y1=\"{top - 4}\" x2=\"{X(0):.1f}\" y2=\"{h - 2}\" stroke=\"#c5cfdb\"/>"]
    row = 0
    for k, (e, cell) in enumerate(data):
        if gap_after is not None and k == gap_after:
            y = top + row * (bar_h + gap)
            out.append(f"<text x=\"{label_w + plot / 2:.0f}\" y=\"{y + 13}\" text-anchor=\"middle\" font-size=\"12\" "
                       f"fill=\"#8795a8\">…… 中间 {hidden} 个地区（见下方分布与查找）……</text>")
            row += 1
        y = top + row * (bar_h + gap)
        row += 1
        v = cell["value"]
        color = "#2e7d4f" if cell["ok"] is True else "#c0392b" if cell["ok"] is False else "#5d7894"
        w = max(2.0, X(v) - X(0))
        label = e.region_label
        out.append(f"<a href=\"{esc(e.page)}#i-top\"><text x=\"{label_w - 8}\" y=\"{y + 13}\" text-anchor=\"end\" font-size=\"12\" "
                   f"fill=\"#1f5faf\">{esc(_short(label, 10))}<title>{esc(e.region_full)}（{esc(e.stem)} 第{e.index}篇）</title></text></a>")
        quote = cell["ind"].get("quote") or ""
        out.append(f"<rect x=\"{X(0):.1f}\" y=\"{y}\" width=\"{w:.1f}\" height=\"{bar_h}\" rx=\"3\" fill=\"{color}\" opacity=\".9\">"
                   f"<title>{esc(label)}：{fmt_num(v)}{esc(col['unit'])}（原文：{esc(quote)}）</title></rect>")
        out.append(f"<text x=\"{X(0) + w + 6:.1f}\" y=\"{y + 13}\" font-size=\"12\" fill=\"#33475b\">{fmt_num(v)}</text>")
    out += _standard_lines(col, X, top, h - 2, width)
    out.append("</svg>")
    return "".join(out)


def histogram(col: dict, values: list[float], lo: float, hi: float) -> str:
    """How the regions' values are spread: counts per bin, bins below the standard in red."""
    rule = col["rule"]
    two = bool(rule and rule.get("value_east"))
    width, label_w, height = 560, 40, 120
    top = 36 if two else 22
    plot = width - label_w - 20
    vmin, vmax = min(values), max(values)
    span = (vmax - vmin) or 1.0
    step = span / HIST_BINS
    counts = [0] * HIST_BINS
    for v in values:
        counts[min(HIST_BINS - 1, int((v - vmin) / step))] += 1
    cmax = max(counts) or 1

    def X(v):
        return label_w + plot * (v - lo) / ((hi - lo) or 1)
    base = top + height
    out = [f"<svg viewBox=\"0 0 {width} {base + 22}\" role=\"img\" aria-label=\"{esc(col['label'])}分布\">",
           f"<line x1=\"{label_w}\" y1=\"{base}\" x2=\"{width - 20}\" y2=\"{base}\" stroke=\"#c5cfdb\"/>"]
    for k, c in enumerate(counts):
        a, b = vmin + k * step, vmin + (k + 1) * step
        if not c:
            continue
        mid = (a + b) / 2
        ok = passes(mid, rule) if rule else None
        color = "#2e7d4f" if ok is True else "#c0392b" if ok is False else "#5d7894"
        x0, x1 = X(a), X(b)
        bh = height * c / cmax
        out.append(f"<rect x=\"{x0 + 1:.1f}\" y=\"{base - bh:.1f}\" width=\"{max(1.0, x1 - x0 - 2):.1f}\" height=\"{bh:.1f}\" "
                   f"fill=\"{color}\" opacity=\".85\"><title>{fmt_num(round(a, 2))}–{fmt_num(round(b, 2))}{esc(col['unit'])}："
                   f"{c} 个地区</title></rect>")
        out.append(f"<text x=\"{(x0 + x1) / 2:.1f}\" y=\"{base - bh - 3:.1f}\" text-anchor=\"middle\" font-size=\"10\" "
                   f"fill=\"#33475b\">{c}</text>")
    for v in (vmin, vmax):
        out.append(f"<text x=\"{X(v):.1f}\" y=\"{base + 14}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#5d7894\">"
                   f"{fmt_num(round(v, 2))}</text>")
    out += _standard_lines(col, X, top, base, width)
    out.append("</svg>")
    return "".join(out)


def indicator_chart(col: dict, rows: list[dict], n: int = 0) -> str:
    """One canonical indicator across regions, with the national standard as a dashed line. Up to
    CHART_ALL regions: a bar each. More: the top and bottom CHART_ENDS, the distribution, and a
    searchable table of all regions (so the chart stays one screen high for any batch)."""
    data = per_region(col, rows)
    if not data:
        return ""
    values = [c["value"] for _, c in data]
    lo, hi = _scale(col, values)
    if len(data) <= CHART_ALL:
        body = _bars(col, data, lo, hi)
    else:
        ends = data[:CHART_ENDS] + data[-CHART_ENDS:]
        below = sum(1 for _, c in data if c["ok"] is False)
        table = "".join(
            f"<tr><td><a href=\"{esc(e.page)}\">{esc(e.region_full)}</a></td><td class=\"num\" data-v=\"{c['value']}\">"
            f"{fmt_num(c['value'])}</td><td>{'未达标' if c['ok'] is False else '达标' if c['ok'] is True else '—'}</td></tr>"
            for e, c in data)
        tid = f"ind-{n}"
        body = (f"<div class=\"z\">最高与最低各 {CHART_ENDS} 个地区"
                + (f"；未达到国家标准的地区 {below} 个" if col["rule"] else "") + "</div>"
                + _bars(col, ends, lo, hi, gap_after=CHART_ENDS, hidden=len(data) - 2 * CHART_ENDS)
                + f"<div class=\"z\">全部 {len(data)} 个地区的分布（每个柱为一个数值区间内的地区数）</div>"
                + histogram(col, values, lo, hi)
                + f"<details><summary>查找地区（全部 {len(data)} 个）</summary>"
                f"<input class=\"filter\" type=\"search\" data-filter=\"{tid}\" placeholder=\"输入地区名称…\">"
                f"<table class=\"data sortable\" id=\"{tid}\"><thead><tr><th>地区</th><th class=\"num\">数值</th>"
                f"<th>国家标准</th></tr></thead><tbody>{table}</tbody></table></details>")
    if col["rule"]:
        std = f"国家标准 {esc(col['standard'])}<span class=\"srcs\">依据：{esc(col['source'])}</span>"
    else:
        std = "无全国统一标准"
    unit = f"（{esc(col['unit'])}）" if col["unit"] else ""
    return (f"<div class=\"chart\"><h3>{esc(col['label'])}{unit} <small class=\"z\">{len(data)} 个地区</small></h3>"
            f"<div class=\"std\">{std}</div>{body}</div>")


def _chart_columns(m: dict, limit: int = 8) -> list[dict]:
    ranked = [c for c in m["columns"] if c["count"] >= 1 and c["rule"] and c["rule"].get("op") in (">=", "<=")]
    ranked.sort(key=lambda c: -c["count"])
    chosen = ranked[:limit]
    if len(chosen) < 4:
        others = sorted((c for c in m["columns"] if c not in chosen and c["count"] >= 2), key=lambda c: -c["count"])
        chosen += others[:4 - len(chosen)]
    order = {id(c): k for k, c in enumerate(m["columns"])}
    return sorted(chosen, key=lambda c: order[id(c)])


def _indicator_panel(pack: Pack) -> str:
    m = indicator_matrix(pack.entries)
    cols = _chart_columns(m)
    charts = "".join(indicator_chart(c, m["rows"], k) for k, c in enumerate(cols))
    if not charts:
        charts = "<div class=\"empty\">各报告中没有可比较的规范指标实际数。</div>"
    return (f"<section id=\"indicators\" class=\"panel\"><h2>主要指标与国家标准<small>报告自述的本地区实际数；"
            f"红色虚线为国家标准，红色柱表示未达标</small></h2><div class=\"charts\">{charts}</div>"
            f"<p class=\"note\" style=\"margin-top:10px\">全部指标（{len(m['columns'])} 项）见 Excel 汇总表“指标对比”工作表。</p></section>")


def _themes_panel(pack: Pack) -> str:
    themes = pack.themes.get("themes") or []
    if not themes:
        return "<section id=\"themes\" class=\"panel\"><h2>问题主题</h2><div class=\"empty\">没有可归类的问题。</div></section>"
    nmax = max(t["regions"] for t in themes) or 1
    blocks = []
    for t in themes:
        items = []
        for it in t["items"][:60]:
            tag = "自述" if it["kind"] == "problem" else SEVERITY_LABELS.get(it.get("severity"), "发现")
            cls = "muted" if it["kind"] == "problem" else it.get("severity", "info")
            href = f"reports/{it['n']}.html#{it['anchor']}"
            items.append(f"<li><span class=\"badge {cls}\">{tag}</span> <a href=\"{esc(href)}\">{esc(it['region'])}</a>："
                         f"<span class=\"quote\">{esc(_short(it['quote'] or it['text'], 90))}</span></li>")
        more = f"<li class=\"z\">另有 {len(t['items']) - 60} 条，见 Excel“问题清单”“发现”工作表</li>" if len(t["items"]) > 60 else ""
        blocks.append(
            f"<details class=\"theme\"><summary><span class=\"name\">{esc(t['name'])}</span>"
            f"<span class=\"bar blue\"><i style=\"width:{100 * t['regions'] / nmax:.0f}%\"></i></span>"
            f"<span class=\"cnt\">{t['regions']} 个地区 · {t['count']} 条（自述 {t['problems']}，发现 {t['findings']}）</span>"
            f"<span class=\"who\" title=\"{esc('、'.join(t['region_names']))}\">{esc('、'.join(t['region_names']))}</span></summary>"
            f"<ul>{''.join(items)}{more}</ul></details>")
    return (f"<section id=\"themes\" class=\"panel\"><h2>问题主题<small>报告自述的问题和核查发现按主题归类，按涉及地区数排序；点击展开原文</small></h2>"
            f"{''.join(blocks)}</section>")


def _copies_panel(pack: Pack) -> str:
    partners: dict[str, dict[str, int]] = {}
    for p in pack.copies.get("pairs") or []:
        own = sum(x.get("chars") or 0 for x in p.get("passages") or [] if not x.get("boilerplate"))
        for a, b in ((p["a"], p["b"]), (p["b"], p["a"])):
            partners.setdefault(a, {})[b] = partners.get(a, {}).get(b, 0) + own
    rows = []
    for e in sorted(pack.entries, key=lambda e: -e.copy_ratio):
        if e.copy_ratio <= 0 and not e.copies:
            continue
        ps = sorted(partners.get(e.id, {}).items(), key=lambda kv: -kv[1])[:3]
        plist = "；".join(f"{esc(pack.label_of(b))}（{n} 字）" for b, n in ps if n) or "仅套话"
        chars = sum(c["chars"] for c in e.copies if not c["boilerplate"])
        boiler = sum(c["chars"] for c in e.copies if c["boilerplate"])
        rows.append(f"<tr><td><a href=\"{esc(e.page)}\">{esc(e.region_label)}</a><div class=\"z\">{esc(e.stem)} 第{e.index}篇</div></td>"
                    f"<td data-v=\"{e.copy_ratio:.4f}\"><span class=\"pct\">{fmt_pct(e.copy_ratio)}</span>"
                    f"<span class=\"bar\"><i style=\"width:{min(100, e.copy_ratio * 100):.0f}%\"></i></span></td>"
                    f"<td class=\"num\" data-v=\"{chars}\">{chars}</td><td class=\"num\" data-v=\"{boiler}\">{boiler}</td><td>{plist}</td></tr>")
    params = pack.copies.get("params") or {}
    note = f"连续 {params.get('min_run', 13)} 字以上相同视为雷同；套话（政策文件常用语）单列，不计入雷同字数。"
    if not rows:
        body = "<div class=\"empty\">未发现报告之间的雷同段落。</div>"
    else:
        body = ("<table class=\"data sortable\"><thead><tr><th>报告</th><th>雷同比例</th><th class=\"num\">雷同字数</th>"
                "<th class=\"num\">套话字数</th><th>主要雷同对象</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
    return (f"<section id=\"copies\" class=\"panel\"><h2>雷同检测<small>{esc(note)}</small></h2>{body}</section>")


def _reports_panel(pack: Pack) -> str:
    rows = []
    for e in pack.entries:
        c = e.severity_counts()
        s = e.self_score
        fb = f"<a href=\"{esc(e.feedback)}\">下载</a>" if e.feedback else "<span class=\"z\">—</span>"
        rows.append(
            f"<tr class=\"{'' if e.relevant else 'irrelevant'}\"><td class=\"num\" data-v=\"{e.n}\">{e.n}</td>"
            f"<td><a href=\"{esc(e.page)}\">{esc(_short(e.title, 34))}</a><div class=\"z\">{esc(e.source)} · 第{e.index}篇</div></td>"
            f"<td>{esc(e.region_full)}</td><td class=\"num\" data-v=\"{e.report.get('work_year') or 0}\">{esc(e.report.get('work_year') or '—')}</td>"
            f"<td>{esc(e.doc_type_label)}</td>"
            f"<td class=\"num\" data-v=\"{s.get('total') if s.get('total') is not None else -1}\">{fmt_num(s.get('total'))}</td>"
            f"<td class=\"num\" data-v=\"{c['error']}\">{_cnt(c['error'], 'error')}</td>"
            f"<td class=\"num\" data-v=\"{c['warning']}\">{_cnt(c['warning'], 'warning')}</td>"
            f"<td class=\"num\" data-v=\"{c['info']}\">{_cnt(c['info'], 'info')}</td>"
            f"<td class=\"num\" data-v=\"{e.copy_ratio:.4f}\">{fmt_pct(e.copy_ratio) if e.copy_ratio else '<span class=z>0</span>'}</td>"
            f"<td>{fb}</td></tr>")
    return ("<section id=\"reports\" class=\"panel\"><h2>报告一览<small>点击表头排序；灰色行不是政府履职自评报告</small></h2>"
            "<input id=\"report-filter\" class=\"filter\" type=\"search\" placeholder=\"筛选：地区、文件名、类型…\">"
            "<table id=\"report-table\" class=\"data sortable\"><thead><tr><th class=\"num\">#</th><th>标题</th><th>地区</th>"
            "<th class=\"num\">年度</th><th>类型</th><th class=\"num\">自评分</th><th class=\"num\">严重</th><th class=\"num\">警告</th>"
            "<th class=\"num\">提示</th><th class=\"num\">雷同</th><th>反馈意见</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table></section>")


def _cnt(n: int, sev: str) -> str:
    return f"<span class=\"badge {sev}\">{n}</span>" if n else "<span class=\"z\">0</span>"


# --- report pages --------------------------------------------------------------------------

def report_spans(pack: Pack, e: Entry) -> list[dict]:
    """Every highlighted span of a report: kind, start, end, ref (explanation anchor), tip."""
    text = e.text
    n = len(text)
    spans = []

    def add(kind, start, end, ref, tip, cls=""):
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= n:
            spans.append({"kind": kind, "start": start, "end": end, "ref": ref, "tip": tip, "cls": cls})

    r = e.report
    for k, f in enumerate(r.get("findings") or [], 1):
        sev = f.get("severity", "info")
        add("finding", f.get("start"), f.get("end"), f"f{k}",
            f"【{SEVERITY_LABELS.get(sev, sev)}】{f.get('title', '')}：{f.get('message', '')}", f"sev-{sev}")
    province = (e.region or {}).get("province") or r.get("province_hint")
    for k, ind in enumerate(r.get("indicators") or [], 1):
        ok = _indicator_ok(ind, province)
        value = "未填写" if ind.get("value") is None else f"{fmt_num(ind['value'])}{ind.get('unit') or ''}"
        scope = f"（{ind['scope']}）" if ind.get("scope") else ""
        tip = f"指标：{ind.get('name')}{scope} = {value}（{INDICATOR_KINDS.get(ind.get('kind'), ind.get('kind') or '')}）"
        if ok is False:
            tip += "，未达到国家标准"
        add("indicator", ind.get("start"), ind.get("end"), f"i{k}", tip, "bad" if ok is False else "")
    for k, p in enumerate(r.get("placeholders") or [], 1):
        add("placeholder", p.get("start"), p.get("end"), f"h{k}", f"模板占位未填写：{p.get('text', '')}")
    for k, p in enumerate(r.get("problems") or [], 1):
        add("problem", p.get("start"), p.get("end"), f"p{k}", f"自述问题：{p.get('text', '')}")
    for k, row in enumerate(previous_rows(pack, e), 1):
        link = row.get("link") or {}
        add("previous", link.get("start"), link.get("end"), f"r{k}", f"上轮问题（{row['整改状态']}）：{row['上轮问题']}")
    for k, g in enumerate(copy_groups(e), 1):
        who = _partners_text(pack, g["partners"])
        tip = f"{'套话' if g['boilerplate'] else '雷同'}：与{who}相同 {g['chars']} 字"
        add("copy", g["start"], g["end"], f"c{k}", tip, "boiler" if g["boilerplate"] else "")
    return spans


def previous_rows(pack: Pack, e: Entry) -> list[dict]:
    """The 上轮问题整改 rows of one report (dudao.rectify.sheet.sheet_rows), [] without --previous."""
    return ((getattr(pack, "previous", None) or {}).get("rows") or {}).get(e.id, [])


def _indicator_ok(ind: dict, province) -> bool | None:
    if ind.get("kind") != "actual" or ind.get("value") is None:
        return None
    return judge(ind, province)["meets"]


def tips_json(spans: list[dict]) -> str:
    """Each highlight's tooltip once per page ({ref: tip}); the page script shows the tips of a
    segment's refs on hover, so a long span cut into many segments does not repeat its tip."""
    ordered = sorted(spans, key=lambda s: KIND_PRIORITY.index(s["kind"]))
    data = json.dumps({s["ref"]: s["tip"] for s in ordered}, ensure_ascii=False)
    return ("<script type=\"application/json\" id=\"tips\">"
            + data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "</script>")


def render_text(text: str, spans: list[dict]) -> str:
    """The text, escaped, with each elementary segment covered by spans wrapped in one link (its
    tooltip comes from tips_json)."""
    points = sorted({0, len(text), *(s["start"] for s in spans), *(s["end"] for s in spans)})
    starts: dict[int, list[dict]] = {}
    for s in spans:
        starts.setdefault(s["start"], []).append(s)
    out, active = [], []
    for a, b in zip(points, points[1:]):
        active = [s for s in active if s["end"] > a] + starts.get(a, [])
        for s in starts.get(a, []):
            out.append(f"<span class=\"anchor\" id=\"at-{s['ref']}\"></span>")
        piece = esc(text[a:b])
        if not active:
            out.append(piece)
            continue
        kinds = sorted({s["kind"] for s in active}, key=KIND_PRIORITY.index)
        lead = min(active, key=lambda s: (KIND_PRIORITY.index(s["kind"]), SEV_ORDER.get(s["cls"][4:], 9), s["end"] - s["start"]))
        classes = ["hl"] + [f"k-{k}" for k in kinds]
        findings = [s for s in active if s["kind"] == "finding"]
        if findings:
            worst = min(findings, key=lambda s: SEV_ORDER.get(s["cls"][4:], 9))
            classes.append(worst["cls"])
        classes += sorted({s["cls"] for s in active if s["kind"] != "finding" and s["cls"]})
        refs = " ".join(s["ref"] for s in active)
        out.append(f"<a class=\"{' '.join(classes)}\" href=\"#{lead['ref']}\" data-s=\"{a}\" data-e=\"{b}\" "
                   f"data-refs=\"{refs}\">{piece}</a>")
    return "".join(out)


def copy_groups(e: Entry) -> list[dict]:
    """The copied passages of one report, one per place in its text: a passage shared with many
    reports is shown once, with all its partners (not once per partner)."""
    groups: dict[tuple, dict] = {}
    for c in e.copies:
        g = groups.setdefault((c["start"], c["end"]), {"start": c["start"], "end": c["end"], "chars": c["chars"],
                                                        "boilerplate": True, "partners": []})
        g["boilerplate"] = g["boilerplate"] and c["boilerplate"]
        g["partners"].append((c["other"], c["other_start"], c["other_end"]))
    return sorted(groups.values(), key=lambda g: (g["start"], g["end"]))


PARTNERS_SHOWN = 5


def _partners_text(pack: Pack, partners: list[tuple]) -> str:
    names = [pack.label_of(o) for o, _, _ in partners[:PARTNERS_SHOWN]]
    more = f"等 {len(partners)} 份报告" if len(partners) > PARTNERS_SHOWN else ""
    return "、".join(names) + more


def _partner_index(pack: Pack) -> dict[tuple, int]:
    """(entry id, start, end) → the passage's number on that entry's page."""
    out = {}
    for e in pack.entries:
        for k, g in enumerate(copy_groups(e), 1):
            out[(e.id, g["start"], g["end"])] = k
    return out


def _go(ref: str, spans_refs: set[str]) -> str:
    return f"<a class=\"go\" href=\"#at-{ref}\">定位原文 ↑</a>" if ref in spans_refs else "<span class=\"go z\">（全文）</span>"


def report_page(pack: Pack, e: Entry, prev: Entry | None, nxt: Entry | None, partner_index: dict) -> str:
    r = e.report
    spans = report_spans(pack, e)
    refs = {s["ref"] for s in spans}
    region = e.region or {}
    s = e.self_score
    score = "—"
    if s:
        bits = [f"{fmt_num(s.get('total'))} 分" if s.get("total") is not None else None,
                f"等级 {s['grade']}" if s.get("grade") else None,
                f"基础分 {fmt_num(s['base'])}" if s.get("base") is not None else None,
                f"加分 {fmt_num(s['bonus'])}" if s.get("bonus") is not None else None,
                f"扣分 {fmt_num(s['deducted'])}" if s.get("deducted") is not None else None]
        score = "；".join(b for b in bits if b) or "—"
    meta = [("文件", e.source), ("篇序", f"第 {e.index} 篇"), ("文档类型", e.doc_type_label), ("地区", e.region_full),
            ("区划代码", region.get("adcode") or "—"), ("层级", LEVEL_LABELS.get(region.get("level"), "—")),
            ("工作年度", r.get("work_year") or "—"), ("评价轮次", r.get("round_year") or "—"), ("发文单位", r.get("issuer") or "—"),
            ("发布日期", r.get("publish_date") or "—"), ("自评得分", score), ("字数", f"{e.word_count}（Word 口径）"),
            ("雷同比例", fmt_pct(e.copy_ratio)), ("依据文号", "、".join(r.get("scheme_refs") or []) or "—")]
    meta_html = "".join(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in meta)
    links = [f"<a href=\"../index.html\">← 返回总览</a>"]
    if prev:
        links.append(f"<a href=\"{prev.n}.html\">上一篇</a>")
    if nxt:
        links.append(f"<a href=\"{nxt.n}.html\">下一篇</a>")
    if e.feedback:
        links.append(f"<a href=\"../{esc(e.feedback)}\">反馈意见初稿（Word）</a>")
    if e.output:
        links.append(f"<a href=\"../analysis/{esc(e.output)}\">分析结果 JSON</a>")
    topbar = (f"<header class=\"topbar\"><h1>{esc(e.title)}</h1><div class=\"sub\">{esc(e.region_full)} · {esc(e.doc_type_label)} · "
              f"报告 {e.n}/{len(pack.entries)}</div><nav>{''.join(links)}</nav></header>")
    counts = panel_counts(e, pack)   # the same numbers as the side panels show
    legend = "".join(
        f"<label><input type=\"checkbox\" data-toggle=\"{k}\" checked><span class=\"sw {k}\"></span>{v}（{counts[k]}）</label>"
        for k, v in KIND_LABELS.items() if k != "previous" or counts[k])
    notice = ""
    if not e.relevant:
        notice = f"<div class=\"notice\">该部分是{esc(e.doc_type_label)}，不是政府履行教育职责自评报告，不参与统计，也不生成反馈意见。</div>"
    body = (f"<section class=\"panel\"><h2>基本信息</h2><dl class=\"meta\">{meta_html}</dl></section>{notice}"
            f"<div class=\"legend\" id=\"i-top\"><strong>标注：</strong>{legend}<span class=\"sw boiler\"></span><span class=\"z\">灰色＝套话（政策文件和公文的常用表述，不计入雷同）；"
            f"点击标注查看说明，悬停显示提示</span></div>"
            f"{tips_json(spans)}<div class=\"layout\"><pre class=\"doc\" id=\"doc\">{render_text(e.text, spans)}</pre>"
            f"<aside class=\"side\">{_side(pack, e, refs, partner_index)}</aside></div>")
    return page(f"{e.title} · {e.region_label}", body, topbar=topbar)


def panel_counts(e: Entry, pack: Pack | None = None) -> dict[str, int]:
    """Items per kind as the side panels list them (a finding about the whole text is counted
    although it has no place to highlight)."""
    r = e.report
    return {"finding": len(r.get("findings") or []), "indicator": len(r.get("indicators") or []),
            "placeholder": len(r.get("placeholders") or []), "copy": len(copy_groups(e)),
            "problem": len(r.get("problems") or []), "previous": len(previous_rows(pack, e))}


def _side(pack: Pack, e: Entry, refs: set[str], partner_index: dict) -> str:
    r = e.report
    parts = []
    findings = r.get("findings") or []
    items = []
    for k, f in sorted(enumerate(findings, 1), key=lambda kf: (SEV_ORDER.get(kf[1].get("severity"), 9), kf[0])):
        sev = f.get("severity", "info")
        quote = (f.get("quote") or "").strip()
        q = f"<div class=\"quote\">原文：“{esc(_short(quote, 120))}”</div>" if quote and quote not in (f.get("message") or "") else ""
        items.append(f"<li id=\"f{k}\"><span class=\"badge {sev}\">{SEVERITY_LABELS.get(sev, sev)}</span> "
                     f"<strong>{esc(f.get('title'))}</strong>{_go(f'f{k}', refs)}<div>{esc(f.get('message'))}</div>{q}"
                     f"<div class=\"src\">依据：{esc(f.get('source'))}</div></li>")
    parts.append(_side_panel("核查发现", len(findings), f"<ol>{''.join(items)}</ol>" if items else "<div class=\"empty\">未发现问题。</div>"))

    problems = r.get("problems") or []
    if problems:
        vocab = vocabulary()
        themed = pack.themes.get("assignments", {}).get(e.id, {}).get("problems", [])
        li = []
        for k, p in enumerate(problems, 1):
            tags = "".join(f"<span class=\"badge theme\">{esc(vocab.by_id(t).name)}</span> "
                           for t in (themed[k - 1] if k - 1 < len(themed) else []))
            li.append(f"<li id=\"p{k}\">{esc(p.get('text'))} {tags}{_go(f'p{k}', refs)}</li>")
        parts.append(_side_panel("报告自述的问题", len(problems), f"<ol>{''.join(li)}</ol>"))

    inds = r.get("indicators") or []
    if inds:
        province = (e.region or {}).get("province") or r.get("province_hint")
        rows = []
        for k, ind in enumerate(inds, 1):
            ok = _indicator_ok(ind, province)
            status = ("<span class=\"badge error\">未达标</span>" if ok is False else
                      "<span class=\"badge ok\">达标</span>" if ok is True else "")
            value = "未填写" if ind.get("value") is None else f"{fmt_num(ind['value'])}{ind.get('unit') or ''}"
            scope = ind.get("scope")
            scope_s = f"（{scope}）" if scope else ""
            std = ""
            if ok is not None:
                std = f"<div class=\"src\">国家标准 {esc(judge(ind, province)['standard'])}</div>"
            rows.append(f"<tr id=\"i{k}\"><td>{esc(ind.get('name'))}{esc(scope_s)}{std}</td><td class=\"num\">{esc(value)}</td>"
                        f"<td>{esc(INDICATOR_KINDS.get(ind.get('kind'), ind.get('kind') or ''))} {status}</td>"
                        f"<td>{_go(f'i{k}', refs)}</td></tr>")
        parts.append(_side_panel("指标数字", len(inds), "<table class=\"data\"><thead><tr><th>指标</th><th class=\"num\">数值</th>"
                                 f"<th>类型</th><th></th></tr></thead><tbody>{''.join(rows)}</tbody></table>"))

    phs = r.get("placeholders") or []
    if phs:
        li = "".join(f"<li id=\"h{k}\">“{esc(p.get('text'))}”{_go(f'h{k}', refs)}</li>" for k, p in enumerate(phs, 1))
        parts.append(_side_panel("模板占位", len(phs), f"<p class=\"note\">范文模板中未替换为本地实际内容的占位。</p><ol>{li}</ol>"))

    groups = copy_groups(e)
    if groups:
        li = []
        by_id = pack.by_id
        for k, g in enumerate(groups, 1):
            links = []
            for other_id, o_start, o_end in g["partners"][:PARTNERS_SHOWN]:
                other = by_id.get(other_id)
                label = esc(pack.label_of(other_id))
                if other is not None:
                    j = partner_index.get((other.id, o_start, o_end))
                    label = f"<a href=\"{esc(f'{other.n}.html' + (f'#at-c{j}' if j else ''))}\">{label}</a>"
                links.append(label)
            more = f" 等 {len(g['partners'])} 份报告" if len(g["partners"]) > PARTNERS_SHOWN else ""
            kind = "<span class=\"badge muted\">套话</span>" if g["boilerplate"] else "<span class=\"badge warning\">雷同</span>"
            snippet = e.text[g["start"]:g["end"]]
            li.append(f"<li id=\"c{k}\">{kind} 与 {'、'.join(links)}{more} 相同 {g['chars']} 字{_go(f'c{k}', refs)}"
                      f"<div class=\"quote\">“{esc(_short(snippet, 80))}”</div></li>")
        parts.append(_side_panel("雷同段落", len(groups), f"<ol>{''.join(li)}</ol>"))

    rows = previous_rows(pack, e)
    if rows:
        li = "".join(f"<li id=\"r{k}\"><span class=\"badge {STATUS_BADGE.get(row['status'], 'muted')}\">{esc(row['整改状态'])}</span> "
                     f"{esc(row['上轮问题'])}{_go(f'r{k}', refs) if row.get('link') else ''}</li>"
                     for k, row in enumerate(rows, 1))
        parts.append(_side_panel("上轮反馈问题整改", len(rows), f"<ol>{li}</ol><p class=\"note\"><a href=\"../previous.html\">"
                                 "全部地区的整改情况 →</a></p>"))

    s = e.self_score
    if s and s.get("items"):
        rows = "".join(f"<tr><td>{esc(it.get('label') or '（未写明）')}</td><td class=\"num\">{fmt_num(it.get('delta'))}</td>"
                       f"<td>{esc(it.get('reason') or '')}</td></tr>" for it in s["items"])
        parts.append(_side_panel("自评扣分与加分", len(s["items"]), "<table class=\"data\"><thead><tr><th>观测点</th>"
                                 f"<th class=\"num\">扣/加分</th><th>理由</th></tr></thead><tbody>{rows}</tbody></table>"))
    return "".join(parts)


def _side_panel(title: str, n: int, body: str) -> str:
    return f"<section class=\"panel\"><h2>{esc(title)}<small>{n}</small></h2>{body}</section>"
