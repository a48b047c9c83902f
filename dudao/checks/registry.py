"""The check registry and the text helpers checks share (kept apart from dudao.checks so that
rules.py, which registers the checks, and the package that runs them do not import each other)."""
from __future__ import annotations

import re
from typing import Callable

CHECKS: list[tuple[str, Callable]] = []


def check(name: str):
    def deco(fn):
        CHECKS.append((name, fn))
        return fn
    return deco


def sentence_around(text: str, start: int, end: int, limit: int = 80) -> tuple[int, int]:
    """The sentence (or clause run) holding [start, end), trimmed to `limit` characters."""
    left = max(text.rfind(ch, 0, start) for ch in "。！？；\n") + 1
    rights = [i for i in (text.find(ch, end) for ch in "。！？；\n") if i >= 0]
    right = min(rights) if rights else len(text)
    if right - left > limit:
        left = max(left, start - limit // 2)
        right = min(right, end + limit // 2)
    return left, right


WORD_RUN = re.compile(r"[A-Za-z0-9]+(?:[.,'’\-][A-Za-z0-9]+)*")
CJK_OR_FULLWIDTH = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2018-\u201f\u2026\u2014]")


_CJK_RUN = re.compile(CJK_OR_FULLWIDTH.pattern + "+")


def word_count(text: str) -> int:
    """字数 as Microsoft Word counts it for Chinese text: each CJK character and each full-width
    punctuation mark is one; each run of Latin letters/digits is one word."""
    # Characters counted by their runs: one match per run, not one per character (8x faster).
    return sum(map(len, _CJK_RUN.findall(text))) + len(WORD_RUN.findall(text))
