"""Throughput and memory of the analysis engine.

Builds a corpus of N report files from the bundled examples (numbers and names perturbed so no
two files are identical), writes it to a temporary folder, and prints:
  - clean + split only, one core: characters per second (goal ≥ 1,000,000)
  - the full pipeline (extraction and checks on) for --jobs 1 and --jobs 2 through the same
    batch runner the CLI uses (reading each file, analysing it, writing its JSON): reports/s,
    characters/s, peak RSS of the parent and of the largest worker
  - a plain jieba.lcut pass over the same text, as a reference point, and the ratio the
    issue asks for: CPU seconds of the batch path (parent + workers, including each process's
    start-up: imports, vocabularies, region table) over CPU seconds of one jieba.lcut pass over
    the same characters (dictionary loaded beforehand) — goal ≤ 1.0×. CPU time, not wall time,
    so a busy shared machine does not distort the ratio; the memory sampler's own CPU is left
    out, and dudao's bytecode is compiled first, as an installed package has it.
    On Linux the workers are forked from a warm forkserver (dudao/workers.py), a child of this
    process whose own CPU (imports, warm-up) and that of the workers it reaped reach this
    process's RUSAGE_CHILDREN only once the server itself is reaped: the run stops and reaps it
    (`stop_forkserver`) before reading the clock, so all of it is counted.
  - the CPU seconds all child processes of a tiny 2-worker batch spend (worker start-up: the
    forkserver's warm-up plus two forks, or two spawned workers), per worker
DUDAO_WORKER_START=spawn measures spawned workers instead. --rounds R repeats the batches, each
round followed by its own jieba pass (same machine load), and prints the median ratios; from the
second round on --jobs 1 runs in an already warm process (≈ 0.15 CPU-s less), while every
--jobs ≥ 2 round starts and pays a new forkserver.

Usage: python benchmarks/throughput.py [--n 2000] [--jobs 1 2] [--rounds 3]
"""
from __future__ import annotations

import argparse
import compileall
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from memory import PeakRSS  # noqa: E402  (benchmarks/memory.py)


def example_texts() -> list[str]:
    from dudao.ingest import iter_inputs
    texts = []
    for item in iter_inputs([str(ROOT / "examples")]):
        try:
            raw = item.load()
        except Exception:
            continue
        if len(raw.text) > 500:
            texts.append(raw.text)
    if not texts:
        sys.exit("examples/ 中没有可用的示例文件")
    return texts


def perturb(text: str, rng: random.Random) -> str:
    """Change every number a little so files differ the way real reports do."""
    def num(m):
        s = m.group(0)
        if len(s) == 4 and s.startswith("20"):
            return s  # keep years
        return str(max(1, int(s) + rng.randint(-3, 9)))
    return re.sub(r"\d+", num, text)


def build_corpus(n: int, folder: Path) -> int:
    rng = random.Random(42)
    base = example_texts()
    total = 0
    for i in range(n):
        t = perturb(base[i % len(base)], rng)
        (folder / f"r{i:05d}.txt").write_text(t, encoding="utf-8")
        total += len(t)
    return total


def bench_clean_split(folder: Path, limit: int) -> tuple[float, int]:
    from dudao.clean import clean
    from dudao.split import split
    files = sorted(folder.iterdir())[:limit]
    texts = [f.read_text(encoding="utf-8") for f in files]
    chars = sum(map(len, texts))
    t0 = time.perf_counter()
    for t in texts:
        doc = clean(t)
        split(doc.text)
    return chars / (time.perf_counter() - t0), chars


def bench_pipeline(folder: Path, jobs: int, out: Path) -> dict:
    from dudao.batch import Job, output_names, run_batch
    from dudao.ingest import iter_inputs
    items = list(iter_inputs([str(folder)]))
    names = output_names(items)
    job_list = [Job(i, str(out / n)) for i, n in zip(items, names)]
    c0, p0 = _cpu(), _cpu(resource.RUSAGE_SELF)
    with PeakRSS() as rss:
        t0 = time.perf_counter()
        statuses = list(run_batch(job_list, jobs))
        dt = time.perf_counter() - t0
        stop_forkserver()
    cpu = _cpu() - c0 - rss.cpu   # the memory sampler's thread is not the analysis
    parent = _cpu(resource.RUSAGE_SELF) - p0 - rss.cpu
    ok = [s for s in statuses if s["status"] == "ok"]
    chars = sum(s["chars"] for s in ok)
    return {"jobs": jobs, "files": len(statuses), "failed": len(statuses) - len(ok), "seconds": dt,
            "reports_per_s": sum(s["reports"] for s in ok) / dt, "chars_per_s": chars / dt,
            "parent_mb": rss.parent / 2**20, "child_mb": rss.child / 2**20, "cpu": cpu, "chars": chars,
            "parent_cpu": parent}


def stop_forkserver() -> None:
    """Stop and reap the workers' forkserver if this process started one (multiprocessing keeps
    it until exit), so its CPU and its reaped workers' CPU count in RUSAGE_CHILDREN."""
    from multiprocessing import forkserver
    server = forkserver._forkserver
    if getattr(server, "_forkserver_pid", None) is None:
        return
    if not hasattr(server, "_stop"):
        sys.exit("无法停止 forkserver 以计入其 CPU 时间；请用 DUDAO_WORKER_START=spawn 运行")
    server._stop()


def _cpu(*who) -> float:
    """CPU seconds of this process and of its finished children (the --jobs workers), or of
    `who` (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN) only."""
    usages = [resource.getrusage(w) for w in who or (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usages)


_STARTUP = """
import resource, sys, tempfile
from pathlib import Path
from dudao.batch import Job, run_batch
from dudao.ingest import iter_inputs
d = Path(tempfile.mkdtemp())
for i in range(2):
    (d / f"{i}.txt").write_text("丰和县自评报告\\n2021年全县新增学位%d个。\\n" % i, encoding="utf-8")
list(run_batch([Job(it, None) for it in iter_inputs([str(d)])], 2))
from multiprocessing import forkserver
if forkserver._forkserver._forkserver_pid is not None:
    forkserver._forkserver._stop()   # reap it: its CPU and its workers' reach RUSAGE_CHILDREN
ch = resource.getrusage(resource.RUSAGE_CHILDREN)
print(ch.ru_utime + ch.ru_stime)
"""


def bench_worker_startup() -> float:
    """CPU seconds of all child processes (forkserver included) per worker of a 2-worker batch of
    tiny files, from a cold `dudao` process."""
    out = subprocess.run([sys.executable, "-c", _STARTUP], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(out.stdout.split()[-1]) / 2


def bench_jieba_cpu(folder: Path) -> tuple[float, int]:
    """CPU seconds of one jieba.lcut pass over the whole corpus (dictionary loaded beforehand)."""
    import logging

    import jieba
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    text = "".join(f.read_text(encoding="utf-8") for f in sorted(folder.iterdir()))
    c0 = time.process_time()
    jieba.lcut(text)
    return time.process_time() - c0, len(text)


def bench_jieba(folder: Path, limit: int) -> float:
    import logging

    import jieba
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    files = sorted(folder.iterdir())[:limit]
    text = "".join(f.read_text(encoding="utf-8") for f in files)
    t0 = time.perf_counter()
    jieba.lcut(text)
    return len(text) / (time.perf_counter() - t0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=2000, help="number of report files (up to 10000)")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--rounds", type=int, default=1,
                    help="repeat the batches and the jieba pass; prints each round's ratio and the median "
                         "(other processes on a shared machine move single figures by ±10%%)")
    args = ap.parse_args()
    # An installed package has its bytecode compiled (pip does it); a source checkout run with
    # PYTHONDONTWRITEBYTECODE would otherwise compile dudao again in every worker.
    compileall.compile_dir(str(ROOT / "dudao"), quiet=1)
    tmp = Path(tempfile.mkdtemp(prefix="dudao-bench-"))
    try:
        corpus = tmp / "corpus"
        corpus.mkdir()
        total = build_corpus(args.n, corpus)
        from dudao.workers import start_method
        print(f"工作进程启动方式：{start_method()}")
        print(f"语料：{args.n} 个文件，{total:,} 字符（{total / args.n:,.0f} 字符/文件），位于 {corpus}")
        cs, cs_chars = bench_clean_split(corpus, min(args.n, 500))
        print(f"清洗+切分（单核）：{cs:,.0f} 字符/秒（{cs_chars:,} 字符样本）")
        ratios = {j: [] for j in args.jobs}
        for k in range(args.rounds):
            tag = f"（第 {k + 1} 轮）" if args.rounds > 1 else ""
            cpu_by_jobs = {}
            for j in args.jobs:
                out = tmp / f"out{j}"
                out.mkdir()
                r = bench_pipeline(corpus, j, out)
                print(f"完整分析 --jobs {j}{tag}：{r['files']} 个文件 {r['seconds']:.1f} 秒，"
                      f"{r['reports_per_s']:.1f} 篇/秒，{r['chars_per_s']:,.0f} 字符/秒"
                      f"（每核 {r['chars_per_s'] / j:,.0f}），失败 {r['failed']}；"
                      f"峰值内存 主进程 {r['parent_mb']:.0f} MB、单个工作进程 {r['child_mb']:.0f} MB；"
                      f"CPU {r['cpu']:.2f} 秒（{r['chars'] / r['cpu']:,.0f} 字符/CPU秒；"
                      f"其中主进程 {r['parent_cpu']:.2f} 秒，子进程 {r['cpu'] - r['parent_cpu']:.2f} 秒）")
                cpu_by_jobs[j] = r
                shutil.rmtree(out)
            if k == 0:
                jb = bench_jieba(corpus, min(args.n, 200))
                print(f"参考：jieba.lcut 分词 {jb:,.0f} 字符/秒（单核）")
            # measured right after the batches of the same round, so under the same machine load
            jcpu, jchars = bench_jieba_cpu(corpus)
            print(f"参考{tag}：jieba.lcut 全部语料一遍 CPU {jcpu:.2f} 秒（{jchars:,} 字符，{jchars / jcpu:,.0f} 字符/CPU秒）")
            for j, r in cpu_by_jobs.items():
                ratios[j].append(r["cpu"] / jcpu)
                print(f"批处理 CPU 时间（主进程+工作进程，含启动）/ jieba 一遍 CPU 时间（--jobs {j}）{tag}："
                      f"{r['cpu']:.2f} / {jcpu:.2f} = {r['cpu'] / jcpu:.2f}×（目标 ≤ 1.0×）")
        if args.rounds > 1:
            for j, rs in ratios.items():
                print(f"--jobs {j} 的比值，{args.rounds} 轮中位数：{statistics.median(rs):.2f}×"
                      f"（各轮 {'、'.join(f'{x:.2f}' for x in rs)}）")
        print(f"工作进程启动（含 forkserver）：两个工作进程的小批处理，每个工作进程合计用 CPU {bench_worker_startup():.3f} 秒")
        print(f"ru_maxrss（主进程）：{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
