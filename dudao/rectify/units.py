"""Sentence and clause spans of a text (offsets into the text itself)."""
from __future__ import annotations

import re

_SENT_END = re.compile(r"[。！？!?\n]")
# an item marker of a run-in list ("二是", "第二，", "（2）", "2、", "②")
ITEM_MARK = re.compile(r"\s*(?:[一二三四五六七八九十]是|第[一二三四五六七八九十][，,、]|"
                       r"[（(][一二三四五六七八九十\d]{1,2}[）)]|\d{1,2}[、.．](?!\d)|[①②③④⑤⑥⑦⑧⑨⑩])")
# a ；, or a colon opening a numbered run ("…但仍存在一些薄弱环节：一是…；二是…"): the lead-in
# and its first item are told apart
_CLAUSE_END = re.compile(r"[；;]|[：:](?=" + ITEM_MARK.pattern + ")")


def _pieces(text: str, start: int, end: int, stop: re.Pattern):
    pos = start
    for m in stop.finditer(text, start, end):
        yield pos, m.end()
        pos = m.end()
    if pos < end:
        yield pos, end


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " \t\u3000\r\n":
        s += 1
    while e > s and text[e - 1] in " \t\u3000\r\n":
        e -= 1
    return s, e


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Non-empty sentences between start and end (ending at 。！？ or a line break)."""
    end = len(text) if end is None else end
    out = []
    for s, e in _pieces(text, start, end, _SENT_END):
        s, e = _trim(text, s, e)
        if e > s:
            out.append((s, e))
    return out


def clauses(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, int]]:
    """(start, end, sentence index) of every ；-separated clause of every sentence."""
    out = []
    for k, (s, e) in enumerate(sentences(text, start, end)):
        for cs, ce in _pieces(text, s, e, _CLAUSE_END):
            cs, ce = _trim(text, cs, ce)
            if ce > cs:
                out.append((cs, ce, k))
    return out
