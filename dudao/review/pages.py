"""Two optional pages of the review pack: scores.html (a framework's self vs verified scores per region
and point, from --framework/--scores) and previous.html (last round's problems followed into this
year's reports, from --previous). Same page frame, CSP and escaping as dudao/review/html.py."""
from __future__ import annotations

from pathlib import Path

from dudao.atomic import write_text
from dudao.review.html import STATUS_BADGE, esc, fmt_num, fmt_pct, page, previous_rows
from dudao.review.model import Pack, encodable



def write_pages(pack: Pack, out: Path) -> None:
    """scores.html and previous.html, when the pack has their data (each written atomically)."""
    if pack.scores:
        write_text(Path(out) / "scores.html", encodable(scores_page(pack)))
    if pack.previous:
        write_text(Path(out) / "previous.html", encodable(previous_page(pack)))


def _topbar(title: str, sub: str) -> str:
    return (f"<header class=\"topbar\"><h1>{esc(title)}</h1><div class=\"sub\">{esc(sub)}</div>"
            "<nav><a href=\"index.html\">← 返回总览</a><a href=\"review.xlsx\">Excel 汇总表</a></nav></header>")


def _reports(pack: Pack, ids: list[str]) -> str:
    es = [pack.by_id[i] for i in ids if i in pack.by_id]
    if not es:
        return "<span class=\"z\">未匹配到报告</span>"
    return "、".join(f"<a href=\"{esc(e.page)}\">报告 {e.n}</a>" for e in es)


def _gap(p: dict) -> str:
    if p["self"] is None or p["verified"] is None:
        return "<td class=\"num\">—</td>"
    gap = round(p["self"] - p["verified"], 2)
    cls = " class=\"num bad\"" if gap > 0 else " class=\"num\""
    return f"<td{cls} data-v=\"{gap}\">{'+' if gap > 0 else ''}{fmt_num(gap)}</td>"


def scores_page(pack: Pack) -> str:
    res = pack.scores
    fw = res["framework"]
    rows = []
    for r in res["regions"]:
        stated = [pack.by_id[i].self_score.get("total") for i in r["entries"] if i in pack.by_id]
        stated = "、".join(fmt_num(v) for v in stated if v is not None) or "—"
        cred = fmt_pct(r["credibility"]) if r["credibility"] is not None else "—"
        gates = "；".join(g["name"] for g in r["gates"]) or "—"
        rows.append(f"<tr><td><a href=\"#r-{esc(r['region'])}\">{esc(r['region'])}</a></td><td>{_reports(pack, r['entries'])}</td>"
                    f"<td class=\"num\">{esc(stated)}</td><td class=\"num\">{fmt_num(r['self_total'])}</td>"
                    f"<td class=\"num\">{fmt_num(r['verified_total'])}</td><td>{esc(r['self_grade'] or '—')}</td>"
                    f"<td>{esc(r['grade'] or '—')}</td><td>{esc(gates)}</td><td class=\"num\">{esc(cred)}</td></tr>")
    summary = ("<section class=\"panel\"><h2>各地区得分<small>报告自述总分取自报告正文；评分表自评与核定得分由评分引擎按指标体系计算"
               "</small></h2><table class=\"data sortable\"><thead><tr><th>地区</th><th>报告</th><th class=\"num\">报告自述总分</th>"
               "<th class=\"num\">评分表自评总分</th><th class=\"num\">核定总分</th><th>自评等次</th><th>核定等次</th>"
               f"<th>否决/降等</th><th class=\"num\">自评可信度</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
               f"<p class=\"note\">{esc(res['credibility_formula'])}</p></section>")
    blocks = []
    for r in res["regions"]:
        trs = "".join(
            f"<tr><td>{esc(p['id'])}</td><td>{esc(p['name'])}</td><td class=\"num\">{fmt_num(p['max'])}</td>"
            f"<td class=\"num\">{fmt_num(p['self'])}</td><td class=\"num\">{fmt_num(p['verified'])}</td>{_gap(p)}"
            f"<td>{'不适用' if p.get('not_applicable') else ''}</td><td>{esc(p['reason'] or '')}</td></tr>"
            for p in r["points"] + r["bonus_items"])
        errors = "".join(f"<li>{esc(x)}</li>" for x in r["errors"])
        errors = f"<ul class=\"failed\">{errors}</ul>" if errors else ""
        blocks.append(f"<section class=\"panel\" id=\"r-{esc(r['region'])}\"><h2>{esc(r['region'])}<small>自评 "
                      f"{fmt_num(r['self_total'])} 分，核定 {fmt_num(r['verified_total'])} 分（{esc(r['grade'] or '—')}）"
                      f"</small></h2>{errors}<table class=\"data sortable\"><thead><tr><th>编号</th><th>观测点</th>"
                      "<th class=\"num\">分值</th><th class=\"num\">自评</th><th class=\"num\">核定</th>"
                      "<th class=\"num\">自评−核定</th><th>不适用</th><th>扣分原因</th></tr></thead>"
                      f"<tbody>{trs}</tbody></table></section>")
    problems = "".join(f"<li>{esc(p)}</li>" for p in res.get("problems") or [])
    if problems:
        blocks.append(f"<section class=\"panel failed\"><h2>评分表问题</h2><ul>{problems}</ul></section>")
    sub = f"指标体系：{fw['name']}（满分 {fmt_num(fw['full_score'])} 分）· 评分表：{res.get('sheet', '')}"
    return page(f"评分核定 · {fw['name']}", summary + "".join(blocks), topbar=_topbar("自评得分与核定得分对比", sub))


def previous_page(pack: Pack) -> str:
    prev = pack.previous
    blocks = []
    totals = {s: 0 for s in STATUS_BADGE}
    for e in pack.entries:
        rows = previous_rows(pack, e)
        if not rows:
            continue
        trs = []
        for k, row in enumerate(rows, 1):
            totals[row["status"]] = totals.get(row["status"], 0) + 1
            go = (f"<a href=\"{esc(e.page)}#at-r{k}\">定位原文</a>" if row.get("link") else "<span class=\"z\">—</span>")
            quote = esc(row["依据摘录"]).replace("\n", "<br>") or "<span class=\"z\">本年度报告未见回应</span>"
            trs.append(f"<tr><td class=\"num\">{row['序号']}</td><td>{esc(row['上轮问题'])}</td>"
                       f"<td><span class=\"badge {STATUS_BADGE.get(row['status'], 'muted')}\">{esc(row['整改状态'])}</span></td>"
                       f"<td class=\"quote\">{quote}</td><td>{esc(row['数据对比']) or '—'}</td><td class=\"nowrap\">{go}</td></tr>")
        blocks.append(f"<section class=\"panel\"><h2><a href=\"{esc(e.page)}\">{esc(e.region_label)}</a><small>"
                      f"{esc(e.title)}</small></h2><table class=\"data\"><thead><tr><th class=\"num\">#</th><th>上轮问题</th>"
                      "<th>整改状态</th><th>依据（本年度报告原文）</th><th>数据对比</th><th class=\"nowrap\">原文</th></tr></thead>"
                      f"<tbody>{''.join(trs)}</tbody></table></section>")
    if not blocks:
        blocks.append("<section class=\"panel\"><div class=\"empty\">没有与上轮反馈意见同一地区的本年度报告。</div></section>")
    extra = []
    if prev.get("unmatched"):
        extra.append("<section class=\"panel skipped\"><h2>未匹配的上轮反馈意见<small>没有同一地区的本年度报告</small></h2><ul>"
                     + "".join(f"<li>{esc(f)}</li>" for f in prev["unmatched"]) + "</ul></section>")
    if prev.get("failed"):
        extra.append("<section class=\"panel failed\"><h2>无法读取的文件</h2><ul>"
                     + "".join(f"<li>{esc(f['file'])}：{esc(f['reason'])}</li>" for f in prev["failed"]) + "</ul></section>")
    from dudao.rectify.status import LABELS
    sub = "；".join(f"{LABELS[s]} {n} 个" for s, n in totals.items())
    return page("上轮反馈问题整改情况", "".join(blocks + extra), topbar=_topbar("上轮反馈问题整改情况", sub))
