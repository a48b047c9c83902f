"""Faster equivalents of `pattern.finditer(text)` for the extractors' hot patterns.

`Anchored`: a pattern is only tried where its required literal occurs.

Most vocabulary patterns ("(?:九年)?义务教育(?:阶段)?巩固率") begin with optional parts, so the
regex engine tries them at every character of a report. Each such pattern has a literal that
every match must contain ("巩固率") at a bounded distance from the match start; `str.find`
locates that literal in C, and the pattern is matched only at the few starts it allows. The
matches are exactly those of `pattern.finditer(text)`: same spans, same groups, same order.

`scan_from`: a pattern of many alternatives is only tried where one of them can begin.

`required_literals`: strings one of which every match contains, so that a text holding none of
them is known to have no match without running the pattern over it.
"""
from __future__ import annotations

import re
from re import _constants as _c
from re import _parser

__all__ = ["Anchored", "anchor_of", "required_literals", "scan_from"]

_MAX_LEAD = 64  # a literal further than this from the match start is not worth anchoring on
_MAX_LITERALS = 12  # more strings than this cost about as much to look for as the pattern


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


def required_literals(rx: re.Pattern) -> tuple[str, ...] | None:
    """Strings one of which every match of `rx` contains (None when no such short list is found):
    `any(s in text for s in it)` is False only when `rx.search(text)` is None."""
    if rx.flags & re.IGNORECASE:
        return None
    found = _need(list(_parser.parse(rx.pattern, rx.flags)))
    if not found:
        return None
    # a string that holds another of the list adds nothing ("自查自评" when "自查" is there)
    return tuple(sorted(s for s in found if not any(t != s and t in s for t in found)))


def _need(items) -> set[str] | None:
    """Strings one of which every match of the sequence `items` contains, or None. Each
    mandatory part of the sequence offers such a set; the smallest (then longest) one is kept."""
    offers = []
    run: list[str] = []   # adjacent literals are one string in every match
    for op, av in items + [(None, None)]:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            offers.append({"".join(run)})
            run = []
        if op is _c.IN:
            if all(o is _c.LITERAL for o, _ in av):
                offers.append({chr(a) for _, a in av})
        elif op is _c.BRANCH:
            alts = [_need(list(b)) for b in av[1]]
            if all(alts):
                offers.append(set().union(*alts))
        elif op is _c.SUBPATTERN:
            if not av[1] & re.IGNORECASE:
                offers.append(_need(list(av[3])))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            if av[0] >= 1:
                offers.append(_need(list(av[2])))
        elif op is _c.ATOMIC_GROUP:
            offers.append(_need(list(av)))
        # anything else (assertions, classes, any character) requires no literal
    offers = [o for o in offers if o and len(o) <= _MAX_LITERALS]
    return min(offers, key=lambda o: (len(o), -min(map(len, o))), default=None)
