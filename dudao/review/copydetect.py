"""Which reports were copied from a template or from each other (抄袭 / 套用模板检测).

``find_copies(docs, reference)`` finds passages that two reports (or a report and a known template
or earlier report) share, the way Chinese plagiarism checkers do: exact runs of at least
``min_run`` (13) characters after normalisation, with stock phrasing set apart as boilerplate
(套话) and labelled with the reason it is not copying. ``dudao.review.copyindex.CopyIndex`` checks
one new report against a saved index of all earlier ones with the same method.

Method
------
1. Normalise each text, keeping a map back to original offsets: whitespace, punctuation and
   symbols are dropped, full-width forms become half-width, Latin letters lower case, the level
   words 市/县/区/旗 are unified, and region names and the generic masks of templates (xx, XX,
   ××, 某某, ＊＊, "x所") become one placeholder symbol each. Region names are those given for
   any text of the batch, replaced in every text (stem only: "靖江市" → "◆市"), so a copy matches
   its source whether the copier swapped in its own name or kept the neighbour's, and a template
   filled in ("xx市" → "靖江市") matches the template. Digits are kept.
2. Boilerplate before indexing: positions matched by a pattern of ``copy_boilerplate.yaml``
   (title, opening formula, sign-off, date line, policy wording, indicator names, headings; each
   kind with its reason) are marked with their kind; so are ``min_run``-grams (rolling polynomial
   hash, numpy) found in at least max(3, 30 % of the reports under review) reports — stock
   phrasing of the round, kind "frequent" — counted in a fixed-size count-min sketch
   (``GramCounts``, 32 MB however many reports). A gram that is mostly boilerplate is left out
   of the index.
3. Candidate pairs from an inverted index of anchors: in every window of WINNOW consecutive
   indexed grams the smallest hash is an anchor (winnowing, Schleimer et al. 2003), so two texts
   sharing a non-boilerplate run of min_run + WINNOW - 1 characters share an anchor. (hash, text)
   keys are sorted and paired chunk by chunk. Work per key is bounded: a key shared by at most
   MAX_KEY_DOCS texts pairs them all, a larger one (a 范文 paragraph used by many counties) pairs
   each member with its NEIGHBOURS next members and with the reference texts among them, so a
   text is still paired with someone it shares the paragraph with. Pairs are deduplicated chunk
   by chunk as they are produced; all pairs are never materialised.
4. Evidence for each candidate pair (in ``jobs`` spawned processes, each reading the pair's
   prepared texts from the file) by seed-and-extend: the
   winnowed seeds (over all grams) the two texts share are located in both by their sorted gram
   hashes; each seed's diagonal is extended character by character into a maximal exact run.
   Runs adjacent or overlapping in both
   texts are merged into one passage, and a passage is extended over small differences (a
   changed figure, "xx" against a name, an added word: a gap of up to EXTEND_GAP characters
   followed by EXTEND_MIN equal ones), so a paragraph copied with its figures changed is one
   passage.
5. Each passage gets a ``kind``: "copy" when one of its exact runs holds ``min_run`` consecutive
   non-boilerplate characters; "boilerplate" otherwise (套话; ``boilerplate_kinds`` says which
   kinds); "figures" when its two sides differ only in their figures and share no figure-free
   stretch of ``statistics.max_shared_run`` characters (a statistics sentence such as "全县共有
   小学x所、初中x所…" written alike by every county). Only "copy" passages count in a pair's
   ``shared_chars``, in ``ratios`` and in the per-chapter shares; the others carry
   ``boilerplate: true``. Pairs that share no "copy" passage are not reported.

Steps 1–2 run in ``jobs`` spawned processes too; prepared texts are kept in a temporary file
(``dudao.review.copystore``), not in memory: the parent holds each text's anchors and length.

Result: ``{"pairs", "ratios", "chapters", "legend", "params"}``. A pair has ``a``, ``b``,
``passages``, ``shared_chars``, ``boilerplate_chars``, ``a_ratio``, ``b_ratio``,
``b_is_reference`` and ``confirmed`` (False: a reviewer must confirm a copy before any letter
mentions it). A passage has both spans side by side (``a_start``/``a_end``/``a_text`` and
``b_start``/``b_end``/``b_text``, character offsets into the original texts, ``a_text ==
text_a[a_start:a_end]``; ``pan_features`` gives them in the PAN text-alignment form), ``chars``
(normalised characters of the passage in ``a``), ``boilerplate``, ``kind`` and
``boilerplate_kinds``. ``chapters`` gives, for each text whose sections were passed, the copied
share of each top-level chapter (as CNKI reports it); ``legend`` labels and explains each kind of
boilerplate. In a pair with a reference text the report under review is ``a``.
"""
from __future__ import annotations

import math
import re
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from dudao.resources import load_yaml
from dudao.review import copystore
from dudao.workers import spawn_pool

PLACEHOLDER = "\ue000"          # one normalised character standing for a name or a mask
_PH = ord(PLACEHOLDER)

# Candidate stage (inverted index of winnowed anchors).
WINNOW = 12                     # anchors: smallest gram hash of every window of this many grams
MAX_KEY_DOCS = 8                # a key shared by more texts pairs each member with a few others
NEIGHBOURS = 2                  # ... its next members (in index order, cyclically)
MAX_REPS = 4                    # ... and at most this many reference texts among them
KEY_CHUNK = 1 << 22             # keys paired per chunk (bounds the memory of the pairing step)
SKETCH_BITS = 22                # gram counts for stock phrasing: two rows of 2**22 counters
ANCHOR_BITS = 40                # bits of an anchor's hash in a key ...
DOC_BITS = 24                   # ... and of the text's number (keys are 64-bit)

# Evidence stage.
MERGE_GAP = 6                   # runs this close in both texts (normalised chars) are one passage
EXTEND_GAP = 6                  # a passage is extended over differences up to this long ...
EXTEND_MIN = 5                  # ... when this many equal characters follow
MAX_REPEAT = 8                  # grams repeated more often than this inside one text seed nothing
BOILERPLATE_SHARE = 0.3         # a gram in >= max(3, 30 % of reports) reports is stock phrasing
BOILERPLATE_MIN_DOCS = 3
PARALLEL_MIN_PAIRS = 200        # fewer candidate pairs are checked in this process
PARALLEL_MIN_DOCS = 50          # texts per task when preparing in several processes

_WORK: dict = {}                # a worker process's state (set by its initializer)


# Figures in normalised text (punctuation is gone: "3.2%" reads "32"): digit runs and runs of
# Chinese numerals ("一点六亿", "二〇二三"); a lone numeral character is part of a word (统一, 万元).
_FIGURE = re.compile(r"[0-9]+|[〇零一二三四五六七八九十百千万亿两点]{2,}")


# --- configuration ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Config:
    patterns: tuple          # (compiled regex, kind code) in kind order
    kinds: tuple             # kind keys; code c (1-based) is kinds[c - 1]; the last is "frequent"
    legend: dict             # kind → {"label", "why"}
    stat_run: int            # see copy_boilerplate.yaml `statistics`
    masks: re.Pattern | None
    mask_chars: str          # a text without any of these has no mask
    suffixes: tuple
    unify: str


@lru_cache(maxsize=1)
def _config() -> _Config:
    data = load_yaml("copy_boilerplate") or {}
    kinds, pats, legend = [], [], {}
    for group in data.get("kinds") or []:
        kinds.append(group["kind"])
        legend[group["kind"]] = {"label": group.get("label") or group["kind"], "why": group.get("why") or ""}
        pats += [(re.compile(p), len(kinds)) for p in group.get("patterns") or []]
    for key in ("frequent", "statistics"):
        extra = data.get(key) or {}
        legend[key] = {"label": extra.get("label") or key, "why": extra.get("why") or ""}
    kinds.append("frequent")
    masks = data.get("masks") or []
    mask_re = re.compile("|".join(f"(?:{m})" for m in masks)) if masks else None
    suffixes = tuple(sorted(data.get("region_suffixes") or [], key=len, reverse=True))
    stat_run = int((data.get("statistics") or {}).get("max_shared_run") or 24)
    return _Config(tuple(pats), tuple(kinds), legend, stat_run, mask_re, str(data.get("mask_chars") or ""),
                   suffixes, str(data.get("unify_levels") or ""))


def _freq_code() -> int:
    return len(_config().kinds)


def boilerplate_legend() -> dict:
    """Kind of boilerplate (套话) → {"label": Chinese label, "why": why it is not copying}, for the
    legend next to the grey shading; includes "frequent" and "statistics"."""
    return {k: dict(v) for k, v in _config().legend.items()}


@lru_cache(maxsize=1)
def _tables() -> tuple[np.ndarray, np.ndarray]:
    """Code-point map (full-width → half-width, upper → lower, level words unified) and the
    keep table (letters and digits) for the Basic Multilingual Plane."""
    cfg = _config()
    cmap = np.arange(65536, dtype=np.uint32)
    cmap[0xFF01:0xFF5F] -= 0xFEE0
    cmap[0x3000] = 0x20
    up = (cmap >= 0x41) & (cmap <= 0x5A)
    cmap[up] += 0x20
    if cfg.unify:                      # all level words read as the first one
        target = ord(cfg.unify[0])
        for ch in cfg.unify:
            cmap[ord(ch)] = target
    keep = np.zeros(65536, dtype=bool)
    for c in range(65536):
        if 0xD800 <= c <= 0xDFFF:
            continue
        if unicodedata.category(chr(c))[0] in "LN":
            keep[c] = True
    keep = keep[cmap]          # decided on the mapped character
    keep[_PH] = True
    return cmap, keep


def _region_keys(names) -> dict[str, int]:
    """Keys to search for region names → how many leading characters of the key to replace.

    The stem of a name is replaced ("靖江市" → "靖江"), the level suffix stays; a one-character
    stem ("沛县") only right before its suffix."""
    cfg = _config()
    keys: dict[str, int] = {}
    for name in names:
        name = str(name or "").strip()
        if not name:
            continue
        stem, suffix = name, ""
        for suf in cfg.suffixes:
            if name.endswith(suf) and len(name) > len(suf):
                stem, suffix = name[: -len(suf)], suf
                break
        if len(stem) >= 2:
            keys[stem] = len(stem)
        elif suffix:
            keys.setdefault(name, len(stem))
        elif len(name) >= 2:
            keys[name] = len(name)
    return keys


def _name_automaton(names):
    """Aho–Corasick automaton over the region-name keys (None when there are none)."""
    keys = _region_keys(names)
    if not keys:
        return None
    import ahocorasick
    auto = ahocorasick.Automaton()
    for key, repl in keys.items():
        auto.add_word(key, (len(key), repl))
    auto.make_automaton()
    return auto


# --- normalisation and hashing ---------------------------------------------------------------

def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def normalise(text: str, names=(), *, automaton=None) -> tuple[str, np.ndarray, np.ndarray]:
    """Normalised text and, for each of its characters, the original [start, end) offsets.

    names: region names replaced by the placeholder (or a prebuilt `automaton` of them)."""
    cfg = _config()
    cmap, keep_tab = _tables()
    cp = _codepoints(text)
    n = len(cp)
    if n == 0:
        e = np.zeros(0, dtype=np.int32)
        return "", e, e
    big = cp > 0xFFFF
    if big.any():
        small = np.where(big, 0, cp)
        mapped = cmap[small]
        mapped[big] = cp[big]
        keep = keep_tab[small]
        keep[big] = True
    else:
        mapped = cmap[cp]
        keep = keep_tab[cp]
    # Placeholders: the report's own region names, then template masks.
    spans = []
    auto = automaton if automaton is not None else (_name_automaton(names) if names else None)
    if auto is not None:
        for end, (klen, repl) in auto.iter_long(text):
            start = end - klen + 1
            spans.append((start, start + repl))
    if cfg.masks is not None and (not cfg.mask_chars or any(c in text for c in cfg.mask_chars)):
        spans.extend(m.span() for m in cfg.masks.finditer(text))
    ph_starts, ph_ends = [], []
    if spans:
        spans.sort()
        last = -1
        for s, e in spans:
            if s < last or e <= s:
                continue
            keep[s:e] = False
            keep[s] = True
            mapped[s] = _PH
            ph_starts.append(s)
            ph_ends.append(e)
            last = e
    idx = np.flatnonzero(keep)
    norm = mapped[idx].astype(np.uint32).tobytes().decode("utf-32-le")
    starts = idx.astype(np.int32)
    ends = starts + 1
    if ph_starts:
        pos = np.searchsorted(idx, np.asarray(ph_starts))
        ends[pos] = np.asarray(ph_ends, dtype=np.int32)
    return norm, starts, ends


_BASE = np.uint64(0x100000001B3)


def _sorted_unique(x: np.ndarray) -> np.ndarray:
    """np.unique by sorting (numpy 2's hash-based unique is several times slower on uint64)."""
    a = np.sort(x)
    if len(a) == 0:
        return a
    return a[np.concatenate(([True], a[1:] != a[:-1]))]


def _fmix64(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


def _gram_hashes(cps: np.ndarray, k: int) -> np.ndarray:
    """uint64 hash of each k-gram (position i covers cps[i:i+k])."""
    m = len(cps) - k + 1
    if m <= 0:
        return np.zeros(0, dtype=np.uint64)
    c = cps.astype(np.uint64)
    h = np.zeros(m, dtype=np.uint64)
    for j in range(k):
        h = h * _BASE + c[j:j + m]
    return _fmix64(h)


# --- one text, ready to compare --------------------------------------------------------------

@dataclass
class _Doc:
    id: str
    is_ref: bool
    norm: str                 # normalised text
    starts: np.ndarray        # original start offset of each normalised character (int32)
    ph_pos: np.ndarray        # normalised positions whose original span is longer than 1 char
    ph_end: np.ndarray        # ... and the original end offsets of those spans
    grams: np.ndarray         # uint32 hashes of its min_run-grams, sorted
    gpos: np.ndarray          # int32 position of each of those grams
    code: np.ndarray          # uint8 per normalised char: 0 own wording, else boilerplate kind code
    anchors: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))  # index keys
    seeds: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint32))    # evidence seeds


def _prepare(doc_id: str, text: str, is_ref: bool, automaton, k: int) -> _Doc:
    norm, starts, ends = normalise(text, automaton=automaton)
    grams = (_gram_hashes(_codepoints(norm), k) >> np.uint64(32)).astype(np.uint32)
    long = np.flatnonzero(ends != starts + 1).astype(np.int32)
    code = _pattern_codes(text, starts)
    order = np.argsort(grams)
    return _Doc(doc_id, is_ref, norm, starts, long, ends[long], grams[order], order.astype(np.int32), code,
                seeds=_winnow(grams))


# --- many texts: prepared into a file, in worker processes -----------------------------------

def _init_prepare(automaton, k: int) -> None:
    _WORK.update(automaton=automaton, k=k)


def _prepare_chunk(items: list[tuple]) -> list[_Doc]:
    return [_prepare(i, t, r, _WORK["automaton"], _WORK["k"]) for i, t, r in items]


def _prepare_all(items: list[tuple], automaton, k: int, jobs: int, counts: GramCounts, store: copystore.Store) -> list[int]:
    """Prepare (id, text, is_ref) items into `store` (in `jobs` processes for large batches),
    counting the reports' grams in `counts` as each chunk arrives. Returns each text's
    normalised length."""
    lengths: list[int] = []

    def done(chunk: list[_Doc]) -> None:
        counts.add([d for d in chunk if not d.is_ref])
        for d in chunk:
            _compact(d)
            store.put(d)
            lengths.append(len(d.norm))

    # chunks of at most 256 texts: a prepared text is ~130 KB before compaction, and a few chunks
    # may wait in the pipe
    step = min(256, max(PARALLEL_MIN_DOCS, len(items) // (max(1, jobs) * 8)))
    chunks = (items[s:s + step] for s in range(0, len(items), step))
    if jobs <= 1 or len(items) < 4 * PARALLEL_MIN_DOCS:
        for c in chunks:
            done([_prepare(i, t, r, automaton, k) for i, t, r in c])
        return lengths
    with spawn_pool(jobs, _init_prepare, (automaton, k)) as pool:
        for chunk in copystore.bounded_map(pool, _prepare_chunk, chunks, 2 * jobs):
            done(chunk)
    return lengths


def _init_index(path: str, where: np.ndarray, table: np.ndarray, min_docs: int, k: int) -> None:
    _WORK.update(reader=copystore.Reader(path, where, _Doc, cache=0), counts=GramCounts(table), min_docs=min_docs,
                 k=k)


def _index_range(bounds: tuple[int, int], reader: copystore.Reader | None = None, counts: GramCounts | None = None,
                 min_docs: int | None = None, k: int | None = None) -> list[tuple]:
    """(i, new boilerplate codes or None when unchanged, anchors) of texts bounds[0] .. bounds[1] - 1."""
    reader, counts = reader or _WORK["reader"], counts or _WORK["counts"]
    min_docs, k = min_docs or _WORK["min_docs"], k or _WORK["k"]
    out = []
    for i in range(*bounds):
        d = reader.get(i)
        before = d.code.copy()
        _index_doc(d, counts, min_docs, k)
        out.append((i, None if np.array_equal(before, d.code) else d.code, d.anchors))
    return out


def _index_all(store: copystore.Store, counts: GramCounts, min_docs: int, k: int, jobs: int = 1) -> list[np.ndarray]:
    """Mark each stored text's stock phrasing (now that every report is counted) and take its
    anchors, in `jobs` processes for large batches; returns the anchors of each text."""
    n = len(store.where)
    bounds = [(s, min(n, s + 256)) for s in range(0, n, 256)]
    anchors: list = [None] * n

    def take(chunks):
        for chunk in chunks:
            for i, code, a in chunk:
                if code is not None:
                    store.set_code(i, code)
                anchors[i] = a
    reader = store.reader(_Doc, cache=0)                  # each text read once: no cache
    try:
        if jobs <= 1 or n < 4 * PARALLEL_MIN_DOCS:
            take(_index_range(b, reader, counts, min_docs, k) for b in bounds)
        else:
            with spawn_pool(jobs, _init_index, (reader.f.name, reader.where, counts.table, min_docs, k)) as pool:
                take(copystore.bounded_map(pool, _index_range, bounds, 2 * jobs))
    finally:
        reader.close()
    return anchors


def _init_verify(path: str, where: np.ndarray, k: int) -> None:
    _WORK.update(reader=copystore.Reader(path, where, _Doc), k=k)


def _verify_pairs(pairs: np.ndarray, reader: copystore.Reader | None = None, k: int | None = None) -> list:
    reader = reader or _WORK["reader"]
    k = k or _WORK["k"]
    out = []
    for i, j in pairs.tolist():
        rec = _pair_record(reader.get(i), reader.get(j), k)
        if rec is not None:
            passages, bp_chars, a_cov, b_cov = rec
            out.append((i, j, passages, bp_chars, np.flatnonzero(a_cov).astype(np.int32),
                        np.flatnonzero(b_cov).astype(np.int32)))
    return out


def _verify(store: copystore.Store, cand: np.ndarray, k: int, jobs: int):
    """Evidence for every candidate pair (i, j), in order: (i, j, passages, boilerplate chars,
    covered positions in i, in j) for each pair that shares a counted passage."""
    reader = store.reader(_Doc)
    try:
        if jobs <= 1 or len(cand) < PARALLEL_MIN_PAIRS:
            yield from _verify_pairs(cand, reader, k)
            return
        step = max(64, min(2048, len(cand) // (jobs * 8)))
        chunks = (cand[s:s + step] for s in range(0, len(cand), step))
        with spawn_pool(jobs, _init_verify, (reader.f.name, reader.where, k)) as pool:
            for chunk in copystore.bounded_map(pool, _verify_pairs, chunks, 2 * jobs):
                yield from chunk
    finally:
        reader.close()


def _end(d: _Doc, i: int) -> int:
    """Original end offset of normalised character i."""
    j = int(np.searchsorted(d.ph_pos, i))
    if j < len(d.ph_pos) and d.ph_pos[j] == i:
        return int(d.ph_end[j])
    return int(d.starts[i]) + 1


def _pattern_codes(text: str, starts: np.ndarray) -> np.ndarray:
    """Boilerplate kind code of each normalised character (0: matched by no pattern). Where kinds
    overlap, the one listed first in copy_boilerplate.yaml names the character."""
    n = len(starts)
    code = np.zeros(n, dtype=np.uint8)
    if n == 0:
        return code
    by_code: dict[int, list] = {}
    for rx, c in _config().patterns:
        by_code.setdefault(c, []).extend(m.span() for m in rx.finditer(text))
    for c in sorted(by_code, reverse=True):
        spans = by_code[c]
        if not spans:
            continue
        sp = np.asarray(spans, dtype=np.int64)
        lo = np.searchsorted(starts, sp[:, 0], "left")
        hi = np.searchsorted(starts, sp[:, 1], "left")
        diff = np.zeros(n + 1, dtype=np.int32)
        np.add.at(diff, lo, 1)
        np.add.at(diff, hi, -1)
        code[np.cumsum(diff[:n]) > 0] = c
    return code


def _cover(flags: np.ndarray, n: int, k: int) -> np.ndarray:
    """Positions covered by a flagged k-gram (flag i covers [i, i+k))."""
    diff = np.zeros(n + 1, dtype=np.int32)
    w = np.flatnonzero(flags)
    if len(w):
        np.add.at(diff, w, 1)
        np.add.at(diff, w + k, -1)
    return np.cumsum(diff[:n]) > 0


class GramCounts:
    """In how many texts each gram occurs, estimated from above (a count-min sketch of two rows
    of 2**SKETCH_BITS counters: 32 MB whatever the number of texts). Each text counts once."""

    def __init__(self, table: np.ndarray | None = None):
        self.table = np.zeros((2, 1 << SKETCH_BITS), dtype=np.uint32) if table is None else table

    @staticmethod
    def _rows(grams: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        mask = np.uint32((1 << SKETCH_BITS) - 1)
        return grams & mask, (grams >> np.uint32(32 - SKETCH_BITS)) & mask

    def add(self, docs: list[_Doc]) -> None:
        for s in range(0, len(docs), 256):             # bounded temporary memory
            u = [d.grams[np.concatenate(([True], d.grams[1:] != d.grams[:-1]))] for d in docs[s:s + 256]
                 if len(d.grams)]
            if not u:
                continue
            u = np.concatenate(u)
            for row, idx in zip(self.table, self._rows(u)):
                if len(idx) < len(row) // 16:        # a few texts: no table-sized temporary
                    np.add.at(row, idx, np.uint32(1))
                else:
                    row += np.bincount(idx, minlength=len(row)).astype(np.uint32)

    def count(self, grams: np.ndarray) -> np.ndarray:
        r0, r1 = self._rows(grams)
        return np.minimum(self.table[0][r0], self.table[1][r1])


def _index_doc(d: _Doc, counts: GramCounts, min_docs: int, k: int) -> None:
    """Mark the text's grams found in at least `min_docs` texts as boilerplate (kind frequent),
    then take its anchors among the grams left that are mostly own wording. The grams are hashed
    again from the normalised text (cheaper than keeping them for every text)."""
    wide = _gram_hashes(_codepoints(d.norm), k)
    if len(wide) == 0:
        return
    flags = counts.count((wide >> np.uint64(32)).astype(np.uint32)) >= min_docs
    if flags.any():
        cov = _cover(flags, len(d.norm), k)
        d.code[cov & (d.code == 0)] = _freq_code()
    # anchors keep ANCHOR_BITS of the hash: with 32, chance collisions among 3*10^7 keys of
    # 28,500 reports would pair ~10^5 unrelated texts
    d.anchors = _winnow(wide >> np.uint64(64 - ANCHOR_BITS), _live(d.code, k))


def _compact(d: _Doc) -> None:
    """Keep only the occurrences of the text's seeds in its sorted grams: all that the evidence
    stage looks up (after GramCounts has counted the text)."""
    if len(d.grams) == 0 or len(d.seeds) == 0:
        d.grams, d.gpos = d.grams[:0], d.gpos[:0]
        return
    pos = np.searchsorted(d.seeds, d.grams).clip(max=len(d.seeds) - 1)
    keep = d.seeds[pos] == d.grams
    d.grams, d.gpos = d.grams[keep], d.gpos[keep]


def _live(code: np.ndarray, k: int) -> np.ndarray:
    """Grams that are mostly (more than half) own wording, from the boilerplate codes."""
    c = np.concatenate(([0], np.cumsum(code > 0, dtype=np.int32)))
    return (c[k:] - c[:-k]) * 2 <= k


def _winnow(grams: np.ndarray, live: np.ndarray | None = None) -> np.ndarray:
    """Distinct anchor hashes of a text (grams in text order): in every window of WINNOW
    consecutive grams, the smallest hash among the live ones (all when live is None)."""
    m = len(grams)
    if m == 0 or (live is not None and not live.any()):
        return np.zeros(0, dtype=grams.dtype)
    dead = np.iinfo(grams.dtype).max
    v = grams if live is None else np.where(live, grams, dead)
    if m <= WINNOW:
        return v.min(keepdims=True)[v.min(keepdims=True) != dead]
    # sliding minimum: minima over windows of 1, 2, 4, … up to `span` <= WINNOW, then two
    # overlapping windows of `span` cover each window of WINNOW
    span, mins = 1, v
    while span * 2 <= WINNOW:
        mins = np.minimum(mins[:-span], mins[span:])
        span *= 2
    n = m - WINNOW + 1
    w = np.minimum(mins[:n], mins[WINNOW - span:WINNOW - span + n])
    return _sorted_unique(w[w != dead])


# --- candidate pairs ---------------------------------------------------------------------------

def _key_pairs(h: np.ndarray, owner: np.ndarray, n_docs: int, stats: dict) -> np.ndarray:
    """Pairs of texts sharing a key, from one chunk of (hash, owner) sorted by hash whose hash
    groups are whole (pairs [m, 2] int64)."""
    empty = np.zeros((0, 2), dtype=np.int64)
    if len(h) == 0:
        return empty
    gs = np.concatenate(([0], np.flatnonzero(h[1:] != h[:-1]) + 1))
    size = np.diff(np.append(gs, len(h)))
    ok = size >= 2
    out = []
    small = ok & (size <= MAX_KEY_DOCS)
    for s in np.unique(size[small]).tolist():
        g = gs[small & (size == s)]
        ii, jj = np.triu_indices(s, 1)
        out.append(np.stack([owner[g[:, None] + ii].ravel(), owner[g[:, None] + jj].ravel()], axis=1))
    large = ok & (size > MAX_KEY_DOCS)
    if large.any():
        stats["large_keys"] = stats.get("large_keys", 0) + int(large.sum())
        lg, lz = gs[large], size[large]
        base, gz = np.repeat(lg, lz), np.repeat(lz, lz)
        rel = np.arange(int(lz.sum())) - np.repeat(np.cumsum(lz) - lz, lz)
        for o in range(1, NEIGHBOURS + 1):
            out.append(np.stack([owner[base + rel], owner[base + (rel + o) % gz]], axis=1))
        has_ref = np.add.reduceat((owner >= n_docs).astype(np.int32), gs)[large] > 0
        for s, z in zip(lg[has_ref].tolist(), lz[has_ref].tolist()):
            members = owner[s:s + z]
            for r in members[members >= n_docs][:MAX_REPS].tolist():
                out.append(np.stack([np.full(z, r), members], axis=1))
    return np.concatenate(out) if out else empty


def _candidate_pairs(anchors: list[np.ndarray], n_docs: int, stats: dict) -> np.ndarray:
    """Candidate pairs (i, j), i < j, at least one of them under review. Keys are sorted once
    and paired chunk by chunk, each chunk's pairs merged into the deduplicated set at once."""
    total = len(anchors)
    if total >= 1 << DOC_BITS:
        raise ValueError(f"一次最多比对 {(1 << DOC_BITS) - 1} 篇文本")
    shift = np.uint64(DOC_BITS)
    keys = np.concatenate([(a.astype(np.uint64) << shift) | np.uint64(i)
                           for i, a in enumerate(anchors)] or [np.zeros(0, dtype=np.uint64)])
    keys.sort()
    stats["anchor_keys"] = int(len(keys))
    codes = np.zeros(0, dtype=np.int64)
    lo = 0
    while lo < len(keys):
        hi = min(len(keys), lo + KEY_CHUNK)
        if hi < len(keys):                  # end the chunk on a hash boundary
            last = (keys[hi - 1] >> shift << shift) | np.uint64((1 << DOC_BITS) - 1)
            hi = int(np.searchsorted(keys, last, "right"))
        chunk = keys[lo:hi]
        pairs = _key_pairs(chunk >> shift, (chunk & np.uint64((1 << DOC_BITS) - 1)).astype(np.int64), n_docs, stats)
        if len(pairs):
            pairs.sort(axis=1)
            pairs = pairs[(pairs[:, 0] != pairs[:, 1]) & (pairs[:, 0] < n_docs)]
            codes = _sorted_unique(np.concatenate((codes, pairs[:, 0] * total + pairs[:, 1])))
        lo = hi
    return np.stack([codes // max(total, 1), codes % max(total, 1)], axis=1)


# --- evidence: exact runs ---------------------------------------------------------------------

def _forward(na: str, nb: str, x: int, y: int) -> int:
    """End of the equal stretch of na[x:] and nb[y:] (compared a slice at a time)."""
    while True:
        n = min(32, len(na) - x, len(nb) - y)
        if n <= 0:
            return x
        if na[x:x + n] == nb[y:y + n]:
            x, y = x + n, y + n
            continue
        while na[x] == nb[y]:
            x, y = x + 1, y + 1
        return x


def _backward(na: str, nb: str, x: int, y: int) -> int:
    """Start of the equal stretch of na[:x] and nb[:y]."""
    while True:
        n = min(32, x, y)
        if n <= 0:
            return x
        if na[x - n:x] == nb[y - n:y]:
            x, y = x - n, y - n
            continue
        while na[x - 1] == nb[y - 1]:
            x, y = x - 1, y - 1
        return x


def _exact_runs(A: _Doc, B: _Doc, k: int) -> list[tuple[int, int, int, int]]:
    """Maximal exact runs (a0, a1, b0, b1) of >= k normalised characters shared by A and B that
    hold a shared seed (every shared run of k + WINNOW - 1 characters does): each seed's
    occurrences in A and B give a diagonal, extended character by character both ways."""
    shared = np.intersect1d(A.seeds, B.seeds, assume_unique=True)
    if len(shared) == 0:
        return []
    la, ra = np.searchsorted(A.grams, shared, "left"), np.searchsorted(A.grams, shared, "right")
    lb, rb = np.searchsorted(B.grams, shared, "left"), np.searchsorted(B.grams, shared, "right")
    ca, cb = ra - la, rb - lb
    ok = (ca > 0) & (cb > 0) & (ca <= MAX_REPEAT) & (cb <= MAX_REPEAT)   # repeats seed nothing
    seeds = []
    for a0, a1, b0, b1 in zip(la[ok].tolist(), ra[ok].tolist(), lb[ok].tolist(), rb[ok].tolist()):
        for pa in A.gpos[a0:a1].tolist():
            seeds.extend((pb - pa, pa) for pb in B.gpos[b0:b1].tolist())
    seeds.sort()
    na, nb = A.norm, B.norm
    runs = []
    cur_diag, cur_end = None, -1
    for diag, pa in seeds:
        if diag == cur_diag and pa < cur_end:
            continue                            # inside the run found from an earlier seed
        pb = pa + diag
        if na[pa:pa + k] != nb[pb:pb + k]:
            continue                            # hash collision
        x0 = _backward(na, nb, pa, pb)
        x1 = _forward(na, nb, pa + k, pb + k)
        runs.append((x0, x1, x0 + diag, x1 + diag))
        cur_diag, cur_end = diag, x1 - k + 1
    return runs


def _merge_runs(runs: list, gap: int) -> list[list]:
    """Merge runs [a0, a1, b0, b1, evidence] that are adjacent or overlapping in both texts (at
    most `gap` normalised characters apart in each, B moving forward with A)."""
    out: list[list] = []
    for a0, a1, b0, b1, ev in sorted(runs):
        if out:
            cur = out[-1]
            if a0 - cur[1] <= gap and cur[2] <= b0 and b0 - cur[3] <= gap:
                cur[1] = max(cur[1], a1)
                cur[3] = max(cur[3], b1)
                cur[4] = cur[4] or ev
                continue
        out.append([a0, a1, b0, b1, ev])
    return out


def _next_equal(na: str, nb: str, x: int, y: int, forward: bool) -> tuple[int, int] | None:
    """Where EXTEND_MIN equal characters start within EXTEND_GAP characters past (x, y) in both
    texts (before, going backwards): offsets (ga, gb) with the smallest ga + gb, then ga."""
    g, m = EXTEND_GAP, EXTEND_MIN
    if forward:
        sub_a = [na[x + i:x + i + m] for i in range(g + 1) if x + i + m <= len(na)]
        sub_b = [nb[y + i:y + i + m] for i in range(g + 1) if y + i + m <= len(nb)]
    else:
        sub_a = [na[x - i - m:x - i] for i in range(g + 1) if x - i - m >= 0]
        sub_b = [nb[y - i - m:y - i] for i in range(g + 1) if y - i - m >= 0]
    first_b: dict[str, int] = {}
    for gb, sub in enumerate(sub_b):
        first_b.setdefault(sub, gb)
    best = None
    for ga, sub in enumerate(sub_a):
        gb = first_b.get(sub)
        if gb is not None and (best is None or (ga + gb, ga) < (sum(best), best[0])):
            best = (ga, gb)
    return best


def _extend(na: str, nb: str, a0: int, a1: int, b0: int, b1: int) -> tuple[int, int, int, int]:
    """Extend a passage over small differences (a changed figure, "xx" against a name, a word
    added): while, within EXTEND_GAP characters past its end in both texts, EXTEND_MIN equal
    characters follow, take them and the exact stretch they start. Same backwards."""
    m = EXTEND_MIN
    while (hit := _next_equal(na, nb, a1, b1, True)) is not None:
        x, y = a1 + hit[0] + m, b1 + hit[1] + m
        a1 = _forward(na, nb, x, y)
        b1 = y + a1 - x
    while (hit := _next_equal(na, nb, a0, b0, False)) is not None:
        x, y = a0 - hit[0] - m, b0 - hit[1] - m
        a0 = _backward(na, nb, x, y)
        b0 = y - (x - a0)
    return a0, a1, b0, b1


def _longest_false_run(mask: np.ndarray) -> int:
    if len(mask) == 0:
        return 0
    f = np.concatenate(([True], mask, [True]))
    t = np.flatnonzero(f)
    return int((np.diff(t) - 1).max())


def figures_only(sa: str, sb: str, max_run: int) -> bool:
    """Whether two normalised stretches differ only in their figures, most figures inside them
    differ, and they share no figure-free stretch of `max_run` characters: statistics wording,
    not copying. (A passage copied with its figures may differ in the figures at its edges,
    where a passage is extended into the neighbouring text.)"""
    if sa == sb:
        return False
    ma, mb = _FIGURE.sub("#", sa), _FIGURE.sub("#", sb)
    if ma != mb or max(map(len, ma.split("#"))) >= max_run:
        return False
    fa, fb = _FIGURE.findall(sa)[1:-1], _FIGURE.findall(sb)[1:-1]   # edge figures may be cut
    return bool(fa) and sum(x != y for x, y in zip(fa, fb)) * 2 > len(fa)


def _figure_next(s: str, i: int, forward: bool) -> str:
    """The figure (see _FIGURE) that starts at s[i] (forward) or ends at s[i - 1] (backward)."""
    m = (_FIGURE.match(s, i) if forward else
         next((x for x in _FIGURE.finditer(s, max(0, i - 24), i) if x.end() == i), None))
    return m.group(0) if m else ""


def _between_figures(na: str, nb: str, a0: int, a1: int, b0: int, b1: int, max_run: int) -> bool:
    """Whether an identical stretch is the wording between figures that differ in the two texts
    ("…面积分别为" followed by 5.6 in one and 4.8 in the other) and too short to be more than an
    indicator's name: statistics wording."""
    inside = _FIGURE.sub("#", na[a0:a1])
    if inside.count("#") > 1 or max(map(len, inside.split("#"))) >= max_run:
        return False                        # a stretch with figures of its own, all equal: copied
    for fwd, x, y in ((True, a1, b1), (False, a0, b0)):
        fa, fb = _figure_next(na, x, fwd), _figure_next(nb, y, fwd)
        if fa and fb and fa != fb:
            return True
    return False


def _merge_figure_gaps(passages: list[list], na: str, nb: str, max_gap: int) -> list[list]:
    """Merge consecutive passages separated in both texts only by figures ("…面积分别为5.6平方米、
    6.9平方米，生均…" against "…4.8平方米、7.3平方米，生均…"), so a statistics sentence is
    judged whole."""
    out: list[list] = []
    for p in passages:
        if out:
            q = out[-1]
            ga, gb = na[q[1]:p[0]], nb[q[3]:p[2]]
            if (p[0] >= q[1] and p[2] >= q[3] and len(ga) <= max_gap and len(gb) <= max_gap
                    and _FIGURE.search(ga + gb) and _FIGURE.sub("#", ga) == _FIGURE.sub("#", gb)):
                q[1], q[3], q[4] = p[1], p[3], q[4] or p[4]
                continue
        out.append(list(p))
    return out


def _compare(A: _Doc, B: _Doc, k: int) -> list[tuple]:
    """Passages (a0, a1, b0, b1, kind, kinds) shared by A and B in normalised offsets; kind is
    copy | boilerplate | figures, kinds the boilerplate kinds found in the passage."""
    runs = []
    abp, bbp = A.code > 0, B.code > 0
    for a0, a1, b0, b1 in _exact_runs(A, B, k):
        longest = _longest_false_run(abp[a0:a1])
        if not B.is_ref:
            longest = min(longest, _longest_false_run(bbp[b0:b1]))
        runs.append((a0, a1, b0, b1, longest >= k))
    if not runs:
        return []
    merged = _merge_runs(runs, MERGE_GAP)
    extended = [(*_extend(A.norm, B.norm, a0, a1, b0, b1), ev) for a0, a1, b0, b1, ev in merged]
    # extension can make passages meet: merge again, dropping one inside another
    out: list[list] = []
    for a0, a1, b0, b1, ev in _merge_runs(extended, MERGE_GAP):
        if out and a1 <= out[-1][1] and b0 >= out[-1][2] and b1 <= out[-1][3]:
            out[-1][4] = out[-1][4] or ev
            continue
        out.append([a0, a1, b0, b1, ev])
    cfg = _config()
    result = []
    for a0, a1, b0, b1, ev in _merge_figure_gaps(out, A.norm, B.norm, cfg.stat_run):
        if ev and (figures_only(A.norm[a0:a1], B.norm[b0:b1], cfg.stat_run)
                   or _between_figures(A.norm, B.norm, a0, a1, b0, b1, cfg.stat_run)):
            result.append((a0, a1, b0, b1, "figures", ("statistics",)))
            continue
        codes = np.unique(A.code[a0:a1])
        kinds = tuple(cfg.kinds[c - 1] for c in codes.tolist() if c)
        result.append((a0, a1, b0, b1, "copy" if ev else "boilerplate", kinds))
    return result


def _pair_record(A: _Doc, B: _Doc, k: int):
    """A's and B's passages with original offsets and the normalised cover of the counted ones:
    (passages, shared, boilerplate_chars, a_cover, b_cover) or None when nothing counts."""
    found = _compare(A, B, k)
    if not any(kind == "copy" for *_, kind, _ in found):
        return None
    passages, bp_chars = [], 0
    a_cov = np.zeros(len(A.norm), dtype=bool)
    b_cov = np.zeros(len(B.norm), dtype=bool)
    for a0, a1, b0, b1, kind, kinds in found:
        passages.append({"a_start": int(A.starts[a0]), "a_end": _end(A, a1 - 1),
                         "b_start": int(B.starts[b0]), "b_end": _end(B, b1 - 1),
                         "chars": a1 - a0, "boilerplate": kind != "copy", "kind": kind,
                         "boilerplate_kinds": list(kinds)})
        if kind == "copy":
            a_cov[a0:a1] = True
            b_cov[b0:b1] = True
        else:
            bp_chars += a1 - a0
    return passages, bp_chars, a_cov, b_cov


def _pair_dict(a_id: str, b_id: str, a_len: int, b_len: int, b_is_ref: bool, text_a: str, text_b: str,
               passages: list[dict], bp_chars: int, a_chars: int, b_chars: int) -> dict:
    """One reported pair: passages side by side with both texts' offsets and quotes (a_len,
    b_len: the texts' normalised lengths)."""
    for p in passages:
        p["a_text"] = text_a[p["a_start"]:p["a_end"]]
        p["b_text"] = text_b[p["b_start"]:p["b_end"]]
    return {"a": a_id, "b": b_id, "passages": passages, "shared_chars": int(a_chars),
            "boilerplate_chars": int(bp_chars),
            "a_ratio": round(a_chars / max(1, a_len), 6),
            "b_ratio": round(b_chars / max(1, b_len), 6),
            "b_is_reference": bool(b_is_ref), "confirmed": False}


# --- main entry -------------------------------------------------------------------------------

def _boilerplate_min_docs(n_docs: int) -> int:
    return max(BOILERPLATE_MIN_DOCS, math.ceil(BOILERPLATE_SHARE * n_docs))


def find_copies(docs: list[tuple[str, str]], reference: list[tuple[str, str]] | None = None, *,
                min_run: int = 13, region_names: dict[str, list[str]] | None = None,
                sections: dict[str, list[dict]] | None = None, jobs: int = 1) -> dict:
    """Passages shared between reports under review, and between them and reference texts.

    docs: (id, text) of the reports under review; reference: (id, text) of known templates or
    earlier reports; region_names: doc id → the region names that text uses (all of them are
    replaced by a placeholder in every text before matching); sections: doc id → the report's
    "sections" (contract form: heading, level, start, end), for the per-chapter shares; jobs:
    processes for the pair checks. See the module docstring for the method and the result."""
    t0 = time.perf_counter()
    if int(min_run) < 5:
        raise ValueError("min_run 不能小于 5")
    reference = list(reference or [])
    docs = list(docs)
    ids = [d for d, _ in docs] + [d for d, _ in reference]
    if len(set(ids)) != len(ids):
        seen, dup = set(), []
        for i in ids:
            if i in seen:
                dup.append(i)
            seen.add(i)
        raise ValueError(f"文档编号重复：{'、'.join(map(str, sorted(set(dup))[:5]))}")
    region_names = {k: [v] if isinstance(v, str) else list(v or []) for k, v in (region_names or {}).items()}
    n_docs = len(docs)
    k = int(min_run)
    texts = [t or "" for _, t in docs] + [t or "" for _, t in reference]
    # Every text's names are replaced in every text: a copy that kept the source county's name
    # matches as well as one that swapped in its own.
    auto = _name_automaton([n for names in region_names.values() for n in (names or [])])
    jobs = max(1, int(jobs))
    stats: dict = {"large_keys": 0}
    min_docs = _boilerplate_min_docs(n_docs)
    with tempfile.TemporaryDirectory(prefix="dudao-copies-") as tmp:
        store = copystore.Store(tmp)
        try:
            counts = GramCounts()
            lengths = _prepare_all([(i, texts[x], x >= n_docs) for x, i in enumerate(ids)], auto, k, jobs,
                                   counts, store)
            t_norm = time.perf_counter()
            anchors = _index_all(store, counts, min_docs, k, jobs)
            del counts
            cand = _candidate_pairs(anchors, n_docs, stats)
            del anchors
            t_cand = time.perf_counter()

            covered: dict[int, np.ndarray] = {}
            pairs_out = []
            for i, j, passages, bp_chars, a_cov, b_cov in _verify(store, cand, k, jobs):
                for x, cov in ((i, a_cov), (j, b_cov)):
                    if x < n_docs:
                        covered.setdefault(x, np.zeros(lengths[x], dtype=bool))[cov] = True
                pairs_out.append(_pair_dict(ids[i], ids[j], lengths[i], lengths[j], j >= n_docs, texts[i], texts[j],
                                            passages, bp_chars, len(a_cov), len(b_cov)))
            pairs_out.sort(key=lambda p: (-p["shared_chars"], str(p["a"]), str(p["b"])))
            ratios = {}
            for x in range(n_docs):
                c = covered.get(x)
                ratios[ids[x]] = round(float(c.sum()) / max(1, len(c)), 6) if c is not None else 0.0
            chapters = {}
            reader = store.reader(_Doc)
            try:
                for x in range(n_docs):
                    secs = (sections or {}).get(ids[x])
                    if secs is not None:
                        chapters[ids[x]] = chapter_shares(texts[x], reader.get(x).starts, covered.get(x), secs)
            finally:
                reader.close()
        finally:
            store.close()
    t_end = time.perf_counter()
    params = {
        "min_run": k, "winnow": WINNOW, "anchor_guarantee_chars": k + WINNOW - 1,
        "max_key_docs": MAX_KEY_DOCS, "neighbours": NEIGHBOURS,
        "merge_gap": MERGE_GAP, "extend_gap": EXTEND_GAP, "extend_min": EXTEND_MIN,
        "statistics_max_shared_run": _config().stat_run,
        "boilerplate_share": BOILERPLATE_SHARE, "boilerplate_min_docs": int(min_docs),
        "n_docs": n_docs, "n_reference": len(reference), "jobs": jobs,
        "candidate_pairs": int(len(cand)), **stats,
        "seconds": {"normalise": round(t_norm - t0, 3), "candidates": round(t_cand - t_norm, 3),
                    "verify": round(t_end - t_cand, 3), "total": round(t_end - t0, 3)},
    }
    return {"pairs": pairs_out, "ratios": ratios, "chapters": chapters, "legend": boilerplate_legend(),
            "params": params}


def chapter_shares(text: str, starts: np.ndarray, covered: np.ndarray | None, sections: list[dict]) -> list[dict]:
    """Copied share of each top-level chapter (CNKI-style): a chapter runs from a level-1
    heading to the next one; text before the first heading is the opening (title "（开头）")."""
    heads = sorted((int(s["start"]), str(s.get("heading") or "")) for s in sections or []
                   if s.get("level") == 1 and s.get("start") is not None)
    bounds = ([(0, "（开头）")] if not heads or heads[0][0] > 0 else []) + heads
    out = []
    for n, (s, title) in enumerate(bounds):
        e = bounds[n + 1][0] if n + 1 < len(bounds) else len(text)
        lo, hi = np.searchsorted(starts, [s, e], "left").tolist()
        chars = hi - lo
        if chars <= 0:
            continue
        copied = int(covered[lo:hi].sum()) if covered is not None else 0
        out.append({"title": title, "start": s, "end": e, "chars": int(chars), "copied_chars": copied,
                    "share": round(copied / chars, 6)})
    return out


def pan_features(pair: dict) -> list[dict]:
    """The pair's counted passages in the PAN text-alignment form: the report under review
    (``a``) is the suspicious document, ``b`` the source; offsets and lengths in characters."""
    return [{"name": "detected-plagiarism", "this_offset": p["a_start"], "this_length": p["a_end"] - p["a_start"],
             "source_reference": pair["b"], "source_offset": p["b_start"],
             "source_length": p["b_end"] - p["b_start"]}
            for p in pair["passages"] if not p.get("boilerplate")]
