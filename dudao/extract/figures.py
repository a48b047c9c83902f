"""Figures of a report: the canonical indicators (indicators.md) and every other measured quantity.

`extract_indicators(text, *, work_year=None, sections=None, include_changes=False) -> list[dict]`
returns the canonical
indicator figures, in text order::

    {"name": "普惠性幼儿园覆盖率", "scope": None, "value": 95.6, "unit": "%", "kind": "actual",
     "quote": "普惠性幼儿园覆盖率达91.3%", "start": 10, "end": 26}

with `text[start:end] == quote`; `qualifier` (以上, 余, 超过, …) when one is written, `high` for a
range, and `restated` (a list of {value, unit, start, end}) when the same figure is stated again,
possibly on another scale (79.62分 and later 7.962分).  `kind` is "actual", "target" (plans, goals,
quoted thresholds and scoring rules), "comparison" (someone else's figure: 省平均值) or "change"
(a change rather than a level; named "<indicator>变化" so it never passes for the indicator, and
returned only with `include_changes=True`, since the output contract knows the first three kinds;
the budget's growth is the canonical 一般公共预算教育支出增长率, kind actual/target).  Placeholders
("覆盖率达x%") give value None.

`sections` is the report's heading list ({"heading", "level", "roles", "start", "end"}, optionally
"section_end"); a section whose roles hold "measures" but not "problems" makes its figures targets
unless they are plainly past facts.  Without it the headings are found here.

`extract_figures(text, *, work_year=None, sections=None) -> list[dict]` returns every measured
quantity with the phrase it measures: the canonical figures ("canonical": True) and all others
("canonical": False, name = the phrase before the number, e.g. "等级幼儿园比例").

How a figure is found (all vocabulary in dudao/data/indicators.yaml):
1. the indicator's name is matched (aliases minus overlapping non-aliases; short aliases such as
   合格率 need their context, e.g. 体质监测, earlier in the sentence);
2. its figure is the first quantity after the name in the same clause when only a few linking words
   stand between ("达", "提高至", "分别为", "、升学率为", "逐年提高，2022年达到"); "由A提高到B" takes B;
   a name that closes its clause takes the next clause's figure when that clause opens with one of
   the indicator's scopes ("生均公用经费基准定额，小学每生每年650元、初中…");
3. lists: "分别为A、B、C" takes its scopes from the nearest enumeration with as many items
   ("中职、普高、初中…", "2017-2019年"); labelled items follow ("，小学770元，中学1100元");
   coordinated names share the values out ("覆盖率和占比分别为92%和55%");
4. the scope of a single figure is the nearest stage/group word before it (in its clause, in its
   name, or in its ；-chain, per indicator); 中小学 and a stage inside the name block; failing that,
   for some indicators the one scope the earlier clauses of the ；-chain agree on ("义务教育学校课后
   服务全覆盖，学生参与率达95%"; 小学生、初中生 or 新建学校…幼儿园 agree on none), or a default group
   ("交流轮岗教师…占…的" -> 专任教师).  A year is a scope only when the sentence holds figures of two
   or more years of one indicator ("2017-2019年…分别为", "…14.36亿元，比上年的14.67亿元…", which also
   yields the base year's figure); a single figure keeps scope None;
5. the kind comes from the heading (下一步/改进措施 sections hold targets), from plan words before
   the figure (预计, 拟, 计划…, 确保, 到2025年, 十四五期间, a "下一步" paragraph …; the nearest of
   these and of past words such as 已/目前 or a past year heading the clause wins), from
   thresholds (不低于, 未达到…之前, "…的得2分", "控制在0.65和0.55以内"; but "按1000元标准拨付" is
   the standard the region applies), a scheme's points ("（满分90分，满意度10分…）", "…10分由省级
   统一测评，未纳入自评"), comparison words (省平均值) and change words (较…下降);
6. a figure restated later (same value, or ×10/×100 in 分/%) is folded into the first;
7. a figure outside the indicator's plausible range belongs to something else, except a rate
   written right after its name and out by a lost decimal point ("参与率达986%"): that one is kept
   for the checks to flag.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from dudao.codepoints import codes_of
# the vocabulary patterns' lookbehinds leave the regex engine nothing to skip to: finder_for
# scans them from the characters a match begins with (same matches)
from dudao.extract.anchored import Anchored, finder_for
from dudao.extract.numbers import find_quantities
from dudao.resources import load_yaml
from dudao.semantics import in_base_unit, is_money, is_year_scope

__all__ = ["extract_indicators", "extract_figures", "canonical_names", "indicator_vocabulary"]

_SENT_END = "。！？!?\n"
_CLAUSE_END = "，,；;。！？!?\n：:"
_CHAIN_END = "；;。！？!?\n"
_BOUNDARIES = (_SENT_END, _CLAUSE_END, _CHAIN_END, "\n")   # sentence, clause, chain, paragraph


@lru_cache(maxsize=1)
def _boundary_bits():
    """Code point -> bit k set when the character ends a span of kind _BOUNDARIES[k]."""
    import numpy as np
    bits = np.zeros(0x10000, dtype=np.uint8)
    for k, chars in enumerate(_BOUNDARIES):
        for c in chars:
            bits[ord(c)] |= 1 << k
    return bits


def _boundaries(text: str) -> list[list[int]]:
    """The offsets of each kind of _BOUNDARIES in `text`: one vectorised pass instead of four
    regex scans with a Python list of matches each."""
    import numpy as np
    codes = codes_of(text)
    flags = _boundary_bits()[np.minimum(codes, 0xFFFF)]   # U+FFFF and beyond end nothing
    at = np.flatnonzero(flags)   # the few boundary characters, then each kind among them
    flags = flags[at]
    return [at[(flags & (1 << k)) != 0].tolist() for k in range(len(_BOUNDARIES))]
_MEASURE_KINDS = ("quantity", "placeholder")
_WINDOW = 400  # how far back (characters) a sentence's plan words are looked for
_MAX_SENTENCE = 1000   # no real sentence is longer; caps the span any figure looks at
_MAX_PARAGRAPH = 4000


# --------------------------------------------------------------------------------------------
# vocabulary
# --------------------------------------------------------------------------------------------

@dataclass
class _Alias:
    rx: re.Pattern
    context: re.Pattern | None
    inner: bool  # the figure is inside the name (group "num")
    needs_scope: bool = False  # the figure counts only with a scope of its own ("其中幼儿园学位…")
    scan: Anchored | None = None  # rx, tried only where its required literal occurs

    def __post_init__(self):
        self.scan = Anchored(self.rx)


@dataclass
class _Indicator:
    name: str
    units: tuple[str, ...]
    lo: float
    hi: float
    aliases: list[_Alias]
    nots: re.Pattern | None
    scopes: frozenset
    scope_search: str
    change_name: str
    change_is_indicator: bool
    restate: tuple[str, ...]
    scope_context: str | None = None  # "chain": earlier clauses naming one scope give it
    default_scope: tuple[re.Pattern, str] | None = None  # (when, scope) for a figure with none


@dataclass
class _Vocab:
    indicators: list[_Indicator]
    by_name: dict
    scope_rx: re.Pattern
    scope_map: dict
    target_strong: re.Pattern
    target_weak: re.Pattern
    purpose: re.Pattern
    threshold: re.Pattern
    after_figure: re.Pattern
    cap_before: re.Pattern
    cap_after: re.Pattern
    weight_paren: re.Pattern
    past: re.Pattern
    comparison: re.Pattern
    change: re.Pattern
    change_negative: re.Pattern
    change_base: re.Pattern
    year_base: re.Pattern
    applied_standard: re.Pattern
    trail_change: re.Pattern
    growth_prefix: re.Pattern
    plan_period: re.Pattern
    plan_periods: dict
    measures_head: re.Pattern
    problems_head: re.Pattern
    gap_max: int
    breakers: re.Pattern
    coordinated: re.Pattern
    distributive: re.Pattern
    tight: re.Pattern
    labelled_next: re.Pattern
    lost_decimal: float
    unstaged: re.Pattern | None


def _alt(items) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in items))


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    data = load_yaml("indicators")
    inds = []
    for name, d in data["indicators"].items():
        aliases = []
        for a in d.get("aliases", []):
            needs_scope = False
            if isinstance(a, dict):
                rx, ctx, needs_scope = a["re"], a.get("context"), bool(a.get("needs_scope"))
            else:
                rx, ctx = a, None
            c = re.compile(rx)
            aliases.append(_Alias(c, re.compile(ctx) if ctx else None, "num" in c.groupindex, needs_scope))
        nots = d.get("not") or []
        lo, hi = d.get("range", [float("-inf"), float("inf")])
        ds = d.get("default_scope")
        inds.append(_Indicator(
            name=name, units=tuple(d.get("units", [])), lo=float(lo), hi=float(hi), aliases=aliases,
            nots=_alt(nots) if nots else None, scopes=frozenset(d.get("scopes") or []),
            scope_search=d.get("scope_search", "clause"),
            change_name=d.get("change_name", name + "变化"),
            change_is_indicator=d.get("change_kind") == "indicator",
            restate=tuple(d.get("restate") or []),
            scope_context=d.get("scope_context"),
            default_scope=(re.compile(ds["when"]), ds["scope"]) if ds else None,
        ))
    words = data["scope_words"]
    # "其中小学" is 其中 + 小学, not 中小学: words starting with 中 must not follow 其
    scope_rx = re.compile("|".join(("(?<!其)" if w.startswith("中") else "") + re.escape(w)
                                   for w in sorted(words, key=len, reverse=True)))
    m = data["markers"]
    periods = data.get("plan_periods", {})
    h = data["headings"]
    g = data["gap"]
    return _Vocab(
        indicators=inds, by_name={i.name: i for i in inds}, scope_rx=scope_rx, scope_map=dict(words),
        target_strong=_alt(m["target_strong"]), target_weak=_alt(m["target_weak"]),
        purpose=re.compile(m["purpose"]), threshold=_alt(m["threshold"]), past=_alt(m["past"]),
        after_figure=re.compile(m["after_figure"]),
        cap_before=re.compile(m["cap"]["before"]), cap_after=re.compile(m["cap"]["after"]),
        weight_paren=re.compile(m["weight_paren"]),
        comparison=re.compile(m["comparison"]), change=re.compile(m["change"]),
        change_negative=re.compile(m["change_negative"]), change_base=re.compile(m["change_base"]),
        year_base=re.compile(m["year_base"]), applied_standard=re.compile(m["applied_standard"]),
        # "…，比2020年降低1.1个百分点" after a level
        trail_change=re.compile(r"\s*[，,]\s*(?P<pre>(?:" + m["change_base"] + r")度?(?:[^，,。；;\d]{0,4}?)"
                                r"(?P<verb>增长|增加|提高|提升|上升|下降|降低|减少|回落)了?\s*)"),
        # "同比增加" / "比上年的13.9亿元增长" / "增幅为" right before a growth rate
        growth_prefix=re.compile(r"(?:(?:19|20)\d{2}\s*年度?\s*)?"   # "2022年较上年增长4.7%"
                                 r"(?:(?:" + m["change_base"] + r")度?(?:的\s*[\d.,]+\s*[万亿]?元)?)?\s*"
                                 r"(?P<verb>增长|增加|提高|上升|下降|减少|降低)了?(?:幅度)?(?:为|达)?\s*|增幅(?:为|达)?\s*"),
        plan_period=re.compile("(" + "|".join(re.escape(k) for k in periods) + r")[”\"’]?"
                               r"(?:期间|时期|末|内|期末|规划|计划|发展规划)"),
        plan_periods={k: tuple(v) for k, v in periods.items()},
        measures_head=re.compile(h["measures"]), problems_head=re.compile(h["problems"]),
        gap_max=int(g["max_chars"]), breakers=re.compile(g["breakers"]),
        coordinated=re.compile(g["coordinated"]), distributive=re.compile(g["distributive"]),
        tight=re.compile(g["tight"]), labelled_next=re.compile(g["labelled_next"]),
        lost_decimal=float(g.get("lost_decimal", 1)),
        unstaged=re.compile(data["unstaged"]) if data.get("unstaged") else None,
    )


def canonical_names() -> list[str]:
    return [i.name for i in _vocab().indicators]


def indicator_vocabulary() -> dict:
    """The raw YAML (read-only), for other modules (e.g. checks use `standard`)."""
    return load_yaml("indicators")


# --------------------------------------------------------------------------------------------
# document context: boundaries, quantities, zones
# --------------------------------------------------------------------------------------------

_PAREN_OPEN = "（("
_PAREN_CLOSE = "）)"
_YEAR_RX = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_HEAD_NUM = re.compile(
    r"[ \t\u3000]*(?:(?P<l1>[一二三四五六七八九十]{1,3}\s*[、．.])|(?P<l2>[（(]\s*[一二三四五六七八九十]{1,3}\s*[）)])"
    r"|(?P<l3>\d{1,2}\s*[．.、](?!\d))|(?P<l4>[（(]\s*\d{1,2}\s*[）)])|(?P<l0>第[一二三四五六七八九十]+部分))")


class _Doc:
    def __init__(self, text: str, work_year: int | None, sections: list[dict] | None):
        self.text = text
        self.work_year = work_year
        self.v = _vocab()
        self.quants = find_quantities(text, all_kinds=True)
        self.qstarts = [q["start"] for q in self.quants]
        self.sent_ends, self.clause_ends, self.chain_ends, self.para_ends = _boundaries(text)
        self.zones = self._measure_zones(sections)
        self.zone_starts = [z[0] for z in self.zones]
        self._plan_para_cache: dict = {}

    # -- spans ---------------------------------------------------------------------------------
    @staticmethod
    def _span(ends, i, n, cap):
        # Capped at `cap` characters each side of i: a run without punctuation (a 50 MB line)
        # must not make every figure rescan it (quadratic time, issue 14).
        k = bisect_left(ends, i)
        start = ends[k - 1] + 1 if k > 0 else 0
        end = ends[k] if k < len(ends) else n
        return max(start, i - cap), min(end, i + cap)

    def sentence(self, i):
        return self._span(self.sent_ends, i, len(self.text), _MAX_SENTENCE)

    def clause(self, i):
        return self._span(self.clause_ends, i, len(self.text), _MAX_SENTENCE)

    def chain(self, i):
        return self._span(self.chain_ends, i, len(self.text), _MAX_SENTENCE)

    def paragraph(self, i):
        return self._span(self.para_ends, i, len(self.text), _MAX_PARAGRAPH)

    def prev_clause_start(self, i, n_back=1):
        """Start of the clause n_back clauses before the one holding i (bounded by the sentence)."""
        s0, _ = self.sentence(i)
        s0 = max(s0, i - _WINDOW)
        k = bisect_left(self.clause_ends, i)
        k2 = max(0, k - n_back)
        start = self.clause_ends[k2 - 1] + 1 if k2 > 0 else 0
        return max(start, s0)

    def quantities_from(self, i):
        return bisect_left(self.qstarts, i)

    # -- zones ---------------------------------------------------------------------------------
    def _measure_zones(self, sections):
        v = self.v
        heads = []
        if sections:
            for s in sections:
                roles = set(s.get("roles") or [])
                lvl = s.get("level") or 1
                heads.append((s["start"], lvl, "measures" in roles, "problems" in roles, s.get("section_end")))
        else:
            pos = 0
            for line in self.text.split("\n"):
                stripped = line.strip()
                if stripped:
                    m = _HEAD_NUM.match(line)
                    head = None
                    lvl = 1
                    if m:
                        lvl = {"l0": 1, "l1": 1, "l2": 2, "l3": 3, "l4": 4}[m.lastgroup]
                        rest = line[m.end():]
                        head = re.split(r"[。；;！!？?]", rest, maxsplit=1)[0]
                        if len(head) > 40:
                            head = None
                    elif (len(stripped) <= 20 and not re.search(r"[。，,；;：:]", stripped)
                          and (v.measures_head.search(stripped) or v.problems_head.search(stripped))):
                        head = stripped  # an unnumbered heading such as "下一步工作打算"
                    if head is not None:
                        heads.append((pos + len(line) - len(line.lstrip()), lvl,
                                      bool(v.measures_head.search(head)), bool(v.problems_head.search(head)), None))
                pos += len(line) + 1
        zones = []
        for k, (start, lvl, meas, prob, send) in enumerate(heads):
            if not meas or prob:
                continue
            end = send
            if end is None:
                end = len(self.text)
                for start2, lvl2, *_ in heads[k + 1:]:
                    if lvl2 <= lvl:
                        end = start2
                        break
            zones.append((start, end))
        zones.sort()
        return zones

    def in_measures(self, i) -> bool:
        k = bisect_right(self.zone_starts, i) - 1
        while k >= 0:
            s, e = self.zones[k]
            if s <= i < e:
                return True
            k -= 1
        return False

    # -- plan periods --------------------------------------------------------------------------
    def _future_year(self, y: int) -> bool:
        return self.work_year is None or y > self.work_year

    def _plan_in(self, s: str) -> bool:
        """Does `s` name a future plan period (十四五期间, 到2025年, 2021年—2023年)?"""
        v = self.v
        for m in v.plan_period.finditer(s):
            a, b = v.plan_periods[m.group(1)]
            if self.work_year is None:
                if a >= 2021:
                    return True
            elif b > self.work_year:
                return True
        for m in _TO_YEAR.finditer(s):
            if self._future_year(int(m.group(1))):
                return True
        return False

    def plan_paragraph_before(self, i) -> bool:
        """An earlier sentence of the paragraph announced a future plan period."""
        p0, _ = self.paragraph(i)
        s0, _ = self.sentence(i)
        p0 = max(p0, s0 - 4 * _WINDOW)
        if s0 <= p0:
            return False
        key = (p0, s0)
        if key not in self._plan_para_cache:
            para = _mask_titles(self.text[p0:s0])
            self._plan_para_cache[key] = bool(_NEXT_STEP_PARA.match(para)) or self._plan_in(para)
        return self._plan_para_cache[key]

    # -- kinds ---------------------------------------------------------------------------------
    def context_kind(self, pos: int) -> str:
        """'target' or 'actual' for a figure starting at pos, from the words before it."""
        v = self.v
        t = self.text
        s0, _ = self.sentence(pos)
        s0 = max(s0, pos - _WINDOW)
        window = _mask_titles(t[s0:pos])
        last_target = -1
        for m in finder_for(v.target_strong)(window):
            last_target = max(last_target, m.start())
        weak_from = self.prev_clause_start(pos, 1) - s0
        for m in v.target_weak.finditer(window, max(0, weak_from)):
            if v.purpose.match(window, max(0, m.start() - 2)) or v.purpose.match(window, max(0, m.start() - 1)):
                continue
            last_target = max(last_target, m.start())
        last_past = -1
        for m in finder_for(v.past)(window):
            last_past = max(last_past, m.start())
        # years: a future period or "到2025年" is a plan; a year not after the work year is a fact
        for m in finder_for(_YEAR_RX)(window):
            y = int(m.group(1))
            after = window[m.end():m.end() + 4]
            before = window[max(0, m.start() - 2):m.start()]
            rng = _YEAR_RANGE_ON.match(window, m.end())
            if rng:
                y2 = int(rng.group(1))
                if self._future_year(y) and self._future_year(y2):
                    last_target = max(last_target, m.start())
                elif self.work_year is not None and y2 <= self.work_year:
                    last_past = max(last_past, m.start())
                continue
            if before.endswith("到") or _BY_YEAR_END.match(after):
                if self._future_year(y):
                    last_target = max(last_target, m.start())
                continue
            # a past year heading its clause ("2021年，全县…", "截至2021年底") states a fact; a year
            # cited inside a clause ("对照2021年反馈意见") does not
            lead = window[:m.start()]
            cstart = max(lead.rfind(c) for c in "，,；;：:。\n") + 1
            if (self.work_year is not None and y <= self.work_year
                    and _YEAR_LEAD.fullmatch(lead, cstart)):
                last_past = max(last_past, m.start())
        if self._plan_in(window):
            pm = max((m.start() for m in v.plan_period.finditer(window)), default=-1)
            last_target = max(last_target, pm)
        default_target = self.in_measures(pos) or self.plan_paragraph_before(pos)
        if default_target:
            return "actual" if last_past > last_target else "target"
        return "target" if last_target > last_past else "actual"


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------

_TITLE = re.compile(r"《[^《》\n]{0,80}》")
# a paragraph that opens with "下一步" / "今后" speaks of plans throughout
_NEXT_STEP_PARA = re.compile(r"\s*(?:[（(]?[一二三四五六七八九十\d]{1,3}[、.．）)]\s*)?(?:下一步|下步|下阶段|今后|未来[一二三四五两几\d]*年)")


def _mask_titles(s: str) -> str:
    """Blank out document titles (《…提升计划（2024—2026年）》 is a name, not a plan)."""
    return _TITLE.sub(lambda m: " " * len(m.group(0)), s) if "《" in s else s


_PARENS = re.compile(r"[（(][^（()）]{0,40}[）)]")
# compiled once: these run for every figure
_TO_YEAR = re.compile(r"到\s*((?:19|20)\d{2})\s*年")
_YEAR_RANGE_ON = re.compile(r"\s*年?\s*(?:[-－—–~～至到]+)\s*((?:19|20)\d{2})")
_BY_YEAR_END = re.compile(r"\s*年?(?:底|末)?(?:前|之前|以前)")
_YEAR_LEAD = re.compile(r"\s*(?:截至|截止|至|到|在|于)?\s*")
_SPACE_RUN = re.compile(r"\s+")


def _strip_parens(s: str) -> str:
    return _PARENS.sub("", s)


def _clause_limit(t: str, i: int, span: int = 60) -> int:
    """End of the clause starting at i, ignoring punctuation inside parentheses."""
    depth = 0
    n = min(len(t), i + span)
    for j in range(i, n):
        c = t[j]
        if c in _PAREN_OPEN:
            depth += 1
        elif c in _PAREN_CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and c in _CLAUSE_END:
            if c in "：:" and j == i:
                continue
            return j
    return n


def _unit_ok(ind: _Indicator, q: dict) -> bool:
    u = q.get("unit") or ""
    if u in ind.units:
        return True
    return False


def _value_ok(ind: _Indicator, q: dict) -> bool:
    v = q.get("value")
    return v is None or ind.lo <= v <= ind.hi


def _scope_words(doc: _Doc, a: int, b: int):
    """Scope words in text[a:b] as (start, end, canonical or None)."""
    out = []
    for m in finder_for(doc.v.scope_rx)(doc.text, a, b):
        out.append((m.start(), m.end(), doc.v.scope_map[m.group(0)]))
    return out


def _nearest_scope(doc: _Doc, ind: _Indicator, a: int, b: int, name_span=None):
    """The scope word nearest before b in text[a:b] allowed for `ind` (None when a blocker is nearer;
    a stage inside the name that the indicator cannot take, as 义务教育 in 义务教育巩固率, blocks too)."""
    words = _scope_words(doc, a, b)
    for s, e, sc in reversed(words):
        if sc is None:
            return None, None
        if name_span and name_span[0] <= s < name_span[1] and sc not in ind.scopes:
            return None, None
        if sc in ind.scopes:
            return sc, s
    return None, None


def _context_scope(doc: _Doc, ind: _Indicator, a: int, b: int) -> str | None:
    """The one scope the scope words of text[a:b] agree on ("义务教育学校课后服务全覆盖，…"), or None
    when they name none, several (小学生、初中生), a scope `ind` cannot take, or a blocker (中小学)."""
    found = set()
    words = _scope_words(doc, a, b)
    for _, _, sc in words:
        if sc is None:
            return None
        found.add(sc)
    if len(found) == 1 and doc.v.unstaged is not None:
        # "新建学校5所、幼儿园3所": schools of no named stage besides the one stage
        ends = {e for _, e, _ in words}
        for m in doc.v.unstaged.finditer(doc.text, a, b):
            if m.start() not in ends and not any(s < m.end() and m.start() < e for s, e, _ in words):
                return None
    if len(found) == 1:
        sc = next(iter(found))
        return sc if sc in ind.scopes else None
    return None


def _named_year(doc: _Doc, a: int, b: int) -> int | None:
    """The year a figure is about: the one year named in text[a:b] ("2020年，全区…"), else the
    work year; None when several years are named or none is known."""
    ys = {q["years"][0] for q in doc.quants[doc.quantities_from(a):doc.quantities_from(b)]
          if q["kind"] == "year" and q.get("years") and len(q["years"]) == 1
          and doc.text[max(0, q["start"] - 1):q["start"]] not in ("比", "较")}
    if len(ys) == 1:
        return next(iter(ys))
    if ys:
        return None
    return doc.work_year


def _same_unit(a: dict, b: dict) -> bool:
    ua, ub = a.get("unit") or "", b.get("unit") or ""
    return ua == ub or (is_money(ua) and is_money(ub))


def _base_figure(doc: _Doc, ind: _Indicator, q: dict, kind: str, year_from: int):
    """"…支出14.36亿元，…，比上年的14.67亿元下降2.1%": the base year's level of the same indicator,
    as (figure, year of q, base year); None when there is none or the years are unknown."""
    t = doc.text
    k = _skip_parenthetical(doc, q["end"], doc.quantities_from(q["end"]))
    _, c_end = doc.chain(q["start"])
    while k < len(doc.quants) and doc.quants[k]["kind"] in ("year", "date"):
        k += 1  # the year of "比2019年的"
    if k >= len(doc.quants):
        return None
    nq = doc.quants[k]
    if nq["start"] >= c_end or nq["start"] - q["end"] > 80 or not _is_figure(ind, nq) or not _same_unit(q, nq):
        return None
    if "生均" in t[q["end"]:nq["start"]]:
        return None
    m = doc.v.year_base.search(t, max(q["end"], nq["start"] - 16), nq["start"])
    if not m:
        return None
    year = _named_year(doc, year_from, q["start"])
    base = int(m.group("year")) if m.group("year") else (year - 1 if year is not None else None)
    if year is None or base is None or base == year:
        return None
    return _fig(ind.name, str(base), nq, kind, m.start(), doc), year, base


def _enumeration(doc: _Doc, ind: _Indicator, a: int, b: int, n: int):
    """Nearest enumeration of n scopes ("X、Y、Z", "2017-2019年") in text[a:b]; list of scopes."""
    t = doc.text
    groups = []
    words = [w for w in _scope_words(doc, a, b) if w[2] is not None]
    cur = []
    for w in words:
        if cur and re.fullmatch(r"\s*(?:[、和及与/]|以及)\s*", t[cur[-1][1]:w[0]]):
            cur.append(w)
        else:
            if cur:
                groups.append(cur)
            cur = [w]
    if cur:
        groups.append(cur)
    cands = []
    for g in groups:
        if len(g) == n:
            cands.append((g[-1][1], [w[2] for w in g]))
    # years: 2017-2019年, or 2017年、2018年、2019年
    yq = [q for q in doc.quants[doc.quantities_from(a):doc.quantities_from(b)] if q["kind"] == "year"]
    for q in yq:
        if len(q.get("years") or []) == n and n > 1:
            cands.append((q["end"], [str(y) for y in q["years"]]))
    run = []
    for q in yq:
        if run and re.fullmatch(r"\s*[、和及与]\s*", t[run[-1]["end"]:q["start"]]) and len(q.get("years") or []) == 1:
            run.append(q)
        else:
            if len(run) == n and n > 1:
                cands.append((run[-1]["end"], [str(r["years"][0]) for r in run]))
            run = [q] if len(q.get("years") or []) == 1 else []
    if len(run) == n and n > 1:
        cands.append((run[-1]["end"], [str(r["years"][0]) for r in run]))
    if not cands:
        return None
    cands.sort(key=lambda c: c[0])
    return cands[-1][1]


# --------------------------------------------------------------------------------------------
# alias hits
# --------------------------------------------------------------------------------------------

@dataclass
class _Hit:
    ind: _Indicator
    start: int
    end: int
    num_start: int | None = None
    needs_scope: bool = False


def _overlaps_not(ind: _Indicator, t: str, s: int, e: int) -> bool:
    """Does a non-alias of `ind` overlap text[s:e]?"""
    if ind.nots is None:
        return False
    for nm in ind.nots.finditer(t, max(0, s - 12), min(len(t), e + 12)):
        if nm.start() < e and nm.end() > s:
            return True
    return False


@lru_cache(maxsize=1)
def _anchor_automaton():
    """One automaton of every alias's anchor literal: a single pass over a report finds them
    all, instead of a str.find loop per alias."""
    import ahocorasick
    ac = ahocorasick.Automaton()
    for ind in _vocab().indicators:
        for al in ind.aliases:
            if al.scan.anchor is not None:
                lit = al.scan.anchor[0]
                ac.add_word(lit, lit)
    ac.make_automaton()
    return ac


def _anchor_offsets(text: str) -> dict[str, list[int]]:
    """Literal -> its offsets in `text` (overlapping ones too, in order, as str.find finds them)."""
    found: dict[str, list[int]] = {}
    for end, lit in _anchor_automaton().iter(text):
        found.setdefault(lit, []).append(end - len(lit) + 1)
    return found


def _alias_hits(doc: _Doc) -> list[_Hit]:
    t = doc.text
    hits = []
    offsets = _anchor_offsets(t)
    for ind in doc.v.indicators:
        for al in ind.aliases:
            anchor = al.scan.anchor
            if anchor is not None and anchor[0] not in offsets:
                continue   # its literal is not in the text: no match
            for m in al.scan.finditer(t, offsets[anchor[0]] if anchor else None):
                s, e = m.start(), m.end()
                if _overlaps_not(ind, t, s, e):
                    continue
                if al.context is not None:
                    # the context must not itself be a non-alias ("家长满意度调查中，我区得分…")
                    s0, _ = doc.sentence(s)
                    s0 = max(s0, s - _WINDOW)
                    if not any(not _overlaps_not(ind, t, cm.start(), cm.end())
                               for cm in al.context.finditer(t, s0, s)):
                        continue
                num_start = m.start("num") if al.inner else None
                hits.append(_Hit(ind, s, e, num_start, al.needs_scope))
    # overlapping hits: keep the longest (then the earliest listed)
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[_Hit] = []
    for h in hits:
        if kept and h.start < kept[-1].end:
            if (h.end - h.start) > (kept[-1].end - kept[-1].start):
                kept[-1] = h
            continue
        kept.append(h)
    return kept


# --------------------------------------------------------------------------------------------
# figures of one hit
# --------------------------------------------------------------------------------------------

def _fig(name, scope, q, kind, quote_start, doc: _Doc, quote_end=None):
    end = quote_end if quote_end is not None else q["end"]
    f = {"name": name, "scope": scope, "value": q.get("value"), "unit": q.get("unit") or "",
         "kind": kind, "quote": doc.text[quote_start:end], "start": quote_start, "end": end}
    if q.get("qualifier"):
        f["qualifier"] = q["qualifier"]
    if q.get("high") is not None:
        f["high"] = q["high"]
    f["_q"] = q["start"]
    return f


# "…合格率逐年提高，2021年达到94.3%": a trend clause, then the level in the next clause
_TREND = re.compile(r"[^，,。；;\d]{0,6}?(?:提高|提升|上升|增长|增加|下降|降低|改善|向好|只增不减)"
                    r"(?=[，,]\s*(?:(?:19|20)\d{2}\s*(?:学年|年度|年)(?:底|末)?)?\s*(?:已经?|已)?"
                    r"(?:达到了?|达|为|提高到|提高至|提升到|提升至|增至|降至|下降到|下降至))[，,]")


def _is_figure(ind: _Indicator, q: dict) -> bool:
    """A measurement, a placeholder, or (for unit-less indicators such as 差异系数) a bare number."""
    return q["kind"] in _MEASURE_KINDS or (q["kind"] == "number" and "" in ind.units)


def _first_quantity(doc: _Doc, hit: _Hit):
    """The figure a name points at: (quantity, gap text) or (None, None)."""
    t = doc.text
    if hit.num_start is not None:
        k = doc.quantities_from(hit.num_start)
        if k < len(doc.quants) and doc.quants[k]["start"] == hit.num_start:
            return doc.quants[k], ""
        return None, None
    limit = _clause_limit(t, hit.end)
    trend = _TREND.match(t, hit.end)
    if trend and trend.end() <= limit + 1:
        limit = _clause_limit(t, trend.end())
    k = doc.quantities_from(hit.end)
    while k < len(doc.quants):
        q = doc.quants[k]
        if q["start"] >= limit:
            return _labelled_next(doc, hit, limit)
        if _is_figure(hit.ind, q):
            wp = _open_weight_paren(doc, hit.end, q["start"])
            if wp is None:
                return q, t[hit.end:q["start"]]
            # "满意度（满分100分）为91.6分": the scheme's points stated in passing
            k = doc.quantities_from(wp)
            continue
        if q["kind"] not in ("year", "date", "ordinal"):
            return None, None
        k += 1
    return _labelled_next(doc, hit, limit)


def _open_weight_paren(doc: _Doc, a: int, b: int) -> int | None:
    """End of a parenthesis opened in text[a:b] by the scheme's points ("（满分100分）") and not
    closed before b; None when there is none."""
    t = doc.text
    for m in doc.v.weight_paren.finditer(t, a, b):
        if re.search(r"[）)]", t[m.end():b]):
            continue
        for c in range(b, min(len(t), b + 40)):
            if t[c] in _PAREN_CLOSE:
                return c + 1
    return None


def _labelled_next(doc: _Doc, hit: _Hit, limit: int):
    """"生均公用经费基准定额，小学每生每年650元、初中…": a name that closes its clause takes the
    figure of the next clause when that clause opens with one of the indicator's scopes (and only
    per-unit or linking words before the figure).  Returns (quantity, "") or (None, None)."""
    t = doc.text
    ind = hit.ind
    if not ind.scopes or limit >= len(t) or t[limit] not in "，,":
        return None, None
    if t[hit.end:limit].strip():
        return None, None  # words after the name: the name is not what the clause states
    j = limit + 1
    while j < len(t) and t[j] in " \u3000":
        j += 1
    m = doc.v.scope_rx.match(t, j)
    if not m or doc.v.scope_map[m.group(0)] not in ind.scopes:
        return None, None
    lm = doc.v.labelled_next.match(t, m.end())
    k = doc.quantities_from(lm.end())
    if k >= len(doc.quants) or doc.quants[k]["start"] != lm.end() or not _is_figure(ind, doc.quants[k]):
        return None, None
    return doc.quants[k], ""


def _gap_ok(doc: _Doc, gap: str) -> bool:
    v = doc.v
    tm = _TREND.match(gap)
    if tm:
        gap = gap[tm.end():]
    g = _strip_parens(gap)
    g = v.coordinated.sub("", g)
    g = _YEAR_RX.sub("", g)
    g = _SPACE_RUN.sub("", g)
    if len(g) > v.gap_max:
        return False
    if v.breakers.search(g):
        return False
    return True


_YEAR_OF = r"(?:(?:19|20)\d{2}\s*(?:学年|年度|年)(?:底|末)?的?)?"
_FROM = re.compile(r"[由从]\s*" + _YEAR_OF + r"\s*$")
_FROM_TO = re.compile(r"\s*(?:提高|提升|增加|增长|上升|下降|降低|减少|降|增)(?:到|至)\s*" + _YEAR_OF + r"\s*")
_SUBJECT_LABEL = re.compile(r"(?:[我全本该][市县区州省旗]|目前|现在|实际)+(?:已经?|已|则|实际)?(?:达到了?|达|为|是)?")
_PURE_SEP = re.compile(r"\s*(?:[、,，]|和|及|与|以及)\s*")
_LABEL_SEP = re.compile(r"\s*[，,、]\s*([^，,。；;！？!?\n\d]{1,12}?)\s*(?:分别)?(?:为|达到|达|是|：|:)?\s*")


# "…，增长了8.8个百分点": with points the base may go unsaid
_TRAIL_POINTS = re.compile(r"\s*[，,]\s*(?P<pre>(?P<verb>增长|增加|提高|提升|上升|下降|降低|减少|回落)了?\s*)$")


def _skip_parenthetical(doc: _Doc, end: int, k: int) -> int:
    """Index of the first quantity after a parenthesis that opens right at `end` ("8.64分（满分10分）")."""
    t = doc.text
    j = end
    while j < len(t) and t[j] in " \u3000":
        j += 1
    if j >= len(t) or t[j] not in _PAREN_OPEN:
        return k
    close = -1
    for c in range(j + 1, min(len(t), j + 60)):
        if t[c] in _PAREN_CLOSE:
            close = c
            break
    if close < 0:
        return k
    while k < len(doc.quants) and doc.quants[k]["start"] < close:
        k += 1
    return k


def _sep_after(doc: _Doc, end: int, nq: dict) -> str:
    """Text between a figure and the next one, without a parenthesis right after the figure."""
    sep = doc.text[end:nq["start"]]
    return _strip_parens(sep) if sep.lstrip()[:1] in _PAREN_OPEN else sep


def _to_level(doc: _Doc, q: dict, k: int) -> int | None:
    """The index of the new level after the figure `q` a change starts from ("由45%提高到52%", "由2011年的
    62.3%提高到2021年的88.1%"): the next quantity past years and dates, of q's unit, joined to it by a
    verb of change; `k`: the index of the quantity after q."""
    while k < len(doc.quants) and doc.quants[k]["kind"] in ("year", "date"):
        k += 1
    if k < len(doc.quants) and _FROM_TO.fullmatch(doc.text[q["end"]:doc.quants[k]["start"]]) \
            and (doc.quants[k].get("unit") or "") == (q.get("unit") or ""):
        return k
    return None


def _continuation(doc: _Doc, ind: _Indicator, q: dict, distributive: bool):
    """List items after the first figure: [(quantity, label scope | None | '__comparison__', label start)]."""
    v = doc.v
    t = doc.text
    items = [(q, None, None)]
    cur = q
    k = _skip_parenthetical(doc, q["end"], doc.quantities_from(q["end"]))
    while k < len(doc.quants):
        nq = doc.quants[k]
        if not _is_figure(ind, nq):
            break
        if (nq.get("unit") or "") != (q.get("unit") or "") and not (
                is_money(nq.get("unit")) and is_money(q.get("unit"))):
            break
        sep = _sep_after(doc, cur["end"], nq)
        sep_start = nq["start"] - len(sep)
        if distributive and _PURE_SEP.fullmatch(sep):
            items.append((nq, None, None))
        else:
            lm = _LABEL_SEP.fullmatch(sep)
            if not lm:
                break
            label = lm.group(1)
            lstart = sep_start + lm.start(1)
            if _SUBJECT_LABEL.fullmatch(label):
                items.append((nq, "__same__", lstart))
                cur = nq
                k = _skip_parenthetical(doc, nq["end"], k + 1)
                continue
            if v.comparison.search(label):
                if re.search(r"低于|高于|超出|超过|差", label):
                    break
                items.append((nq, "__comparison__", lstart))
            else:
                words = [w for w in _scope_words(doc, lstart, lstart + len(label)) if w[2] is not None]
                rest = label
                for w in reversed(words):
                    rest = rest[:w[0] - lstart] + rest[w[1] - lstart:]
                if not words or words[-1][2] not in ind.scopes or v.breakers.search(rest) or v.change.search(rest):
                    break
                if re.search(r"[由从]\s*$", rest) and (to := _to_level(doc, nq, k + 1)) is not None:
                    k, nq = to, doc.quants[to]   # "…由0.56降至0.43，初中由0.49降至0.38": the new level
                items.append((nq, words[-1][2], lstart))
        cur = nq
        k = _skip_parenthetical(doc, nq["end"], k + 1)
    return items


# What may stand between an amount and its growth clause: nothing, or the rest of a list of amounts
# ("分别为15.02亿元、16.07亿元、16.83亿元，2022年较上年增长4.7%").
_AFTER_AMOUNTS = re.compile(r"(?:\s*[、，,]\s*[\d.,]+\s*[万亿]?元)*\s*[，,]")


def _trailing_change(doc: _Doc, ind: _Indicator, q: dict, kind: str, scope, floor: int | None = None):
    """"…率为51.2%，比2020年降低1.1个百分点" / "…支出12.67亿元，同比增加11.14%": the change after a level.
    `floor`: the quote starts no earlier (the end of a base figure "比上年的14.67亿元" quoted apart)."""
    v = doc.v
    t = doc.text
    k = _skip_parenthetical(doc, q["end"], doc.quantities_from(q["end"]))
    # the change must be the next figure, within the next clause or two
    while k < len(doc.quants) and doc.quants[k]["kind"] in ("year", "date"):
        k += 1
    if k >= len(doc.quants):
        return None
    nq = doc.quants[k]
    growth = ind.change_is_indicator and is_money(q.get("unit"))
    if growth:
        # "，同比增加11.14%" or "，占…的17.8%，较上年增加1.2亿元，增长10.8%": look at the next few figures
        for j in range(k, min(k + 4, len(doc.quants))):
            gq = doc.quants[j]
            between = doc.text[q["end"]:gq["start"]]
            if gq["start"] - q["end"] > 60 or re.search(r"[。；;！？!?\n]", between) or "生均" in between:
                return None
            if gq["kind"] not in _MEASURE_KINDS or gq.get("unit") != "%":
                continue
            last = re.split(r"[，,]", between)[-1]
            gm = v.growth_prefix.fullmatch(last.strip())
            if not gm or not _AFTER_AMOUNTS.match(between):
                continue
            verb = gm.group("verb") or "增长"
            qs = gq["start"] - len(last.lstrip())
            if floor is not None and qs < floor:
                qs = floor
                while qs < gq["start"] and t[qs] in " \u3000":
                    qs += 1
            f = _fig(ind.change_name, scope, gq, kind, qs, doc)
            if f["value"] is not None and v.change_negative.search(verb):
                f["value"] = -f["value"]
            return f
        return None
    if nq["kind"] not in _MEASURE_KINDS or nq["start"] - q["end"] > 40:
        return None
    between = _sep_after(doc, q["end"], nq)
    if re.search(r"[。；;！？!?\n]", between) or v.breakers.search(between) or "生均" in between:
        return None
    m = v.trail_change.fullmatch(between)
    if not m and nq.get("unit") == "个百分点":
        m = _TRAIL_POINTS.fullmatch(between)
    if not m or nq.get("unit") not in ("%", "个百分点") and not _unit_ok(ind, nq):
        return None
    verb = m.group("verb")
    f = _fig(ind.change_name, scope, nq, "change", q["end"] + m.start("pre"), doc)
    if f["value"] is not None and v.change_negative.search(verb):
        f["value"] = -f["value"]
    return f


def _figures_for_hit(doc: _Doc, hit: _Hit) -> list[dict]:
    v = doc.v
    t = doc.text
    ind = hit.ind
    q, gap = _first_quantity(doc, hit)
    if q is None or not _gap_ok(doc, gap):
        return []
    tm = _TREND.match(gap)
    gap_clean = _strip_parens(gap[tm.end():] if tm else gap)
    # "由45%提高到52%", "由2011年的62.3%提高到2021年的88.1%": the level is the second figure
    if _FROM.search(gap_clean):
        k = _to_level(doc, q, doc.quantities_from(q["end"]))
        if k is not None:
            q = doc.quants[k]
            gap_clean = "达"
    s_clause, _ = doc.clause(hit.start)
    chain_from = max(doc.chain(hit.start)[0], hit.start - _WINDOW)
    prefix_from = s_clause
    if ind.scope_search == "chain":
        prefix_from = chain_from
    elif ind.scope_search == "alias":
        prefix_from = hit.start
    is_change = bool(v.change.search(gap_clean)) or q.get("unit") == "个百分点"
    if is_change:
        if ind.change_is_indicator and q.get("unit") == "%":
            # a growth rate; per stage ("幼儿园增长5%") it is not the region's total
            staged = [w for w in _scope_words(doc, hit.end, q["start"]) if w[2] is not None]
            kind = "change" if staged else _kind_at(doc, hit.start, q, t[s_clause:q["start"]])
            f = _fig(ind.change_name, None, q, kind, hit.start, doc)
            if f["value"] is not None and v.change_negative.search(gap_clean):
                f["value"] = -f["value"]
            return [f]
        if q.get("unit") not in ("%", "个百分点") and not _unit_ok(ind, q):
            return []
        f = _fig(ind.change_name, None, q, "change", hit.start, doc)
        if f["value"] is not None and v.change_negative.search(gap_clean):
            f["value"] = -f["value"]
        return [f]
    if not _unit_ok(ind, q):
        return []
    lost_decimal = False
    if not _value_ok(ind, q):
        # "参与率达986%": a rate right after its name, out of range by a lost decimal point, is this
        # indicator mistyped (the checks flag it), not some other figure
        lost_decimal = (q.get("unit") == "%" and q.get("value") is not None and bool(v.tight.fullmatch(gap_clean))
                        and ind.lo <= q["value"] <= ind.hi * v.lost_decimal)
        if not lost_decimal:
            return []

    distributive = bool(v.distributive.search(gap_clean))
    items = _continuation(doc, ind, q, distributive)

    figs = []
    pure = [it for it in items if it[1] is None]
    scopes_for_pure = None
    if len(pure) > 1:
        s0, _ = doc.sentence(hit.start)
        s0 = max(s0, hit.start - _WINDOW)
        scopes_for_pure = _enumeration(doc, ind, s0, q["start"], len(pure))
        if scopes_for_pure is not None:
            scopes_for_pure = [sc if (sc in ind.scopes or is_year_scope(sc)) else None for sc in scopes_for_pure]
    pure_i = 0
    for idx, (iq, lscope, lstart) in enumerate(items):
        if idx == 0:
            qs = hit.start
            qe = max(iq["end"], hit.end) if hit.num_start is not None else None
            if scopes_for_pure is not None:
                scope = scopes_for_pure[0]
            else:
                scope, sstart = _nearest_scope(doc, ind, prefix_from, iq["start"], (hit.start, hit.end))
                if scope is None and hit.needs_scope:
                    return []  # "，其中公办学位2000个": a share of no stage is none of the indicator's
                if scope is None and ind.scope_search == "alias":
                    # the clause before the name may still hold the scope ("义务教育阶段…入学率")
                    scope, sstart = _nearest_scope(doc, ind, s_clause, iq["start"])
                if scope is None and ind.scope_context == "chain":
                    # "义务教育学校课后服务全覆盖，学生参与率达95%": the earlier clauses name one scope
                    scope = _context_scope(doc, ind, chain_from, iq["start"])
                    sstart = None
                if scope is None and ind.default_scope is not None and ind.default_scope[0].search(t, s_clause, hit.end):
                    scope = ind.default_scope[1]  # "交流轮岗教师…占…的": teachers as a whole
                    sstart = None
                if sstart is not None and s_clause <= sstart < hit.start and hit.start - sstart <= 12:
                    qs = sstart
            kind = _kind_at(doc, hit.start, iq, t[s_clause:iq["start"]])
            figs.append(_fig(ind.name, scope, iq, kind, qs, doc, qe))
            pure_i = 1
            continue
        if lscope is None:
            scope = scopes_for_pure[pure_i] if scopes_for_pure is not None and pure_i < len(scopes_for_pure) else None
            pure_i += 1
            kind = figs[0]["kind"]
            figs.append(_fig(ind.name, scope, iq, kind, iq["start"], doc))
        elif lscope == "__comparison__":
            figs.append(_fig(ind.name, None, iq, "comparison", lstart, doc))
        elif lscope == "__same__":
            kind = _kind_at(doc, lstart, iq, t[lstart:iq["start"]])
            figs.append(_fig(ind.name, figs[0]["scope"], iq, kind, lstart, doc))
        else:
            kind = _kind_at(doc, lstart, iq, t[lstart:iq["start"]])
            if figs[0]["kind"] == "target" and kind == "actual" and not v.past.search(t[lstart:iq["start"]]):
                kind = "target"
            figs.append(_fig(ind.name, lscope, iq, kind, lstart, doc))
    last = items[-1][0]["end"]
    if len(items) > 1 and v.after_figure.match(t, last, min(len(t), last + 20)):
        # "高于小学0.50、初中0.45的评估要求": the words closing a list tell what each of its figures is,
        # from its first bound on ("为0.56、0.49，分别高于…": the figures before it are the county's)
        first = next((i for i, f in enumerate(figs) if f["kind"] == "target"), 0)
        for f in figs[first:]:
            if f["kind"] == "actual":
                f["kind"] = "target"
    figs = [f for i, f in enumerate(figs) if (i == 0 and lost_decimal) or _value_ok(ind, f)]
    if figs and len(items) == 1:
        scope = figs[0]["scope"]
        floor = None
        if scope is None and figs[0]["kind"] != "change" and figs[0]["value"] is not None:
            # "2020年…支出14.36亿元，比上年的14.67亿元下降2.1%": two years of one indicator, each
            # figure scoped by its year (a single figure keeps scope None)
            base = _base_figure(doc, ind, items[0][0], figs[0]["kind"], chain_from)
            if base is not None and _value_ok(ind, base[0]):
                figs[0]["scope"] = str(base[1])
                figs.append(base[0])
                floor = base[0]["end"]
        tc = _trailing_change(doc, ind, items[0][0], figs[0]["kind"], scope, floor)
        if tc is not None:
            figs.append(tc)
    elif figs and ind.change_is_indicator and all(is_year_scope(f.get("scope")) for f in figs):
        # a year series "分别为A、B、C，2022年较上年增长4.7%": the growth of its last year
        tc = _trailing_change(doc, ind, items[-1][0], figs[-1]["kind"], None)
        if tc is not None:
            figs.append(tc)
    return figs


def _kind_at(doc: _Doc, name_start: int, q: dict, clause_prefix: str) -> str:
    v = doc.v
    t = doc.text
    # a standard quoted after a colon or in parentheses: "（国家标准：…覆盖率达到80%）"
    cs = q["start"] - len(clause_prefix)
    if cs > 0 and t[cs - 1] in "：:":
        ps, _ = doc.clause(cs - 1)
        clause_prefix = t[ps:q["start"]]
        cs = ps
    open_at = max(t.rfind("（", max(0, cs - 40), cs), t.rfind("(", max(0, cs - 40), cs))
    if open_at >= 0 and not re.search(r"[）)]", t[open_at:q["start"]]):
        clause_prefix = t[open_at:q["start"]]
        if v.weight_paren.match(t, open_at):
            return "target"  # "（满分90分，社会满意度10分…）": the scheme's points
    clause_prefix = _mask_titles(clause_prefix)
    # "差异系数均控制在0.65和0.55以内": a ceiling kept, not a measurement
    if v.cap_before.search(clause_prefix) and (v.cap_after.match(t, q["end"], min(len(t), q["end"] + 40))
                                               or v.cap_after.fullmatch(q.get("qualifier") or "")):
        return "target"
    am = v.after_figure.match(t, q["end"], min(len(t), q["end"] + 20))
    if am and not (am.group(0).endswith("标准") and v.applied_standard.search(clause_prefix)):
        return "target"
    if q.get("qualifier") and v.threshold.search(q["qualifier"]):  # "不低于650元" read as one quantity
        return "target"
    if v.comparison.search(clause_prefix):
        return "comparison"
    if v.threshold.search(clause_prefix):
        return "target"
    return doc.context_kind(q["start"])


# --------------------------------------------------------------------------------------------
# restatements
# --------------------------------------------------------------------------------------------

def _fold_restatements(figs: list[dict], doc: _Doc) -> list[dict]:
    out: list[dict] = []
    for f in figs:
        merged = False
        if f["value"] is not None and f["kind"] in ("actual", "comparison", "target"):
            ind = doc.v.by_name.get(f["name"])
            nv = in_base_unit(f["value"], f["unit"])
            for g in out:
                if g["name"] != f["name"] or g["kind"] != f["kind"] or g["value"] is None:
                    continue
                if (g["scope"] or None) != (f["scope"] or None):
                    continue
                gv = in_base_unit(g["value"], g["unit"])
                same = abs(gv - nv) <= 1e-9 * max(1.0, abs(gv))
                scaled = False
                if not same and ind is not None and f["unit"] in ind.restate and g["unit"] in ind.restate and nv and gv:
                    for r in (10.0, 100.0):
                        if abs(gv - nv * r) <= 1e-6 * max(1.0, abs(gv)) or abs(nv - gv * r) <= 1e-6 * max(1.0, abs(nv)):
                            scaled = True
                if same or scaled:
                    g.setdefault("restated", []).append(
                        {"value": f["value"], "unit": f["unit"], "start": f["start"], "end": f["end"]})
                    merged = True
                    break
        if not merged:
            out.append(f)
    return out


# --------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------

_NAME_JOIN = re.compile(r"\s*(?:[、和及与]|以及)\s*")


def _name_groups(doc: _Doc, hits: list[_Hit]) -> list[list[_Hit]]:
    """Names written one after another ("普惠性幼儿园覆盖率和公办园在园幼儿占比分别为…")."""
    groups: list[list[_Hit]] = []
    for h in hits:
        between = doc.text[groups[-1][-1].end:h.start] if groups else ""
        if groups and h.num_start is None and groups[-1][-1].num_start is None and (
                _NAME_JOIN.fullmatch(between)
                or (_NAME_JOIN.match(between) and doc.v.scope_rx.fullmatch(between, _NAME_JOIN.match(between).end()))):
            groups[-1].append(h)
        else:
            groups.append([h])
    return groups


def _group_figures(doc: _Doc, group: list[_Hit]) -> list[tuple[_Hit, dict]]:
    """Figures of coordinated names: one value each in order, or one shared value."""
    last = group[-1]
    figs = [f for f in _figures_for_hit(doc, last) if f["name"] == last.ind.name]
    values = [f for f in figs if f["kind"] != "change"]
    if len(values) == len(group):
        pairs = list(zip(group, values))
    elif len(values) == 1:
        pairs = [(h, dict(values[0])) for h in group]
    else:
        return [(h, f) for h in group for f in _figures_for_hit(doc, h)]
    out = []
    seg_start = doc.clause(group[0].start)[0]
    for i, (h, f) in enumerate(pairs):
        q = {"unit": f["unit"], "value": f["value"]}
        if not _unit_ok(h.ind, q) or not _value_ok(h.ind, q):
            seg_start = h.end
            continue
        f["name"] = h.ind.name
        scope, _ = _nearest_scope(doc, h.ind, seg_start, h.end)
        f["scope"] = scope
        if i == 0:
            f["quote"], f["start"] = doc.text[h.start:f["end"]], h.start
        out.append((h, f))
        seg_start = h.end
    return out


def _indicators(doc: _Doc) -> list[dict]:
    hits = _alias_hits(doc)
    claimed: dict[int, tuple[int, dict]] = {}  # (quantity start, name) -> (distance, figure)
    order: list[dict] = []
    for group in _name_groups(doc, hits):
        if len(group) > 1:
            produced = _group_figures(doc, group)
        else:
            produced = [(group[0], f) for f in _figures_for_hit(doc, group[0])]
        for h, f in produced:
            key = (f["_q"], f["name"]) if len(group) > 1 else (f["_q"], None)
            dist = f["_q"] - h.end
            prev = claimed.get(key) or claimed.get((f["_q"], None))
            if prev is not None:
                if prev[0] <= dist:
                    continue
                order.remove(prev[1])
            claimed[key] = (dist, f)
            order.append(f)
    order.sort(key=lambda f: (f["_q"], f["start"]))
    figs = _fold_restatements(order, doc)
    for f in figs:
        f.pop("_q", None)
    return figs


def extract_indicators(text: str, *, work_year: int | None = None,
                       sections: list[dict] | None = None, include_changes: bool = False) -> list[dict]:
    """Every canonical indicator figure of `text` (see the module docstring).

    The output contract knows the kinds actual/target/comparison only, so changes ("较上年下降0.8个
    百分点", kind "change", name "<indicator>变化") are left out unless `include_changes` is set;
    the budget's growth rate is a canonical indicator and always included."""
    if not text:
        return []
    doc = _Doc(text, work_year, sections)
    figs = _indicators(doc)
    if not include_changes:
        figs = [f for f in figs if f["kind"] != "change"]
    return figs


_LEAD_FILLER = re.compile(
    r"^(?:(?:截至|截止|至|到)?\s*(?:19|20)\d{2}\s*(?:学年|年度|年)?(?:底|末|秋季|春季)?|其中|全年|同时|另外|此外|"
    r"[全我本该](?:市|县|区|省|州|旗|镇|乡)|目前|现有|现|共有|共|累计|并|且|还|已|有|、|\s)+")
_TRAIL_VERB = re.compile(
    r"(?:分别|均|各|共计|合计|总计|累计|共|约|近|超过|达到了|达到|提高到|提高至|提升到|提升至|增加到|增加至|增至|"
    r"降至|下降到|下降至|上升到|上升至|稳定在|保持在|为|达|是|有|：|:|的|\s)+$")


def _phrase_before(doc: _Doc, q: dict, floor: int) -> tuple[str, int]:
    """The phrase a quantity measures: the words before it in its clause (after the previous
    figure and the last "、"), minus leading time/place fillers and trailing verbs."""
    t = doc.text
    s, _ = doc.clause(q["start"])
    s = max(s, floor, q["start"] - 60)
    seg = t[s:q["start"]]
    cut = max(seg.rfind("、"), seg.rfind("）"), seg.rfind(")"))
    if cut >= 0 and seg[cut + 1:].strip():
        s += cut + 1
        seg = seg[cut + 1:]
    lead = _LEAD_FILLER.match(seg)
    if lead:
        s += lead.end()
        seg = seg[lead.end():]
    trail = _TRAIL_VERB.search(seg)
    end = s + (trail.start() if trail else len(seg))
    if end - s > 16:
        s = end - 16
    return t[s:end].strip(" 　“”\"'《》（()、，,"), s


def extract_figures(text: str, *, work_year: int | None = None,
                    sections: list[dict] | None = None) -> list[dict]:
    """Every measured quantity of `text` with the phrase it measures.

    Canonical figures come first-class from `extract_indicators` ("canonical": True); every other
    quantity gets name = the phrase before it in its clause (e.g. "等级幼儿园比例"), the scope and
    kind rules of the canonical ones, and "canonical": False."""
    if not text:
        return []
    doc = _Doc(text, work_year, sections)
    canon = _indicators(doc)
    covered = {}
    for f in canon:
        f["canonical"] = f["name"] in doc.v.by_name
        for r in f.get("restated", []):
            covered[r["start"]] = f
    canon_q = set()
    # find quantity starts of canonical figures: the quantity that ends at the figure's end
    qend = {q["end"]: q for q in doc.quants if q["kind"] in _MEASURE_KINDS}
    for f in canon:
        q = qend.get(f["end"])
        if q is not None:
            canon_q.add(q["start"])
        for r in f.get("restated", []):
            q = qend.get(r["end"])
            if q is not None:
                canon_q.add(q["start"])
    out = list(canon)
    prev = None  # (name, end, kind, scope) of the previous non-canonical figure
    last_end = 0
    for q in doc.quants:
        if q["kind"] not in _MEASURE_KINDS:
            continue
        if q["start"] in canon_q:
            prev, last_end = None, q["end"]
            continue
        sep = text[prev[1]:q["start"]] if prev else ""
        if prev and re.fullmatch(r"\s*[、,，和及与]\s*", sep):
            name, qs, kind, scope = prev[0], q["start"], prev[2], prev[3]
        else:
            name, qs = _phrase_before(doc, q, last_end)
            s, _ = doc.clause(q["start"])
            clause_prefix = text[s:q["start"]]
            if doc.v.change.search(clause_prefix[-8:]) and not re.search(r"[至到]$", clause_prefix.strip()):
                # a change quoted as a standard ("未达到每年下降0.5个百分点以上的目标") is no change
                # that happened
                quoted = (doc.v.threshold.search(_mask_titles(clause_prefix))
                          or doc.v.after_figure.match(text, q["end"], min(len(text), q["end"] + 20)))
                kind = "target" if quoted else "change"
            else:
                kind = _kind_at(doc, q["start"], q, clause_prefix)
            scope = None
            words = _scope_words(doc, max(s, last_end), q["start"])
            if words and words[-1][2] is not None:
                scope = words[-1][2]
        f = {"name": name or None, "scope": scope, "value": q.get("value"), "unit": q.get("unit") or "",
             "kind": kind, "quote": text[qs:q["end"]], "start": qs, "end": q["end"], "canonical": False}
        if q.get("qualifier"):
            f["qualifier"] = q["qualifier"]
        if q.get("high") is not None:
            f["high"] = q["high"]
        out.append(f)
        prev, last_end = (name, q["end"], kind, scope), q["end"]
    out.sort(key=lambda f: f["start"])
    return out
