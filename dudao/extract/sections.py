"""Heading tree of a report: numbered headings (一、（一）1.（1）) and unnumbered heading lines."""
from __future__ import annotations

import re
from functools import lru_cache

from dudao.resources import load_yaml

CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_SENT_END = re.compile(r"[。；;！!？?]")
_HEAD_MAX = 45          # a heading phrase longer than this is a paragraph that starts with a number
_UNNUMBERED_MAX = 32


def cn_to_int(s: str) -> int | None:
    """一..九十九 → int (enough for heading numbers)."""
    s = s.strip()
    if s.isdigit():
        return int(s)
    if not s or any(ch not in CN_DIGITS for ch in s):
        return None
    if len(s) == 1:
        return CN_DIGITS[s]
    if s[0] == "十":
        return 10 + (CN_DIGITS[s[1]] if len(s) > 1 else 0)
    if len(s) == 2 and s[1] == "十":
        return CN_DIGITS[s[0]] * 10
    if len(s) == 3 and s[1] == "十":
        return CN_DIGITS[s[0]] * 10 + CN_DIGITS[s[2]]
    return None


@lru_cache(maxsize=1)
def _rules():
    data = load_yaml("sections")
    numbering = [(n["level"], re.compile(r"^\s*(" + n["pattern"] + r")")) for n in data["numbering"]]
    roles = [(name, re.compile(p)) for name, p in data["roles"].items()]
    return numbering, roles, re.compile(data["measure_verbs"]), re.compile(data["generic_problem"])


@lru_cache(maxsize=1)
def _numbering_one():
    """The numbering patterns as one: (pattern, level of each alternative's group). Every line
    is tried against all of them; one match call per line instead of one per pattern. The first
    alternative that matches is the first pattern that would (none begins with whitespace, so
    only the longest leading run of it can be followed by a match)."""
    numbering = _rules()[0]
    inner = [p.pattern[len(r"^\s*("):-1] for _, p in numbering]
    one = re.compile(r"^\s*(?:" + "|".join(f"({p})" for p in inner) + ")")
    if one.groups != len(inner):   # a pattern with groups of its own: keep trying them one by one
        return None, None
    return one, [level for level, _ in numbering]


def _numbered(line: str):
    """(level, match, marker) of the first numbering pattern matching `line`, or None."""
    one, levels = _numbering_one()
    if one is None:
        for level, pat in _rules()[0]:
            m = pat.match(line)
            if m:
                return level, m, m.group(1)
        return None
    m = one.match(line)
    return (levels[m.lastindex - 1], m, m.group(m.lastindex)) if m else None


def heading_roles(heading: str) -> list[str]:
    _, roles, _, _ = _rules()
    return [name for name, pat in roles if pat.search(heading)]


_NOT_NUMERAL = re.compile(r"[^\d一二三四五六七八九十]")


def _number_of(marker: str) -> int | None:
    digits = _NOT_NUMERAL.sub("", marker)
    return cn_to_int(digits)


def _title_end(text: str, lines) -> int:
    """Index of the first body line: the title block is the leading short lines without 。"""
    i = 0
    while i < min(len(lines), 6):
        s, e = lines[i]
        line = text[s:e]
        if len(line) > 60 or line.rstrip().endswith("。") or any(p.match(line) for _, p in _rules()[0]):
            break
        i += 1
    return i


def _lines(text: str):
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def find_sections(text: str) -> list[dict]:
    lines = _lines(text)
    body_from = _title_end(text, lines)
    heads = []
    for idx in range(body_from, len(lines)):
        s, e = lines[idx]
        line = text[s:e]
        if not line.strip():
            continue
        found = _numbered(line)
        if found:
            level, m, marker = found
            rest = line[m.end():]
            stop = _SENT_END.search(rest)
            head_end = m.end() + (stop.start() if stop else len(rest))
            phrase = line[m.end():head_end].strip()
            if not phrase or head_end - m.end() > _HEAD_MAX:
                continue  # a numbered paragraph, not a heading
            heads.append({"heading": line[:head_end].strip(), "level": level, "start": s + (len(line) - len(line.lstrip())),
                          "end": s + len(line[:head_end].rstrip()), "number": _number_of(marker),
                          "numbered": True, "inline": head_end < len(line.rstrip()), "line": idx,
                          # (read without its number: "问题1：" numbers an item, it names no 存在问题 part)
                          "roles": heading_roles(phrase)})
        elif _is_unnumbered_heading(text, lines, idx):
            heads.append({"heading": line.strip(), "level": None, "start": s + (len(line) - len(line.lstrip())),
                          "end": s + len(line.rstrip()), "number": None, "numbered": False, "inline": False,
                          "line": idx, "roles": heading_roles(line.strip())})
    if any(h["level"] == 0 for h in heads):
        for h in heads:   # "第一部分" headings on top: every numbered level moves down one
            if h["numbered"]:
                h["level"] += 1
    _assign_unnumbered_levels(heads)
    for k, h in enumerate(heads):
        nxt = next((o for o in heads[k + 1:] if o["level"] <= h["level"]), None)
        h["section_end"] = nxt["start"] if nxt else len(text)
    return heads


@lru_cache(maxsize=1)
def _field_line() -> re.Pattern:
    return re.compile(load_yaml("sections")["field_line"])


def _is_unnumbered_heading(text, lines, idx) -> bool:
    s, e = lines[idx]
    line = text[s:e].strip()
    if not (4 <= len(line) <= _UNNUMBERED_MAX) or _SENT_END.search(line) or line[-1] in "，,：:、" \
            or "|" in line:   # a table row
        return False
    if re.search(r"\d{4}\s*年\s*\d{1,2}\s*月|人民政府$|教育局$", line):
        return False  # a date or signature line
    if _field_line().match(line):
        return False  # "责任单位：县财政局…": a field of an item
    if idx + 1 >= len(lines):
        return False
    ns, ne = lines[idx + 1]
    return ne - ns > 2 * len(line) and ne - ns > 40


def _assign_unnumbered_levels(heads) -> None:
    """An unnumbered heading takes the level of the nearest numbered heading before it that is
    followed by deeper items, i.e. it stands where a sibling number is missing."""
    last_level_by_seen = None
    for h in heads:
        if h["numbered"]:
            last_level_by_seen = h["level"]
            continue
        # Sit one level above the items that follow it, or beside the previous heading.
        h["level"] = 2 if (last_level_by_seen or 1) >= 2 else 1


def infer_body_roles(text: str, sections: list[dict]) -> None:
    """Top-level sections named by their theme ("一、全面加强党的领导…") describe what was done:
    when no top-level heading says 主要做法, such sections are practices, and achievements when
    they report results (words listed in data/sections.yaml)."""
    top = [s for s in sections if s["level"] == 1]
    if not top or any("practices" in s["roles"] for s in top):
        return
    data = load_yaml("sections")["achievements_in_body"]
    for s in top:
        if s["roles"]:
            continue
        body = text[s["end"]:s["section_end"]]
        s["roles"] = ["practices"]
        if sum(body.count(w) for w in data["words"]) >= data["min_hits"]:
            s["roles"].append("achievements")


def numbering_breaks(sections: list[dict]) -> list[dict]:
    """Headings whose number does not continue the sequence of their siblings."""
    issues = []
    expected = {}  # level -> next expected number
    for h in sections:
        lvl = h["level"]
        # A heading resets the numbering of every deeper level.
        for deeper in [k for k in expected if k > lvl]:
            del expected[deeper]
        if not h["numbered"]:
            if lvl in expected:
                issues.append({"section": h, "expected": expected[lvl], "found": None})
                expected[lvl] += 1
            continue
        want = expected.get(lvl, 1)
        if h["number"] is not None and h["number"] != want:
            issues.append({"section": h, "expected": want, "found": h["number"]})
        expected[lvl] = (h["number"] or want) + 1
    return issues


def problem_items(text: str, sections: list[dict]) -> list[dict]:
    """Problems the report admits, each with its span."""
    _, _, measure_verb, generic = _rules()
    items = []
    # A top-level problems section first; a sub-section only when there is none.
    order = sorted(range(len(sections)), key=lambda k: (sections[k]["level"] or 9, sections[k]["start"]))
    for k in order:
        h = sections[k]
        if "problems" not in h["roles"]:
            continue
        mixed = "measures" in h["roles"]
        children = [c for c in sections[k + 1:] if c["start"] < h["section_end"]]
        level_children = [c for c in children if c["level"] == min((x["level"] for x in children), default=0)]
        body_start = h["end"]
        first_child = level_children[0]["start"] if level_children else h["section_end"]
        inline = _inline_enumeration(text, body_start, first_child)
        if inline:
            items.extend(inline)
        elif level_children and not (mixed and all(measure_verb.search(_phrase(c)) for c in level_children)):
            for c in level_children:
                if "measures" in c["roles"]:
                    break
                if c["roles"] and "problems" not in c["roles"]:
                    continue   # "（一）自评结果" beside "（二）存在问题": another part, not a problem
                if _CONTAINER.match(_phrase(c)):
                    # "（一）存在问题" — its own children are the items
                    sub = [x for x in sections if c["start"] < x["start"] < c["section_end"]]
                    lvl = min((x["level"] for x in sub), default=None)
                    items.extend(_item(text, x) for x in sub if x["level"] == lvl)
                    continue
                if mixed and measure_verb.search(_phrase(c)):
                    continue
                items.extend(_split_run_in(text, c, measure_verb) or [_item(text, c)])
        else:
            items.extend(_clause_items(text, body_start, first_child, generic))
        if items:
            break  # the first problems section is the one the report means
    return [i for i in items if i["text"]]


def _split_run_in(text, h, measure_verb) -> list[dict]:
    """A problem heading whose paragraph lists its problems run-in ("（一）资源配置不均衡。一是A；
    二是B。") is that many problems, one per item; a list of measures under it is not."""
    inline = _inline_enumeration(text, h["end"], h["section_end"])
    if not inline or sum(bool(measure_verb.match(i["text"])) for i in inline) * 2 >= len(inline):
        return []
    return inline


# A sub-heading that only names the part ("（一）存在问题") holds the items below it.
_CONTAINER = re.compile(r"^(?:存在(?:的)?(?:主要)?(?:问题|不足)|主要问题|问题与不足|不足之处|问题和不足)(?:及原因|分析)?$")


def _phrase(h) -> str:
    return re.sub(r"^\s*[（(]?\s*[一二三四五六七八九十\d]+\s*[）)]?\s*[、．.]?\s*", "", h["heading"])


def _item(text, h) -> dict:
    phrase = _phrase(h)
    start = h["end"] - len(phrase)
    return {"text": text[start:h["end"]], "start": start, "end": h["end"]}


# Markers of an inline list, by family: 一是/二是, 第一/第二, 1./2., （1）/（2）, ①/②.
_MARKER = re.compile(
    r"(?P<shi>[一二三四五六七八九十]是)"
    r"|(?P<di>第[一二三四五六七八九十][，,、：:])"
    r"|(?<![\d.．])(?P<num>[1-9])[.．、](?!\d)"
    r"|[（(](?P<paren>[1-9])[）)]"
    r"|(?P<circ>[①②③④⑤⑥⑦⑧⑨])")
_ITEM_END = re.compile(r"[。；;！？]")
_ITEM_MAX = 40
_HEAD_CLAUSE = 8
_COMMA = re.compile(r"[，,]")


def _marker_number(m) -> tuple[str, int]:
    fam = m.lastgroup
    raw = m.group(fam)
    if fam in ("shi", "di"):
        return fam, cn_to_int(raw[1] if fam == "di" else raw[0]) or 0
    if fam == "circ":
        return fam, "①②③④⑤⑥⑦⑧⑨".index(raw) + 1
    return fam, int(raw)


def _inline_enumeration(text, start, end) -> list[dict]:
    """'一是A。二是B。', '1.A；2.B；', '第一，A。第二，B。' → A, B (a list of at least two, numbered in
    sequence; an item ends at the sentence end, the next marker, or its first comma when long)."""
    marks = []
    for m in _MARKER.finditer(text, start, end):
        fam, n = _marker_number(m)
        if marks and marks[-1][0] == fam and n == marks[-1][1] + 1:
            marks.append((fam, n, m))
        elif n == 1 or (fam == "shi" and n == 1):
            if len(marks) >= 2:
                break   # keep the first complete list
            marks = [(fam, n, m)]
    if len(marks) < 2:
        return []
    out = []
    for k, (_, _, m) in enumerate(marks):
        limit = marks[k + 1][2].start() if k + 1 < len(marks) else end
        stop = _ITEM_END.search(text, m.end(), limit)
        item_end = stop.start() if stop else limit
        body_start = m.end()
        while body_start < item_end and text[body_start] in "：:，,、 ":
            body_start += 1
        comma = _COMMA.search(text, body_start, item_end)
        if comma and (item_end - body_start > _ITEM_MAX or comma.start() - body_start >= _HEAD_CLAUSE):
            item_end = comma.start()   # the item's head clause names it; the rest explains it
        item = text[body_start:item_end].rstrip("，,、 ")
        if len(item) >= 2:
            out.append({"text": item, "start": body_start, "end": body_start + len(item)})
    return out if len(out) >= 2 else []


_CUE = re.compile(r"(?:(?:主要|具体|突出|集中)?(?:体现|表现)(?:在|为))[：:]?"
                  r"|(?:问题|不足|短板|困难)(?:主要)?(?:有|是|如下|为)?[：:]")


def _clause_items(text, start, end, generic) -> list[dict]:
    """'主要体现在A，B，C。' → A, B, C (general gap statements dropped)."""
    out = []
    for m in _CUE.finditer(text, start, end):
        stop = text.find("。", m.end(), end)
        stop = end if stop < 0 else stop
        body = text[m.end():stop]
        # "A，…；B，…；C，…" lists by semicolons, each item named by its head clause
        by_semicolon = "；" in body or ";" in body
        pos = m.end()
        for part in re.split(r"[；;]" if by_semicolon else r"[，,；;]", body):
            s = pos + (len(part) - len(part.lstrip()))
            pos += len(part) + 1
            clause = part.strip()
            if by_semicolon:
                clause = re.split(r"[，,]", clause, 1)[0].strip()
            if len(clause) < 4 or generic.search(clause):
                continue
            out.append({"text": clause, "start": s, "end": s + len(clause)})
    return out
