"""Copy detection's prepared texts on disk, and the worker processes that use them.

``find_copies`` keeps each prepared text (normalised text, offsets, gram hashes, boilerplate
codes: ~80 KB for a 9,000-character report) in one temporary file instead of memory, so a batch
of 28,500 reports needs a few hundred MB whatever its size: the parent keeps each text's place in
the file, its anchors (for the candidate pairs) and its normalised length. Worker processes are
spawned (not forked: a fork would carry the whole parent, reports and all, into every worker);
they prepare chunks of texts, and check chunks of candidate pairs reading the two texts of each
pair from the file (a small cache each, pairs come sorted by their first text).
"""
from __future__ import annotations

import multiprocessing as mp
import os
from collections import OrderedDict
from pathlib import Path

import numpy as np

from dudao.review import copydetect as cd

_HEAD = 8                     # int64 fields before a text's arrays (see put)
CACHE = 256                   # prepared texts a reader keeps in memory
_WORKER: dict = {}            # a worker process's state (set by its initializer)


class Store:
    """Prepared texts, one record each, appended to `folder`/prepared.bin in index order."""

    def __init__(self, folder: str | Path):
        self.path = str(Path(folder) / "prepared.bin")
        self.f = open(self.path, "w+b")
        self.where: list[tuple[int, int]] = []     # (offset, length) of each text's record
        self.code_at: list[int] = []               # offset of its boilerplate codes
        self.size = 0

    def put(self, d: cd._Doc) -> None:
        nb = d.norm.encode("utf-8", "surrogatepass")
        n, ph, g, s = len(d.starts), len(d.ph_pos), len(d.grams), len(d.seeds)
        head = np.array([n, len(nb), ph, g, s, int(d.is_ref), 0, 0], np.int64)
        blob = b"".join((head.tobytes(), d.starts.astype(np.int32).tobytes(), d.ph_pos.astype(np.int32).tobytes(),
                         d.ph_end.astype(np.int32).tobytes(), d.grams.astype(np.uint32).tobytes(),
                         d.gpos.astype(np.int32).tobytes(), d.seeds.astype(np.uint32).tobytes(),
                         d.code.astype(np.uint8).tobytes(), nb))
        self.f.seek(self.size)
        self.f.write(blob)
        self.where.append((self.size, len(blob)))
        self.code_at.append(self.size + 8 * _HEAD + 4 * (n + 2 * ph + 2 * g + s))
        self.size += len(blob)

    def set_code(self, i: int, code: np.ndarray) -> None:
        self.f.seek(self.code_at[i])
        self.f.write(code.astype(np.uint8).tobytes())

    def reader(self) -> "Reader":
        self.f.flush()
        return Reader(self.path, np.asarray(self.where, dtype=np.int64).reshape(-1, 2))

    def close(self) -> None:
        self.f.close()


class Reader:
    """Prepared texts by index, read from a Store's file (a few kept in memory)."""

    def __init__(self, path: str, where: np.ndarray, cache: int = CACHE):
        self.f = open(path, "rb")
        self.where, self.cache, self.size = where, OrderedDict(), cache

    def get(self, i: int) -> cd._Doc:
        d = self.cache.get(i)
        if d is not None:
            self.cache.move_to_end(i)
            return d
        off, length = self.where[i].tolist()
        self.f.seek(off)
        buf = self.f.read(length)
        n, nb, ph, g, s, is_ref = np.frombuffer(buf, np.int64, 6).tolist()
        pos = 8 * _HEAD

        def take(dtype, count):
            nonlocal pos
            a = np.frombuffer(buf, dtype, count, pos)
            pos += a.nbytes
            return a
        starts, ph_pos, ph_end = take(np.int32, n), take(np.int32, ph), take(np.int32, ph)
        grams, gpos, seeds = take(np.uint32, g), take(np.int32, g), take(np.uint32, s)
        code = take(np.uint8, n).copy()
        norm = buf[pos:pos + nb].decode("utf-8", "surrogatepass")
        d = cd._Doc(str(i), bool(is_ref), norm, starts, ph_pos, ph_end, grams, gpos, code, seeds=seeds)
        self.cache[i] = d
        if len(self.cache) > self.size:
            self.cache.popitem(last=False)
        return d

    def close(self) -> None:
        self.f.close()


# --- worker processes ----------------------------------------------------------------------------

def _pool(jobs: int, init, args):
    return mp.get_context("spawn").Pool(jobs, initializer=init, initargs=args)


def _init_prepare(automaton, k: int) -> None:
    _WORKER.update(automaton=automaton, k=k)


def _prepare_chunk(items: list[tuple]) -> list[cd._Doc]:
    return [cd._prepare(i, t, r, _WORKER["automaton"], _WORKER["k"]) for i, t, r in items]


def prepare_all(items: list[tuple], automaton, k: int, jobs: int, counts: cd.GramCounts, store: Store) -> list[int]:
    """Prepare (id, text, is_ref) items into `store` (in `jobs` processes for large batches),
    counting the reports' grams in `counts` as each chunk arrives. Returns each text's
    normalised length."""
    lengths: list[int] = []

    def done(chunk: list[cd._Doc]) -> None:
        counts.add([d for d in chunk if not d.is_ref])
        for d in chunk:
            cd._compact(d)
            store.put(d)
            lengths.append(len(d.norm))

    # chunks of at most 256 texts: a prepared text is ~130 KB before compaction, and a few chunks
    # may wait in the pipe
    step = min(256, max(cd.PARALLEL_MIN_DOCS, len(items) // (max(1, jobs) * 8)))
    chunks = (items[s:s + step] for s in range(0, len(items), step))
    if jobs <= 1 or len(items) < 4 * cd.PARALLEL_MIN_DOCS:
        for c in chunks:
            done([cd._prepare(i, t, r, automaton, k) for i, t, r in c])
        return lengths
    with _pool(jobs, _init_prepare, (automaton, k)) as pool:
        for chunk in pool.imap(_prepare_chunk, chunks):
            done(chunk)
    return lengths


def index_all(store: Store, counts: cd.GramCounts, min_docs: int, k: int) -> list[np.ndarray]:
    """Mark each stored text's stock phrasing (now that every report is counted) and take its
    anchors; returns the anchors of each text."""
    reader = store.reader()
    reader.size = 0                                   # each text read once: no cache
    anchors = []
    try:
        for i in range(len(store.where)):
            d = reader.get(i)
            before = d.code.copy()
            cd._index_doc(d, counts, min_docs, k)
            if not np.array_equal(before, d.code):
                store.set_code(i, d.code)
            anchors.append(d.anchors)
    finally:
        reader.close()
    return anchors


def _init_verify(path: str, where: np.ndarray, k: int) -> None:
    _WORKER.update(reader=Reader(path, where), k=k)


def _verify_pairs(pairs: np.ndarray, reader: Reader | None = None, k: int | None = None) -> list:
    reader = reader or _WORKER["reader"]
    k = k or _WORKER["k"]
    out = []
    for i, j in pairs.tolist():
        rec = cd._pair_record(reader.get(i), reader.get(j), k)
        if rec is not None:
            passages, bp_chars, a_cov, b_cov = rec
            out.append((i, j, passages, bp_chars, np.flatnonzero(a_cov).astype(np.int32),
                        np.flatnonzero(b_cov).astype(np.int32)))
    return out


def verify(store: Store, cand: np.ndarray, k: int, jobs: int):
    """Evidence for every candidate pair (i, j), in order: (i, j, passages, boilerplate chars,
    covered positions in i, in j) for each pair that shares a counted passage."""
    reader = store.reader()
    try:
        if jobs <= 1 or len(cand) < cd.PARALLEL_MIN_PAIRS:
            yield from _verify_pairs(cand, reader, k)
            return
        step = max(64, min(2048, len(cand) // (jobs * 8)))
        chunks = (cand[s:s + step] for s in range(0, len(cand), step))
        with _pool(jobs, _init_verify, (reader.f.name, reader.where, k)) as pool:
            for chunk in pool.imap(_verify_pairs, chunks):
                yield from chunk
    finally:
        reader.close()
