"""Latency of the platform's per-upload analysis child (dudao/web/jobs.py `Analyser`).

In a fresh process, as a server that has just started: the first upload of one worker thread
(its child starts: on Linux forked from the warm forkserver, which starts first; elsewhere, or
with DUDAO_WORKER_START=spawn, spawned and warmed), a second upload to the same child, and the
first upload of a second worker thread (another child). Wall seconds from handing the job in to
the result; then the CPU seconds of all child processes (the forkserver is stopped and reaped
first, so its CPU and its workers' are counted) and the load average, since other work on the
machine moves wall times.

Usage: python benchmarks/analysis_child.py
"""
from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    from dudao.web import jobs
    from dudao.workers import start_method
    example = next(p for p in sorted((ROOT / "examples").iterdir()) if p.suffix == ".txt")
    folder = Path(tempfile.mkdtemp(prefix="dudao-child-"))
    upload = folder / example.name
    upload.write_bytes(example.read_bytes())
    print(f"工作进程启动方式：{start_method()}；负载 {os.getloadavg()[0]:.2f}")
    first, second = jobs.Analyser(), jobs.Analyser()
    for label, analyser in (("第一次上传（新子进程）", first), ("同一子进程第二次上传", first),
                            ("另一线程第一次上传（新子进程）", second)):
        t0 = time.perf_counter()
        status = analyser(jobs.job_for(str(upload), upload.name))
        print(f"{label}：{time.perf_counter() - t0:.2f} 秒（{status['status']}）")
    first.close()
    second.close()
    from multiprocessing import forkserver
    if forkserver._forkserver._forkserver_pid is not None:
        forkserver._forkserver._stop()
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"全部子进程 CPU：{ch.ru_utime + ch.ru_stime:.2f} 秒；负载 {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
