"""The 问题清单 of a feedback letter (反馈意见 / 评价报告): numbered problems with their spans,
topics, cited figures, the standard each misses, and the rectification demands and deadlines."""
from __future__ import annotations

import re
from functools import lru_cache

from dudao.extract.figures import extract_figures
from dudao.extract.sections import cn_to_int
from dudao.rectify.terms import terms, topic_name, topics_in
from dudao.rectify.units import sentences

_INLINE_FAMILIES = ("shi", "di", "circ", "arabic_paren", "arabic", "wenti")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"


@lru_cache(maxsize=1)
def _markers() -> dict[str, re.Pattern]:
    return {fam: re.compile(p) for fam, p in terms().data["item_markers"].items()}


@lru_cache(maxsize=1)
def _inline_re() -> re.Pattern:
    return re.compile("|".join(f"(?P<{f}>{_markers()[f].pattern.replace('?P<n>', '')})" for f in _INLINE_FAMILIES))


def _number(raw: str) -> int:
    digits = re.sub(r"[^\d一二三四五六七八九十①-⑩]", "", raw)
    if digits and digits[0] in _CIRCLED:
        return _CIRCLED.index(digits[0]) + 1
    return cn_to_int(digits) or 0


def _lines(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    end = len(text) if end is None else end
    out, pos = [], start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        if text[pos:stop].strip():
            s = pos + len(text[pos:stop]) - len(text[pos:stop].lstrip())
            out.append((s, stop))
        pos = stop + 1
    return out


def _marker(text: str, s: int, e: int):
    """(family, number, where the words begin) of a numbered line, or None."""
    for fam, pat in _markers().items():
        m = pat.match(text, s, e)
        if m:
            return fam, _number(m.group("n")), m.end()
    return None


def _runs(text: str) -> list[list[tuple[int, int, int]]]:
    """Numbered lines in sequence from one, per numbering style: [(line start, words start, line end)]."""
    runs, open_runs = [], {}
    for s, e in _lines(text):
        mk = _marker(text, s, e)
        if not mk:
            continue
        fam, n, body = mk
        run = open_runs.get(fam)
        if run is not None and n == run[-1][0] + 1:
            run.append((n, s, body, e))
        elif n == 1:
            open_runs[fam] = [(1, s, body, e)]
            runs.append(open_runs[fam])
    for s, e in _lines(text):   # run-in lists: "一是A；二是B；三是C。" inside one paragraph
        inline = _inline_items(text, s, e)
        if inline:
            runs.append([(k, a, a, b) for k, (a, b) in enumerate(inline, 1)])
    return [[(s, b, e) for _, s, b, e in r] for r in runs if len(r) >= 2]


def _inline_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """'一是A。二是B。' / '①A；②B' inside a paragraph, numbered in sequence from one."""
    marks = []
    for m in _inline_re().finditer(text, start, end):
        fam, n = m.lastgroup, _number(m.group(0))
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


def _problem_like(item: str) -> bool:
    t = terms()
    return bool(re.search(t.data["problem_cue"], item)) and not re.search(t.data["demand_start"], item)


def _statement(item: str) -> bool:
    return "。" in item or "；" in item or len(item) > 30


def _context_score(text: str, start: int) -> float:
    """Is a run under a heading or lead-in naming problems (+), or demands/achievements (-)?"""
    t = terms().data["sections"]
    before = text[max(0, start - 160):start]
    last = before.rstrip().rsplit("\n", 1)[-1] if before.strip() else ""
    score = 0.0
    if re.search(t["problems"], last) and not re.search(t["not_problems"], last):
        score += 1.0
    if re.search(t["demands"], last) or re.search(t["not_problems"], last):
        score -= 1.0
    return score


def _item_spans(text: str, run) -> list[tuple[int, int]]:
    """Each item from its words to the end of its line, and on over the unnumbered paragraphs that
    explain it (not over a closing paragraph, a demand, a signature or a date line)."""
    out = []
    closing = re.compile(terms().data["demand_start"] + "|^(?:以上|上述|针对|对此|特此)")
    for k, (s, body, e) in enumerate(run):
        stop = run[k + 1][0] if k + 1 < len(run) else len(text)
        if s != body:   # run-in items end at the next marker
            for ls, le in _lines(text, e, stop):
                line = text[ls:le]
                short = len(line.strip()) < 20 and not line.rstrip().endswith(("。", "；", "！"))
                if _marker(text, ls, le) or closing.search(line) or short:
                    break
                e = le
        span = _strip(text, body, e)
        if span:
            out.append(span)
    return out


_OPENING = 60


def _problem_spans(text: str) -> list[tuple[int, int]]:
    """The 问题清单: the run(s) of numbered items that most look like problems."""
    scored = []
    for run in _runs(text):
        # a heading-style item ("问题一：…" on its own line) is judged with its explanation
        items = [(text[a:b], s == body) for (a, b), (s, body, _) in zip(_item_spans(text, run), run)]
        # judged on its opening words: a whole section ("一、基本情况…") always contains a cue somewhere
        like = sum(1 for it, run_in in items if _problem_like(it[:_OPENING]) and (run_in or _statement(it)))
        if like * 2 < len(items):
            continue
        score = like + _context_score(text, run[0][0])
        scored.append((score, run))
    if not scored:
        return []
    best = max(scored, key=lambda x: (x[0], len(x[1])))
    # lists restarting their numbering under category headings ("（一）经费方面 1… 2… （二）… 1…")
    keep = [r for sc, r in scored if sc >= best[0] * 0.5 and _family(text, r) == _family(text, best[1])
            and _context_score(text, r[0][0]) >= 0] or [best[1]]
    if best[1] not in keep:
        keep.append(best[1])
    spans = sorted({sp for r in keep for sp in _item_spans(text, r)})
    # drop items nested in another chosen item (a run-in list inside a numbered line)
    return [sp for sp in spans if not any(o != sp and o[0] <= sp[0] and sp[1] <= o[1] for o in spans)]


def _family(text: str, run) -> str:
    s, _, e = run[0]
    mk = _marker(text, s, e)
    return mk[0] if mk and mk[2] == run[0][1] else "inline"


def _strip(text: str, s: int, e: int) -> tuple[int, int] | None:
    while s < e and text[s] in " \t\u3000\r\n：:，,、":
        s += 1
    while e > s and text[e - 1] in " \t\u3000\r\n；;，,":
        e -= 1
    return (s, e) if e - s >= 4 else None


def _standard(text: str, figs: list[dict], e: int) -> list[dict]:
    """The standards a problem cites ("低于50%的国家标准") or that the indicators it names are held to
    (data/standards.yaml). Marks the cited figures with role "standard"."""
    from dudao.semantics import standard_rule
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
    return describe(text, _problem_spans(text))


def describe(text: str, spans: list[tuple[int, int]]) -> list[dict]:
    """Problems at given spans of `text` (e.g. the items of a letter the platform published),
    described as `extract_problems` describes the ones it finds."""
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
