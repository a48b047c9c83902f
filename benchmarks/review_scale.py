"""Whole `dudao review` at scale (issue 13): wall and CPU time, peak memory of all processes, time
per stage, whether injected copies are found, and the growth exponent of the whole review.

Corpus: benchmarks/scale.py's generator (distinct reports of about 9,000 characters sharing 范文
paragraphs, 10 % of them with 1–3 passages pasted from another report at known positions), written
as .txt files into a temporary folder (not timed). Each size runs the real CLI as a child process
under /usr/bin/time -v (when present), sampled with psutil for the summed RSS of the process tree
(forked children count the pages they share with their parent again; dudao's workers are spawned).

Stage times come from the CLI's own progress lines (rich prints the elapsed time of each step,
to the second). An injected copy counts as found when summary.json lists the pair (recipient,
source) with at least one passage that is not boilerplate.

--no-pages: analysis and copy check only, for the national scale (a decade of every county,
28,500 reports) where per-report pages, letters and the workbook are not wanted: step 1 runs
`dudao analyze IN --out JSON --jobs J` (each report's JSON written by its worker), step 2 runs the
review pack's copy detection (dudao.review.pack.detect_copies, --jobs J) in a fresh process over
the reports read back from those files (text, region names and sections only). Each step is
timed and its process tree sampled on its own; the table gives both and their sum.

Usage:
  python benchmarks/review_scale.py                       # N = 250 1000 2000 3000 4000, --jobs 2
  python benchmarks/review_scale.py --sizes 3000 --keep   # keep /tmp/…/N/out to look at the pack
  python benchmarks/review_scale.py --sizes 28500 --no-pages   # the national run (analysis + copy check)
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from scale import build_corpus, exponent, inject  # noqa: E402  (benchmarks/scale.py)

_STAGE = re.compile(r"^(\S[^━╸╺\d]*?)\s+[━╸╺ ]*\s*(\d+)/(\d+|\?)\s+(\d+):(\d\d):(\d\d)", re.M)


def write_corpus(n: int, seed: int, folder: Path):
    base, regions, names, uses, own = build_corpus(n, seed + n)
    texts, injections = inject(base, regions, own, random.Random(seed * 7 + n))
    folder.mkdir(parents=True, exist_ok=True)
    ids = []
    for i, t in enumerate(texts):
        data = t.encode("utf-8")
        (folder / f"r{i:05d}.txt").write_bytes(data)
        ids.append(hashlib.sha256(data).hexdigest()[:12] + "-1")     # the report id dudao assigns
    return ids, injections, sum(map(len, texts))


class TreeRSS:
    """Peak of the summed RSS of a process and all its descendants, and of the largest one."""

    def __init__(self, pid: int, interval: float = 0.05):
        self.proc, self.interval = psutil.Process(pid), interval
        self.total = self.single = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                procs = [self.proc] + self.proc.children(recursive=True)
            except psutil.Error:
                break
            rss = []
            for p in procs:
                try:
                    rss.append(p.memory_info().rss)
                except psutil.Error:
                    pass
            if rss:
                self.total, self.single = max(self.total, sum(rss)), max(self.single, max(rss))
            time.sleep(self.interval)

    def stop(self):
        self._stop.set()
        self._t.join()


def run_review(folder: Path, out: Path, jobs: int) -> dict:
    dudao = Path(sys.executable).with_name("dudao")
    return run_timed([str(dudao), "review", str(folder), "--out", str(out), "--jobs", str(jobs), "--force"])


def run_timed(cmd: list[str]) -> dict:
    """Run a command, sampling its process tree; wall, CPU (time -v), peak RSS and stage times."""
    timed = Path("/usr/bin/time").exists()
    if timed:
        cmd = ["/usr/bin/time", "-v"] + cmd
    env = dict(os.environ, COLUMNS="160")
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    mem = TreeRSS(proc.pid)
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t
    mem.stop()
    res = {"wall": wall, "rc": proc.returncode, "tree_rss": mem.total, "single_rss": mem.single,
           "stages": {m[1].strip(): int(m[4]) * 3600 + int(m[5]) * 60 + int(m[6]) for m in _STAGE.finditer(stderr)}}
    if timed:
        def field(name):
            m = re.search(rf"{re.escape(name)}: (.+)", stderr)
            return m[1].strip() if m else "0"
        res["cpu"] = float(field("User time (seconds)")) + float(field("System time (seconds)"))
        res["maxrss"] = int(field("Maximum resident set size (kbytes)")) * 1024
    if proc.returncode not in (0, 1):
        print(stderr[-3000:], file=sys.stderr)
    return res


def copy_step(analysis: Path, result: Path, jobs: int) -> None:
    """Step 2 of --no-pages (run in its own process): the pack's copy detection over the reports
    analysed into `analysis`, keeping of each report only what copy detection reads."""
    from dudao.review.pack import detect_copies, make_entries, records_of
    results = []
    for f in sorted(analysis.glob("*.json")):
        if f.name == "summary.json":
            continue
        r = json.loads(f.read_text("utf-8"))
        r["reports"] = [{k: rep.get(k) for k in ("id", "text", "region", "sections")} for rep in r["reports"]]
        r["_output"] = f.name
        results.append(r)
    if not results:
        sys.exit(f"{analysis} 中没有分析结果")
    entries = make_entries(records_of(results))
    del results
    res = detect_copies(entries, [], jobs=jobs)
    pairs = [{"a": p["a"], "b": p["b"], "passages": len(p["passages"]),
              "boilerplate_passages": sum(1 for x in p["passages"] if x.get("boilerplate"))} for p in res["pairs"]]
    result.write_text(json.dumps({"copy_pairs": pairs, "counts": {"reports": len(entries)},
                                  "copy_params": res["params"]}, ensure_ascii=False), "utf-8")


def run_no_pages(folder: Path, out: Path, jobs: int) -> dict:
    """--no-pages: `dudao analyze` then copy_step, each timed on its own; returns the summed run."""
    dudao = Path(sys.executable).with_name("dudao")
    a = run_timed([str(dudao), "analyze", str(folder), "--out", str(out / "analysis"), "--jobs", str(jobs), "--force"])
    c = run_timed([sys.executable, __file__, "--copy-step", str(out / "analysis"), str(out / "summary.json"),
                   "--jobs", str(jobs)])
    return {"wall": a["wall"] + c["wall"], "rc": max(a["rc"], c["rc"]), "cpu": a.get("cpu", 0) + c.get("cpu", 0),
            "tree_rss": max(a["tree_rss"], c["tree_rss"]), "single_rss": max(a["single_rss"], c["single_rss"]),
            "maxrss": max(a.get("maxrss", 0), c.get("maxrss", 0)),
            "stages": {"分析（dudao analyze）": round(a["wall"]), "雷同检测": round(c["wall"])},
            "steps": {"analyze": a, "copies": c}}


def recall(summary: dict, ids: list[str], injections) -> float:
    pairs = {frozenset((p["a"], p["b"])) for p in summary.get("copy_pairs") or []
             if p["passages"] > p["boilerplate_passages"]}
    found = sum(1 for r, src, _, _ in injections if frozenset((ids[r], ids[src])) in pairs)
    return found / max(1, len(injections))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[250, 1000, 2000, 3000, 4000])
    ap.add_argument("--no-pages", action="store_true",
                    help="analysis + copy check only (dudao analyze, then the pack's copy detection)")
    ap.add_argument("--copy-step", nargs=2, metavar=("ANALYSIS", "RESULT"), help=argparse.SUPPRESS)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--tmp", default=None, help="working folder (default: a new folder in /tmp)")
    ap.add_argument("--keep", action="store_true", help="keep the reports and packs")
    args = ap.parse_args(argv)
    if args.copy_step:
        copy_step(Path(args.copy_step[0]), Path(args.copy_step[1]), args.jobs)
        return
    work = Path(args.tmp or tempfile.mkdtemp(prefix="dudao_review_scale_", dir="/tmp"))
    rows = []
    try:
        for n in sorted(set(args.sizes)):
            folder, out = work / str(n) / "in", work / str(n) / "out"
            shutil.rmtree(work / str(n), ignore_errors=True)
            t = time.perf_counter()
            ids, injections, chars = write_corpus(n, args.seed, folder)
            gen = time.perf_counter() - t
            load0 = os.getloadavg()
            r = run_no_pages(folder, out, args.jobs) if args.no_pages else run_review(folder, out, args.jobs)
            load1 = os.getloadavg()
            summary = json.loads((out / "summary.json").read_text("utf-8")) if (out / "summary.json").exists() else {}
            r.update(n=n, chars=chars, recall=recall(summary, ids, injections), injected=len(injections),
                     reports=(summary.get("counts") or {}).get("reports", 0), load=(load0[0], load1[0], load1[1]))
            rows.append(r)
            print(f"N={n}: 生成 {gen:.1f} 秒（不计时）；review {r['wall']:.1f} 秒（CPU {r.get('cpu', 0):.1f} 秒），"
                  f"退出码 {r['rc']}；各阶段 {r['stages']}；负载 {load0[0]:.2f} → {load1[0]:.2f}", flush=True)
            for name, st in (r.get("steps") or {}).items():
                print(f"  {name}: {st['wall']:.1f} 秒（CPU {st.get('cpu', 0):.1f} 秒），峰值 RSS 总和 "
                      f"{st['tree_rss'] / 2**20:.0f} MB（最大单进程 {st['single_rss'] / 2**20:.0f} MB）", flush=True)
            if args.no_pages:
                print(f"  雷同检测各步（秒）：{(summary.get('copy_params') or {}).get('seconds')}；"
                      f"候选对 {(summary.get('copy_params') or {}).get('candidate_pairs')}，"
                      f"报告对 {len(summary.get('copy_pairs') or [])}", flush=True)
            if not args.keep:
                shutil.rmtree(work / str(n), ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print("| N | 字符数 | 墙钟秒 | CPU 秒 | 每份毫秒 | 峰值RSS 总和(MB) | 最大单进程(MB) | time -v maxrss(MB) | 各阶段秒 | 注入段 | 召回率 | 负载(前/后/5分) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        stages = " / ".join(f"{k} {v}" for k, v in r["stages"].items())
        print(f"| {r['n']:,} | {r['chars'] / 1e6:.1f} M | {r['wall']:.1f} | {r.get('cpu', 0):.1f} | "
              f"{r['wall'] / r['n'] * 1000:.0f} | {r['tree_rss'] / 2**20:.0f} | {r['single_rss'] / 2**20:.0f} | "
              f"{r.get('maxrss', 0) / 2**20:.0f} | {stages} | {r['injected']} | {r['recall']:.1%} | "
              f"{r['load'][0]:.2f}/{r['load'][1]:.2f}/{r['load'][2]:.2f} |")
    if len(rows) >= 2:
        ns = [r["n"] for r in rows]
        print(f"\n增长指数（对数最小二乘斜率）：墙钟 {exponent(ns, [r['wall'] for r in rows]):.2f}，"
              f"CPU {exponent(ns, [r.get('cpu', r['wall']) for r in rows]):.2f}")


if __name__ == "__main__":
    main()
