"""Copy detection at scale (issue 13): time per stage, peak memory, pairs, recall/precision of
injected copies and the growth exponent, for N = 250 … 4,000 reports (28,500 with --full).

Corpus (generated, not timed): distinct reports of about 9,000 characters built from the
invented sentence frames of benchmarks/review_copy.py (random words, figures and the report's own
region name), each with a title, the opening formula, a sign-off, a date and five of the eight
stock phrases of review_copy.py (so each is in about 60 % of the reports: stock wording).
Reports share paragraphs the way real ones do: every report takes 1–2 paragraphs of a 范文 pool
(each 范文 paragraph is used by 4–40 reports, with the user's own region name); 10 % of the
reports receive 1–3 passages of 60–300 characters pasted from another report's own text (half
with the region name swapped) at known positions.

Scored (matching rule): an injected passage is found when the reported pair (recipient, source)
covers ≥ 90 % of its letters and digits with counted (non-boilerplate) passages. A reported pair
is correct when it is an injected pair, two recipients of the same source, or two users of the
same 范文 paragraph; precision = correct pairs / reported pairs.

Usage:
  python benchmarks/scale.py                           # N = 250 500 1000 2000 4000
  python benchmarks/scale.py --full                    # and 28,500
  python benchmarks/scale.py --module /tmp/copydetect_orig.py --sizes 250 500 1000   # old code
  python benchmarks/scale.py --jobs 2
"""
from __future__ import annotations

import argparse
import importlib.util
import inspect
import math
import os
import random
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from memory import PeakRSS  # noqa: E402  (benchmarks/memory.py)
from review_copy import FRAMES, LEVELS, PLACE, POOL, STOCK, HEADINGS, UNITS, VERBS, figure, paste, rword  # noqa: E402

TARGET = 9000


_PARTS = [re.split(r"(\{[A-Z]\})", f) for f in FRAMES]
_WORDS = [a + b for a in POOL for b in POOL]


def sentence(rng: random.Random, region: str) -> str:
    """review_copy.sentence with the frames split once (generation time grows to minutes at 28,500)."""
    r = rng.random
    fill = {"{R}": lambda: region, "{V}": lambda: VERBS[int(r() * len(VERBS))], "{N}": lambda: figure(rng),
            "{W}": lambda: _WORDS[int(r() * len(_WORDS))], "{U}": lambda: UNITS[int(r() * len(UNITS))]}
    return "".join(fill[x]() if x in fill else x for x in _PARTS[int(r() * len(_PARTS))])


def load_module(path: str | None):
    if not path:
        from dudao.review import copydetect
        return copydetect
    spec = importlib.util.spec_from_file_location("copydetect_under_test", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod                      # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def build_corpus(n: int, seed: int):
    """Reports, their names, the 范文 paragraph each report uses, and each report's own span
    (where injected passages may be cut from: outside 范文 paragraphs and stock wording)."""
    rng = random.Random(seed)
    n_tpl = max(4, n // 12)
    templates = [[sentence(rng, "\ue001") for _ in range(rng.randint(3, 5))] for _ in range(n_tpl)]
    users = {t: [] for t in range(n_tpl)}
    texts, regions, names, uses, own = [], [], [], [], []
    for i in range(n):
        stem = rng.choice(PLACE) + rng.choice(PLACE) + rng.choice(PLACE)
        region = stem + rng.choice(LEVELS)
        year = rng.randint(2015, 2025)
        parts = [f"{region}人民政府关于{year}年度履行教育职责情况的自评报告",
                 f"根据《{rword(rng)}省人民政府教育督导委员会关于开展{year}年度对县级人民政府履行教育职责"
                 f"评价工作的通知》要求，{region}对照评价指标逐项开展自查，现将有关情况报告如下。",
                 ]
        stock = rng.sample(STOCK, k=len(STOCK) // 2 + 1)     # each stock phrase in ~60 % of reports
        mine = []
        # each report uses 1–2 范文 paragraphs; a paragraph has at most 40 users
        free = [t for t in rng.sample(range(n_tpl), k=min(n_tpl, 4)) if len(users[t]) < 40]
        tpl = free[:rng.randint(1, 2)]
        length = sum(map(len, parts))
        head = 0
        while length < TARGET:
            if head < len(HEADINGS) and length > TARGET * head / len(HEADINGS):
                parts.append(HEADINGS[head])
                head += 1
            if stock and rng.random() < 0.3:
                parts.append(stock.pop())
            if tpl and rng.random() < 0.2:
                t = tpl.pop()
                users[t].append(i)
                p = "".join(templates[t]).replace("\ue001", region)
            else:
                p = "".join(sentence(rng, region) for _ in range(rng.randint(4, 8)))
                mine.append(p)
            parts.append(p)
            length += len(p)
        parts += stock + [f"{region}人民政府", f"{year + 1}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"]
        text = "\n".join(parts)
        texts.append(text)
        regions.append(region)
        names.append([region, stem])
        own.append([(text.index(p), text.index(p) + len(p)) for p in mine])
    uses = {}
    for t, us in users.items():
        for u in us:
            uses.setdefault(u, set()).add(t)
    return texts, regions, names, uses, own


def inject(texts, regions, own, rng: random.Random, share=0.1):
    n = len(texts)
    recipients = rng.sample(range(n), k=max(1, int(n * share)))
    pool = [i for i in range(n) if i not in set(recipients)]
    texts = list(texts)
    injections = []
    for r in recipients:
        src = rng.choice(pool)
        stext = texts[src]
        pieces = []
        for _ in range(rng.randint(1, 3)):
            s0, e0 = rng.choice(own[src])
            ln = min(rng.randint(60, 300), e0 - s0)
            s = rng.randint(s0, e0 - ln)
            piece = stext[s:s + ln]
            if rng.random() < 0.5:
                piece = piece.replace(regions[src], regions[r])
            pieces.append(piece)
        texts[r], spans = paste(texts[r], pieces, rng)
        injections.extend((r, src, start, end) for start, end in spans)
    return texts, injections



def score(result, ids, texts, injections, uses):
    by_pair = {frozenset((p["a"], p["b"])): p for p in result["pairs"]}
    found = 0
    for r, src, s, e in injections:
        p = by_pair.get(frozenset((ids[r], ids[src])))
        if p is None:
            continue
        side = "a" if p["a"] == ids[r] else "b"
        cov = bytearray(e - s)
        for q in p["passages"]:
            if q.get("boilerplate"):
                continue
            lo, hi = max(s, q[f"{side}_start"]), min(e, q[f"{side}_end"])
            for x in range(lo, hi):
                cov[x - s] = 1
        span = texts[r][s:e]
        want = [i for i, c in enumerate(span) if c.isalnum()]
        if want and sum(cov[i] for i in want) / len(want) >= 0.9:
            found += 1
    index = {d: i for i, d in enumerate(ids)}
    related = set()
    by_src = {}
    for r, src, _, _ in injections:
        related.add(frozenset((r, src)))
        by_src.setdefault(src, set()).add(r)
    for recs in by_src.values():
        related.update(frozenset((a, b)) for a in recs for b in recs if a != b)
    good = 0
    for p in result["pairs"]:
        a, b = index[p["a"]], index[p["b"]]
        if frozenset((a, b)) in related or uses.get(a, set()) & uses.get(b, set()):
            good += 1
    return found / max(1, len(injections)), good / max(1, len(result["pairs"]))


def index_check(texts, names, injections, workdir: Path) -> str:
    """Build a CopyIndex of all reports but one recipient of injected copies, check that one
    against it; returns a line with build time, file size, check time and what was found."""
    from dudao.review.copyindex import CopyIndex
    r = injections[-1][0]
    mine = [(s, e) for rr, _, s, e in injections if rr == r]
    sources = {src for rr, src, _, _ in injections if rr == r}
    path = workdir / "copies.sqlite"
    path.unlink(missing_ok=True)
    ids = [f"r{i:05d}" for i in range(len(texts))]
    t = time.perf_counter()
    with CopyIndex(path) as index:
        index.add_many(((ids[i], texts[i]) for i in range(len(texts)) if i != r),
                       {ids[i]: names[i] for i in range(len(texts))})
    build = time.perf_counter() - t
    with CopyIndex(path) as index:
        t, c = time.perf_counter(), time.process_time()
        res = index.check(ids[r], texts[r], names[r])
        secs, cpu = time.perf_counter() - t, time.process_time() - c
    found = {p["b"] for p in res["pairs"]} >= {ids[s] for s in sources}
    size = path.stat().st_size / 2**20
    path.unlink()
    return (f"增量索引：{len(texts) - 1:,} 份报告建索引 {build:.1f} 秒（文件 {size:.0f} MB）；查一份新报告 {secs:.2f} 秒（CPU {cpu:.2f} 秒），"
            f"{len(res['pairs'])} 对，注入来源{'全部找到' if found else '未全部找到'}（{len(mine)} 段）")


def cpu_seconds() -> float:
    """CPU time of this process and of its finished worker processes."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def exponent(ns, secs):
    xs, ys = [math.log(n) for n in ns], [math.log(max(s, 1e-6)) for s in secs]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den if den else float("nan")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[250, 500, 1000, 2000, 4000])
    ap.add_argument("--full", action="store_true", help="also N = 28,500")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--module", help="a copydetect.py to time instead of dudao's (e.g. the old one)")
    ap.add_argument("--index-n", type=int, default=0,
                    help="also time the incremental CopyIndex at this N (one report against the other N-1)")
    args = ap.parse_args(argv)
    sizes = sorted(set(args.sizes + ([28500] if args.full else [])))
    cd = load_module(args.module)
    kw = {"jobs": args.jobs} if "jobs" in inspect.signature(cd.find_copies).parameters else {}
    cd.find_copies([("w1", "甲" * 40), ("w2", "乙" * 40)])          # warm-up: tables, yaml
    rows = []
    for n in sizes:
        t = time.perf_counter()
        base, regions, names, uses, own = build_corpus(n, args.seed + n)
        texts, injections = inject(base, regions, own, random.Random(args.seed * 7 + n))
        gen = time.perf_counter() - t
        ids = [f"r{i:05d}" for i in range(n)]
        docs = list(zip(ids, texts))
        rn = {ids[i]: names[i] for i in range(n)}
        with PeakRSS() as mem:
            c0 = cpu_seconds()
            t = time.perf_counter()
            res = cd.find_copies(docs, region_names=rn, **kw)
            secs = time.perf_counter() - t
            cpu = cpu_seconds() - c0
        recall, precision = score(res, ids, texts, injections, uses)
        peak = max(mem.parent, mem.child)
        st = res["params"].get("seconds", {})
        rows.append((n, sum(map(len, texts)), secs, cpu, peak, res["params"].get("candidate_pairs", 0),
                     len(res["pairs"]), len(injections), recall, precision, st))
        print(f"N={n}: 生成 {gen:.1f} 秒（不计时）；查重 {secs:.2f} 秒（CPU {cpu:.2f} 秒）；各阶段 {st}；"
              f"负载 {os.getloadavg()[0]:.1f}", flush=True)
        if n == args.index_n:
            import tempfile
            with tempfile.TemporaryDirectory() as tmp:
                print(index_check(texts, names, injections, Path(tmp)), flush=True)
        del texts, docs, res, base
    print()
    print("| N | 字符数 | 查重秒（墙钟） | CPU 秒 | 各阶段秒（墙钟） | 峰值RSS(MB) | 候选对 | 报告对 | 注入段 | 召回率 | 精确率 |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for n, chars, secs, cpu, peak, cand, npairs, ninj, rec, prec, st in rows:
        stages = " / ".join(f"{k} {v:.1f}" for k, v in st.items() if k != "total")
        print(f"| {n:,} | {chars / 1e6:.1f} M | {secs:.1f} | {cpu:.1f} | {stages} | {peak / 2**20:.0f} | {cand:,} | "
              f"{npairs:,} | {ninj} | {rec:.1%} | {prec:.1%} |")
    small = [r for r in rows if r[0] <= 4000]
    if len(small) >= 2:
        ns = [r[0] for r in small]
        print(f"\n增长指数（对数最小二乘斜率，N ≤ 4000）：墙钟 {exponent(ns, [r[2] for r in small]):.2f}，"
              f"CPU {exponent(ns, [r[3] for r in small]):.2f}（机器共享，墙钟受其他进程影响，CPU 时间更稳）")
    print(f"进程峰值 RSS（含语料生成）：{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
