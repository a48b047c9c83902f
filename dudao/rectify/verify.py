"""A learned check on the passages the rules take as answering a problem.

The rules (match.py, status.py) accept a passage when it shares the problem's topics; on letters
they were never tuned on, most of their errors are passages sharing a word or a subject but
answering something else. This module scores "does this passage answer this problem" with
gradient-boosted trees over explicit, general features (how much of the problem's distinctive
wording the passage covers, IDF-weighted over the report; topics shared and not shared; the
passage's role; how the rules read it; figures of the same unit; school level): a problem
whose accepted passages all score below the model's threshold is not_addressed (of a problem it
keeps, the passages scoring below are set aside as no evidence), unless a passage
the rules passed over scores at or above its `rescue` threshold (`rescue`); a problem the rules
found no passage for is answered by a passage scoring at or above `rescue_unmatched`; and a problem
answered with no admission takes the report's own 存在问题 passages the rules passed over that score
at or above `rescue_admission` (the problem admitted again in other words), and one answered by
work done alone takes passed-over passages of work under way at or above `rescue_progress`. The model is
a data file (data/rectify_model.json, trained by scripts/train_rectify_model.py on the
evaluation sets); inference is numpy only and deterministic. Without the file the rules run alone.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz

from dudao.rectify.slot import ModelSlot
from dudao.rectify.match import (_DATES_AND_DOC_NUMBERS, Doc, Match, _bigrams, _levels_in, answers_core,
                                 head_clause, lexical, problem_level, problem_topics)
from dudao.rectify.terms import broad, subjects, terms

# dates, document numbers and a ledger row's 序号 are no figures of work done
_DATES = re.compile(_DATES_AND_DOC_NUMBERS.pattern + r"|序号\s*\d+")

FEATURES = (
    "cov_head",       # IDF-weighted share of the first clause's bigrams the passage has
    "cov_text",       # … of the whole problem's bigrams
    "cov_rel",        # cov_text against the best passage of the same report
    "fuzz_head",      # rapidfuzz partial ratio of the first clause and the passage
    "core_share",     # share of the first clause's topics (the core object) the passage names
    "topic_share",    # weighted share of all the problem's topics the passage names
    "other_topics",   # specific topics the passage names that the problem does not
    "answers_core",   # the rules' subject × aspect test on the passage's own topics
    "admission",      # the passage stands in the report's own 存在问题
    "overview",       # … in its 基本情况
    "kind_admit", "kind_progress", "kind_done", "kind_plan", "kind_mention",
    "same_unit",      # a figure of the same unit as one the problem cites
    "level_agree",    # +1 names the problem's school level, -1 names only others
    "table_row",      # a ledger / table row (cells split by tabs or bars)
    "section_restates",  # the heading above restates the problem's first clause
    "length",         # log length of the passage
    "cov_distinct",   # IDF-weighted share of the problem's own bigrams (none of the letter's other problems has them)
    "other_problem",  # how much better another problem of the letter covers the passage (≥ 0)
    "tri_head",       # share of the first clause's character trigrams the passage has
    "restates",       # the passage copies the problem (a ledger's 反馈问题 cell, a citation)
    "cov_own",        # cov_head over what the passage says beside that copy
    "figures_own",    # figures beside the copy, dates and document numbers aside (concrete work)
    "unit_change",    # a figure of the problem's unit beside a change cue (由…提高到, 下降, 新增 …)
    "cov_defect",     # IDF-weighted share of what the problem says is missing ("未建立…委员会") the passage names
)

# a change in a figure: "由41.2%提高到52.6%", "下降3个百分点", "新增学位1200个", "消除…15个"
_CHANGE = re.compile(r"由[^，。；]{0,20}?(?:提高|提升|增加|增长|上升|下降|降低|减少|降)至?到?|"
                     r"(?:提高|提升|增加|增长|上升|下降|降低|减少|新增|消除|化解|压减|补充|补齐)(?:了|至|到)?")


def _weighted(bigrams: frozenset, idf: dict) -> float:
    # fsum: a set's order follows the hash seed; a plain sum would differ in the last bits per run
    return math.fsum(idf.get(b, idf.get("", 1.0)) for b in bigrams)


@lru_cache(maxsize=16)
def _idf(text: str, spans: tuple) -> dict:
    """Inverse document frequency of content bigrams over a report's passages ("" = unseen)."""
    n = len(spans)
    df: dict = {}
    for s, e in spans:
        for b in _bigrams(text[s:e]):
            df[b] = df.get(b, 0) + 1
    out = {b: math.log((n + 1) / (c + 1)) + 1.0 for b, c in df.items()}
    out[""] = math.log(n + 1) + 1.0
    return out


def _share(of: frozenset, within: frozenset, idf: dict) -> float:
    """IDF-weighted share of the bigrams `of` that are `within`."""
    total = _weighted(of, idf)
    return _weighted(of & within, idf) / total if total else 0.0


def coverage(problem_text: str, quote: str, idf: dict) -> float:
    """IDF-weighted share of the problem text's content bigrams found in the quote (with the two
    swapped: the share of the passage's bigrams that the problem has)."""
    return _share(_bigrams(problem_text), _bigrams(quote), idf)


def letter_cover(problem_text: str, quote: str, letter: tuple, idf: dict) -> tuple[float, float]:
    """How much of the passage's words the problem has, and the most any other problem of its
    letter (`letter`: the texts of all its problems) has."""
    mine = coverage(quote, problem_text, idf)
    return mine, max((coverage(quote, t, idf) for t in letter if t != problem_text), default=0.0)


def _doc_idf(doc: Doc) -> dict:
    return _idf(doc.text, tuple((p.start, p.end) for p in doc.passages))


@lru_cache(maxsize=64)
def _best_cov(text: str, spans: tuple, problem_text: str) -> float:
    idf = _idf(text, spans)
    return max((coverage(problem_text, text[s:e], idf) for s, e in spans), default=0.0)


def _units(problem: dict) -> set:
    return {f.get("unit") for f in problem.get("figures") or [] if f.get("unit")}


def _trigrams(s: str) -> frozenset:
    runs = re.findall(r"[\u4e00-\u9fff]+", s)
    return frozenset(r[k:k + 3] for r in runs for k in range(len(r) - 2))


def _distinct(problem_text: str, letter: tuple) -> frozenset:
    """The problem's content bigrams that none of the letter's other problems has."""
    others = frozenset().union(*(_bigrams(t) for t in letter if t != problem_text)) if letter else frozenset()
    return _bigrams(problem_text) - others


def features(problem: dict, m: Match, kind: str, letter: tuple = (),
             own_quote: str | None = None) -> dict[str, float]:
    """The named features of one (problem, passage) pair (`letter`: the texts of all the
    problems of its letter; `own_quote`: the passage without the problem it restates,
    status.unrestated)."""
    doc, p, quote = m.doc, m.passage, m.quote
    title = problem.get("title") or problem["text"]
    head = head_clause(title)
    ptop, core = problem_topics(problem)
    own = set(p.topics["concept"] | p.topics["indicator"])
    idf = _doc_idf(doc)
    spans = tuple((x.start, x.end) for x in doc.passages)
    cov_text = coverage(problem["text"], quote, idf)
    best = _best_cov(doc.text, spans, problem["text"])
    other = own - set(ptop) - subjects() - broad() - doc.background
    level = problem_level(problem)
    named = _levels_in(quote)
    units = _units(problem)
    has_unit = any(p.start <= f["start"] < p.end and f.get("unit") in units for f in doc.figures)
    total_w = sum(ptop.values())
    out = {
        "cov_head": coverage(head, quote, idf),
        "cov_text": cov_text,
        "cov_rel": cov_text / best if best else 0.0,
        "fuzz_head": fuzz.partial_ratio(head, quote) / 100.0,
        "core_share": len(core & own) / len(core) if core else 0.5,
        "topic_share": sum(w for t, w in ptop.items() if t in own) / total_w if total_w else 0.0,
        "other_topics": min(len(other), 4) / 4.0,
        "answers_core": float(bool(core) and answers_core(core, own)),
        "admission": float("admission" in p.roles),
        "overview": float("overview" in p.roles),
        "kind_admit": float(kind in ("admit", "weak_admit")),
        "kind_progress": float(kind in ("partial", "dated", "ongoing")),
        "kind_done": float(kind in ("complete", "done")),
        "kind_plan": float(kind == "plan"),
        "kind_mention": float(kind == "mention"),
        "same_unit": float(has_unit),
        "level_agree": 0.0 if level is None or not named else (1.0 if level in named else -1.0),
        "table_row": float(bool(re.search(r"\t|[|｜]", quote))),
        "section_restates": coverage(head, p.section, idf) if p.section else 0.0,
        "length": math.log(1 + len(quote)) / 6.0,
    }
    out["cov_distinct"] = _share(_distinct(problem["text"], letter), _bigrams(quote), idf)
    mine, rival = letter_cover(problem["text"], quote, letter, idf)
    out["other_problem"] = max(0.0, rival - mine)
    th = _trigrams(head)
    out["tri_head"] = len(th & _trigrams(quote)) / len(th) if th else 0.0
    own_q = quote if own_quote is None else own_quote
    out["restates"] = float(own_q != quote)
    out["cov_own"] = coverage(head, own_q, idf)
    out["figures_own"] = min(len(re.findall(r"\d+(?:\.\d+)?", _DATES.sub("", own_q))), 4) / 4.0
    out["unit_change"] = float(has_unit and bool(_CHANGE.search(quote)))
    lacking = _lacking(problem["text"])
    out["cov_defect"] = _share(lacking, _bigrams(own_q), idf) if lacking else 0.5
    return out


@lru_cache(maxsize=4096)
def _lacking(problem_text: str) -> frozenset:
    """The bigrams of what the problem says is missing or not done: the words after 未/缺少/没有…
    ("未建成标准化食堂", "缺少兴趣拓展类课程"), where a trap sharing only the subject says nothing."""
    return frozenset().union(*(_bigrams(x.group(1)) for x in terms().rx("lacking").finditer(problem_text)))


def vector(feats: dict[str, float]) -> list[float]:
    return [float(feats[n]) for n in FEATURES]


class Model:
    """Gradient-boosted trees over the features, read from data/rectify_model.json: the probability
    that a passage answers the problem is the logistic of `base` plus one leaf value per tree
    (each tree: per node its feature, or -1 at a leaf; the threshold at or below which a row goes
    left; its children; a leaf's value). Trees, not one weight per feature, because the features
    act together: a high coverage says little when the passage names other topics."""

    def __init__(self, data: dict):
        if list(data["features"]) != list(FEATURES):
            raise ValueError("rectify model features differ from the code's")
        self.data = data
        self.base = float(data["base"])
        # the trees side by side, padded to the largest (a padding node is a leaf worth 0), so that
        # every row walks every tree at once: one numpy step per level, not per tree
        trees = data["trees"]
        size = max((len(t["feature"]) for t in trees), default=1)

        def pad(key, fill, dtype):
            out = np.full((len(trees), size), fill, dtype=dtype)
            for i, t in enumerate(trees):
                out[i, :len(t[key])] = t[key]
            return out
        self.feature, self.left, self.right = pad("feature", -1, int), pad("left", 0, int), pad("right", 0, int)
        self.cut, self.value = pad("threshold", 0.0, float), pad("value", 0.0, float)
        self.threshold = float(data["threshold"])

    def prob(self, rows: list[list[float]]) -> np.ndarray:
        x = np.asarray(rows, dtype=float).reshape(-1, len(FEATURES))
        tree = np.arange(self.feature.shape[0])
        node = np.zeros((len(x), len(tree)), dtype=int)
        feature = self.feature[tree, node]
        while (feature >= 0).any():
            inner = feature >= 0
            seen = x[np.arange(len(x))[:, None], np.where(inner, feature, 0)]
            step = np.where(seen <= self.cut[tree, node], self.left[tree, node], self.right[tree, node])
            node = np.where(inner, step, node)
            feature = self.feature[tree, node]
        raw = self.base + self.value[tree, node].sum(axis=1)
        return 1.0 / (1.0 + np.exp(-raw))


_slot = ModelSlot("rectify_model", Model, ".json")
MODEL_PATH = _slot.path


def using(model: Model | None):
    """Run with another model (None: the rules alone), e.g. for leave-one-set-out evaluation."""
    return _slot.using(model)


def active() -> Model | None:
    return _slot.active()


def keep(problem: dict, kinds: list[tuple[str, Match]], letter: tuple = (),
         own_quotes: list[str] | None = None) -> list[tuple[str, Match]]:
    """The accepted passages the model scores at or above its threshold: none when it scores them
    all below (`own_quotes`: each passage without the problem it restates)."""
    model = active()
    if model is None or not kinds:
        return kinds
    head = head_clause(problem.get("title") or problem["text"])
    if any(m.passage.section and lexical(head, m.passage.section) >= terms().weights["heading_restates"]
           for _, m in kinds):
        return kinds   # the report's own heading restates the problem: its answer, in any words
    own = own_quotes or [None] * len(kinds)
    probs = model.prob([vector(features(problem, m, k, letter, q)) for (k, m), q in zip(kinds, own)])
    # the report's own 存在问题 in the words of the problem's first clause: the problem admitted again,
    # however unlike the passages the model learned on (a one-line admission of a topic no vocabulary
    # names); a passage the model scores below its threshold beside one it keeps is another matter
    # sharing the problem's words (技防 beside 保安员): no evidence, and its dates not the problem's
    restating = terms().weights["heading_restates"]
    return [km for km, pr in zip(kinds, probs) if pr >= model.threshold
            or ("admission" in km[1].passage.roles and lexical(head, km[1].quote) >= restating)
            or _lack_made_good(problem, *km) or _count_accounted(problem, km[1].quote)]


def _lack_made_good(problem: dict, kind: str, m: Match) -> bool:
    """A passage telling the whole done in the very words of what the problem says is missing
    ("未安装一键报警装置" → "一键报警装置安装率…均达到100%"): an answer, however short."""
    lacking = _lacking(problem["text"])
    return kind == "complete" and len(lacking) >= 3 and len(lacking & _bigrams(m.quote)) >= 0.8 * len(lacking)


def _count_accounted(problem: dict, quote: str) -> bool:
    """A passage accounting for the problem's own count, part done and the rest told ("仍有D级危房5栋"
    → "已拆除D级危房3栋，剩余2栋计划于…完成加固"): two figures of its unit adding up to it, the second
    after a word of what remains (data/rectify_terms.yaml count_rest); or all of it removed at once
    ("仍有大班额23个" → "消除56人以上班级23个", count_cleared). Its answer, however few of the
    problem's other words it has."""
    rest, cleared = terms().rx("count_rest"), terms().rx("count_cleared")
    for f in problem.get("figures") or []:
        unit, whole = f.get("unit"), f.get("value")
        if not unit or not whole or unit in ("%", "个百分点") or whole != int(whole):
            continue
        found = [(int(x.group(1)), x.start()) for x in re.finditer(r"(\d+)\s*" + re.escape(unit), quote)]
        if any(a == whole and cleared.search(quote[max(0, at - 20):at]) for a, at in found):
            return True
        for i, (a, _) in enumerate(found):
            for j, (b, at) in enumerate(found):
                if i != j and a and b and a + b == whole and rest.search(quote[max(0, at - 8):at]):
                    return True
    return False


def rescue(problem: dict, kinds: list[tuple[str, Match]], letter: tuple = (), own=None,
           key: str = "rescue") -> list[tuple[str, Match]]:
    """Of passages the rules did not accept (`kinds`), those the model scores at or above its
    threshold `key` (`rescue` after a veto, `rescue_unmatched` when the rules accepted nothing,
    `rescue_admission` for the report's own 存在问题 beside an answer, `rescue_progress` for work under
    way beside work done; none without one); `own(match)`: the passage without the problem it restates."""
    model = active()
    cut = model.data.get(key) if model is not None else None
    if cut is None or not kinds:
        return []
    probs = model.prob([vector(features(problem, m, k, letter, own(m) if own else None)) for k, m in kinds])
    return [km for km, pr in zip(kinds, probs) if pr >= cut]
