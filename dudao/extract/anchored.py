"""Faster equivalents of `pattern.finditer(text)` for the extractors' hot patterns.

`Anchored`: a pattern is only tried where its required literal occurs.

Most vocabulary patterns ("(?:九年)?义务教育(?:阶段)?巩固率") begin with optional parts, so the
regex engine tries them at every character of a report. Each such pattern has a literal that
every match must contain ("巩固率") at a bounded distance from the match start; `str.find`
locates that literal in C, and the pattern is matched only at the few starts it allows. The
matches are exactly those of `pattern.finditer(text)`: same spans, same groups, same order.

`scan_from`: a pattern of many alternatives is only tried where one of them can begin.
"""
from __future__ import annotations

import re
from re import _constants as _c
from re import _parser

__all__ = ["Anchored", "anchor_of", "scan_from"]

_MAX_LEAD = 64  # a literal further than this from the match start is not worth anchoring on


def anchor_of(rx: re.Pattern) -> tuple[str, int, int] | None:
    """(literal, min, max distance of it from the match start), or None when no top-level
    literal at a bounded distance exists (then plain `finditer` is used)."""
    if rx.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    parsed = _parser.parse(rx.pattern, rx.flags)
    items = list(parsed)
    best = None
    i = 0
    while i < len(items):
        if items[i][0] is not _c.LITERAL:
            i += 1
            continue
        j = i
        while j < len(items) and items[j][0] is _c.LITERAL:
            j += 1
        lo, hi = _parser.SubPattern(parsed.state, items[:i]).getwidth()
        lit = "".join(chr(av) for _, av in items[i:j])
        if hi <= _MAX_LEAD and (best is None or len(lit) > len(best[0])):
            best = (lit, lo, hi)
        i = j
    return best


class Anchored:
    """A compiled pattern with its anchor; `finditer(text)` equals `rx.finditer(text)`."""

    __slots__ = ("rx", "anchor")

    def __init__(self, rx: re.Pattern):
        self.rx = rx
        self.anchor = anchor_of(rx)

    def finditer(self, text: str):
        if self.anchor is None:
            yield from self.rx.finditer(text)
            return
        lit, lo, hi = self.anchor
        starts = set()
        i = text.find(lit)
        while i >= 0:
            starts.update(range(max(0, i - hi), i - lo + 1))
            i = text.find(lit, i + 1)
        pos = 0
        match = self.rx.match
        for s in sorted(starts):
            if s < pos:
                continue
            m = match(text, s)
            if m is not None:  # never empty: it contains the literal
                yield m
                pos = m.end()


def scan_from(rx: re.Pattern, first: re.Pattern, text: str):
    """The matches of rx.finditer(text), for a pattern that never matches empty and whose every
    match begins with a character `first` (a one-character class) matches. A pattern made of
    named alternatives gets no fast skip from the engine, which then tries every alternative at
    every character; `first.search` skips in C to the places a match can begin."""
    search, match = first.search, rx.match
    pos = 0
    while (c := search(text, pos)) is not None:
        m = match(text, c.start())
        if m is None:
            pos = c.start() + 1
        else:
            yield m
            pos = m.end()
