"""Clean a RawDoc's text: artefacts, chrome, whitespace, garbled runs, a duplicated copy.

The output is one paragraph per line (blank lines dropped), with an OffsetMap back to the raw
text and findings for what was removed. Removed regions are recorded with their raw offsets and
the cleaned offset where they used to be, so a reviewer can still find them in the source.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from re import _constants, _parser

from dudao.codepoints import codes_of, columns, text_of
from dudao.extract.anchored import first_chars
from dudao.resources import load_yaml
from dudao.spans import OffsetMap, TextBuilder

# Characters that only appear when text was decoded with the wrong codec or extraction broke.
_GARBLE = re.compile(
    r"[\ufffd\ue000-\uf8ff]+"            # replacement character, private-use glyphs
    r"|(?:锟斤拷|烫烫烫|屯屯屯)+"           # classic GBK/UTF-8 round-trip debris
    r"|[ÃÂÅâ][\u0080-\u00ff€™‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜šœžŸ]+"  # UTF-8 read as Latin-1/cp1252
)
# A character next to U+FFFD inside a garbled run is usually part of the mojibake too
# (e.g. a GBK lead byte swallowing the next character), but we only remove what we can prove.
_SPACES = re.compile(r"[ \t\u00a0\u3000\u2002-\u200a\u202f\u205f]+")


@dataclass
class Removed:
    code: str          # garbled_text | duplicate_content | web_boilerplate | artefact
    raw_start: int
    raw_end: int
    clean_at: int      # offset in the cleaned text where the removed text stood
    excerpt: str
    detail: dict = field(default_factory=dict)


@dataclass
class CleanDoc:
    text: str
    map: OffsetMap
    removed: list[Removed]


@lru_cache(maxsize=1)
def _patterns():
    data = load_yaml("boilerplate")
    inline = re.compile("|".join(f"(?:{p})" for p in data["inline_artefacts"]))
    # one test of both lists: a line is dropped when either holds a pattern found in it
    chrome_or_meta = _line_test(data["chrome_lines"] + data["meta_lines"])
    return inline, chrome_or_meta, data["chrome_line_max"]


@lru_cache(maxsize=1)
def _cut_patterns():
    """(pattern, finding code, first_chars class) of what is cut out of a line."""
    inline = _patterns()[0]
    return tuple((rx, code, first_chars(rx)) for rx, code in ((inline, "artefact"), (_GARBLE, "garbled_text")))


def _cuts_in(raw: str) -> tuple:
    """The cut patterns that can match somewhere in `raw`. Most documents hold no character a
    match begins with; one search in C over the whole text then spares a scan of every line."""
    return tuple((rx, code) for rx, code, first in _cut_patterns() if first is None or first.search(raw))


def _line_test(patterns: list[str]):
    """Whether any of `patterns` is found in a line. A search of one alternation would try every
    pattern at every character; those anchored at the start (^…) are only tried there."""
    def anchored(p):
        parsed = _parser.parse(p)
        return (not parsed.state.flags & re.MULTILINE and len(parsed) > 0
                and parsed[0] == (_constants.AT, _constants.AT_BEGINNING))
    head = [p for p in patterns if anchored(p)]
    rest = [p for p in patterns if not anchored(p)]
    match = re.compile("|".join(f"(?:{p})" for p in head)).match if head else None
    search = re.compile("|".join(f"(?:{p})" for p in rest)).search if rest else None
    return lambda line: bool((match and match(line)) or (search and search(line)))


@lru_cache(maxsize=1)
def _list_patterns():
    data = load_yaml("boilerplate")
    return re.compile(data["list_headings"]), data["list_item_max"]


def _lines(text: str):
    """Yield (start, end) of each line without its newline."""
    s, n = 0, len(text)
    while s < n:
        e = text.find("\n", s)
        if e < 0:
            yield s, n
            return
        yield s, e
        s = e + 1


def clean(raw: str) -> CleanDoc:
    raw = raw.replace("\r\n", "\n").replace("\r", "\n") if "\r" in raw else raw
    _, chrome_or_meta, chrome_max = _patterns()
    cut_rx = _cuts_in(raw)
    list_heading, item_max = _list_patterns()
    removed: list[Removed] = []
    lines = []  # (raw_start, raw_end) of kept line content after trimming
    in_list = False   # inside a "相关文章" list of links
    head_lines: set[str] | None = set()   # lines of the title zone, until the body starts
    for s, e in _lines(raw):
        line = raw[s:e]
        stripped = line.strip(" \t\u00a0\u3000\ufeff")
        if not stripped:
            continue
        if in_list and len(stripped) <= item_max and not stripped.endswith("。"):
            removed.append(Removed("web_boilerplate", s, e, -1, stripped[:60]))
            continue
        in_list = bool(list_heading.match(stripped))
        if in_list or (len(stripped) <= chrome_max and chrome_or_meta(stripped)):
            removed.append(Removed("web_boilerplate", s, e, -1, stripped[:60]))
            continue
        if head_lines is not None:
            if stripped in head_lines and len(stripped) <= 60:
                # A page repeats the article's title (page heading, then article heading).
                removed.append(Removed("web_boilerplate", s, e, -1, stripped[:60]))
                continue
            head_lines.add(stripped)
            if stripped.endswith("。") or len(head_lines) > 8:
                head_lines = None   # the body has started
        lines.append((s, e))
    lines = _drop_duplicate_copy(raw, lines, removed)
    lines, joins = _unwrap(raw, lines, removed)

    b = TextBuilder(raw)
    for k, (s, e) in enumerate(lines):
        _emit_line(raw, s, e, b, cut_rx, removed, newline=k not in joins)
    text, omap = b.build()
    # Drop a trailing newline so the text ends on content.
    if text.endswith("\n"):
        text = text[:-1]
        omap.length = len(text)
    for r in removed:
        if r.clean_at < 0:
            r.clean_at = _clean_pos(omap, r.raw_start, len(text))
    return CleanDoc(text, omap, removed)


def _clean_pos(omap: OffsetMap, raw_offset: int, n: int) -> int:
    """First cleaned offset whose source is at or after raw_offset."""
    from bisect import bisect_left
    k = bisect_left(omap.src, raw_offset)
    return min(n, omap.dst[k]) if k < len(omap.dst) else n


def _emit_line(raw, s, e, b: TextBuilder, cut_rx, removed, newline: bool = True) -> None:
    """Copy one line with artefacts and garble removed and whitespace normalised."""
    line = raw[s:e]
    # Collect cut ranges (relative to s): artefacts and garbled runs.
    cuts = []
    for rx, code in cut_rx:
        for m in rx.finditer(line):
            cuts.append((m.start(), m.end(), code))
    if not cuts and _SPACES.search(line) is None:   # most lines: copied as they are
        if line:
            b.copy(s, e)
            if newline:
                b.insert("\n", e)
        return
    cuts.sort()
    pos = 0
    pieces = []  # (rel_start, rel_end) kept
    for cs, ce, code in cuts:
        if cs < pos:
            cs = pos
        if ce <= cs:
            continue
        pieces.append((pos, cs))
        removed.append(Removed(code, s + cs, s + ce, -1, line[cs:ce][:60]))
        pos = ce
    pieces.append((pos, len(line)))
    start_len = b._len
    for ps, pe in pieces:
        seg = line[ps:pe]
        if not seg:
            continue
        # Normalise runs of spaces: drop them between CJK characters, else keep one space.
        last = 0
        for m in _SPACES.finditer(seg):
            b.copy(s + ps + last, s + ps + m.start())
            inner = 0 < m.start() and m.end() < len(seg)
            if inner and seg[m.start():m.end()] == " ":
                b.copy(s + ps + m.start(), s + ps + m.end())
            elif inner:
                b.insert(" ", s + ps + m.start())
            last = m.end()
        b.copy(s + ps + last, s + pe)
    if b._len > start_len and newline:
        b.insert("\n", e)


# --- a duplicated (often garbled) second copy -------------------------------------------

_NORM_DROP = re.compile(r"[\s\ufffd\ue000-\uf8ff\W_]+")
K = 8  # shingle length in normalised characters
# Share of a block's shingles seen earlier for it to count as repeated; a garbled copy loses
# some shingles to replaced characters, so this is well below 1.
REPEAT = 0.5


def _norm(s: str) -> str:
    return _NORM_DROP.sub("", s)


def _norm_block(raw: str, blk) -> str:
    return _norm("".join(raw[s:e] for s, e in blk))


@lru_cache(maxsize=1)
def _norm_keep():
    """Code point (below U+10000) -> whether _norm keeps it, read off _NORM_DROP itself."""
    import numpy as np
    keep = np.zeros(0x10000, dtype=bool)
    kept = _norm("".join(map(chr, range(0x10000))))
    keep[list(map(ord, kept))] = True
    return keep


def _block_norms(raw: str, blocks) -> list[str]:
    """[_norm_block(raw, blk) for blk in blocks] in one vectorised pass: _NORM_DROP drops
    characters one by one, so a block's norm is its lines' characters that _norm keeps."""
    import numpy as np
    codes = codes_of(raw)
    keep = _norm_keep()[codes & 0xFFFF]
    for i in np.flatnonzero(codes >= 0x10000).tolist():   # rare: ask the pattern itself
        keep[i] = not _NORM_DROP.match(raw, i, i + 1)
    # only characters inside the blocks' lines count (+1 at a line's start, -1 at its end)
    edge = np.zeros(len(raw) + 1, dtype=np.int8)
    spans = [se for blk in blocks for se in blk]   # in order, never overlapping
    edge[[s for s, _ in spans]] = 1
    edge[[e for _, e in spans]] -= 1
    sel = keep & (np.cumsum(edge[:-1], dtype=np.int32) > 0)
    text = text_of(codes[sel])
    # each block's share of the kept characters, from its first line's start to its last line's end
    before = np.concatenate(([0], np.cumsum(sel)))
    lo = before[[blk[0][0] for blk in blocks]].tolist()
    hi = before[[blk[-1][1] for blk in blocks]].tolist()
    return [text[a:b] for a, b in zip(lo, hi)]


def _blocks(raw: str, lines):
    """Group lines into blocks: a run of short fragment lines (broken extraction) is one block."""
    blocks, cur = [], []
    for s, e in lines:
        short = len(raw[s:e].strip()) < 25
        if short:
            cur.append((s, e))
            continue
        if cur:
            blocks.append(cur)
            cur = []
        blocks.append([(s, e)])
    if cur:
        blocks.append(cur)
    return blocks


_P = 0x9E3779B97F4A7C15  # odd multiplier of the shingle hash (golden-ratio constant)


def _repeat_ratios(norms: list[str]) -> list[float]:
    """For each block, the share of its distinct K-character shingles that occur in an earlier
    block (0.0 for a block shorter than K).

    Vectorised (numpy, already a dependency for copy detection): with a Python set of every
    shingle this check took about a tenth of the analysis time. Shingles are compared by a 64-bit
    polynomial hash, as the set compared them by hash()."""
    import numpy as np
    nb = len(norms)
    lens = np.fromiter(map(len, norms), dtype=np.int64, count=nb)
    text = "".join(norms)
    m = len(text) - K + 1
    if m <= 0:
        return [0.0] * nb
    cp = codes_of(text).astype(np.uint64)
    h = cp[:m].copy()
    for j in range(1, K):   # wraps modulo 2**64
        h *= np.uint64(_P)
        h += cp[j:j + m]
    del cp
    # the block of each window, and only windows that lie inside one block
    ends = np.cumsum(lens)
    blk = np.repeat(np.arange(nb, dtype=np.int64), lens)[:m]
    inside = np.arange(K, m + K) <= ends[blk]
    h, blk = h[inside], blk[inside]
    # sorted by hash, each hash's windows in text (so block) order: the order a stable sort
    # gives, from two quicksorts (a stable sort of 64-bit keys is a timsort, four times slower)
    order = np.argsort(h)
    new_hash = np.ones(len(h), dtype=bool)
    new_hash[1:] = h[order[1:]] != h[order[:-1]]
    if not new_hash.all():   # a repeated shingle: its windows are put back in text order
        # only the windows of repeated hashes move (a run of one is in place): sort just those
        last = np.ones(len(h), dtype=bool)
        last[:-1] = new_hash[1:]
        rep = ~(new_hash & last)
        run = np.cumsum(new_hash, dtype=np.int64)[rep] - 1
        sub = order[rep]
        order[rep] = sub[np.argsort(run * len(h) + sub)]
    h, blk = h[order], blk[order]
    new_pair = new_hash.copy()   # first window of a (hash, block) pair
    new_pair[1:] |= blk[1:] != blk[:-1]
    first_blk = blk[new_hash][np.cumsum(new_hash) - 1]   # the earliest block holding this hash
    total = np.bincount(blk[new_pair], minlength=nb)
    before = np.bincount(blk[new_pair & (first_blk < blk)], minlength=nb)
    return [b / t if t else 0.0 for b, t in zip(before.tolist(), total.tolist())]


def _drop_duplicate_copy(raw: str, lines, removed):
    """Remove blocks that repeat earlier text; record duplicate_content (and garble inside)."""
    if len(lines) < 4:
        return lines
    blocks = _blocks(raw, lines)
    norms = _block_norms(raw, blocks)
    labels = []  # "rep": repeats earlier text; "new"; "weak": too short to judge but seen before; "short"
    for norm, ratio in zip(norms, _repeat_ratios(norms)):
        if len(norm) < 30:
            labels.append("weak" if ratio >= REPEAT else "short")
        else:
            labels.append("rep" if ratio >= REPEAT else "new")
    # A run of repeated blocks absorbs short blocks inside it, short blocks just before it that
    # repeat the document's opening (the copy's title) and any short blocks after it up to the
    # next new block.
    n = len(blocks)
    head = _norm("".join(raw[s:e] for s, e in lines[:8]))[:300]
    in_run = [False] * n
    i = 0
    while i < n:
        if labels[i] != "rep":
            i += 1
            continue
        j = i
        while j + 1 < n and labels[j + 1] != "new":
            j += 1
        while labels[j] == "short" and j + 1 < n:   # do not swallow the author's short lines
            j -= 1
        b = i
        while b - 1 >= 0 and labels[b - 1] == "weak" and _norm_block(raw, blocks[b - 1]) in head:
            b -= 1   # the copy's title lines, which repeat the document's opening
        for k in range(b, j + 1):
            in_run[k] = True
        i = j + 1
    dup_runs, keep, run = [], [], []
    for k, blk in enumerate(blocks):
        if in_run[k]:
            run.append(blk)
            continue
        if run:
            dup_runs.append(run)
            run = []
        keep.append(blk)
    if run:
        dup_runs.append(run)

    out_blocks = set(id(b) for b in keep)
    norm_len = {id(blk): len(norm) for blk, norm in zip(blocks, norms)}
    kept_lines = []   # lines of a run's first block that precede the copy (e.g. the sign-off)
    for run in dup_runs:
        size = sum(norm_len[id(blk)] for blk in run)   # a block's norm is its lines' norms joined
        if size < 200:
            out_blocks.update(id(b) for b in run)  # a short repeat is the author's, not a copy
            continue
        lead = _copy_start(raw, run[0])
        kept_lines.extend(run[0][:lead])
        s0, e0 = run[0][lead][0], run[-1][-1][1]
        garble = next((m for blk in run for s, e in blk for m in [_GARBLE.search(raw, s, e)] if m), None)
        garbled = garble is not None
        removed.append(Removed("duplicate_content", s0, e0, -1, raw[s0:e0].strip()[:60],
                               {"chars": size, "garbled": garbled}))
        if garbled:   # the example is the garbled text itself, not the copy's clean first line
            g0 = max(s0, garble.start() - 6)
            removed.append(Removed("garbled_text", s0, e0, -1, raw[g0:garble.end() + 6].strip()[:60],
                                   {"in_duplicate": True}))
    result = []
    for blk in blocks:
        if id(blk) in out_blocks:
            result.extend(blk)
    return sorted(result + kept_lines)


def _norm_prefix(raw: str, end: int, n: int) -> str:
    """_norm(raw[:end])[:n] without normalising all of raw[:end] (once per copy: quadratic).
    _norm only deletes characters, so chunks normalise independently."""
    out, got, pos = [], 0, 0
    while got < n and pos < end:
        piece = _norm(raw[pos:min(end, pos + 2000)])
        out.append(piece)
        got += len(piece)
        pos += 2000
    return "".join(out)[:n]


def _copy_start(raw: str, blk) -> int:
    """Index of the first line of a block of short lines where the repeated copy begins: short
    lines of the original (a signature, a date) can sit in the same block just before it. The
    copy starts where the block reads most like the start of the document."""
    from rapidfuzz import fuzz

    head = _norm_prefix(raw, blk[0][0], 40)
    best, best_k = 75.0, 0   # below this similarity no line is taken as the copy's start
    for k in range(min(len(blk) - 1, 6)):
        window = _norm("".join(raw[s:e] for s, e in blk[k:k + 12]))[:40]
        score = fuzz.ratio(window, head)
        if score > best:
            best, best_k = score, k
    return best_k


# --- hard-wrapped text (a PDF saved as .txt) -----------------------------------------------------

_PAGE_NO_LINE = re.compile(r"^[-—－–·•・\s]*(?:第\s*)?\d{1,4}\s*(?:页(?:\s*[/，,]?\s*共\s*\d{1,4}\s*页)?|/\s*\d{1,4})?[-—－–·•・\s]*$")
_SENTENCE_END = tuple("。！？；：…”!?;:")
_NUMBER_SPLIT = re.compile(r"\d[.．]?$")
_NUMBER_GOES_ON = re.compile(r"^\s*[\d%％万亿元个所名人]")
_HEADING_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[.．、](?!\d)|第[一二三四五六七八九十]+部分)")


_TABLE_ROW = re.compile(r"\S(?:\t|[ \u3000]{2,})\S|[|｜]")   # cells apart: not a line of running text
_SLACK = 4   # columns a full line may fall short of the width (two Chinese characters)


def _chars(line: str) -> int:
    """Width of a line in characters, without its indentation."""
    return len(line.strip())


def _columns(line: str) -> int:
    """Width of a line in columns as a PDF lays it out, with its indentation: a Chinese character
    two, a digit or a Latin letter one (so lines of one width hold different numbers of
    characters, and a paragraph's indented first line is as wide as the others)."""
    return columns(line.rstrip())


def _wrap_width(lines: list[str]):
    """(measure, width) of text hard-wrapped at a fixed width, or None. Tried in characters, then
    in columns: most lines are full, a character short or over (a digit run or a closing mark
    that would not fit, one that may not open a line). In columns, with a wider margin, few lines
    but table rows may run past the width (one paragraph a line makes long lines of every length,
    and a few headings of one length would pass for the width); and a short letter, as many short
    lines (headings, paragraph ends) as full ones, passes when nearly all its lines broken
    mid-sentence are full."""
    lines = [x for x in lines if len(x.strip()) >= 8]
    if len(lines) < 10:
        return None
    for measure, low, high, least in ((_chars, 1, 1, 15), (_columns, _SLACK, 2, 30)):
        long = [measure(x) for x in lines]
        width, _ = Counter(long).most_common(1)[0]
        if width < least:
            continue
        full = [-low <= n - width <= high for n in long]
        if measure is _chars:
            if sum(full) >= 0.5 * len(long):
                return measure, width
            continue
        if sum(1 for n, x in zip(long, lines) if n > width + high and not _TABLE_ROW.search(x)) > 0.1 * len(long):
            continue
        open_ = [f for f, x in zip(full, lines) if not x.strip().endswith(_SENTENCE_END)]
        if sum(full) >= 0.5 * len(long) or (sum(full) >= 0.3 * len(long) and sum(open_) >= 0.7 * len(open_)):
            return measure, width
    return None


_CLOSING_ONLY = re.compile(r"\s*[。；，、！？：”’）)》」]+\s*$")


def _unwrap(raw: str, lines, removed):
    """Text hard-wrapped at a fixed width (a PDF saved as text): drop page numbers and running
    headers, and join each full line to the next. Returns (lines, indexes of lines that continue
    into the next one). Text that is not hard-wrapped is returned as it is."""
    found = _wrap_width([raw[s:e] for s, e in lines])
    if found is None:
        return lines, set()
    measure, width = found
    # in columns, as wide as a line can be (one in characters holding digits has more of them)
    widest = (2 * width if measure is _chars else width) + _SLACK
    texts = [raw[s:e].strip() for s, e in lines]
    repeated = Counter(t for t in texts if len(t) <= 30)
    kept = []
    for k, ((s, e), t) in enumerate(zip(lines, texts)):
        # A short line met again further down is a running header; the first lines keep the title.
        # (punctuation alone is a sentence's end wrapped onto its own line: "…的要求" then "。")
        header = repeated[t] >= 2 and len(t) <= 30 and k >= 3 and re.search(r"\w", t)
        if _PAGE_NO_LINE.match(t) or header:
            removed.append(Removed("page_furniture", s, e, -1, t[:60]))
            continue
        kept.append((s, e))
    joins = set()
    for k in range(len(kept) - 1):
        line = raw[kept[k][0]:kept[k][1]]
        t = line.strip()
        nxt = raw[kept[k + 1][0]:kept[k + 1][1]]
        # (a line well past the width was not wrapped: a table row, a paragraph pasted whole)
        full = measure(line) >= width * 0.85 and _columns(line) <= widest and not t.endswith(_SENTENCE_END)
        split_number = _NUMBER_SPLIT.search(t) and _NUMBER_GOES_ON.match(nxt)   # "12." / "35亿元"
        closing = _CLOSING_ONLY.match(nxt)   # "。" alone: the sentence's end, whatever the line before
        rows = _TABLE_ROW.search(t) and _TABLE_ROW.search(nxt.strip())   # two rows of a table, each whole
        if ((full or split_number) and not _HEADING_START.match(nxt) and not rows) or closing:
            joins.add(k)
    return kept, joins
