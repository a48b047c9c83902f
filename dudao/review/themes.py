"""Problem themes: group admitted problems and review findings into themes counted across regions.

The vocabulary lives in dudao/data/themes.yaml. A problem (report["problems"]) is matched on its
own words first; when they name no theme ("新政落地压力陡增"), the explanation that follows it in
the text is read instead. Findings are themed by their code, by the indicator they concern
(below_standard → 学前普惠 for 普惠性幼儿园覆盖率), or by their quoted words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from dudao.resources import load_yaml

# Finding codes whose `data.name` names the indicator concerned.
INDICATOR_CODES = {"below_standard", "inconsistent_figure", "implausible_value"}
# Findings that say nothing about education itself (the document is simply not a self-report).
SKIP_CODES = {"off_topic"}
REPORT_QUALITY = "report_quality"


@dataclass
class Theme:
    id: str
    name: str
    patterns: list[re.Pattern]
    indicators: set[str] = field(default_factory=set)
    codes: set[str] = field(default_factory=set)


@dataclass
class Vocabulary:
    themes: list[Theme]
    other: Theme
    max_themes: int = 2
    context_chars: int = 160

    def by_id(self, tid: str) -> Theme:
        if tid == self.other.id:
            return self.other
        return next(t for t in self.themes if t.id == tid)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    data = load_yaml("themes")
    themes = [Theme(t["id"], t["name"], [re.compile(k) for k in t.get("keywords") or []],
                    set(t.get("indicators") or []), set(t.get("codes") or [])) for t in data["themes"]]
    other = data.get("other") or {"id": "other", "name": "其他"}
    return Vocabulary(themes, Theme(other["id"], other["name"], []), int(data.get("max_themes", 2)),
                      int(data.get("context_chars", 160)))


def match_text(text: str, vocab: Vocabulary | None = None) -> list[str]:
    """Theme ids whose keywords occur in `text`, best first (most distinct keywords; ties by
    the vocabulary's priority order), at most vocab.max_themes."""
    vocab = vocab or vocabulary()
    scored = []
    for rank, t in enumerate(vocab.themes):
        hits = sum(1 for p in t.patterns if p.search(text))
        if hits:
            scored.append((-hits, rank, t.id))
    scored.sort()
    return [tid for _, _, tid in scored[:vocab.max_themes]]


def problem_context(text: str, start: int, end: int, limit: int) -> str:
    """The explanation after a problem heading: what follows it up to `limit` characters, stopped
    at the next line that looks like a heading."""
    tail = text[end:end + limit]
    # stop at the next numbered heading ("（二）", "2.", "四、")
    m = re.search(r"\n\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.、．])", tail)
    if m:
        tail = tail[:m.start()]
    return tail


def problem_themes(report: dict, problem: dict, vocab: Vocabulary | None = None) -> list[str]:
    vocab = vocab or vocabulary()
    found = match_text(problem.get("text") or "", vocab)
    if found:
        return found
    text = report.get("text") or ""
    if problem.get("end") is not None:
        ctx = problem_context(text, problem.get("start", 0), problem["end"], vocab.context_chars)
        found = match_text(ctx, vocab)
    return found or [vocab.other.id]


def finding_themes(finding: dict, vocab: Vocabulary | None = None) -> list[str]:
    vocab = vocab or vocabulary()
    code = finding.get("code")
    for t in vocab.themes:
        if code in t.codes:
            return [t.id]
    if code in INDICATOR_CODES:
        name = (finding.get("data") or {}).get("name")
        for t in vocab.themes:
            if name and name in t.indicators:
                return [t.id]
    found = match_text(" ".join(filter(None, [finding.get("quote"), finding.get("message")])), vocab)
    return found or [vocab.other.id]


def build_themes(entries, vocab: Vocabulary | None = None) -> dict:
    """Group the problems and findings of the relevant reports into themes.

    `entries` are review-pack entries (objects with .id, .n, .report, .region_key, .region_label).
    Returns {"themes": [...], "assignments": {entry_id: {"problems": [[ids]], "findings": [[ids]]}}};
    each theme: id, name, count, problems, findings, regions (distinct), region_names, items."""
    vocab = vocab or vocabulary()
    buckets: dict[str, dict] = {}
    assignments: dict[str, dict] = {}

    def bucket(tid):
        if tid not in buckets:
            t = vocab.by_id(tid)
            buckets[tid] = {"id": t.id, "name": t.name, "count": 0, "problems": 0, "findings": 0,
                            "_regions": {}, "items": []}
        return buckets[tid]

    for e in entries:
        r = e.report
        if not r.get("relevant"):
            continue
        text = r.get("text") or ""
        a = assignments.setdefault(e.id, {"problems": [], "findings": []})
        for k, p in enumerate(r.get("problems") or []):
            tids = problem_themes(r, p, vocab)
            a["problems"].append(tids)
            for tid in tids:
                b = bucket(tid)
                b["count"] += 1
                b["problems"] += 1
                b["_regions"].setdefault(e.region_key, e.region_label)
                b["items"].append({"kind": "problem", "report": e.id, "n": e.n, "region": e.region_label,
                                   "text": p.get("text") or "", "quote": problem_quote(text, p), "anchor": f"p{k + 1}"})
        for k, f in enumerate(r.get("findings") or []):
            if f.get("code") in SKIP_CODES:
                a["findings"].append([])
                continue
            tids = finding_themes(f, vocab)
            a["findings"].append(tids)
            for tid in tids:
                b = bucket(tid)
                b["count"] += 1
                b["findings"] += 1
                b["_regions"].setdefault(e.region_key, e.region_label)
                b["items"].append({"kind": "finding", "report": e.id, "n": e.n, "region": e.region_label,
                                   "text": f.get("title") or f.get("code"), "quote": f.get("quote") or f.get("message") or "",
                                   "code": f.get("code"), "severity": f.get("severity"), "anchor": f"f{k + 1}"})
    themes = []
    for b in buckets.values():
        regions = b.pop("_regions")
        b["regions"] = len(regions)
        b["region_names"] = list(regions.values())
        themes.append(b)
    order = {t.id: i for i, t in enumerate(vocab.themes)}
    # education themes first; how the reports are written (report_quality) and 其他 last
    themes.sort(key=lambda b: (b["id"] == vocab.other.id, b["id"] == REPORT_QUALITY, -b["regions"], -b["count"],
                               order.get(b["id"], 999)))
    return {"themes": themes, "assignments": assignments}


def problem_quote(text: str, item: dict, limit: int = 120) -> str:
    """The problem heading with the first sentence of its explanation, for quoting."""
    s, e = item.get("start"), item.get("end")
    if s is None or e is None or not text:
        return item.get("text") or ""
    j = e
    while j < len(text) and text[j] in "。；：:，, ":
        j += 1
    ends = [i for i in (text.find(ch, j) for ch in "。；\n") if i >= 0]
    right = min(ends) + 1 if ends else len(text)
    return text[s:min(right, s + limit)].strip()
