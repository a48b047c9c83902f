"""Which reports were copied from a template or from each other (抄袭 / 套用模板检测).

``find_copies(docs, reference)`` finds passages that two reports (or a report and a known template
or earlier report) share, the way Chinese plagiarism checkers do: exact runs of at least
``min_run`` (13) characters after normalisation, with stock phrasing set apart as boilerplate.

Method
------
1. Normalise each text, keeping a map back to original offsets: whitespace, punctuation and
   symbols are dropped, full-width forms become half-width, Latin letters lower case, the level
   words 市/县/区/旗 are unified, and region names and the generic masks of templates (xx, XX,
   ××, 某某, ＊＊, "x所") become one placeholder symbol each. Region names are those given for
   any text of the batch, replaced in every text (stem only: "靖江市" → "◆市"), so a copy matches
   its source whether the copier swapped in its own name or kept the neighbour's, and a template
   filled in ("xx市" → "靖江市") matches the template. Digits are kept.
2. Hash every ``min_run``-gram of the normalised text (rolling polynomial hash, numpy). A gram
   found in at least max(3, 30 % of the reports under review) reports is frequent; positions
   covered by a frequent gram or by a pattern of ``copy_boilerplate.yaml`` are boilerplate.
3. Candidate pairs by MinHash LSH over character shingles (the same min_run-grams; shingles as
   long as min_run keep common short phrases from pairing every report with every other), per
   window of 24 shingles, windows overlapping by half — not per whole text, so a 60-character
   passage inside a 10,000-character report is still found. A window's signature uses
   datasketch's affine32 MinHash permutations, computed for all windows at once with numpy (equal
   to ``datasketch.MinHash.update_batch`` over the window's shingle values, see the tests); it is
   cut into bands of 2 values, and two texts whose windows agree on a band become a candidate
   pair. The banding is done in numpy rather than in ``datasketch.MinHashLSH``, whose
   per-key Python sets would need gigabytes for the ~10^6 windows of 3,000 reports. Boilerplate
   shingles are left out of the signatures. There is no all-pairs step: band keys are sorted
   and only texts sharing a key are paired; a key shared by more than MAX_BUCKET texts (a
   template filled in by hundreds of counties) pairs each of them with a representative (the
   reference texts among them, else the first) rather than with each other.
4. Evidence for each candidate pair by seed-and-extend: the sorted ``min_run``-gram hashes of one
   text are looked up in the other's; matching grams on one diagonal that follow each other form
   a maximal exact run (checked character by character). Runs adjacent or overlapping in both
   texts are merged into one passage, and a passage is extended over small differences (a
   changed figure, "xx" against a name, an added word: a gap of up to EXTEND_GAP characters
   followed by EXTEND_MIN equal ones), so a paragraph copied with its figures changed is one
   passage.
5. A passage is boilerplate when none of its exact runs holds ``min_run`` consecutive
   non-boilerplate characters; boilerplate passages are reported (``boilerplate: true``) but
   count neither in a pair's ``shared_chars`` nor in ``ratios``. Pairs that share only
   boilerplate are not reported.

Offsets in the result are character offsets into the original texts (``a_text ==
text_a[a_start:a_end]``); ``chars`` counts normalised characters (of the passage in ``a``). Each
pair also carries ``boilerplate_chars`` and ``b_is_reference``; in a pair with a reference text
the report under review is ``a``.
"""
from __future__ import annotations

import math
import re
import time
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from dudao.resources import load_yaml

PLACEHOLDER = "\ue000"          # one normalised character standing for a name or a mask
_PH = ord(PLACEHOLDER)

# Candidate stage (MinHash LSH over windows of shingles; a shingle is a min_run-gram).
BLOCK = 12                      # shingles per block; a window is WINDOW_BLOCKS consecutive blocks
WINDOW_BLOCKS = 2               # window = 24 shingles (36 characters); windows overlap by half
ROWS = 2                        # MinHash values per band
BANDS = 24                      # bands per window (num_perm = ROWS * BANDS)
MAX_REPS = 4                    # at most this many reference texts represent a large bucket
BAND_BATCH = 4                  # bands indexed together (memory: one batch of keys at a time)
MIN_LIVE = 8                    # a window needs this many non-boilerplate shingles to be indexed
MAX_BUCKET = 200                # a band shared by more texts pairs each with one representative
SEED = 1                        # datasketch MinHash seed

# Evidence stage.
MERGE_GAP = 6                   # runs this close in both texts (normalised chars) are one passage
EXTEND_GAP = 6                  # a passage is extended over differences up to this long ...
EXTEND_MIN = 5                  # ... when this many equal characters follow
MAX_REPEAT = 8                  # grams repeated more often than this inside one text seed nothing
BOILERPLATE_SHARE = 0.3         # a gram in >= max(3, 30 % of reports) reports is stock phrasing
BOILERPLATE_MIN_DOCS = 3


# --- configuration ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Config:
    patterns: tuple          # compiled boilerplate regexes
    masks: re.Pattern | None
    mask_chars: str          # a text without any of these has no mask
    suffixes: tuple
    unify: str


@lru_cache(maxsize=1)
def _config() -> _Config:
    data = load_yaml("copy_boilerplate") or {}
    pats = tuple(re.compile(p) for p in data.get("patterns") or [])
    masks = data.get("masks") or []
    mask_re = re.compile("|".join(f"(?:{m})" for m in masks)) if masks else None
    suffixes = tuple(sorted(data.get("region_suffixes") or [], key=len, reverse=True))
    return _Config(pats, mask_re, str(data.get("mask_chars") or ""), suffixes,
                   str(data.get("unify_levels") or ""))


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

@dataclass
class _Doc:
    id: str
    text: str
    is_ref: bool
    norm: str                 # normalised text
    starts: np.ndarray        # original start offset of each normalised character (int32)
    ph_pos: np.ndarray        # normalised positions whose original span is longer than 1 char
    ph_end: np.ndarray        # ... and the original end offsets of those spans
    grams: np.ndarray         # uint32 hash of the min_run-gram starting at each position
    bp: np.ndarray | None = None      # bool per normalised character: boilerplate
    live: np.ndarray | None = None    # bool per gram: used in MinHash signatures
    sorted_grams: np.ndarray | None = None
    sorted_pos: np.ndarray | None = None


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


def _sorted_unique(x: np.ndarray, counts: bool = False):
    """np.unique by sorting (numpy 2's hash-based unique is several times slower on uint64)."""
    a = np.sort(x)
    if len(a) == 0:
        return (a, np.zeros(0, dtype=np.int64)) if counts else a
    first = np.concatenate(([True], a[1:] != a[:-1]))
    u = a[first]
    if not counts:
        return u
    starts = np.flatnonzero(first)
    return u, np.diff(np.append(starts, len(a)))


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


def _prepare(doc_id: str, text: str, is_ref: bool, automaton, k: int) -> _Doc:
    norm, starts, ends = normalise(text, automaton=automaton)
    grams = shingle_values(_gram_hashes(_codepoints(norm), k))   # 32 bits: half the memory
    long = np.flatnonzero(ends != starts + 1).astype(np.int32)
    return _Doc(doc_id, text, is_ref, norm, starts, long, ends[long], grams)


def _end(d: _Doc, i: int) -> int:
    """Original end offset of normalised character i."""
    j = int(np.searchsorted(d.ph_pos, i))
    if j < len(d.ph_pos) and d.ph_pos[j] == i:
        return int(d.ph_end[j])
    return int(d.starts[i]) + 1


def _pattern_mask(d: _Doc) -> np.ndarray:
    """Normalised positions covered by a boilerplate pattern of copy_boilerplate.yaml."""
    n = len(d.norm)
    spans = [m.span() for rx in _config().patterns for m in rx.finditer(d.text)]
    if not spans:
        return np.zeros(n, dtype=bool)
    sp = np.asarray(spans, dtype=np.int64)
    lo = np.searchsorted(d.starts, sp[:, 0], "left")
    hi = np.searchsorted(d.starts, sp[:, 1], "left")
    diff = np.zeros(n + 1, dtype=np.int32)
    np.add.at(diff, lo, 1)
    np.add.at(diff, hi, -1)
    return np.cumsum(diff[:n]) > 0


def _cover(flags: np.ndarray, n: int, k: int) -> np.ndarray:
    """Positions covered by a flagged k-gram (flag i covers [i, i+k))."""
    diff = np.zeros(n + 1, dtype=np.int32)
    w = np.flatnonzero(flags)
    if len(w):
        np.add.at(diff, w, 1)
        np.add.at(diff, w + k, -1)
    return np.cumsum(diff[:n]) > 0


def _frequent_grams(docs: list[_Doc], min_docs: int) -> np.ndarray:
    """Sorted gram hashes found in at least `min_docs` of the documents."""
    if len(docs) < min_docs:
        return np.zeros(0, dtype=np.uint32)
    total = sum(len(d.grams) for d in docs)
    buf = np.empty(total, dtype=np.uint32)
    pos = 0
    for d in docs:
        u = _sorted_unique(d.grams)
        buf[pos:pos + len(u)] = u
        pos += len(u)
    buf = buf[:pos]
    buf.sort()
    t = min_docs - 1
    if len(buf) <= t:
        return np.zeros(0, dtype=np.uint32)
    hit = buf[t:][buf[t:] == buf[:len(buf) - t]]   # each value occurs once per document
    return _sorted_unique(hit)


# --- candidate pairs: MinHash LSH over windows ------------------------------------------------

@lru_cache(maxsize=4)
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    from datasketch import MinHash
    m = MinHash(num_perm=num_perm, seed=seed, scheme="affine32")
    a, b = m.permutations
    return a.astype(np.uint32), b.astype(np.uint32)


def _fmix32(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def shingle_values(grams: np.ndarray) -> np.ndarray:
    """The 32-bit value of each shingle fed to MinHash (high half of a 64-bit gram hash)."""
    if grams.dtype == np.uint32:
        return grams
    return (grams >> np.uint64(32)).astype(np.uint32)


def window_signatures(grams: np.ndarray, live: np.ndarray | None = None, perms: slice = slice(None)):
    """MinHash signatures of the windows of a text, from its gram hashes.

    Returns (signatures uint32 [num_perm, n_windows], live shingle count per window). Window w
    covers shingles [w*BLOCK, w*BLOCK + WINDOW_BLOCKS*BLOCK). Each column equals
    ``datasketch.MinHash(num_perm, seed=SEED, scheme="affine32", hashfunc=int)`` updated with
    ``shingle_values`` of the window's live shingles (rows `perms` of it)."""
    a, b = _permutations(ROWS * BANDS, SEED)
    a, b = a[perms], b[perms]
    hv = shingle_values(grams)
    n = len(hv)
    if n == 0:
        return np.zeros((len(a), 0), dtype=np.uint32), np.zeros(0, dtype=np.int64)
    if live is None:
        live = np.ones(n, dtype=bool)
    with np.errstate(over="ignore"):
        phv = a[:, None] * _fmix32(hv)[None, :] + b[:, None]
    phv[:, ~live] = np.uint32(0xFFFFFFFF)
    block_starts = np.arange(0, n, BLOCK)
    bmin = np.minimum.reduceat(phv, block_starts, axis=1)
    blive = np.add.reduceat(live.astype(np.int64), block_starts)
    nb = len(block_starts)
    nw = max(1, nb - WINDOW_BLOCKS + 1)
    sig = bmin[:, :nw].copy()
    cnt = blive[:nw].copy()
    for j in range(1, min(WINDOW_BLOCKS, nb)):
        np.minimum(sig, bmin[:, j:j + nw], out=sig)
        cnt += blive[j:j + nw]
    return sig, cnt


def _band_keys(d: _Doc, bands: range) -> np.ndarray:
    """Distinct uint64 keys of the given bands of the document's window signatures."""
    if len(d.grams) == 0 or d.live is None or not d.live.any():
        return np.zeros(0, dtype=np.uint64)
    sig, cnt = window_signatures(d.grams, d.live, slice(bands.start * ROWS, bands.stop * ROWS))
    sig = sig[:, cnt >= MIN_LIVE]
    if sig.shape[1] == 0:
        return np.zeros(0, dtype=np.uint64)
    s = sig.astype(np.uint64).reshape(len(bands), ROWS, -1)
    with np.errstate(over="ignore"):
        key = (np.arange(bands.start + 1, bands.stop + 1, dtype=np.uint64)
               * np.uint64(0x9E3779B97F4A7C15))[:, None]
        key = np.broadcast_to(key, (len(bands), s.shape[2])).copy()
        for r in range(ROWS):
            key = _fmix64(key ^ s[:, r, :])
    return _sorted_unique(key.ravel())


def _candidate_pairs(prepared: list[_Doc], n_docs: int, stats: dict) -> np.ndarray:
    """Pairs (i, j), i < j, of texts sharing at least one LSH band of some window.

    Bands are processed a few at a time (all texts per batch), which keeps the sorted key array
    small; the pairs of all batches are united at the end."""
    total = len(prepared)
    doc_bits = max(1, (total - 1).bit_length())
    low = np.uint64((1 << doc_bits) - 1)
    codes = []
    stats["lsh_keys"] = 0
    stats["lsh_large_buckets"] = 0
    for b0 in range(0, BANDS, BAND_BATCH):
        bands = range(b0, min(BANDS, b0 + BAND_BATCH))
        parts = []
        for i, d in enumerate(prepared):
            keys = _band_keys(d, bands)
            if len(keys):
                parts.append((keys & ~low) | np.uint64(i))
        if not parts:
            continue
        packed = np.concatenate(parts)
        del parts
        packed.sort()
        stats["lsh_keys"] += int(len(packed))
        p = _bucket_pairs(packed, doc_bits, n_docs, stats)
        del packed
        if len(p):
            p.sort(axis=1)
            p = p[p[:, 0] < n_docs]          # at least one report under review; no ref–ref pairs
            codes.append(_sorted_unique(p[:, 0] * total + p[:, 1]))
    if not codes:
        return np.zeros((0, 2), dtype=np.int64)
    code = _sorted_unique(np.concatenate(codes))
    return np.stack([code // total, code % total], axis=1)


def _bucket_pairs(packed: np.ndarray, doc_bits: int, n_docs: int, stats: dict) -> np.ndarray:
    """Pairs of documents sharing a key in the sorted array of (key | doc) values (each key at
    most once per document). A key shared by more than MAX_BUCKET texts (one template filled in
    by hundreds of counties) pairs every member with a representative instead of with each
    other: the reference texts among them, else the first member."""
    low = np.uint64((1 << doc_bits) - 1)
    diff = packed[1:] ^ packed[:-1]
    diff >>= np.uint64(doc_bits)
    idx = np.flatnonzero(diff == 0)          # packed[i] and packed[i + 1] share a key
    del diff
    if len(idx) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    brk = np.flatnonzero(np.diff(idx) != 1) + 1
    gstart = idx[np.concatenate(([0], brk))]
    gsize = idx[np.concatenate((brk - 1, [len(idx) - 1]))] + 2 - gstart
    lo = int(gstart[0])
    owners = (packed[lo:int(idx[-1]) + 2] & low).astype(np.int64)
    gstart = gstart - lo
    pairs = []
    two = gstart[gsize == 2]
    if len(two):
        pairs.append(np.stack([owners[two], owners[two + 1]], axis=1))
    for s, z in zip(gstart[gsize > 2].tolist(), gsize[gsize > 2].tolist()):
        members = owners[s:s + z]
        if z > MAX_BUCKET:
            stats["lsh_large_buckets"] += 1
            reps = members[members >= n_docs][:MAX_REPS]
            if len(reps) == 0:
                reps = members[:1]
            for r in reps.tolist():
                pairs.append(np.stack([np.full(z, r), members], axis=1)[members != r])
            continue
        ii, jj = np.triu_indices(z, 1)
        pairs.append(np.stack([members[ii], members[jj]], axis=1))
    if not pairs:
        return np.zeros((0, 2), dtype=np.int64)
    return np.concatenate(pairs)


# --- evidence: exact runs ---------------------------------------------------------------------

def _sorted_index(d: _Doc) -> None:
    if d.sorted_grams is None:
        order = np.argsort(d.grams, kind="stable")
        d.sorted_grams = d.grams[order]
        d.sorted_pos = order.astype(np.int32)


def _exact_runs(A: _Doc, B: _Doc, k: int) -> list[tuple[int, int, int, int]]:
    """Maximal exact runs (a0, a1, b0, b1) of >= k normalised characters shared by A and B."""
    _sorted_index(A)
    _sorted_index(B)
    ha, hb = A.sorted_grams, B.sorted_grams
    if len(ha) == 0 or len(hb) == 0:
        return []
    left = np.searchsorted(hb, ha, "left")
    right = np.searchsorted(hb, ha, "right")
    cnt = right - left
    hit = cnt > 0
    if not hit.any():
        return []
    # repeats inside A: multiplicity of each of A's grams
    la = np.searchsorted(ha, ha, "left")
    ra = np.searchsorted(ha, ha, "right")
    hit &= (cnt <= MAX_REPEAT) & ((ra - la) <= MAX_REPEAT)
    if not hit.any():
        return []
    cnt_h = cnt[hit]
    ia = np.repeat(A.sorted_pos[hit], cnt_h)
    offs = np.arange(cnt_h.sum()) - np.repeat(np.cumsum(cnt_h) - cnt_h, cnt_h)
    jb = B.sorted_pos[np.repeat(left[hit], cnt_h) + offs]
    ia = ia.astype(np.int64)
    diag = jb.astype(np.int64) - ia
    order = np.lexsort((ia, diag))
    ia, diag = ia[order], diag[order]
    brk = np.flatnonzero((diag[1:] != diag[:-1]) | (ia[1:] != ia[:-1] + 1)) + 1
    s_idx = np.concatenate(([0], brk))
    e_idx = np.concatenate((brk, [len(ia)])) - 1
    runs = []
    na, nb = A.norm, B.norm
    for s, e in zip(s_idx.tolist(), e_idx.tolist()):
        a0 = int(ia[s])
        a1 = int(ia[e]) + k
        d = int(diag[s])
        b0, b1 = a0 + d, a1 + d
        if na[a0:a1] == nb[b0:b1]:
            runs.append((a0, a1, b0, b1))
        else:                                # a hash collision joined the run: keep what is equal
            x = a0
            while x < a1:
                while x < a1 and na[x] != nb[x + d]:
                    x += 1
                y = x
                while y < a1 and na[y] == nb[y + d]:
                    y += 1
                if y - x >= k:
                    runs.append((x, y, x + d, y + d))
                x = y
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


def _extend(na: str, nb: str, a0: int, a1: int, b0: int, b1: int) -> tuple[int, int, int, int]:
    """Extend a passage over small differences (a changed figure, "xx" against a name, a word
    added): while, within EXTEND_GAP characters past its end in both texts, EXTEND_MIN equal
    characters follow, take them and the exact stretch they start. Same backwards."""
    g, m = EXTEND_GAP, EXTEND_MIN
    la, lb = len(na), len(nb)
    while True:                                            # forwards
        hit = None
        for tot in range(2 * g + 1):
            for ga in range(max(0, tot - g), min(g, tot) + 1):
                x, y = a1 + ga, b1 + tot - ga
                if x + m <= la and y + m <= lb and na[x:x + m] == nb[y:y + m]:
                    hit = (x + m, y + m)
                    break
            if hit:
                break
        if not hit:
            break
        x, y = hit
        while x < la and y < lb and na[x] == nb[y]:
            x += 1
            y += 1
        a1, b1 = x, y
    while True:                                            # backwards
        hit = None
        for tot in range(2 * g + 1):
            for ga in range(max(0, tot - g), min(g, tot) + 1):
                x, y = a0 - ga, b0 - (tot - ga)
                if x - m >= 0 and y - m >= 0 and na[x - m:x] == nb[y - m:y]:
                    hit = (x - m, y - m)
                    break
            if hit:
                break
        if not hit:
            break
        x, y = hit
        while x > 0 and y > 0 and na[x - 1] == nb[y - 1]:
            x -= 1
            y -= 1
        a0, b0 = x, y
    return a0, a1, b0, b1


def _pair_passages(A: _Doc, B: _Doc, k: int) -> list[list]:
    """Passages [a0, a1, b0, b1, evidence] shared by A and B (normalised offsets). A passage is
    evidence of copying when one of its exact runs holds k characters that are not boilerplate
    (in A, and in B unless B is a reference)."""
    runs = []
    for a0, a1, b0, b1 in _exact_runs(A, B, k):
        longest = _longest_false_run(A.bp[a0:a1])
        if not B.is_ref:
            longest = min(longest, _longest_false_run(B.bp[b0:b1]))
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
    return out


def _longest_false_run(mask: np.ndarray) -> int:
    if len(mask) == 0:
        return 0
    f = np.concatenate(([True], mask, [True]))
    t = np.flatnonzero(f)
    return int((np.diff(t) - 1).max())


# --- main entry -------------------------------------------------------------------------------

def find_copies(docs: list[tuple[str, str]], reference: list[tuple[str, str]] | None = None, *,
                min_run: int = 13, region_names: dict[str, list[str]] | None = None) -> dict:
    """Passages shared between reports under review, and between them and reference texts.

    docs: (id, text) of the reports under review; reference: (id, text) of known templates or
    earlier reports; region_names: doc id → the region names that text uses (all of them are
    replaced by a placeholder in every text before matching). See the module docstring for the
    method and the result."""
    t0 = time.perf_counter()
    if int(min_run) < 5:
        raise ValueError("min_run 不能小于 5")
    reference = list(reference or [])
    docs = list(docs)
    ids = [d for d, _ in docs] + [d for d, _ in reference]
    if len(set(ids)) != len(ids):
        dup = sorted({i for i in ids if ids.count(i) > 1})
        raise ValueError(f"文档编号重复：{'、'.join(map(str, dup[:5]))}")
    region_names = {k: [v] if isinstance(v, str) else list(v or []) for k, v in (region_names or {}).items()}
    n_docs = len(docs)
    k = int(min_run)
    # Every text's names are replaced in every text: a copy that kept the source county's name
    # matches as well as one that swapped in its own.
    auto = _name_automaton([n for names in region_names.values() for n in (names or [])])
    prepared = [_prepare(i, t or "", False, auto, k) for i, t in docs]
    prepared += [_prepare(i, t or "", True, auto, k) for i, t in reference]
    t_norm = time.perf_counter()

    # Frequent grams among the reports under review, and boilerplate positions.
    min_docs = max(BOILERPLATE_MIN_DOCS, math.ceil(BOILERPLATE_SHARE * n_docs))
    frequent = _frequent_grams(prepared[:n_docs], min_docs)
    for d in prepared:
        n = len(d.norm)
        pat = _pattern_mask(d) if n else np.zeros(0, dtype=bool)
        freq = np.zeros(len(d.grams), dtype=bool)
        if len(frequent) and len(d.grams):
            pos = np.searchsorted(frequent, d.grams).clip(max=len(frequent) - 1)
            freq = frequent[pos] == d.grams
        d.bp = pat | _cover(freq, n, k) if len(freq) else pat
        # A gram enters the signatures unless it is frequent or mostly boilerplate (a junction
        # of two stock phrases is not frequent itself, but all its characters are boilerplate).
        if len(d.grams):
            c = np.concatenate(([0], np.cumsum(d.bp, dtype=np.int32)))
            d.live = ~freq & ((c[k:] - c[:-k]) * 2 <= k)
    t_bp = time.perf_counter()

    stats: dict = {}
    cand = _candidate_pairs(prepared, n_docs, stats) if len(prepared) >= 2 else np.zeros((0, 2), dtype=np.int64)
    t_lsh = time.perf_counter()

    covered = {i: np.zeros(len(prepared[i].norm), dtype=bool) for i in range(n_docs)}
    pairs_out = []
    for i, j in cand.tolist():
        A, B = prepared[i], prepared[j]
        merged = _pair_passages(A, B, k)
        if not any(ev for *_, ev in merged):
            continue
        passages = []
        bp_chars = 0
        a_cov = np.zeros(len(A.norm), dtype=bool)
        b_cov = np.zeros(len(B.norm), dtype=bool)
        for a0, a1, b0, b1, ev in merged:
            is_bp = not ev
            chars = a1 - a0
            oa0, oa1 = int(A.starts[a0]), _end(A, a1 - 1)
            ob0, ob1 = int(B.starts[b0]), _end(B, b1 - 1)
            passages.append({
                "a_start": oa0, "a_end": oa1, "b_start": ob0, "b_end": ob1,
                "a_text": A.text[oa0:oa1], "b_text": B.text[ob0:ob1],
                "chars": chars, "boilerplate": bool(is_bp),
            })
            if is_bp:
                bp_chars += chars
            else:
                a_cov[a0:a1] = True
                b_cov[b0:b1] = True
        shared = int(a_cov.sum())
        if shared == 0:
            continue
        covered[i] |= a_cov
        if j < n_docs:
            covered[j] |= b_cov
        pairs_out.append({
            "a": A.id, "b": B.id, "passages": passages, "shared_chars": int(shared),
            "boilerplate_chars": int(bp_chars),
            "a_ratio": round(shared / max(1, len(A.norm)), 6),
            "b_ratio": round(float(b_cov.sum()) / max(1, len(B.norm)), 6),
            "b_is_reference": bool(B.is_ref),
        })
    pairs_out.sort(key=lambda p: (-p["shared_chars"], str(p["a"]), str(p["b"])))
    ratios = {prepared[i].id: round(float(c.sum()) / max(1, len(c)), 6) for i, c in covered.items()}
    t_end = time.perf_counter()
    params = {
        "min_run": k, "shingle": k, "window_chars": WINDOW_BLOCKS * BLOCK + k - 1,
        "window_step": BLOCK, "num_perm": ROWS * BANDS, "bands": BANDS, "rows": ROWS,
        "merge_gap": MERGE_GAP, "extend_gap": EXTEND_GAP, "extend_min": EXTEND_MIN,
        "boilerplate_share": BOILERPLATE_SHARE, "boilerplate_min_docs": int(min_docs),
        "n_docs": n_docs, "n_reference": len(reference),
        "candidate_pairs": int(len(cand)), **stats,
        "seconds": {"normalise": round(t_norm - t0, 3), "boilerplate": round(t_bp - t_norm, 3),
                    "lsh": round(t_lsh - t_bp, 3), "verify": round(t_end - t_lsh, 3),
                    "total": round(t_end - t0, 3)},
    }
    return {"pairs": pairs_out, "ratios": ratios, "params": params}
