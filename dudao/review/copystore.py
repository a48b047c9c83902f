"""Copy detection's prepared texts on disk (used by dudao.review.copydetect.find_copies).

``find_copies`` keeps each prepared text (normalised text, offsets, gram hashes, boilerplate
codes: ~80 KB for a 9,000-character report) in one temporary file instead of memory, so a batch
of 28,500 reports needs a few hundred MB whatever its size: the parent keeps each text's place in
the file, its anchors (for the candidate pairs) and its normalised length. Its worker processes
read the two texts of each candidate pair from the file (a small cache each: pairs come sorted
by their first text).
"""
from __future__ import annotations

from collections import OrderedDict, deque
from pathlib import Path

import numpy as np

_HEAD = 8                     # int64 fields before a text's arrays (see put)
CACHE = 256                   # prepared texts a reader keeps in memory


class Store:
    """Prepared texts, one record each, appended to `folder`/prepared.bin in index order."""

    def __init__(self, folder: str | Path):
        self.path = str(Path(folder) / "prepared.bin")
        self.f = open(self.path, "w+b")
        self.where: list[tuple[int, int]] = []     # (offset, length) of each text's record
        self.code_at: list[int] = []               # offset of its boilerplate codes
        self.size = 0

    def put(self, d) -> None:
        """Append a prepared text (copydetect._Doc)."""
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

    def reader(self, make, cache: int | None = None) -> "Reader":
        self.f.flush()
        return Reader(self.path, np.asarray(self.where, dtype=np.int64).reshape(-1, 2), make, cache)

    def close(self) -> None:
        self.f.close()


class Reader:
    """Prepared texts by index, read from a Store's file (a few kept in memory); `make` builds
    one from its fields (copydetect._Doc)."""

    def __init__(self, path: str, where: np.ndarray, make, cache: int | None = None):
        self.f = open(path, "rb")
        self.where, self.make, self.cache, self.size = where, make, OrderedDict(), CACHE if cache is None else cache

    def get(self, i: int):
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
        d = self.make(str(i), bool(is_ref), norm, starts, ph_pos, ph_end, grams, gpos, code, seeds=seeds)
        self.cache[i] = d
        if len(self.cache) > self.size:
            self.cache.popitem(last=False)
        return d

    def close(self) -> None:
        self.f.close()


def bounded_map(pool, func, tasks, ahead: int):
    """pool.imap(func, tasks) with at most `ahead` tasks sent and not yet taken back: imap would
    pickle every task at once and gather results as fast as the workers finish them, so a slow
    consumer (or a large batch) holds them all in memory."""
    pending: deque = deque()
    tasks = iter(tasks)
    for t in tasks:
        pending.append(pool.apply_async(func, (t,)))
        if len(pending) >= ahead:
            break
    while pending:
        result = pending.popleft().get()
        for t in tasks:
            pending.append(pool.apply_async(func, (t,)))
            break
        yield result
