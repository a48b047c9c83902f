"""Classify a report's doc_type: explainable cues (data/doctypes.yaml) weighted by a small
linear model (data/doctype_model.yaml, learned by dudao/doctype_train.py from texts the team
wrote). Every verdict carries its probability and the cues that decided it."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from dudao.resources import load_yaml

TYPES = ("self_report", "school_self_report", "feedback", "rectification", "scheme", "news", "other")


@dataclass
class Verdict:
    doc_type: str
    relevant: bool
    scores: dict
    education_density: float
    confidence: float = 1.0
    cues: list = field(default_factory=list)
    uncertain: bool = False


@dataclass
class Cues:
    data: dict
    edu: re.Pattern
    patterns: dict  # cue name -> compiled pattern
    # cue name -> strings one of which every match holds (a window with none has no match)
    needs: dict = field(default_factory=dict)
    # cue name -> text -> its matches (anchored.finder: the pattern's finditer, or a faster equal)
    finds: dict = field(default_factory=dict)
    # cue name -> its needs split into (strings of two or more characters, single characters),
    # and an automaton of all the longer ones: one pass over the window tells which of them it
    # holds (a str.find each read the window once per string, most of them to its end)
    needs_split: dict = field(default_factory=dict)
    words: object = None


@lru_cache(maxsize=1)
def _cues() -> Cues:
    from dudao.extract.anchored import finder, required_literals
    data = load_yaml("doctypes")
    pats = {name: re.compile(spec["pattern"]) for name, spec in data["cues"].items()}
    needs = {name: required_literals(p) for name, p in pats.items()}
    split = {name: (frozenset(w for w in need if len(w) > 1), tuple(w for w in need if len(w) == 1))
             for name, need in needs.items() if need}
    words = None
    longer = sorted(set().union(*(many for many, _ in split.values())))
    if longer:
        import ahocorasick
        words = ahocorasick.Automaton()
        for w in longer:
            words.add_word(w, w)
        words.make_automaton()
    return Cues(data, re.compile("|".join(data["education_cues"])), pats, needs,
                {name: finder(p) for name, p in pats.items()}, split, words)


@lru_cache(maxsize=1)
def _weights() -> dict:
    return load_yaml("doctype_model")


def title_end(text: str, max_lines: int = 3, max_chars: int = 80) -> int:
    """End of the leading short lines that carry the title (page chrome may stand among them);
    they stop at the first sentence, addressee line or long line."""
    pos, end, seen = 0, 0, 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            seen += 1
            if seen > max_lines or len(stripped) > max_chars or stripped.endswith(("。", "：", ":", "，", ",")):
                break
            end = pos + len(line)
        pos += len(line) + 1
    return end


def features(text: str) -> tuple[dict, dict]:
    """Feature values and, for each firing feature, its first match (start, end) in `text`."""
    c = _cues()
    window = text[:c.data["window"]]
    tend = title_end(window, c.data["title_max_lines"], c.data["title_max_chars"])
    title = window[:tend]
    feats, where = {}, {}
    present = {w for _, w in c.words.iter(window)} if c.words is not None else set()
    for name, pat in c.patterns.items():
        need = c.needs.get(name)
        if c.data["cues"][name].get("title_only"):
            if need and not any(map(title.__contains__, need)):
                continue
            h = pat.search(title)
            if h:
                feats["title:" + name] = 1.0
                where["title:" + name] = h.span()
            continue
        if need:
            many, single = c.needs_split[name]
            if present.isdisjoint(many) and not any(map(window.__contains__, single)):
                continue   # no cue word in the window: the pattern cannot match (cheap check first)
        hits = list(c.finds[name](window))
        if not hits:
            continue
        feats["text:" + name] = math.log1p(len(hits))
        where["text:" + name] = hits[0].span()
        if hits[0].end() <= tend and name != "dateline":
            feats["title:" + name] = 1.0
            where["title:" + name] = hits[0].span()
    return feats, where


def _softmax(scores: dict) -> dict:
    top = max(scores.values())
    exp = {t: math.exp(s - top) for t, s in scores.items()}
    z = sum(exp.values())
    return {t: v / z for t, v in exp.items()}


def predict(feats: dict, model: dict) -> dict:
    """Probability of each type under the linear model {bias: {type: w}, weights: {feat: {type: w}}}."""
    scores = dict(model["bias"])
    for f, x in feats.items():
        for t, w in model["weights"].get(f, {}).items():
            scores[t] += w * x
    return _softmax(scores)


def classify(text: str, model: dict | None = None) -> Verdict:
    c = _cues()
    model = model or _weights()
    n = max(1, len(text))
    density = len(c.edu.findall(text[:c.data["window"] * 3])) * 1000 / min(n, c.data["window"] * 3)
    feats, where = features(text)
    label_probs = predict(feats, model)
    probs = {}
    for label, p in label_probs.items():   # "other/speech" counts for "other"
        probs[label.split("/")[0]] = probs.get(label.split("/")[0], 0.0) + p
    scores = {t: round(p, 3) for t, p in probs.items()}
    if density < c.data["min_education_per_kchar"]:
        return Verdict("other", False, scores, density, 1.0,
                       [{"cue": "教育相关词很少", "text": "", "start": 0, "end": 0, "weight": 0.0}])
    best = max(probs, key=probs.get)
    # Explain with the strongest label of the winning type against the strongest of another type.
    best_label = max((lab for lab in label_probs if lab.split("/")[0] == best), key=label_probs.get)
    runner = max((lab for lab in label_probs if lab.split("/")[0] != best), key=label_probs.get)
    cues = _deciding_cues(text, feats, where, model, best_label, runner)
    conf = round(probs[best], 3)
    return Verdict(best, best == "self_report", scores, density, conf, cues, conf < c.data["low_confidence"])


def _deciding_cues(text, feats, where, model, best, runner, k: int = 3) -> list[dict]:
    """The features that pushed `best` furthest above the runner-up, with the text they matched."""
    labels = _cues().data["cues"]
    contrib = []
    for f, x in feats.items():
        w = model["weights"].get(f, {})
        gain = (w.get(best, 0.0) - w.get(runner, 0.0)) * x
        if gain > 0:
            contrib.append((gain, f))
    out = []
    for gain, f in sorted(contrib, reverse=True)[:k]:
        zone, name = f.split(":", 1)
        s, e = where[f]
        label = labels[name]["label"] + ("（标题）" if zone == "title" else "")
        out.append({"cue": label, "text": text[s:e], "start": s, "end": e, "weight": round(gain, 2)})
    return out
