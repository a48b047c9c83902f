"""A learned status decision for problems the report answers (resolved / in_progress / persists).

The rules' order of precedence (status.judge) settles most problems on the sets it was tuned on,
but on letters never seen its largest error class is resolved ↔ in_progress ↔ persists. This
module reads the same evidence as explicit, general features — the rules' own verdict, how each
accepted passage reads (passage_kind), figures against their standard, what remains / by when /
what is still short in the passages and in their neighbours, the report's own 存在问题 restating
the problem, ledger rows marked done, dates after the report's own — and a one-vs-rest logistic
regression (data/rectify_status_model.yaml, trained by scripts/train_rectify_model.py) picks the
status (a close call, within the model's margin, stays the rules'). It never touches
not_addressed and never changes evidence. Without the file the rules decide alone.
"""
from __future__ import annotations

import math
import re

import numpy as np

from dudao.rectify.slot import ModelSlot
from dudao.rectify.match import Match, after_signing, remains, still_to_come
from dudao.rectify.terms import terms

CLASSES = ("resolved", "in_progress", "persists")
KINDS = ("admit", "weak_admit", "partial", "dated", "ongoing", "plan", "complete", "done", "mention")

FEATURES = (
    "rule_resolved", "rule_in_progress", "rule_persists",   # the rules' own verdict
    *(f"has_{k}" for k in KINDS),                            # how the accepted passages read
    "share_admit",     # best admission's score against the best passage's
    "fig_met",         # a compared figure now meets its standard
    "fig_improved",    # … improved but still short
    "fig_worse",       # … not improved
    "fig_all_met",     # every compared figure with a standard meets it
    "fig_no_std",      # figures compared with no standard to hold them to
    "remainder",       # what remains ("剩余/尚有/其余…") in a passage or a neighbour
    "dated",           # a date for the rest in a passage or a neighbour
    "future_month",    # a month later than the report's own date
    "persist_cue",     # "仍/尚未/不足…" in an accepted passage
    "persist_near",    # … only in a neighbouring passage
    "complete_cue",    # "全部/消除/到位/销号…" in an accepted passage
    "ledger_done",     # a table row marked done (已完成/销号/完成)
    "plan_cue",        # "下一步/将/计划/拟" in a passage or a neighbour
    "progress_pct",    # a share of the work below all ("完成总任务的65%")
    "n_passages",      # log count of accepted passages
    "aside_dated",     # a passage most like the problem, not among the accepted, tells a remainder or a date
    "aside_admit",     # … admits the problem in the report's 存在问题
)

_PLAN = re.compile(r"下一步|计划|拟|将(?:于|在|进一步|继续)|力争|确保.{0,12}(?:前|底)")
_LEDGER_DONE = re.compile(r"(?:[\t|｜]\s*)(?:已完成|已销号|完成|已整改)")
_PCT = re.compile(r"(?:完成|进度|达到)[^，。；]{0,10}?(\d{1,2}(?:\.\d+)?)\s*%")


def _neighbours(m: Match, topics: set) -> list[str]:
    """The passages right before and after an accepted one (not headings) that name no topic
    beyond the problem's: "另外，食堂改造尚未完成" beside it says nothing of this problem."""
    ps = m.doc.passages
    i = next((k for k, p in enumerate(ps) if p.start == m.passage.start), None)
    if i is None:
        return []
    return [m.doc.text[p.start:p.end] for p in (ps[i - 1] if i else None, ps[i + 1] if i + 1 < len(ps) else None)
            if p is not None and not p.heading and not (p.topics["concept"] | p.topics["indicator"]) - topics]


def features(rule_status: str, kinds: list[tuple[str, Match]], figures: list[dict], topics: set = frozenset(),
             focused: list[tuple[str, str]] | None = None,
             aside: list[tuple[str, Match]] = ()) -> dict[str, float]:
    """The named features of one answered problem (`kinds`: accepted passages with their
    passage_kind; `figures`: status.compare_figures; `topics`: the problem's; `focused`: per
    passage, the part about the problem from its first clause naming it and from the start, the
    problem's own restated words left out — status.focus, status.unrestated)."""
    cues = terms().cues
    focused = focused or [(m.quote, m.quote) for _, m in kinds]
    quotes = [f for f, _ in focused]     # what is done or still short: the clauses about the problem
    whole = [w for _, w in focused]      # what remains and by when may be told before them
    beside = [(m, q) for _, m in kinds for q in _neighbours(m, set(topics))]
    near = [q for _, q in beside]
    # dates done or before the report's own, and routines, are not deadlines to come
    to_come = [still_to_come(q, m.doc.date) for q, (_, m) in zip(whole, kinds)] + [
        still_to_come(q, m.doc.date) for m, q in beside]
    has = {k for k, _ in kinds}
    top = max((m.score for _, m in kinds), default=0.0)
    admit = max((m.score for k, m in kinds if k == "admit"), default=0.0)
    verdicts = [r.get("verdict") for r in figures]
    std = [v for v in verdicts if v]
    pcts = [float(x) for q in quotes for x in _PCT.findall(q)]
    out = {f"rule_{c}": float(rule_status == c) for c in CLASSES}
    out.update({f"has_{k}": float(k in has) for k in KINDS})
    out.update({
        "share_admit": admit / top if top else 0.0,
        "fig_met": float("resolved" in std),
        "fig_improved": float("in_progress" in std),
        "fig_worse": float("persists" in std),
        "fig_all_met": float(bool(std) and set(std) == {"resolved"}),
        "fig_no_std": float(any(v is None for v in verdicts)),
        "remainder": float(any(remains(q) for q in whole + near)),
        "dated": float(any(cues["dated"].search(q) for q in to_come)),
        "future_month": float(any(after_signing(m.quote, m.doc.date) for _, m in kinds)),
        "persist_cue": float(any(cues["persist"].search(q) for q in quotes)),
        "persist_near": float(any(cues["persist"].search(q) for q in near)
                              and not any(cues["persist"].search(q) for q in quotes)),
        "complete_cue": float(any(cues["complete"].search(q) for q in quotes)),
        "ledger_done": float(any(_LEDGER_DONE.search(q) for q in quotes)),
        "plan_cue": float(any(_PLAN.search(q) for q in whole + near)),
        "progress_pct": float(any(p < 100 for p in pcts)),
        "n_passages": math.log(1 + len(kinds)),
        "aside_dated": float(any(k == "dated" for k, _ in aside)),
        "aside_admit": float(any(k in ("admit", "weak_admit") for k, _ in aside)),
    })
    return out


def vector(feats: dict[str, float]) -> list[float]:
    return [float(feats[n]) for n in FEATURES]


class Model:
    """One logistic regression per status over standardised features; the highest score wins when
    it beats the score of the rules' own status by more than the model's `margin` (a close call
    stays the rules')."""

    def __init__(self, data: dict):
        if list(data["features"]) != list(FEATURES) or list(data["classes"]) != list(CLASSES):
            raise ValueError("rectify status model features differ from the code's")
        self.data = data
        self.mean = np.asarray(data["mean"], dtype=float)
        self.scale = np.asarray(data["scale"], dtype=float)
        self.coef = np.asarray(data["coef"], dtype=float)          # classes × features
        self.intercept = np.asarray(data["intercept"], dtype=float)
        self.margin = float(data.get("margin") or 0.0)

    def scores(self, row: list[float]) -> np.ndarray:
        x = (np.asarray(row, dtype=float) - self.mean) / self.scale
        return 1.0 / (1.0 + np.exp(-(self.coef @ x + self.intercept)))

    def decide(self, row: list[float]) -> str:
        scores = self.scores(row)
        best = int(np.argmax(scores))
        votes = [i for i in range(len(CLASSES)) if row[i] == 1.0]   # the rules' status (rule_* features)
        if len(votes) == 1 and scores[best] - scores[votes[0]] <= self.margin:
            return CLASSES[votes[0]]
        return CLASSES[best]


_slot = ModelSlot("rectify_status_model", Model)
MODEL_PATH = _slot.path


def using(model: Model | None):
    """Run with another status model (None: the rules alone)."""
    return _slot.using(model)


def active() -> Model | None:
    return _slot.active()


def status(rule_status: str, kinds: list[tuple[str, Match]], figures: list[dict], topics: set = frozenset(),
           focused: list[tuple[str, str]] | None = None, aside=tuple) -> str:
    """The model's status for an answered problem, or the rules' without a model (`aside()`: the
    passages most like the problem that are not among `kinds`, with their passage_kind; asked
    only when the model decides)."""
    model = active()
    if model is None or rule_status not in CLASSES or not kinds:
        return rule_status
    return model.decide(vector(features(rule_status, kinds, figures, topics, focused, aside())))
