"""The 问题清单 of a feedback letter (反馈意见 / 评价报告): numbered problems with their spans,
topics, cited figures, the standard each misses, and the rectification demands and deadlines."""
from __future__ import annotations

import re

from dudao.extract.figures import extract_figures
from dudao.extract.sections import find_sections
from dudao.rectify.terms import terms, topic_name, topics_in
from dudao.rectify.units import sentences
from dudao.resources import load_yaml

_MARKER_RE = None


def _numbering() -> list[tuple[int, re.Pattern]]:
    global _MARKER_RE
    if _MARKER_RE is None:
        rows = load_yaml("sections")["numbering"]
        _MARKER_RE = [(n["level"], re.compile(r"[ \t\u3000]*(?:" + n["pattern"] + r")")) for n in rows]
    return _MARKER_RE


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, pos = [], start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        if text[pos:stop].strip():
            out.append((pos, stop))
        pos = stop + 1
    return out


_SHI = 9   # a line opening with 一是/二是: below every heading level
_SHI_RE = re.compile(r"[ \t\u3000]*[一二三四五六七八九十]是[，,：:]?")


def _line_level(text: str, s: int, e: int) -> tuple[int | None, int]:
    """Numbering level of a line and where its words begin."""
    for level, pat in _numbering():
        m = pat.match(text, s, e)
        if m:
            return level, m.end()
    m = _SHI_RE.match(text, s, e)
    if m:
        return _SHI, m.end()
    return None, s


def _problem_region(text: str) -> tuple[int, int] | None:
    """The body of the letter's problems section: the highest heading naming problems."""
    t = terms()
    prob, nonprob = re.compile(t.data["sections"]["problems"]), re.compile(t.data["sections"]["not_problems"])
    heads = [h for h in find_sections(text) if h["numbered"] or h["level"] is not None]
    cands = [h for h in heads if prob.search(h["heading"]) and not nonprob.search(h["heading"])
             and len(h["heading"]) <= 30]
    if not cands:
        return None
    top = min(h["level"] for h in cands)
    h = next(h for h in cands if h["level"] == top)
    return h["end"], h["section_end"]


def _split_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Items of a region: lines opening with the region's top numbering level; an item that is
    only a category heading over numbered lines gives way to those lines."""
    lines = _lines(text, start, end)
    levels = [(_line_level(text, s, e), s, e) for s, e in lines]
    numbered = [lv for (lv, _), _, _ in levels if lv is not None]
    if not numbered:
        return _inline_items(text, start, end) or [se for se in (_strip(text, s, e) for s, e in lines) if se]
    top = min(numbered)
    items: list[list] = []
    for (lv, body), s, e in levels:
        if lv == top:
            items.append([s if lv == _SHI else body, e, []])
        elif items:
            items[-1][1] = e
            if lv is not None:
                items[-1][2].append((lv, body, s, e))
    out = []
    for body, e, subs in items:
        head_end = text.find("\n", body, e)
        head = text[body:head_end if head_end >= 0 else e]
        sub_top = min((lv for lv, *_ in subs), default=None)
        if subs and "。" not in head and len(head.strip()) <= 30:
            starts = [(b, s) for lv, b, s, _ in subs if lv == sub_top]
            for k, (b, _) in enumerate(starts):
                stop = starts[k + 1][1] if k + 1 < len(starts) else e
                out.append(_strip(text, b, stop))
        else:
            # "一是A；二是B" on one line is several problems; "（一）A。一是…二是…" is one, explained
            inline = _inline_items(text, body, e) if top == _SHI or head.rstrip().endswith(("：", ":")) else []
            out.extend(inline or [_strip(text, body, e)])
    return [se for se in out if se]


def _inline_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """'一是A。二是B。' / '1.A；2.B' inside a paragraph, numbered in sequence from one."""
    marks = []
    for m in terms().rx("inline_markers").finditer(text, start, end):
        raw = m.group(m.lastgroup)
        n = _num(raw)
        fam = m.lastgroup
        if marks and marks[-1][0] == fam and n == marks[-1][1] + 1:
            marks.append((fam, n, m))
        elif n == 1 and len(marks) < 2:
            marks = [(fam, n, m)]
    if len(marks) < 2:
        return []
    out = []
    for k, (_, _, m) in enumerate(marks):
        stop = marks[k + 1][2].start() if k + 1 < len(marks) else end
        out.append(_strip(text, m.end(), stop))
    return [se for se in out if se]


def _num(raw: str) -> int:
    for ch in raw:
        if ch.isdigit():
            return int(ch)
        k = "一二三四五六七八九十①②③④⑤⑥⑦⑧⑨".find(ch)
        if k >= 0:
            return k + 1 if k < 10 else k - 9
    return 0


def _strip(text: str, s: int, e: int) -> tuple[int, int] | None:
    while s < e and text[s] in " \t\u3000\r\n：:，,、":
        s += 1
    while e > s and text[e - 1] in " \t\u3000\r\n；;，,":
        e -= 1
    return (s, e) if e - s >= 4 else None


def _standard(text: str, figs: list[dict], e: int) -> list[dict]:
    """The standards a problem cites ("低于50%的国家标准") or that the indicators it names are held to
    (data/standards.yaml). Marks the cited figures with role "standard"."""
    from dudao.checks.standards import standard_rule
    out = []
    cue = terms().rx("standard_cue")
    for f in figs:
        after = text[f["end"]:min(e, f["end"] + 10)]
        if f["kind"] == "target" or cue.match(f["quote"]) or _STD_AFTER.match(after):
            f["role"] = "standard"
            out.append({"value": f["value"], "unit": f["unit"], "quote": f["quote"], "start": f["start"],
                        "end": f["end"], "source": "反馈意见"})
    for f in figs:
        if f.get("canonical") and f.get("role") != "standard":
            rule = standard_rule(f["name"], f.get("scope"))
            if rule and rule.get("op") in (">=", "<="):
                out.append({"name": f["name"], "op": rule["op"], "value": rule["limit"], "unit": rule.get("unit"),
                            "source": rule.get("source")})
    return out


_STD_AFTER = re.compile(r"\s*(?:的)?(?:国家|省定|省级|规定)?(?:标准|要求|目标)")
_FIG_KEYS = ("name", "scope", "kind", "value", "unit", "quote", "start", "end", "canonical", "role")


def extract_problems(text: str) -> list[dict]:
    """Problems of a feedback letter's 问题清单, each {text, start, end, title, topics, figures,
    standards, demands, deadlines}; spans are offsets into `text`."""
    region = _problem_region(text)
    spans = _split_items(text, *region) if region else []
    if not spans:   # no problems heading: numbered items that state a problem, anywhere
        persist = terms().cues["persist"]
        spans = [se for se in _split_items(text, 0, len(text)) if persist.search(text[se[0]:se[1]])]
    figs_all = [f for f in extract_figures(text) if f.get("value") is not None]
    out = []
    for s, e in spans:
        item = text[s:e]
        figs = [dict(f) for f in figs_all if s <= f["start"] and f["end"] <= e]
        standards = _standard(text, figs, e)
        first = sentences(text, s, e)[0]
        found = topics_in(item)
        demands, deadlines = _demands(text, s, e)
        out.append({
            "text": item, "start": s, "end": e,
            "title": text[first[0]:first[1]].rstrip("。；;"),
            "topics": sorted(found["concept"] | found["indicator"]),
            "topic_names": [topic_name(x) for x in sorted(found["concept"] | found["indicator"])],
            "themes": sorted(found["theme"]),
            "figures": [{k: f[k] for k in _FIG_KEYS if k in f} for f in figs],
            "standards": standards,
            "demands": demands, "deadlines": deadlines,
        })
    return out


def _demands(text: str, s: int, e: int) -> tuple[list[dict], list[dict]]:
    demand, deadline = terms().rx("demand"), terms().rx("deadline")
    demands, deadlines = [], []
    for a, b in sentences(text, s, e):
        sent = text[a:b]
        m = demand.search(sent)
        if m and not terms().cues["persist"].search(sent[:m.start()][-6:]):
            demands.append({"text": sent[m.start():], "start": a + m.start(), "end": b})
        for d in deadline.finditer(sent):
            deadlines.append({"text": d.group(0), "start": a + d.start(), "end": a + d.end()})
    return demands, deadlines
