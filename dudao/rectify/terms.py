"""The vocabulary of dudao rectify: concepts (data/rectify_terms.yaml), canonical indicators
(data/indicators.yaml) and themes (data/themes.yaml), compiled once."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from dudao.resources import load_yaml


@dataclass(frozen=True)
class Topic:
    id: str
    name: str
    kind: str            # "concept" | "indicator" | "theme"
    pattern: re.Pattern
    subject: bool = False   # who or what a problem is about, rather than an aspect of it
    broad: bool = False     # a domain (经费, 体育) that gives way to a specific aspect beside it


@dataclass(frozen=True)
class Terms:
    topics: tuple
    cues: dict
    weights: dict
    data: dict

    def rx(self, key: str) -> re.Pattern:
        return _compiled(key)

    @staticmethod
    def rx_of(pattern: str) -> re.Pattern:
        return _compile(pattern)


def _alias_re(a) -> str:
    # indicators.yaml aliases are strings or {re, context}; the context-free part is enough here
    raw = a["re"] if isinstance(a, dict) else a
    return re.sub(r"\(\?P<\w+>", "(?:", raw)


@lru_cache(maxsize=1)
def terms() -> Terms:
    data = load_yaml("rectify_terms")
    topics = []
    for cid, c in data["concepts"].items():
        topics.append(Topic(cid, c["name"], "concept", re.compile("|".join(f"(?:{t})" for t in c["terms"])),
                            bool(c.get("subject")), bool(c.get("broad"))))
    for name, ind in load_yaml("indicators")["indicators"].items():
        alts = [_alias_re(a) for a in ind.get("aliases") or []]
        if alts:
            topics.append(Topic(name, name, "indicator", re.compile("|".join(f"(?:{a})" for a in alts))))
    for th in load_yaml("themes")["themes"]:
        if th.get("keywords"):
            topics.append(Topic(th["id"], th["name"], "theme",
                                re.compile("|".join(f"(?:{k})" for k in th["keywords"]))))
    cues = {k: re.compile(v) for k, v in data["cues"].items()}
    return Terms(tuple(topics), cues, dict(data["weights"]), data)


@lru_cache(maxsize=None)
def _compile(pattern: str) -> re.Pattern:
    return re.compile(pattern)


@lru_cache(maxsize=None)
def _compiled(key: str) -> re.Pattern:
    return re.compile(terms().data[key])


@lru_cache(maxsize=8192)
def topics_in(text: str) -> dict[str, frozenset]:
    """Topic ids found in `text`, by kind (cached: headings are asked about once per clause)."""
    found: dict[str, set[str]] = {"concept": set(), "indicator": set(), "theme": set()}
    text = _compiled("agencies").sub("·", text)   # a department's name names no topic (人社局's 社保)
    for t in terms().topics:
        if t.pattern.search(text):
            found[t.kind].add(t.id)
    return {k: frozenset(v) for k, v in found.items()}


@lru_cache(maxsize=1)
def subjects() -> frozenset:
    return frozenset(t.id for t in terms().topics if t.subject)


@lru_cache(maxsize=1)
def broad() -> frozenset:
    return frozenset(t.id for t in terms().topics if t.broad)


@lru_cache(maxsize=1)
def patterns() -> dict:
    return {t.id: t.pattern for t in terms().topics if t.kind == "concept"}


@lru_cache(maxsize=1)
def term_patterns() -> dict:
    """Concept id -> its terms compiled one by one (to find every span any of them covers)."""
    return {cid: [re.compile(x) for x in c["terms"]] for cid, c in terms().data["concepts"].items()}


def topic_name(tid: str) -> str:
    return next((t.name for t in terms().topics if t.id == tid), tid)
