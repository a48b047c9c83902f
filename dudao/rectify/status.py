"""Judge each problem's status from the passages that answer it.

resolved       the report shows the problem gone: a figure now meeting the standard, or work
               done with nothing said to remain
in_progress    partly done, with what remains and a date ("剩余8个将于2024年秋季前消除"), or
               work under way with nothing admitted
persists       the report admits the problem again (in its own 存在问题 part, or "仍/尚未…" with
               no action), or its figure is still short of the standard with no date for the rest
not_addressed  no passage answers it

The report's own 存在问题 restating the problem more closely than any dated remainder (or than the
passage holding an improved figure) outweighs it; otherwise a dated remainder (or a stated remainder beside work done) outweighs an admission, an
admission ("仍有较大差距") outweighs figures, figures outweigh words of progress. Figures are held
to the standard the letter cites, the indicator's national standard, 100% for coverage rates, or
zero for counts of what should not exist (超大班额97个 → 21个 is progress, not resolution). A
下一步 plan beside work reported done is boilerplate, and a done-cue negated ("尚未出台") is none
(cues in data/rectify_terms.yaml).
"""
from __future__ import annotations

import math
import re
from functools import cache, lru_cache

from rapidfuzz import fuzz

from dudao.semantics import passes, standard_rule
from dudao.rectify.match import (Doc, Match, Passage, after_signing, find_matches, head_clause, is_citation,
                                 letter_background, lexical, list_lead, outside_scope, prepare,
                                 problem_scope, problem_topics, remains, still_to_come)
from dudao.rectify import decide, verify
from dudao.rectify.terms import broad, subjects, terms, topics_in

STATUSES = ("resolved", "in_progress", "persists", "not_addressed")
LABELS = {"resolved": "已整改", "in_progress": "整改中", "persists": "仍存在", "not_addressed": "未回应"}
_RANK = {"resolved": 0, "in_progress": 1, "persists": 2}
_LEAD = 8   # characters at the start of a clause that say what it is about
# a clause breaking down the one before ("其中随班就读41人") is about the same thing, whatever topic
# word it names; one telling the rest ("其余8名学生…") goes back to what was counted
_PART = re.compile(r"\s*其中")
_REST = re.compile(r"\s*(?:其余|剩余|剩下|余下|尚余)")


def focus(m: Match, topics: set, from_start: bool = False, quote: str | None = None) -> str:
    """The part of a passage about the problem: from the first comma-clause naming one of its
    topics (or from the start, unless it opens on another topic) up to a clause naming another
    topic ("…督学配备问题已整改到位，体育场地问题正在推进")."""
    q = m.quote if quote is None else quote
    parts = [x for x in re.split(r"(?<=[，,；;])", q) if x]
    keep, inside = [], from_start
    for x in parts:
        found = topics_in(x)
        t = found["concept"] | found["indicator"]
        # a clause about another topic opens with it ("体育场地问题正在推进"), not "…停止招生"
        lead = topics_in(x.strip()[:_LEAD])
        if t & topics:
            inside = True
        elif _REST.match(x) and keep:
            inside = True   # the rest of what the passage counted ("…；其余8名学生正在动员")
        elif _PART.match(x) is None and (lead["concept"] | lead["indicator"]) - topics:
            inside = False
        if inside:
            keep.append(x)
    return "".join(keep) or q


def _preceded(cue: re.Pattern, q: str, by: str) -> list[bool]:
    """For each occurrence of the cue, whether a word of `by` (data/rectify_terms.yaml) stands
    right before it."""
    rx = terms().rx(by)
    return [bool(rx.search(q[max(0, m.start() - 3):m.start()])) for m in cue.finditer(q)]


def _affirmed(cue: re.Pattern, q: str, before: str = "negation") -> bool:
    """The cue occurs not negated ("已出台" yes, "尚未出台" no; with before="future", not yet to
    come either: "将提高到10%")."""
    return not all(_preceded(cue, q, before))


def _promised(cue: re.Pattern, q: str) -> bool:
    """The cue occurs after a word of the future ("交流比例将提高到10%", "确保全部达标")."""
    return any(_preceded(cue, q, "future"))


_BOUND, _BOUND_AFTER = re.compile(r"(?:及)?以[上下]\s*$"), re.compile(r"\s*(?:及)?以[上下]")
_RESTATED_MIN = 8   # characters of the problem a passage must copy to be restating it


@lru_cache(maxsize=1024)   # asked of the same passage by the rules, the verifier and the status model
def unrestated(quote: str, problem_title: str | None) -> str:
    """The passage without the problem it restates (a ledger's 反馈问题 cell, "针对反馈指出的“…”
    问题", "针对督学数量不足的问题，"): last year's words say nothing of this year's state."""
    quote = terms().rx("restating_lead").sub(lambda x: " " * len(x.group(0)), quote)
    if not problem_title or len(problem_title) < _RESTATED_MIN or len(quote) <= len(problem_title):
        return quote   # (a passage no longer than the problem is a citation or an answer, not both)
    a = fuzz.partial_ratio_alignment(problem_title, quote)
    if a is None or a.score < terms().weights["restated"] or a.dest_end - a.dest_start < _RESTATED_MIN:
        return quote
    return quote[:a.dest_start] + " " * (a.dest_end - a.dest_start) + quote[a.dest_end:]


def _answers_beyond_restating(m: Match, title: str | None, topics: set) -> bool:
    """A passage restating the problem (a ledger row's 反馈问题 cell) answers it only when what it
    says beside the restatement names the problem's object too ("学生欺凌防治机制不健全 | 开展专题
    安全教育 | 已完成": the measure is about something else). The report's own 存在问题 restating it
    is the problem admitted again, and a problem naming no known topic is told by its words alone."""
    if "admission" in m.passage.roles or not topics:
        return True
    own = unrestated(m.quote, title)
    if own == m.quote:
        return True
    found = topics_in(own)
    return bool((found["concept"] | found["indicator"]) & topics)


def passage_kind(m: Match, topics: set = frozenset(), problem_title: str | None = None) -> str:
    """How a passage answers: plan (下一步), admit (the report's own 存在问题), weak_admit ("仍…"
    with no action), partial ("已…，但…仍…"), dated (the rest by a date or a remaining amount),
    ongoing, complete, done, mention."""
    cues = terms().cues
    own = unrestated(m.quote, problem_title)
    q = focus(m, topics, quote=own) if topics else own
    # what remains and by when may be told before the clause naming the topic ("剩余4个将于明年
    # 7月消除，届时不再有56人以上班级"); what was done is read from that clause on
    whole = focus(m, topics, True, own) if topics else own
    roles = m.passage.roles
    persist = cues["persist"].search(q)
    done = _affirmed(cues["done"], q) and _affirmed(cues["done"], q, "future")
    now = still_to_come(whole, m.doc.date)   # "已于2024年底前收回", a past month, a routine: not dated
    complete = _affirmed(cues["complete"], q) and _affirmed(cues["complete"], q, "future")
    ongoing = _affirmed(cues["ongoing"], now) and not (
        complete and all(cues["ongoing_weak"].match(x.group(0)) for x in cues["ongoing"].finditer(now)))
    ongoing = ongoing or _promised(cues["done"], now)   # "将提高到10%": the rest is to come
    # a target for a year still to come ("到2016年达到10%" in a 2014 report): the rest is to come
    ongoing = ongoing or any(after_signing(x.group(0), m.doc.date) for x in terms().rx("target_year").finditer(now))
    remainder = remains(whole)
    dated = cues["dated"].search(now) or after_signing(now, m.doc.date)
    if "admission" in roles and terms().rx_of(terms().data["sections"]["plan_lead"]).match(m.quote):
        roles = ("measures",)   # "（三）下一步，我区将…" closing a 存在问题 part is a plan, not an admission
    elif "admission" in roles and _done_ledger_row(m.quote):
        roles = tuple(r for r in roles if r != "admission")   # a 整改台账 row marked done admits nothing
    if "measures" in roles and "admission" not in roles:
        return "dated" if remainder and (ongoing or dated) else "plan"
    if "admission" in roles and "plan" in roles:
        return "dated" if dated and ongoing else "plan"   # a 下一步 paragraph of a 存在问题 part
    if "admission" in roles:
        # an admitted gap told with its remedy under way and a date ("…预计2025年秋季前全部到岗")
        return "dated" if dated and ongoing and not cues["persist"].search(whole) else "admit"
    if persist and not done and not ongoing:
        return "weak_admit"
    if persist and done and not ongoing and not complete:
        return "partial"   # "已…，但…仍…": done in part, the rest admitted
    if remainder or (ongoing and dated):
        return "dated"    # the rest by a date, or a remaining amount
    if ongoing:
        return "ongoing"
    if complete:
        return "complete"
    if done:
        return "done"
    return "mention"


def compare_figures(problem: dict, matches: list[Match], docs: list[Doc]) -> list[dict]:
    """The problem's figures set against this year's (41.2% → 52.6% vs 50%): canonical indicators
    by name, other figures by the words before them in an answering passage."""
    explicit = [s for s in problem.get("standards") or [] if s.get("source") == "反馈意见"]
    full, zero, units = terms().rx("full_rates"), terms().rx("zero_counts"), terms().rx("zero_count_units")
    scope = problem_scope(problem)
    out = []
    for f in problem.get("figures") or []:
        if f.get("role") == "standard" or f.get("kind") == "target":
            continue
        if _is_bound(f, problem):
            continue   # "66人以上超大班额": the bound of what is counted, not a count
        f = _as_indicator(problem, f)
        limit, op = None, None
        rule = standard_rule(f["name"], f.get("scope")) if f.get("name") else None   # 近视率变化 too
        # the standard the letter holds the figure to ("低于…提出的75%的目标") is the one to answer,
        # before the indicator's national one
        std = _cited_standard(f, problem, explicit)
        national = rule and rule.get("op") in (">=", "<=")
        if std is None and terms().rx("average_yardstick").search(problem["text"]):
            national = False   # held to an average the letter does not give ("低于全省平均水平")
        if national and (std is None or abs(std[0]) == abs(rule["limit"])):
            limit, op = rule["limit"], rule["op"]   # (the letter citing it: it carries the sign, 降低0.5个百分点)
        elif std is not None:
            limit, op = std
        elif f["unit"] == "%" and f["value"] < 100 and full.search(f["quote"]):
            limit, op = 100.0, ">="
        elif zero.search(f.get("name") or f["quote"]) and units.fullmatch(f["unit"] or ""):
            limit, op = 0.0, "<="   # a count of something that should not exist
        part = _part_figure(problem["text"], f["start"] - problem["start"]) if "start" in problem else False
        now = _current(f, matches, docs, scope, part) if f.get("canonical") else _current_by_words(f, matches, limit == 0.0)
        if now is None or (limit is None and not f.get("canonical")):
            continue
        fig, doc = now
        row = {"name": f["name"], "scope": f.get("scope"), "before": f["value"], "after": fig["value"],
               "unit": f["unit"], "standard": limit, "op": op, "start": f["start"], "end": f["end"],
               "evidence": {"start": fig["start"], "end": fig["end"], "quote": fig["quote"], "file": doc.file}}
        if limit is not None:
            if passes(fig["value"], {"limit": limit, "op": op}):
                row["verdict"] = "resolved"
            elif (fig["value"] - f["value"]) * (1 if op == ">=" else -1) > 0:
                row["verdict"] = "in_progress"
            else:
                row["verdict"] = "persists"
        out.append(row)
    return out


def _is_bound(f: dict, problem: dict) -> bool:
    """The figure bounds what the problem counts ("56人以上", "66人及以上"): it is not a count."""
    if _BOUND.search(f["quote"]):
        return True
    return "start" in problem and bool(_BOUND_AFTER.match(problem["text"], f["end"] - problem["start"]))


def _cited_standard(f: dict, problem: dict, explicit: list[dict]):
    """(limit, op) of the standard the letter cites this figure as missing: one it fails (12% misses
    "不低于20%", not "不低于10%"), its direction told by the standard's words or else by which side
    the figure stands on; with several, the one in the same place in the letter's order."""
    own = [g for g in problem.get("figures") or []
           if g.get("role") != "standard" and g.get("kind") != "target" and g["unit"] == f["unit"]]
    failed = []
    for std in explicit:
        if std["unit"] != f["unit"] or std["value"] == f["value"]:
            continue
        op = _standard_op(std["quote"]) or (">=" if f["value"] < std["value"] else "<=")
        if not passes(f["value"], {"limit": std["value"], "op": op}):
            failed.append((std["value"], op))
    if not failed:
        return None
    k = next((i for i, g in enumerate(own) if g["start"] == f["start"]), 0)
    return failed[k] if len(failed) == len(own) else failed[0]


def _standard_op(quote: str) -> str | None:
    """The direction the words nearest the figure give ("未达到小学不高于0.65": 不高于, not 达到)."""
    found = [(x.end(), op) for op in (">=", "<=")
             for x in terms().rx_of(terms().data["standard_op"][op]).finditer(quote)]
    return max(found)[1] if found else None


def _as_indicator(problem: dict, f: dict) -> dict:
    """A figure the extractor could not name ("公办园在园幼儿占比偏低，仅为38.5%": named "仅") is
    the one canonical indicator its sentence names before it, when that indicator is a rate and
    the figure a percentage."""
    if f.get("canonical") or f.get("unit") != "%" or "start" not in problem:
        return f
    before = problem["text"][:max(0, f["start"] - problem["start"])]
    sentence = re.split(r"[。；;]", before)[-1]
    found = topics_in(sentence)["indicator"]
    if len(found) != 1:
        return f
    name = next(iter(found))
    rule = standard_rule(name, f.get("scope"))
    if rule and rule.get("unit") not in (None, "%"):
        return f
    return dict(f, name=name, canonical=True)


def _current(f: dict, matches: list[Match], docs: list[Doc], scope: dict | None = None, part: bool = False):
    """This year's actual figure of the same indicator and scope: in an answering passage first;
    none in a passage outside the problem's scope (match.outside_scope: "全市一般公共预算教育支出
    66.2亿元" for the 市本级's)."""
    spans = [(m.doc, m.passage.start, m.passage.end) for m in matches]
    best = None
    for doc in docs:
        for g in doc.figures:
            if g.get("kind") != "actual" or g.get("unit") != f["unit"]:
                continue
            inside = any(d is doc and s <= g["start"] < e for d, s, e in spans)
            if g.get("name") != f["name"] and not (inside and _named_by_sentence(f, g, doc)):
                continue
            if f.get("scope") and g.get("scope") and f["scope"] != g["scope"]:
                continue
            if scope and any(p.start <= g["start"] < p.end and outside_scope(scope, doc.text, p) for p in doc.passages):
                continue
            # the latest text tells the state now (an April 整改报告, then an October 自评报告); a
            # part's figure ("…达到91.2%，其中山区乡镇由78.5%提高到88.9%") is not the whole's, and
            # the part's own ("其中苏木（镇）为79.6%") is the part's
            key = (inside, doc.date or (0, 0), _part_figure(doc.text, g["start"]) == part, g["value"] != f["value"],
                   g["start"])
            if best is None or key > best[0]:
                best = (key, g, doc)
    return (best[1], best[2]) if best else None


def _part_figure(text: str, start: int) -> bool:
    """The figure stands in a clause opening on 其中 (a part of the whole just told)."""
    clause = max(text.rfind(c, 0, start) for c in "，,。；;\n") + 1
    return text.startswith("其中", clause) or text.startswith("其中", clause + 1)


def _named_by_sentence(f: dict, g: dict, doc: Doc) -> bool:
    """A figure named only by a word of share ("其中在公办学校就读2.11万人，占比87.6%") whose
    sentence names the problem's indicator."""
    if g.get("canonical") or not _GENERIC_NAME.fullmatch(g.get("name") or ""):
        return False
    # the end of a change ("公办园在园幼儿占比由上年的31.5%提高到42.7%") is the figure it started from
    lead = re.match(r"\D*", g["quote"]).group(0)   # (the quote may open on the change: "提高到42.7%")
    start = next((h for h in doc.figures if h["end"] <= g["start"] and h["unit"] == g["unit"]
                  and _CHANGE_TO.fullmatch(doc.text[h["end"]:g["start"]] + lead)), None)
    if start is not None:
        return start.get("name") == f["name"] or _named_by_sentence(f, start, doc)
    start = max(doc.text.rfind(c, 0, g["start"]) for c in "。；;\n") + 1
    return lexical(f["name"], doc.text[start:g["start"]]) >= 0.5


_CHANGE_TO = re.compile(r"\s*(?:提高|提升|增加|增长|上升|下降|降低|减少|降|升)(?:到|至)\s*")


_GENERIC_NAME = re.compile(r"(?:其中|分别|约)?(?:占比|比例|比重|占)?")


def _current_by_words(f: dict, matches: list[Match], stock_only: bool = False):
    """This year's figure in an answering passage whose preceding words name what the problem's
    figure measures (same unit, another value)."""
    for m in matches:
        best = None   # the passage's figure whose words are closest to the problem's
        for g in m.doc.figures:
            if not (m.passage.start <= g["start"] < m.passage.end) or g["unit"] != f["unit"] \
                    or g["value"] == f["value"]:
                continue
            if g.get("kind") == "target" and not _PAID_AT.match(m.doc.text, g["end"]):
                continue   # (a rate paid at is this year's: "按初中每生每年800元标准足额拨付")
            before = m.doc.text[max(m.passage.start, g["end"] - len(g["quote"]) - 30):g["end"]]
            num = re.search(r"\d", g["quote"])
            lead = m.doc.text[max(m.passage.start, g["start"] - 30):g["start"] + (num.start() if num else 0)]
            left = bool(terms().rx("stock_before").search(lead))
            lex = lexical(f["name"] or f["quote"], before)
            value = re.search(r"\d[\d.]*\D*$", g["quote"])
            at = g["start"] + (value.start() if value else 0)   # where its value stands
            came = _FROM_VALUE.search(m.doc.text[max(m.passage.start, at - 24):at])
            if came and float(came.group(1)) == f["value"] and came.group(2) == (f["unit"] or ""):
                best = (2.0, g)   # "由2.1%提高到4.3%" for the letter's 2.1%: the same figure now
            elif lex >= 0.5 and (left or not stock_only) and (best is None or lex > best[0]):
                best = (lex, g)
            # the same thing in other words, told as what is left now
            elif best is None and left and _same_concept(f["name"] or f["quote"], before):
                best = (0.0, g)
        if best:
            return best[1], m.doc
    return None


# "由2.1%提高到" / "由每生每年600元提高到": the figure a change starts from, right before the new level
_FROM_VALUE = re.compile(r"[由从][^，。；;\d]{0,6}?(\d+(?:\.\d+)?)\s*(%|‰|元|万元|亿元|人|名|个|所|间|平方米|)\s*"
                         r"(?:提高|提升|增加|增长|上升|下降|降低|减少|压减|缩小|降|增)(?:到|至)[^，。；;\d]{0,6}$")
_PAID_AT = re.compile(r"\s*(?:的)?标准(?:足额|按时|全额)?(?:拨付|发放|落实|执行|安排|兑现)")


def _same_concept(a: str, b: str) -> bool:
    """The words naming two figures share a specific concept ("超大班额" and "66人以上班级")."""
    return bool(topics_in(a)["concept"] & topics_in(b)["concept"])


def _improved(figures: list[dict], matches: list[Match]) -> float:
    """The score of the best answering passage holding a figure that improved (41.2% → 52.6%)."""
    out = 0.0
    for r in figures:
        if r.get("verdict") not in ("resolved", "in_progress"):
            continue
        e = r["evidence"]
        out = max([out] + [m.score for m in matches if m.doc.file == e["file"]
                           and m.passage.start <= e["start"] < m.passage.end])
    return out


def answering(problem: dict, docs: list[Doc], letter_bg: frozenset = frozenset()) -> list[tuple[str, Match]]:
    """The passages the rules take as answering the problem, each with its kind (passage_kind)."""
    w = terms().weights
    weights, core = problem_topics(problem)
    matches = [m for m in find_matches(problem, docs, letter_bg)
               if not m.citation and _answers_beyond_restating(m, problem.get("title"), core or set(weights))]
    kinds = [(passage_kind(m, core | set(weights), problem.get("title")), m) for m in matches]
    # an admission must be about the problem's own object, not only the subject of the whole
    # report or letter (持证率 admitted under 学前教育 is no admission of 公办园占比)
    # (or, in its words, restating the problem's first clause: "国家课程尚未全部开齐")
    kinds = [(k, m) for k, m in kinds
             if k != "admit" or not (set(weights) - m.doc.background - letter_bg)
             or set(m.shared) & (set(weights) - m.doc.background - letter_bg)
             or lexical(head_clause(problem["title"]), m.quote) >= w["admission_restates"]]
    kinds = _held(problem, kinds)
    # only intentions, meetings and exhortation ("进一步重视…，适时研究完善"): no answer
    return [] if _nothing_said(kinds, problem.get("title")) else kinds


def _held(problem: dict, kinds: list) -> list:
    """The passages a problem of one narrow kind keeps as answers: money paid for money not paid
    (_paid_only), the aspect named for a problem naming one (_aspect_only). Applied to the rules'
    answers and again to the verifier's rescues."""
    return _aspect_only(problem, _paid_only(problem, kinds))


def _paid_only(problem: dict, kinds: list) -> list:
    """A problem of money not paid, spent or owed ("预算安排1200万元，实际拨付486万元", "拖欠…") is
    answered by money paid or used, or admitted again: a larger budget or other work says nothing
    of it (data/rectify_terms.yaml `unpaid_problem`). A level below a standard stays the rules'."""
    t, head = problem["text"], head_clause(problem["title"])
    if not terms().rx("unpaid_problem").search(t) or terms().rx("level_short").search(t) \
            or not (terms().rx("unpaid_problem").search(head) or terms().rx("money_head").search(head)) \
            or terms().rx("other_head").search(head):
        return kinds
    return [(k, m) for k, m in kinds if k in _ADMITS + ("partial",) or terms().rx("paid_said").search(m.quote)]


def _aspect_only(problem: dict, kinds: list) -> list:
    """A problem whose first clause names one aspect of its subject (cameras linked to the police,
    visits of supervisors, house parents) keeps only passages naming that aspect
    (data/rectify_terms.yaml `aspects`)."""
    head = head_clause(problem["title"])
    named = [a for a in terms().data["aspects"].values() if terms().rx_of(a["head"]).search(head)]
    if not named:
        return kinds
    # a first clause naming two aspects ("陪餐和食品留样制度") is answered by either; an admission
    # must name it too (保安 admitted is no admission of 一键报警联网), unless its row says otherwise
    answers = [_answer_of(a, problem["text"]) for a in named]
    return [(k, m) for k, m in kinds
            if any((k in _ADMITS and a.get("any_admission")) or terms().rx_of(x).search(m.quote)
                   for a, x in zip(named, answers))]


def _answer_of(aspect: dict, text: str) -> str:
    """What answers an aspect row: its narrower answer when the problem's text names the narrower
    thing (spending per pupil fallen, where growth of the total is no answer)."""
    narrow = aspect.get("narrow")
    return narrow["answer"] if narrow and terms().rx_of(narrow["text"]).search(text) else aspect["answer"]


def _nothing_said(kinds: list, title: str | None) -> bool:
    return all(_says_nothing(k, m.quote, title) for k, m in kinds)


def _says_nothing(kind: str, quote: str, title: str | None = None) -> bool:
    """An intention with nothing concrete, a passage of attention, meetings and exhortation only
    ("区委、区政府高度重视", "召开专题会议，要求各校提高认识"): no figure, no document, no thing
    done; or a ledger row marked done that only speaks of improving something (_bare_ledger_row)."""
    if kind == "plan" and not re.search(r"\d", quote):
        return True
    if kind in ("admit", "weak_admit", "partial"):
        return False
    if not terms().rx("concrete").search(quote):
        if terms().rx("hollow").search(quote):
            return True
        if terms().rx("bare_done").search(quote):
            found = topics_in(quote)
            if not found["concept"] | found["indicator"]:
                return True
    return _bare_ledger_row(unrestated(quote, title), title)


def _done_ledger_row(quote: str) -> re.Match | None:
    """The number cell of a 整改台账 row marked done ("| 3 | … | 已完成 |"), or None."""
    row = terms().rx("ledger_row").match(quote)
    return row if row and terms().rx("ledger_done").search(quote) else None


def _bare_ledger_row(quote: str, title: str | None = None) -> bool:
    """A 整改台账 row marked done whose cells, besides its number and state, only speak of improving
    something, with no figure, no document and nothing done ("| 5 | 责任督学挂牌督导覆盖不全 |
    完善责任督学管理 | 县政府教育督导室 | 已完成 |"), or say nothing beside the problem they restate
    (a cell close to the problem) and the units in charge."""
    row = _done_ledger_row(quote)
    if not row:
        return False
    rest = terms().rx("ledger_done").sub(" ", quote[row.end():])
    if terms().rx("ledger_concrete").search(rest):
        return False
    if terms().rx("ledger_vague").search(rest):
        return True
    # nothing but the problem, the units in charge and the state ("| 3 | <the problem> | 区教育局 |
    # 已完成 | 已整改到位 |")
    # cells split by bars, tabs or spaces (a cleaned pdf's), a state "已完成，已销号" into its words
    cells = [c.strip() for c in re.split(r"[|｜\t ，,]", quote[row.end():]) if c.strip()]
    said = [c for c in cells if not terms().rx("ledger_state").fullmatch(c)
            and not terms().rx("ledger_done").fullmatch(c) and not terms().rx("ledger_unit").fullmatch(c)
            and not (title and _restates(c, title))]
    return len(cells) >= 3 and not said


def _restates(cell: str, title: str) -> bool:
    """A ledger cell copying the problem, or stating a shortcoming in the problem's words with a few
    changed ("食堂陪餐和留样制度落实不到位" for "学校食堂陪餐和食品留样制度落实不到位")."""
    ratio = fuzz.partial_ratio(cell, title)
    return ratio >= terms().weights["restated"] or (
        ratio >= terms().weights["restated_cell"] and bool(terms().rx("problem_cue").search(cell)))


_ASIDE = 3   # passages most like the problem, beside its evidence, the status model reads


def ranked_passages(problem: dict, docs: list[Doc]) -> list[tuple[Doc, Passage]]:
    """The report passages by likeness to the problem in words (IDF-weighted bigram coverage), most
    like first: no headings, no citations of the problem ("反馈指出…"), no leads of a list of
    shortcomings, none outside its scope."""
    scope = problem_scope(problem)
    scored = []
    for d in docs:
        idf = verify._doc_idf(d)
        for p in d.passages:
            quote = d.text[p.start:p.end]
            if p.heading or is_citation(problem, quote, p.roles) or list_lead(quote):
                continue
            if outside_scope(scope, d.text, p):
                continue   # ruled out by the rules whatever it says (match.outside_scope)
            scored.append((verify.coverage(problem["text"], quote, idf), d, p))
    scored.sort(key=lambda x: (-x[0], x[1].file or "", x[2].start))
    return [(d, p) for _, d, p in scored]


def candidates(problem: dict, ranked: list[tuple[Doc, Passage]], taken: list[tuple[str, Match]],
               n: int = 6) -> list[tuple[str, Match]]:
    """The `n` passages of `ranked` (ranked_passages) not among `taken`, each with the rules'
    reading of it."""
    weights, core = problem_topics(problem)
    seen = {(m.doc.file, m.passage.start) for _, m in taken}
    out = []
    for d, p in ranked:
        if len(out) == n:
            break
        if (d.file, p.start) not in seen:
            m = Match(d, p, 0.0, [])
            out.append((passage_kind(m, core | set(weights), problem.get("title")), m))
    return out


def judge(problem: dict, docs: list[Doc], letter_bg: frozenset = frozenset(), letter: tuple = ()) -> dict:
    """The problem with its status, evidence and figure comparison (`letter_bg`: topics every
    problem of its letter names; `letter`: the texts of all its problems)."""
    w = terms().weights
    weights, core = problem_topics(problem)
    kinds = answering(problem, docs, letter_bg)
    # the learned verifier (data/rectify_model.json): when none of these passages reads as an
    # answer to this problem, nothing answers it
    own_quote = lambda m: unrestated(m.quote, problem.get("title"))   # the passage beside the problem it restates
    ranked = cache(lambda: ranked_passages(problem, docs))   # searched once, asked up to three times
    accepted = kinds
    kinds = verify.keep(problem, kinds, letter, [own_quote(m) for _, m in kinds])
    if kinds and _nothing_said(kinds, problem.get("title")):
        kinds = []   # what the verifier keeps is held to what the rules ask of an answer too
    if not kinds:
        # vetoed, or nothing the rules accept: a passage the rules passed over that the verifier
        # scores far above its threshold is this problem's answer (the model's `rescue` threshold
        # for a vetoed problem, `rescue_unmatched` for one the rules found no passage for)
        kinds = verify.rescue(problem, candidates(problem, ranked(), accepted), letter, own_quote,
                              "rescue" if accepted else "rescue_unmatched")
        if _nothing_said(kinds, problem.get("title")):
            kinds = []   # a rescue is held to what the rules ask of an answer
    if kinds and not any(k in _ADMITS for k, _ in kinds):
        # the report's own 存在问题 in other words than the problem's ("专职督学数量仍然偏少" for
        # "专职督学配备不足"), passed over by the rules: the problem admitted again when the verifier
        # scores it at or above the model's `rescue_admission` threshold
        passed_over = candidates(problem, ranked(), accepted + kinds)
        told = [(k, m) for k, m in passed_over if k == "admit" and "admission" in m.passage.roles]
        kinds = kinds + verify.rescue(problem, told, letter, own_quote, "rescue_admission")
        if not any(k in _PROGRESS + _ADMITS for k, _ in kinds):
            # no admission taken, nor work under way kept: what remains and by when, told in other
            # words ("对尚余的47名…计划于秋季学期前补充到位"), at the model's `rescue_progress` threshold
            told = [(k, m) for k, m in passed_over if k in _PROGRESS]
            kinds = kinds + verify.rescue(problem, told, letter, own_quote, "rescue_progress")
    kinds = _superseded(_held(problem, kinds))   # a rescue is held to the same tests
    # beside this problem's work done: another problem of the letter admitted again, and the rest of
    # another problem's work ("其余8所…" after a sentence on that one) are not this one's
    by = w["other_problem_admits"]
    kinds = _beside_done(kinds, lambda k, m: k in _ADMITS and _anothers(problem, m, letter, by))
    kinds = _beside_done(kinds, lambda k, m: k in _PROGRESS and _points_to_anothers(problem, m, kinds, letter))
    matches = [m for _, m in kinds]
    figures = compare_figures(problem, matches, docs)
    met = _met_on(figures, docs)
    if met and len(later := _superseded(kinds, met)) < len(kinds):
        # the standard met in a later text than the schedule of an earlier one (46.2% and "4所在建，
        # 计划秋季开园" in an April 整改报告, 51.3% against 50% in the December 自评报告)
        kinds = later
        matches = [m for _, m in kinds]
        figures = compare_figures(problem, matches, docs)
    verdicts = [r["verdict"] for r in figures if "verdict" in r]
    has = {k for k, _ in kinds}
    best = lambda kind: max((m.score for k, m in kinds if k == kind), default=0.0)
    improved = _improved(figures, matches)
    if not matches:
        status, why = "not_addressed", set()
    elif "admit" in has and best("admit") > max(best("dated"), improved) and not _remedy_beside(kinds):
        # the report's own 存在问题 restating this problem more closely than any dated remainder
        # (a schedule for one measure) or the passage with an improved figure: the problem persists
        status, why = "persists", {"admit"}
    elif "dated" in has:
        status, why = "in_progress", {"dated"}
    elif "admit" in has:
        status, why = "persists", {"admit"}
    elif verdicts and set(verdicts) == {"resolved"}:
        status, why = "resolved", {"figure"}   # the standard now met outweighs a passing "仍…"
    elif "weak_admit" in has:
        status, why = "persists", {"weak_admit"}
    elif verdicts:
        status, why = max(verdicts, key=_RANK.get), {"figure"}
    elif has & {"ongoing", "partial"} or ("plan" in has and not has & {"complete", "done"}):
        # a 下一步 plan ("继续加大投入") is boilerplate beside work reported done; alone it is all there is
        status, why = "in_progress", {"ongoing", "partial", "plan"}
    else:
        status, why = "resolved", {"complete", "done", "mention"}
    if status == "resolved" and "figure" not in why:
        rest = (_second_part_dated(problem, docs, set(weights) - core, letter_bg, matches, letter)
                or _rest_in_paragraph(problem, core | set(weights), kinds, letter))
        if rest is not None:   # a problem in two parts, the second only scheduled: under way
            status, why = "in_progress", {"dated"}
            kinds.append(("dated", rest))
    # the learned status decision (data/rectify_status_model.yaml) over the same evidence, where
    # the rules decide from words: a figure held to its standard is left to the rules
    topics, title = core | set(weights), problem.get("title")
    own = [unrestated(m.quote, title) for _, m in kinds]
    focused = [(focus(m, topics, quote=q), focus(m, topics, True, q)) for (_, m), q in zip(kinds, own)]
    # (the passages most like the problem that are not its evidence, nor accepted and then set aside
    # by the verifier as about something else: a remainder or an admission told apart from the
    # answer, "剩余1.1亿元…纳入2017年预算" two sections later)
    learned = status if "figure" in why else decide.status(status, kinds, figures, topics, focused,
                                                          lambda: candidates(problem, ranked(), accepted + kinds, _ASIDE))
    if learned != status:
        status, why = learned, _WHY[learned]
    top = max((m.score for _, m in kinds), default=0.0)
    if status != "persists" and any(terms().rx("not_closed").search(m.quote) and m.score >= w["not_closed_share"] * top
                                    for _, m in kinds):
        status, why = "persists", {"admit"}   # the county itself says the item cannot be closed yet
    order = sorted(kinds, key=lambda km: (km[0] not in why, -km[1].score))
    evidence = []
    for kind, m in order[:int(w["max_evidence"])]:
        ev = {"start": m.passage.start, "end": m.passage.end, "quote": m.quote, "kind": kind,
              "score": round(m.score, 2)}
        if m.doc.file is not None:
            ev["file"] = m.doc.file
        evidence.append(ev)
    if "figure" in why:
        for r in figures:
            e = r["evidence"]
            if not any(x.get("file") == e["file"] and x["start"] <= e["start"] < x["end"] for x in evidence):
                evidence.insert(0, {k: v for k, v in e.items() if v is not None} | {"kind": "figure"})
    out = {k: problem[k] for k in ("text", "start", "end", "title") if k in problem}
    out.update(status=status, label=LABELS[status], evidence=evidence, figures=figures,
               cited_figures=problem.get("figures", []), standards=problem.get("standards", []),
               topics=problem.get("topic_names", []), demands=problem.get("demands", []),
               deadlines=problem.get("deadlines", []))
    return out


_PROGRESS = ("partial", "dated", "ongoing")   # passage kinds of work under way
_ADMITS = ("admit", "weak_admit")              # … of the problem admitted again


def _superseded(kinds: list, met: tuple | None = None) -> list:
    """Work under way told in a text dated before another that tells it complete (an April 整改报告
    "其余2所计划6月前完成", an October 自评报告 "5所均已于6月通过验收") or admits it again at least
    as closely ("…仍有约17名缺口"), or dated before `met`, the date of a text where the figure now
    meets its standard: the later text tells the state now."""
    later = [(m.doc.date, m.score if k == "admit" else math.inf) for k, m in kinds
             if k in ("complete", "admit") and m.doc.date] + ([(met, math.inf)] if met else [])
    return [(k, m) for k, m in kinds
            if not (k in _WHY["in_progress"] and m.doc.date
                    and any(d > m.doc.date and score >= m.score for d, score in later))]


def _met_on(figures: list[dict], docs: list[Doc]) -> tuple | None:
    """The latest date of a text showing the problem's figures meeting their standards, when all
    of them held to one do."""
    if {r["verdict"] for r in figures if "verdict" in r} != {"resolved"}:
        return None
    dates = [d.date for r in figures if r.get("verdict") == "resolved"
             for d in docs if d.file == r["evidence"].get("file") and d.date]
    return max(dates, default=None)


# the passages shown first as evidence for a status the learned decision chose
_WHY = {"resolved": {"complete", "done", "mention"}, "in_progress": {"dated", "ongoing", "partial", "plan"},
        "persists": {"admit", "weak_admit"}}


def _remedy_beside(kinds: list) -> bool:
    """The best admission's own paragraph goes on to a dated remedy ("…尚有差距。…已发布招聘公告，
    新教师2024年8月到岗后预计达到0.92人"): the gap is admitted with its end in sight."""
    admits = [m for k, m in kinds if k == "admit"]
    if not admits:
        return False
    a = max(admits, key=lambda m: m.score)
    return any(k == "dated" and m.doc is a.doc and "\n" not in a.doc.text[min(a.passage.end, m.passage.end):
                                                                          max(a.passage.start, m.passage.start)]
               for k, m in kinds)


def _second_part_dated(problem: dict, docs: list[Doc], extra: set, letter_bg: frozenset, matches: list,
                       letter: tuple = ()):
    """A passage with a dated step ("…已起草，拟2022年1月起发放") on a specific topic the problem
    names after its first clause, in a clause stating a shortcoming (乡村教师生活补助未落实 in a
    problem on 教师工资): the second part of the problem is still to be done. Only ever turns work
    done into work under way."""
    taken = {(id(m.doc), m.passage.start) for m in matches}
    # (a part the problem states as a shortcoming of its own, in a later clause: "…，乡村教师生活补助未
    # 落实"; not a word of how the first went wrong, "将膳食补助资金用于支付食堂工勤人员工资")
    cue = terms().rx("problem_cue")
    stated = set().union(*(topics_in(c)["concept"] for c in re.split(r"[，,。；;]", problem["text"])[1:]
                           if cue.search(c)))
    extra = extra & stated
    for doc in docs:
        own = extra - broad() - subjects() - doc.background - letter_bg
        for p in doc.passages:
            if p.heading or "overview" in p.roles or (id(doc), p.start) in taken:
                continue
            shared = (p.topics["concept"] | p.topics["indicator"]) & own
            if shared:
                m = Match(doc, p, 0.0, sorted(shared))
                if passage_kind(m, set(shared), problem.get("title")) == "dated" and not _anothers(problem, m, letter):
                    return m
    return None


# "技防方面，…", "在周转宿舍管理上，…": another part of the work
_ASPECT_LEAD = re.compile(r"\s*(?:(?:在|从)?[^，。；;]{1,8}方面[，,：:]|在[^，。；;]{2,10}(?:上|中)[，,])")


def _rest_in_paragraph(problem: dict, topics: set, kinds: list, letter: tuple = ()) -> Match | None:
    """A later sentence of the paragraph of a passage telling work done, naming no other topic (or
    the problem's too) nor opening on another aspect ("技防方面，"), that tells what remains and by
    when ("…在312处重点水域设置警示标志；对其余89处一般水域，已纳入2025年汛期前完成计划"), and
    that points back, names the problem's topic or is kept by the verifier: the rest is still to be
    done. A 下一步 line is no remainder. Only ever turns work done into work under way."""
    taken = {(id(m.doc), m.passage.start) for _, m in kinds}
    lead = terms().rx_of(terms().data["sections"]["plan_lead"])
    for kind, m in kinds:
        if kind not in ("complete", "done"):
            continue
        doc = m.doc
        end = doc.text.find("\n", m.passage.end)
        end = len(doc.text) if end < 0 else end
        moved = False   # the paragraph has gone on to something else: only a remainder told as
        # such ("余下缺口计划于…补足") comes back to the work, past a sentence on training
        passed = set()   # the topics of the sentences it went on to
        for p in doc.passages:
            if not (m.passage.end <= p.start < end) or (id(doc), p.start) in taken or p.heading:
                continue
            rest = Match(doc, p, 0.0, [])
            # a sentence pointing back to the work just told ("其余4所受校车线路制约…", "11所…中，
            # 已有7所…") goes on about it, whatever else it names
            back = terms().rx("anaphora").match(rest.quote) or terms().rx("part_of").match(rest.quote.lstrip())
            named = p.topics["concept"] | p.topics["indicator"]
            if _ASPECT_LEAD.match(rest.quote):
                break   # "技防方面，…": another part of the work
            if (named - topics and not named & topics and not back) or (moved and not back):
                moved = True
                passed |= named - topics
                continue
            if moved and named & passed and not named & topics:
                continue   # "新建食堂14所…；其余9所学校的食堂建设…": the rest of the work it went on to
            if lead.match(rest.quote) or passage_kind(rest, topics, problem.get("title")) != "dated":
                continue
            if _anothers(problem, rest, letter) if not back else _points_to_anothers(problem, rest, kinds, letter):
                continue   # the rest of another problem's work ("其余9人将在…聘任到位" of 职称)
            # it speaks of the problem: pointing back, naming its topic, or in the verifier's reading
            if back or named & topics or verify.keep(problem, [("dated", rest)], letter):
                return rest
    return None


def _beside_done(kinds: list, anothers) -> list:
    """`kinds` without the passages `anothers(kind, match)` gives to another problem, when this
    problem's own work done stays among them; else `kinds` as they are."""
    mine = [(k, m) for k, m in kinds if not anothers(k, m)]
    return mine if len(mine) < len(kinds) and any(k in ("complete", "done") for k, _ in mine) else kinds


def _points_to_anothers(problem: dict, m: Match, kinds: list, letter: tuple) -> bool:
    """A passage pointing back ("其余8所…") to the one before it, which is no evidence of this
    problem and has more of another problem's words: the rest of that one's work."""
    if not terms().rx("anaphora").match(m.quote):
        return False
    before = [p for p in m.doc.passages if p.end <= m.passage.start and not p.heading]
    if not before or any(x.doc is m.doc and x.passage.start == before[-1].start for _, x in kinds):
        return False
    return _anothers(problem, Match(m.doc, before[-1], 0.0, []), letter)


def _anothers(problem: dict, m: Match, letter: tuple, by: float = 1.0) -> bool:
    """Another problem of the letter has more of the passage's words than this one (`by` times)."""
    mine, rival = verify.letter_cover(problem["text"], m.quote, letter, verify._doc_idf(m.doc))
    return rival > mine * by


def follow(problems: list[dict], reports: list[tuple[str | None, str]]) -> list[dict]:
    """Judge every problem against this year's texts [(file, text), …]."""
    docs = [prepare(text, file) for file, text in reports]
    bg = letter_background(problems)
    letter = tuple(p["text"] for p in problems)
    return [judge(p, docs, bg, letter) for p in problems]
