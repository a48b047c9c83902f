"""The 说明 notes under a framework table, read in their common wordings (patterns in framework_terms.yaml):
full score, bonus cap, grade bands, vetoes, downgrades, 不得评为优秀 and the N/A rule."""
from __future__ import annotations

import re

from dudao.framework.grid import norm, terms

_ITEM = re.compile(r"(?:[（(]\d{1,2}[)）]|[①②③④⑤⑥⑦⑧⑨⑩]|\d{1,2}[)）])")
_TOP = re.compile(r"^(?:\d{1,2}[.、．](?!\d)|[一二三四五六七八九十]+、)")
_LEAD = re.compile(r"^(?:说明|备注|注|附注)[:：]?")
GATE_PREFIX = {"veto": "V", "downgrade": "D", "no_excellent": "N"}
GATE_NAMES = {"veto": "一票否决", "downgrade": "降低一个等次", "no_excellent": "不得评为优秀"}


def _rx(words) -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def read_notes(lines: list[str], understood: list[str], missed: list[str]) -> dict:
    n = terms()["notes"]
    kinds = {k: _rx(n[k]) for k in ("veto", "downgrade", "no_excellent")}
    intro = _rx(n["list_intro"])
    out: dict = {}
    gates: list[dict] = []
    bands: list[dict] = []
    items = _split_items([_LEAD.sub("", norm(x)) for x in lines if norm(x)])
    pending = None  # a "下列情形之一…一票否决" heading whose conditions follow as numbered items
    used_lines = []
    for text, is_sub in items:
        if not text:
            continue
        if is_sub and pending:
            gates.append(_gate(pending, _clean_condition(text, kinds), gates))
            continue
        pending = None
        hit = False
        kind = _kind(text, kinds)
        if kind and intro.search(text):
            pending = kind
            head, _sep, rest = text.partition("：") if "：" in text else text.partition(":")
            for cond in re.split(r"[；;]", rest) if rest else []:
                cond = _clean_condition(_ITEM.sub("", cond), kinds)
                if cond:
                    gates.append(_gate(kind, cond, gates))
            hit = True
        elif kind:
            cond = _clean_condition(text, kinds)
            if cond:
                gates.append(_gate(kind, cond, gates))
                hit = True
        m = re.search(n["full_score"], text)
        if m and "加分" not in text[:m.start()] and "full_score" not in out:
            out["full_score"] = float(m.group(1))
            hit = True
        m = re.search(n["bonus_cap"], text)
        if m:
            out["bonus_cap"] = float(m.group(1))
            understood.append(f"加分上限 {float(m.group(1)):g} 分（“{text[:40]}”）")
            hit = True
        found = _bands(text, n)
        if found:
            bands.extend(found)
            hit = True
        if any(w in text for w in n["not_applicable"]):
            if any(w in text for w in n["na_rescale"]):
                out["na_policy"], out["na_source"] = "rescale", text
                understood.append("不适用规则：不计分并按适用分值折算")
                hit = True
            elif any(w in text for w in n["na_zero"]):
                out["na_policy"], out["na_source"] = "zero", text
                understood.append("不适用规则：按 0 分计")
                hit = True
        used_lines.append(text)
        if not hit and len(text) > 3:
            missed.append(f"说明“{text[:50]}”未能识别为规则，请人工核对")
    if gates:
        out["gates"] = gates
        for g in gates:
            understood.append(f"{GATE_NAMES[g['kind']]}：{g['name']}")
    if bands:
        out["bands"], out["bands_source"] = _close_bands(bands, understood)
    if used_lines:
        out["notes"] = used_lines
    return out


def _split_items(lines: list[str]) -> list[tuple[str, bool]]:
    """Note lines cut into numbered items; (text, is a sub-item like （1）/①)."""
    out = []
    # "…四个等次。2.凡…" – numbered notes run together in one cell
    lines = [piece for line in lines for piece in re.split(r"(?<=[。；;])(?=\d{1,2}[.、．](?!\d))", line) if piece]
    for line in lines:
        parts = [p for p in re.split(r"(?=(?:[（(]\d{1,2}[)）]|[①②③④⑤⑥⑦⑧⑨⑩]))", line) if p]
        for i, p in enumerate(parts):
            sub = bool(_ITEM.match(p))
            out.append((_TOP.sub("", _ITEM.sub("", p, count=1) if sub else p).strip("；;。 "), sub and (i > 0 or not _TOP.match(line))))
    return out


def _kind(text, kinds):
    for k in ("veto", "no_excellent", "downgrade"):
        if kinds[k].search(text):
            return k
    return None


def _clean_condition(text: str, kinds) -> str:
    pieces = [p for p in re.split(r"[，,；;。：:]", text) if p]
    keep = [p for p in pieces if not any(rx.search(p) for rx in kinds.values())
            and not re.search(r"下列|以下|如下|情形之一|情况之一", p)]
    cond = "，".join(keep)
    cond = re.sub(r"^(?:凡|如|若|对|县域内|被评地区)", "", cond)
    cond = re.sub(r"(?:的|者|的情况|的情形)$", "", cond)
    return cond.strip()


def _gate(kind: str, name: str, gates: list[dict]) -> dict:
    i = sum(g["kind"] == kind for g in gates)
    return {"id": f"{GATE_PREFIX[kind]}{i + 1}", "kind": kind, "name": name, "source": "导入自指标体系表的说明"}


def _bands(text: str, n: dict) -> list[dict]:
    grade = _rx(n["grades"])
    sep = n["range_sep"]
    num = r"(\d+(?:\.\d+)?)"
    at_least = "|".join(re.escape(w) for w in n["at_least"])
    below = "|".join(re.escape(w) for w in n["below"])
    out = []
    for clause in re.split(r"[，,；;。、\n]", text):
        found = list(grade.finditer(clause))
        if not found:
            continue
        g = found[-1]  # "分为优秀、良好…：90分及以上为优秀": the grade the number is for comes last
        rest = clause[:g.start()] + " " + clause[g.end():]
        m = re.search(num + r"\s*分?\s*(?:" + sep + r")\s*" + num + r"\s*分", rest)
        if m:
            out.append({"name": g.group(), "min": float(m.group(1)), "max": float(m.group(2)), "_upper": True})
            continue
        m = re.search(num + r"\s*分\s*(?:" + at_least + ")", rest) or re.search(r"(?:" + at_least + r")\s*" + num + r"\s*分", rest)
        if m:
            out.append({"name": g.group(), "min": float(m.group(1)), "max": None})
            continue
        m = re.search(num + r"\s*分\s*(?:" + below + ")", rest) or re.search(r"(?:" + below + r")\s*" + num + r"\s*分", rest)
        if m:
            out.append({"name": g.group(), "min": 0.0, "max": float(m.group(1))})
    return out


def _close_bands(bands: list[dict], understood: list[str]) -> tuple[list[dict], str]:
    """Order the bands; an integer upper bound just under the next band ("80～89分") closes up to it."""
    seen, uniq = set(), []
    for b in bands:
        if b["name"] not in seen:
            seen.add(b["name"])
            uniq.append(b)
    uniq.sort(key=lambda b: -b["min"])
    closed = False
    for hi, lo in zip(uniq, uniq[1:]):
        if lo["max"] is None:
            lo["max"] = hi["min"]
        elif lo.get("_upper") and lo["max"] < hi["min"] and hi["min"] - lo["max"] <= 1 and lo["max"] == int(lo["max"]):
            lo["max"] = hi["min"]
            closed = True
    if uniq and uniq[0].get("_upper"):
        uniq[0]["max"] = None
    out = [{k: v for k, v in b.items() if not k.startswith("_") and not (k == "max" and v is None)} for b in uniq]
    words = "；".join(f"{b['name']} {b['min']:g}" + (f"～{b['max']:g}" if "max" in b else " 以上") for b in out)
    understood.append(f"等次：{words}" + ("（“80～89分”按整数分理解为 80 分至不足 90 分）" if closed else ""))
    return out, words
