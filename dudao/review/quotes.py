"""Quotes for letters and pages: whole sentences, or whole clauses with an ellipsis, never a word cut.

A quote is taken from the report text around a span [start, end). It grows to the sentence that
holds the span; a sentence longer than the limit is trimmed at clause marks (，；：、) around the
span and the omission shown as “……”.
"""
from __future__ import annotations

import re

SENTENCE_END = "。！？；\n"
CLAUSE_END = "，：、,;:"
_END_MARKS = "。！？；，、：;,:.!? "
_CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]) +| +(?=[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef])")


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence holding [start, end): from after the previous sentence end to its own end mark
    (included)."""
    left = max(text.rfind(ch, 0, start) for ch in SENTENCE_END) + 1
    rights = [i for i in (text.find(ch, max(end - 1, start)) for ch in SENTENCE_END) if i >= 0]
    right = min(rights) + 1 if rights else len(text)
    if right > 0 and text[right - 1] == "\n":
        right -= 1
    return left, max(right, end)


def quote(text: str, start: int | None, end: int | None, limit: int = 120) -> str:
    """The whole sentence around [start, end), cut at clause marks when longer than `limit`.
    Empty when the span is empty or missing."""
    if not text or start is None or end is None or not (0 <= start < end <= len(text)):
        return ""
    left, right = sentence_bounds(text, start, end)
    head, tail = "", ""
    if right - left > limit:
        # clauses before the span are dropped first, then clauses after it
        marks = [i + 1 for i in range(left, start) if text[i] in CLAUSE_END]
        while marks and right - left > limit:
            left = marks.pop(0)
            head = "……"
        cut = [i for i in range(end, right) if text[i] in CLAUSE_END]
        if right - left > limit and cut:
            fit = [i for i in cut if i - left <= limit] or cut[:1]
            right, tail = fit[-1], "……"
    body = " ".join(text[left:right].split())
    return head + body + tail


def for_quotation(q: str) -> str:
    """A quote put inside “…” followed by 。: its own closing mark is dropped."""
    return q.rstrip(_END_MARKS)


def as_sentence(s: str) -> str:
    """A sentence ending in 。 (a trailing ；，、 is replaced)."""
    s = s.strip().rstrip("；，、;,： ")
    return s if not s or s[-1] in "。！？" else s + "。"


def tidy(s: str) -> str:
    """No spaces between Chinese characters and figures (“2019 年为 14.67亿元” → “2019年为14.67亿元”)."""
    return _CJK_SPACE.sub("", s)
