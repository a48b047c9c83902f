"""Copy detection's prepared texts on disk (dudao.review.copystore): what is read back is what
was prepared, and a batch checked with the file and worker processes finds what one process does."""
from __future__ import annotations

import numpy as np

from dudao.review import copydetect as cd
from dudao.review import copystore
from test_copydetect import A, B, C, D, NAMES, STOCK, text

_ARRAYS = ("starts", "ph_pos", "ph_end", "grams", "gpos", "code", "seeds")


def test_a_stored_text_reads_back_whole(tmp_path):
    auto = cd._name_automaton([n for v in NAMES.values() for n in v])
    # a placeholder, a character beyond the BMP, full-width forms and stock wording
    samples = [("A", text(A) + "𠀀ＡＢＣ" + STOCK, False), ("R", text(B[:2]) + "xx县", True), ("E", "", False)]
    store = copystore.Store(tmp_path)
    docs = []
    for i, t, r in samples:
        d = cd._prepare(i, t, r, auto, 13)
        cd._compact(d)
        store.put(d)
        docs.append(d)
    code = docs[0].code.copy()
    code[:5] = 7
    store.set_code(0, code)
    reader = store.reader(cd._Doc)
    try:
        for x, d in enumerate(docs):
            back = reader.get(x)
            assert back.norm == d.norm and back.is_ref == d.is_ref
            for name in _ARRAYS:
                want = code if (x == 0 and name == "code") else getattr(d, name)
                assert np.array_equal(getattr(back, name), want), (x, name)
    finally:
        reader.close()
        store.close()


def test_index_all_marks_stock_phrasing_in_the_file(tmp_path):
    docs = [(f"R{i}", text([B[1], A[i % 5], C[i % 3]])) for i in range(6)]    # B[1]: in all six
    store = copystore.Store(tmp_path)
    counts = cd.GramCounts()
    cd._prepare_all([(i, t, False) for i, t in docs], None, 13, 1, counts, store)
    anchors = cd._index_all(store, counts, 3, 13)
    reader = store.reader(cd._Doc)
    try:
        first = reader.get(0)
        frequent = cd._freq_code()
        n = len(cd.normalise(B[1])[0])
        assert (first.code[:n] == frequent).mean() > 0.9
        assert (first.code[n:] == frequent).mean() < 0.5
        assert len(anchors) == 6 and all(len(a) for a in anchors)
    finally:
        reader.close()
        store.close()


def test_workers_reading_the_file_find_the_same_pairs(monkeypatch):
    monkeypatch.setattr(cd, "PARALLEL_MIN_PAIRS", 1)
    monkeypatch.setattr(cd, "PARALLEL_MIN_DOCS", 1)
    docs = [(f"R{i}", text([C[i % 3], A[i % 5], D[i % 3], B[i % 4]])) for i in range(14)]
    one = cd.find_copies(docs, region_names=NAMES, jobs=1)
    two = cd.find_copies(docs, region_names=NAMES, jobs=2)
    monkeypatch.setattr(copystore, "CACHE", 2)                   # texts read again and again
    small = cd.find_copies(docs, region_names=NAMES, jobs=1)
    assert one["pairs"] and one["pairs"] == two["pairs"] == small["pairs"]
    assert one["ratios"] == two["ratios"] == small["ratios"]


def test_bounded_map_keeps_order_and_sends_only_a_few_tasks_ahead():
    from multiprocessing.pool import ThreadPool
    sent = []

    def tasks():
        for x in range(50):
            sent.append(x)
            yield x
    with ThreadPool(3) as pool:
        got = []
        for r in copystore.bounded_map(pool, lambda x: x * x, tasks(), 4):
            assert len(sent) - len(got) <= 4 + 1       # four in flight, and the one handed over
            got.append(r)
    assert got == [x * x for x in range(50)]
