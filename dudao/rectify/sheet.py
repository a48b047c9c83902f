"""The 上轮问题整改 sheet of a review pack and the paragraphs of a new feedback draft, as plain data
(the review pack writes them; this module only decides their content)."""
from __future__ import annotations

from dudao.rectify.status import LABELS

COLUMNS = ["序号", "上轮问题", "整改状态", "依据摘录", "依据位置", "数据对比", "反馈意见位置"]


def _figure(f: dict) -> str:
    std = ""
    if f.get("standard") is not None:
        std = f"（标准{'≥' if f.get('op') == '>=' else '≤'}{f['standard']:g}{f['unit']}）"
    return f"{f['name']}{f['before']:g}{f['unit']}→{f['after']:g}{f['unit']}{std}"


def sheet_rows(result: dict) -> list[dict]:
    """One row per problem of a `rectify_files` result, keyed by COLUMNS, plus `link`: where the
    first evidence stands ({file, start, end}) so a page can highlight it."""
    rows = []
    for k, p in enumerate(result["problems"], 1):
        ev = p["evidence"]
        rows.append({
            "序号": k, "上轮问题": p.get("title") or p["text"], "整改状态": LABELS[p["status"]],
            "依据摘录": "\n".join(e["quote"] for e in ev),
            "依据位置": "；".join(f"{e.get('file', '')}:{e['start']}-{e['end']}" for e in ev),
            "数据对比": "；".join(_figure(f) for f in p.get("figures") or []),
            "反馈意见位置": f"{p.get('feedback_file') or (result.get('feedback') or [{}])[0].get('file', '')}:"
                           f"{p['start']}-{p['end']}",
            "status": p["status"],
            "link": ({"file": ev[0].get("file"), "start": ev[0]["start"], "end": ev[0]["end"]} if ev else None),
        })
    return rows


def draft_paragraphs(result: dict) -> list[str]:
    """Paragraphs for the new feedback draft: how last round's problems stand, and which remain."""
    probs = result["problems"]
    if not probs:
        return []
    c = {s: sum(1 for p in probs if p["status"] == s) for s in LABELS}
    out = [f"上一轮反馈的 {len(probs)} 个问题中，已整改 {c['resolved']} 个，整改中 {c['in_progress']} 个，"
           f"仍然存在 {c['persists']} 个，本年度报告未作回应 {c['not_addressed']} 个。"]
    cn = "一二三四五六七八九十"
    groups = [("persists", "以下问题仍然存在，须继续整改："), ("not_addressed", "以下问题在本年度报告中未见整改情况，请补充说明："),
              ("in_progress", "以下问题正在整改，须按期完成：")]
    for status, lead in groups:
        items = [p for p in probs if p["status"] == status]
        if not items:
            continue
        out.append(lead)
        for k, p in enumerate(items):
            num = f"（{cn[k]}）" if k < len(cn) else f"（{k + 1}）"
            line = f"{num}{(p.get('title') or p['text']).rstrip('。；;')}。"
            if p["evidence"] and status != "not_addressed":
                line += f"本年度报告称：“{p['evidence'][0]['quote'].rstrip('。；;')}”。"
            out.append(line)
    return out


def previous_results(previous_dir, reports: list[dict]) -> dict:
    """For `dudao review … --previous DIR`: each analysed report ({id, text, region, source…})
    followed against last round's letter of the same region found in DIR. Returns
    {"results": {report id: rectify result}, "unmatched": [letter files], "failed": [...]}.
    A letter pairs with a report of the same region (name); with one letter and one report and no
    region known on either side, they are paired."""
    from pathlib import Path

    from dudao.errors import DudaoError
    from dudao.rectify.files import read_parts, rectify_parts
    from dudao.rectify.history import is_feedback
    letters, failed = [], []
    for f in sorted(x for x in Path(previous_dir).rglob("*") if x.is_file() and not x.name.startswith(".")):
        try:
            letters.extend(p for p in read_parts(f) if is_feedback(p))
        except DudaoError as e:
            failed.append({"file": str(f), "reason": e.message})
    results, used = {}, set()
    for r in reports:
        region = _region_name(r)
        same = [k for k, p in enumerate(letters) if region and p.get("region") == region]
        if not same and len(letters) == 1 and len(reports) == 1 and not region and not letters[0].get("region"):
            same = [0]
        if not same:
            continue
        fb = [letters[k] for k in same]
        used.update(same)
        part = {"file": r.get("source") or r.get("id") or "report", "text": r["text"],
                "doc_type": r.get("doc_type"), "work_year": r.get("work_year")}
        results[r.get("id") or part["file"]] = rectify_parts(fb, [part])
    return {"results": results, "failed": failed,
            "unmatched": [p["file"] for k, p in enumerate(letters) if k not in used]}


def _region_name(r: dict):
    reg = r.get("region")
    return reg.get("name") if isinstance(reg, dict) else reg
