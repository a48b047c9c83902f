"""Incremental copy detection for the platform: a saved index of all earlier reports, and a check
of one new upload against it (dudao.review.copydetect's method, one text at a time).

The index is one SQLite file: each text's normalised form, offsets, sorted gram hashes,
boilerplate codes and evidence seeds (as blobs), its original text, and an ``anchors`` table
(hash, text) with an index on the hash — the inverted index of copydetect's step 3, on disk, so
the memory a check needs does not grow with the number of earlier reports.

The gram counts of stock phrasing (copydetect.GramCounts) are kept in the file too and updated
by every ``add``. ``check`` prepares the new text, marks grams held by at least max(3, 30 % of
the indexed reports and itself) reports as stock phrasing, looks its anchors up, ranks the
earlier texts by the anchors they share with it and compares it with the MAX_CANDIDATES best (bounded work however
many reports use the same 范文), exactly as ``find_copies`` compares a pair. ``add`` makes a
text an earlier report for the next checks.

    index = CopyIndex("copies.sqlite")
    index.add_many(earlier_reports, region_names)        # once
    result = index.check("new-id", new_text, ["云溪县"])  # per upload; then index.add(...)
"""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import numpy as np

from dudao.review import copydetect as cd

MAX_CANDIDATES = 50             # earlier texts compared with a new one (most shared anchors first)
_SQL_VARS = 500                 # hashes per lookup query

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS docs (idx INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, is_ref INTEGER,
    text TEXT, norm TEXT, starts BLOB, ph_pos BLOB, ph_end BLOB, grams BLOB, gpos BLOB, code BLOB,
    seeds BLOB);
CREATE TABLE IF NOT EXISTS anchors (hash INTEGER NOT NULL, doc INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS anchors_hash ON anchors (hash);
CREATE TABLE IF NOT EXISTS names (name TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS counts (id INTEGER PRIMARY KEY, table_ BLOB);
"""


class CopyIndex:
    """Index of earlier reports in a SQLite file (created when missing)."""

    def __init__(self, path: str | Path, *, min_run: int = 13):
        self.path = str(path)
        self.db = sqlite3.connect(self.path)
        self.db.executescript(_SCHEMA)
        row = self.db.execute("SELECT value FROM meta WHERE key = 'min_run'").fetchone()
        if row is None:
            if int(min_run) < 5:
                raise ValueError("min_run 不能小于 5")
            self.db.execute("INSERT INTO meta VALUES ('min_run', ?)", (str(int(min_run)),))
            self.db.commit()
            self.k = int(min_run)
        else:
            self.k = int(row[0])
        self._auto = None
        self._names_seen: set[str] | None = None
        self._counts: cd.GramCounts | None = None

    # --- bookkeeping ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM docs").fetchone()[0]

    def _n_reports(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM docs WHERE is_ref = 0").fetchone()[0]

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def save(self, path: str | Path) -> None:
        """Copy the index to another file (SQLite online backup)."""
        with sqlite3.connect(str(path)) as dst:
            self.db.backup(dst)

    def _gram_counts(self) -> cd.GramCounts:
        if self._counts is None:
            row = self.db.execute("SELECT table_ FROM counts WHERE id = 1").fetchone()
            table = np.frombuffer(row[0], np.uint32).reshape(2, -1).copy() if row else None
            self._counts = cd.GramCounts(table)
        return self._counts

    def _automaton(self, extra=()):
        """Name automaton over every region name the index knows, plus `extra`."""
        if self._names_seen is None:
            self._names_seen = {r[0] for r in self.db.execute("SELECT name FROM names")}
            self._auto = None
        new = [n for n in extra if n and n not in self._names_seen]
        if new:
            self.db.executemany("INSERT OR IGNORE INTO names VALUES (?)", [(n,) for n in new])
            self._names_seen.update(new)
            self._auto = None
        if self._auto is None and self._names_seen:
            self._auto = cd._name_automaton(sorted(self._names_seen))
        return self._auto

    # --- adding ------------------------------------------------------------------------------

    def add(self, doc_id: str, text: str, names=(), *, reference: bool = False) -> None:
        """Make a text an earlier report (or, with reference=True, a template) for later checks."""
        self.add_many([(doc_id, text)], {doc_id: _names(names)}, reference=reference)

    def add_many(self, docs, region_names: dict | None = None, *, reference: bool = False) -> None:
        """Add (id, text) pairs in one transaction; region_names: id → names, as find_copies."""
        docs = list(docs)
        region_names = region_names or {}
        ids = [d for d, _ in docs]
        names = [n for d in ids for n in _names(region_names.get(d))]
        auto = self._automaton(names)
        counts = self._gram_counts()
        before = counts.table.copy()
        try:
            with self.db:
                self._insert(docs, reference, auto, counts)
                self.db.execute("INSERT OR REPLACE INTO counts VALUES (1, ?)", (counts.table.tobytes(),))
        except BaseException as exc:               # the file is rolled back: so are the counts
            counts.table = before
            if not isinstance(exc, sqlite3.IntegrityError):
                raise
            dup = sorted({d for d in ids if ids.count(d) > 1} | {
                r[0] for r in self.db.execute(f"SELECT id FROM docs WHERE id IN ({','.join('?' * len(ids))})", ids)})
            raise ValueError(f"文档编号重复：{'、'.join(map(str, dup[:5]))}") from None

    def _insert(self, docs, reference: bool, auto, counts: cd.GramCounts) -> None:
        n = self._n_reports()
        for s in range(0, len(docs), 256):
            batch = [cd._prepare(i, t or "", reference, auto, self.k) for i, t in docs[s:s + 256]]
            if not reference:
                counts.add(batch)
                n += len(batch)
            for d in batch:
                cd._compact(d)
                own = d.code.copy()                   # stored: stock phrasing is decided per check
                cd._index_doc(d, counts, cd._boilerplate_min_docs(n), self.k)
                cur = self.db.execute(
                    "INSERT INTO docs (id, is_ref, text, norm, starts, ph_pos, ph_end, grams, gpos, code, seeds)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (d.id, int(reference), docs[s + batch.index(d)][1] or "", d.norm, d.starts.tobytes(),
                     d.ph_pos.tobytes(), d.ph_end.astype(np.int32).tobytes(), d.grams.tobytes(),
                     d.gpos.tobytes(), own.tobytes(), d.seeds.tobytes()))
                self.db.executemany("INSERT INTO anchors VALUES (?, ?)",
                                    ((h, cur.lastrowid) for h in d.anchors.tolist()))

    def _load(self, idx: int) -> tuple[cd._Doc, str]:
        row = self.db.execute("SELECT id, is_ref, text, norm, starts, ph_pos, ph_end, grams, gpos, code, seeds"
                              " FROM docs WHERE idx = ?", (idx,)).fetchone()
        doc_id, is_ref, text, norm, starts, ph_pos, ph_end, grams, gpos, code, seeds = row
        d = cd._Doc(doc_id, bool(is_ref), norm, np.frombuffer(starts, np.int32), np.frombuffer(ph_pos, np.int32),
                    np.frombuffer(ph_end, np.int32), np.frombuffer(grams, np.uint32), np.frombuffer(gpos, np.int32),
                    np.frombuffer(code, np.uint8).copy(), seeds=np.frombuffer(seeds, np.uint32))
        return d, text

    # --- checking ----------------------------------------------------------------------------

    def check(self, doc_id: str, text: str, names=(), *, sections: list[dict] | None = None) -> dict:
        """Passages the new text shares with earlier ones (it is ``a`` in every pair); the index
        is not changed. Returns {"pairs", "ratio", "chapters", "legend", "params"}, pairs and
        passages shaped as find_copies'."""
        t0 = time.perf_counter()
        k = self.k
        A = cd._prepare(doc_id, text or "", False, self._automaton(_names(names)), k)
        counts = cd.GramCounts(self._gram_counts().table.copy())
        counts.add([A])                                 # A counts as one of the reports
        cd._compact(A)
        min_docs = cd._boilerplate_min_docs(self._n_reports() + 1)
        cd._index_doc(A, counts, min_docs, k)
        # anchors of A held by earlier texts
        hits: dict[int, list[int]] = {}
        hashes = A.anchors.tolist()
        for s in range(0, len(hashes), _SQL_VARS):
            part = hashes[s:s + _SQL_VARS]
            q = f"SELECT hash, doc FROM anchors WHERE hash IN ({','.join('?' * len(part))})"
            for h, doc in self.db.execute(q, part):
                hits.setdefault(h, []).append(doc)
        shared: dict[int, int] = {}
        for docs in hits.values():
            for x in docs:
                shared[x] = shared.get(x, 0) + 1
        best = sorted(shared, key=lambda x: (-shared[x], x))[:MAX_CANDIDATES]
        t_cand = time.perf_counter()
        pairs = []
        covered = np.zeros(len(A.norm), dtype=bool)
        for idx in best:
            B, text_b = self._load(idx)
            cd._index_doc(B, counts, min_docs, k)
            rec = cd._pair_record(A, B, k)
            if rec is None:
                continue
            passages, bp_chars, a_cov, b_cov = rec
            covered |= a_cov
            pairs.append(cd._pair_dict(A.id, B.id, len(A.norm), len(B.norm), B.is_ref, text or "", text_b, passages,
                                       bp_chars, int(a_cov.sum()), int(b_cov.sum())))
        pairs.sort(key=lambda p: (-p["shared_chars"], str(p["b"])))
        t_end = time.perf_counter()
        return {
            "pairs": pairs, "ratio": round(float(covered.sum()) / max(1, len(covered)), 6),
            "chapters": cd.chapter_shares(text or "", A.starts, covered, sections) if sections is not None else [],
            "legend": cd.boilerplate_legend(),
            "params": {"min_run": k, "indexed": len(self), "boilerplate_min_docs": min_docs,
                       "candidates": len(best),
                       "seconds": {"candidates": round(t_cand - t0, 3), "verify": round(t_end - t_cand, 3),
                                   "total": round(t_end - t0, 3)}},
        }


def _names(v) -> list[str]:
    return [v] if isinstance(v, str) else [n for n in (v or []) if n]
