"""Hostile-input figures (issue 14): clean() time by text length, and the done-when check.

    python benchmarks/hostile.py            # both parts
    python benchmarks/hostile.py --clean    # only the clean() timings
    python benchmarks/hostile.py --corpus   # only the done-when check

Part 1 times clean() on 0.5, 1, 2 and 4 M characters of text full of repeated passages (the
duplicate-copy search at work) and prints seconds per million characters: flat means linear.
Part 2 builds the full-size hostile corpus (tests/hostile.py --big) and runs it through
`dudao analyze`, `dudao review` and `dudao check` with --jobs 2, printing for each command: exit
code, whether a traceback appeared, inputs accounted for, the slowest file against the per-file
limit, and the peak memory of the whole process tree (parent + workers), sampled every 0.1 s.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def clean_timings(sizes=(500_000, 1_000_000, 2_000_000, 4_000_000)) -> None:
    import hostile
    from dudao.clean import clean
    print("clean()：含重复段落的长文本")
    print(f"{'字数':>10} {'秒':>8} {'秒/百万字':>10} {'删除的重复段':>12}")
    clean("预热\n" * 10)
    for n in sizes:
        text = hostile.copied_text(n)
        t0 = time.perf_counter()
        doc = clean(text)
        dt = time.perf_counter() - t0
        dups = sum(1 for r in doc.removed if r.code == "duplicate_content")
        print(f"{n:>10,} {dt:>8.2f} {dt / n * 1e6:>10.2f} {dups:>12}", flush=True)


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc] + proc.children(recursive=True):
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def _run(cmd: list[str], cwd: Path) -> dict:
    env = dict(os.environ, COLUMNS="120")
    t0 = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, env=env)
        ps, peak = psutil.Process(proc.pid), 0
        while proc.poll() is None:
            try:
                peak = max(peak, _tree_rss(ps))
            except psutil.Error:
                pass
            time.sleep(0.1)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    return {"rc": proc.returncode, "seconds": time.monotonic() - t0, "peak_mb": peak / 2**20,
            "traceback": "Traceback" in stdout + stderr, "stdout": stdout, "stderr": stderr}


def corpus_check(work: Path) -> None:
    import hostile
    from dudao.batch import limits
    from dudao.ingest import iter_inputs
    inp = work / "in"
    t0 = time.monotonic()
    made = hostile.build(inp, big=True)
    print(f"\n恶意输入语料：{len(made)} 个用例，生成用时 {time.monotonic() - t0:.0f} 秒（{inp}）")
    expected = sorted(i.source for i in iter_inputs([str(inp)]))
    limit = limits()[0]
    dudao = [sys.executable, "-m", "dudao.cli"]
    rows = []
    for name, args in [("analyze", ["analyze", str(inp), "--out", str(work / "analyze"), "--jobs", "2"]),
                       ("review", ["review", str(inp), "--out", str(work / "review"), "--jobs", "2"]),
                       ("check", ["check", str(inp), "--format", "json", "--jobs", "2"])]:
        r = _run(dudao + args, ROOT)
        if name == "check":
            try:
                statuses = json.loads(r["stdout"])
            except ValueError:
                statuses = []
        else:
            path = work / name / "summary.json"
            statuses = json.loads(path.read_text(encoding="utf-8"))["inputs"] if path.exists() else []
        seen = sorted(s["source"] for s in statuses)
        secs = [s.get("seconds", 0) for s in statuses]
        timeouts = sum(1 for s in statuses if s.get("code") == "timeout")
        internal = sum(1 for s in statuses if s.get("code") == "internal" or "内部错误" in s.get("reason", ""))
        rows.append((name, r, len(seen), seen == expected, max(secs, default=0), timeouts, internal))
        if r["traceback"]:
            print(r["stderr"][-3000:])
    print(f"每个文件的时间上限 {limit} 秒；共 {len(expected)} 个输入（含压缩包成员）")
    print(f"{'命令':<8} {'退出码':>6} {'用时秒':>7} {'回溯':>4} {'已列出':>6} {'全部列出':>8} {'最慢文件秒':>10} "
          f"{'超时':>4} {'内部错误':>8} {'峰值内存MB':>10}")
    for name, r, n, complete, slowest, timeouts, internal in rows:
        print(f"{name:<8} {r['rc']:>6} {r['seconds']:>7.0f} {'有' if r['traceback'] else '无':>4} {n:>6} "
              f"{'是' if complete else '否':>8} {slowest:>10.1f} {timeouts:>4} {internal:>8} {r['peak_mb']:>10.0f}")
    if rows and rows[0][2]:
        summary = json.loads((work / "analyze" / "summary.json").read_text(encoding="utf-8"))
        print("\nanalyze 逐个输入：")
        for s in summary["inputs"]:
            why = s.get("reason") or s.get("warning") or ""
            print(f"  {s['status']:<8} {s.get('seconds', 0):>7.1f}s  {Path(s['source']).name[:40]:<40} {why[:70]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clean", action="store_true")
    ap.add_argument("--corpus", action="store_true")
    ap.add_argument("--work", help="folder for the corpus and outputs (default: a temporary folder)")
    args = ap.parse_args()
    both = not (args.clean or args.corpus)
    if args.clean or both:
        clean_timings()
    if args.corpus or both:
        if args.work:
            corpus_check(Path(args.work))
        else:
            with tempfile.TemporaryDirectory() as tmp:
                corpus_check(Path(tmp))


if __name__ == "__main__":
    main()
