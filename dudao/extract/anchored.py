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

`first_chars`: a one-character class every match begins with, for `scan_from` or to learn with
one search in C that a text holds no match at all.

`first_strings`: a few short strings one of which every match begins with ("19", "20" rather
than the character class [12]), so that the candidates are checked in C, not in a Python loop.

`finder`: `rx.finditer`, or `scan_from` with `first_strings` or `first_chars` for a pattern the
engine cannot skip through by itself (an alternative that starts with a lookbehind or a class
loses the engine's own first-character skip).
"""
from __future__ import annotations

import re
import sys
from functools import partial
from re import _compiler, _constants as _c
from re import _parser

__all__ = ["Anchored", "anchor_of", "finder", "finder_for", "first_chars", "first_strings",
           "required_literals", "scan_from"]

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

    __slots__ = ("rx", "anchor", "first")

    def __init__(self, rx: re.Pattern):
        self.rx = rx
        self.anchor = anchor_of(rx)
        # a wide window ("学位" up to 11 characters after the start) is searched in C for the
        # characters a match can begin with, not tried at each start
        self.first = first_chars(rx) if self.anchor and self.anchor[2] > self.anchor[1] else None

    def finditer(self, text: str, at=None):
        """`at`: every offset of the anchor's literal in `text`, ascending, when the caller found
        them already (one automaton for many patterns' literals); else they are looked for here."""
        if self.anchor is None:
            yield from self.rx.finditer(text)
            return
        lit, lo, hi = self.anchor
        if at is None:
            at = []
            i = text.find(lit)
            while i >= 0:
                at.append(i)
                i = text.find(lit, i + 1)
        # The offsets ascend, so the windows of starts [i - hi, i - lo] do too: walking them in
        # order, never before the last start tried or the last match's end, tries each start of
        # their union once, in ascending order (no set of every start to build and sort).
        pos = 0
        match = self.rx.match
        first = self.first
        for i in at:
            s = i - hi if i - hi > pos else pos
            e = i - lo
            while s <= e:
                if first is not None and s < e:
                    c = first.search(text, s, e + 1)   # a one-character class: endpos is exact
                    if c is None:
                        s = e + 1
                        break
                    s = c.start()
                m = match(text, s)
                if m is None:
                    s += 1
                else:   # never empty: it contains the literal
                    yield m
                    s = m.end()
            if s > pos:
                pos = s


def scan_from(rx: re.Pattern, first: re.Pattern, text: str, pos: int = 0, endpos: int = sys.maxsize):
    """The matches of rx.finditer(text, pos, endpos), for a pattern that never matches empty and
    whose every match begins with a character `first` (a one-character class) matches. A pattern
    made of named alternatives gets no fast skip from the engine, which then tries every
    alternative at every character; `first.search` skips in C to the places a match can begin."""
    search, match = first.search, rx.match
    while (c := search(text, pos, endpos)) is not None:
        m = match(text, c.start(), endpos)
        if m is None:
            pos = c.start() + 1
        else:
            yield m
            pos = m.end()


def finder(rx: re.Pattern):
    """A function (text, pos=0, endpos=len) -> the matches of rx.finditer(text, pos, endpos), same
    spans, groups and order."""
    parsed = _parser.parse(rx.pattern, rx.flags)   # once for the three questions (start-up time)
    if _engine_skips(rx, parsed):
        return rx.finditer
    first = first_strings(rx, parsed) or first_chars(rx, parsed)
    if first is None:
        return rx.finditer
    return partial(scan_from, rx, first)


_FINDERS: dict[int, tuple] = {}   # id(rx) -> (rx, its finder)


def finder_for(rx: re.Pattern):
    """`finder(rx)`, built once per pattern. Kept by id, not in an lru_cache: hashing a pattern
    hashes its whole compiled code, which costs more than a scan of the short windows some
    callers ask about (several times a figure)."""
    got = _FINDERS.get(id(rx))
    if got is None:
        got = _FINDERS[id(rx)] = (rx, finder(rx))   # rx kept alive, so its id is not reused
    return got[1]


def _engine_skips(rx: re.Pattern, parsed) -> bool:
    """Whether the regex engine has a literal or character-set prefix of its own to skip to the
    places a match can begin (then scan_from only adds a Python loop)."""
    try:
        return bool(_compiler._get_literal_prefix(parsed, rx.flags)[0]
                    or _compiler._get_charset_prefix(parsed, rx.flags))
    except (AttributeError, TypeError, IndexError):   # the engine's internals changed
        return False


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


def first_chars(rx: re.Pattern, parsed=None) -> re.Pattern | None:
    """A compiled one-character class that the first character of every match of `rx` is in,
    or None when the parser cannot tell (a class with categories or negation, any character, a
    match that may be empty, case folding). `parsed`: rx's parse tree, when the caller has it."""
    if rx.flags & re.IGNORECASE:
        return None
    chars: list[str] = []
    if _first(list(parsed or _parser.parse(rx.pattern, rx.flags)), chars) is not False or not chars:
        return None
    return re.compile("[" + "".join(chars) + "]")


def _first(items, chars: list[str]) -> bool | None:
    """Add to `chars` (class items, escaped) every character a match of the sequence can begin
    with. True: the sequence may match empty; False: it cannot; None: unknown."""
    for op, av in items:
        if op is _c.LITERAL:
            chars.append(re.escape(chr(av)))
            return False
        if op is _c.IN:
            for o, a in av:
                if o is _c.LITERAL:
                    chars.append(re.escape(chr(a)))
                elif o is _c.RANGE:
                    chars.append(re.escape(chr(a[0])) + "-" + re.escape(chr(a[1])))
                else:   # negation, categories (\d, \s): not worth spelling out
                    return None
            return False
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue   # zero width: the next item gives the first character
        if op is _c.BRANCH:
            empty = False
            for b in av[1]:
                r = _first(list(b), chars)
                if r is None:
                    return None
                empty |= r
            if not empty:
                return False
        elif op is _c.SUBPATTERN:
            if av[1] & re.IGNORECASE:   # (?i:…): other cases match too
                return None
            r = _first(list(av[3]), chars)
            if r is not True:
                return r
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            r = _first(list(av[2]), chars)
            if r is None:
                return None
            if av[0] >= 1 and r is False:
                return False
        elif op is _c.ATOMIC_GROUP:
            r = _first(list(av), chars)
            if r is not True:
                return r
        else:
            return None
    return True


_MAX_PREFIXES = 24   # more strings than this: a class of first characters is as good
_MAX_RANGE = 12      # a class range wider than this is not spelled out character by character


def first_strings(rx: re.Pattern, parsed=None) -> re.Pattern | None:
    """A compiled alternation of strings (two or three characters where the pattern allows) one
    of which every match of `rx` begins with, or None when the parser cannot tell or they would
    be single characters only (then `first_chars` does as well). `scan_from` with it skips in C
    over the places where only the first character fits ("2" of "25%" for a year pattern)."""
    if rx.flags & re.IGNORECASE:
        return None
    items = list(parsed or _parser.parse(rx.pattern, rx.flags))
    found = _strings(items, (3, 2))
    if found is None and len(items) == 1 and items[0][0] is _c.BRANCH:
        # too many for the whole: each alternative as long as its own strings stay few
        # ("19x", "20x" for a year gap, single characters for another alternative)
        found = set()
        for alt in items[0][1][1]:
            own = _strings(list(alt), (3, 2, 1))
            if own is None:
                return None
            found |= own
    if not found or "" in found or all(len(s) < 2 for s in found) or len(found) > 4 * _MAX_PREFIXES:
        return None
    return re.compile("|".join(re.escape(s) for s in sorted(found, key=lambda s: (-len(s), s))))


def _strings(items, lengths) -> set[str] | None:
    for k in lengths:
        states = _prefixes(items, k)
        if states is not None:
            return {s for s, _ in states}
    return None


def _prefixes(items, k: int) -> set[tuple[str, bool]] | None:
    """(s, open) pairs: every match of the sequence begins with one of the strings s (at most k
    characters); `open` when s is all the sequence matched, so what follows may add to it. None:
    unknown, or more than _MAX_PREFIXES strings."""
    states = {("", True)}
    for op, av in items:
        new = set()
        for s, is_open in states:
            if not is_open or len(s) >= k:
                new.add((s[:k], False))
                continue
            ext = _prefix_item(op, av, k - len(s))
            if ext is None:
                if not s:
                    return None
                new.add((s, False))
                continue
            for e, o in ext:
                t = s + e
                new.add((t[:k], o and len(t) < k))
        if len(new) > _MAX_PREFIXES:
            return None
        states = new
    return states


def _prefix_item(op, av, room: int) -> set[tuple[str, bool]] | None:
    if op is _c.LITERAL:
        return {(chr(av), True)}
    if op is _c.IN:
        out = set()
        for o, a in av:
            if o is _c.LITERAL:
                out.add((chr(a), True))
            elif o is _c.RANGE and a[1] - a[0] < _MAX_RANGE:
                out.update((chr(c), True) for c in range(a[0], a[1] + 1))
            else:   # negation, categories, wide ranges
                return None
        return out
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return {("", True)}   # zero width
    if op is _c.BRANCH:
        out = set()
        for b in av[1]:
            r = _prefixes(list(b), room)
            if r is None:
                return None
            out |= r
        return out
    if op is _c.SUBPATTERN:
        if av[1] & re.IGNORECASE:
            return None
        return _prefixes(list(av[3]), room)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        lo, hi, body = av
        r = _prefixes(list(body), room)
        if r is None:
            return None
        if hi != 1:   # another repetition may follow the first: what comes after is unknown
            r = {(s, False) for s, _ in r}
        if lo == 0:
            r.add(("", True))
        return r
    if op is _c.ATOMIC_GROUP:
        return _prefixes(list(av), room)
    return None
