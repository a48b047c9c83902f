"""Classify a report's doc_type from its content (cue words in data/doctypes.yaml)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from dudao.resources import load_yaml


@dataclass
class Verdict:
    doc_type: str
    relevant: bool
    scores: dict
    education_density: float


@lru_cache(maxsize=1)
def _model():
    data = load_yaml("doctypes")
    edu = re.compile("|".join(data["education_cues"]))
    types = {t: [(re.compile(p), w) for p, w in spec["cues"].items()] for t, spec in data["types"].items()}
    titles = [(r["type"], re.compile(r["pattern"])) for r in data["title_rules"]]
    return edu, types, data["minimum_score"], data["min_education_per_kchar"], titles, data


def title_block(text: str, max_lines: int = 3, max_chars: int = 80) -> str:
    """The leading short lines that carry the title (not the addressee line "某某：")."""
    out = []
    for line in text.split("\n")[:max_lines]:
        line = line.strip()
        if not line or len(line) > max_chars or line.endswith(("。", "：", ":")):
            break
        out.append(line)
    return "".join(out)


def classify(text: str) -> Verdict:
    edu, types, minimum, min_edu, titles, data = _model()
    n = max(1, len(text))
    density = len(edu.findall(text)) * 1000 / n
    # Weight by presence and, with diminishing returns, by count: long reports repeat cues.
    scores = {}
    for t, cues in types.items():
        total = 0.0
        for pat, w in cues:
            hits = len(pat.findall(text))
            if hits:
                total += w * (1 + min(hits, 10) ** 0.5) / 2
        scores[t] = round(total, 2)
    if density < min_edu:
        return Verdict("other", False, scores, density)
    title = title_block(text, data["title_max_lines"], data["title_max_chars"])
    for doc_type, pat in titles:
        if title and pat.search(title):
            scores["title"] = doc_type
            return Verdict(doc_type, doc_type == "self_report", scores, density)
    best = max(types, key=scores.get)
    if scores[best] < minimum:
        return Verdict("other", False, scores, density)
    return Verdict(best, best == "self_report", scores, density)
