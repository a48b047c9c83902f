"""How --jobs workers start: from a warm forkserver on Linux, spawned elsewhere (dudao/workers.py)."""
import os
import subprocess
import sys
import textwrap
import time

import pytest

from conftest import ROOT
from dudao import workers
from dudao.batch import Job, run_batch
from dudao.ingest import InputItem


def test_start_method_choice(monkeypatch):
    monkeypatch.delenv("DUDAO_WORKER_START", raising=False)
    assert workers.start_method("linux", ["fork", "spawn", "forkserver"]) == "forkserver"
    assert workers.start_method("linux", ["fork", "spawn"]) == "spawn"
    assert workers.start_method("darwin", ["spawn", "fork", "forkserver"]) == "spawn"
    assert workers.start_method("win32", ["spawn"]) == "spawn"
    monkeypatch.setenv("DUDAO_WORKER_START", "spawn")
    assert workers.start_method("linux", ["fork", "spawn", "forkserver"]) == "spawn"
    assert workers.context().get_start_method() == "spawn"


def _job(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return Job(InputItem(str(path), name, _read=path.read_bytes), None)


def _env_work(conn, options, parent, run_one):
    """A worker that answers each job with the time limit it sees in its environment."""
    workers._die_with_parent(parent)
    while True:
        job = conn.recv()
        if job is None:
            return
        conn.send({"source": job.item.source, "status": "ok", "seen": os.environ.get("DUDAO_TIME_LIMIT")})


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forkserver on Linux only")
def test_worker_sees_the_environment_of_now_not_of_when_the_server_started(tmp_path, monkeypatch):
    monkeypatch.delenv("DUDAO_WORKER_START", raising=False)
    monkeypatch.setattr(workers, "_work", _env_work)
    jobs = [_job(tmp_path, f"{k}.txt", "丰和县自评报告\n") for k in range(2)]
    monkeypatch.setenv("DUDAO_TIME_LIMIT", "111")
    assert {s["seen"] for s in run_batch(jobs, 2)} == {"111"}   # the server may start here
    monkeypatch.setenv("DUDAO_TIME_LIMIT", "222")
    assert {s["seen"] for s in run_batch(jobs, 2)} == {"222"}


CHILD = textwrap.dedent("""
    import sys, threading
    from dudao import workers
    from slowjob import run_one
    ctx = workers.context()
    w = workers._Worker(ctx, None, run_one)
    w.give(sys.argv[1])
    print(ctx.get_start_method(), w.proc.pid, flush=True)
    threading.Event().wait()
""")

SLOW = textwrap.dedent("""
    import time
    from pathlib import Path
    def run_one(job, options):   # a file that takes long: the worker is busy, not waiting
        Path(job).write_text("busy")
        time.sleep(600)
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forkserver on Linux only")
def test_forked_worker_dies_with_the_dudao_process(tmp_path):
    """The worker's OS parent is the forkserver, yet it ends when the dudao process is killed -9,
    even while it is busy with a file."""
    import psutil
    (tmp_path / "slowjob.py").write_text(SLOW, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(tmp_path)]))
    env.pop("DUDAO_WORKER_START", None)
    busy = tmp_path / "busy"
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(busy)], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        method, pid = proc.stdout.readline().split()
        worker = psutil.Process(int(pid))
        assert method == "forkserver" and worker.ppid() != proc.pid
        for _ in range(600):
            if busy.exists():
                break
            time.sleep(0.2)
        assert busy.exists()
        proc.kill()
        proc.wait(60)
        worker.wait(30)   # raises psutil.TimeoutExpired if the worker outlives the dudao process
    finally:
        if proc.poll() is None:
            proc.kill()


WARM_THREADS = "from dudao.warm import warm; warm(); import os, sys; assert 'numpy' in sys.modules; print(len(os.listdir('/proc/self/task')))"


@pytest.mark.skipif(not os.path.isdir("/proc/self/task") or (os.cpu_count() or 1) < 2, reason="Linux, 2+ cores")
def test_a_warmed_worker_runs_no_idle_blas_threads():
    """Workers (and the forkserver) warm up; numpy's OpenBLAS would start a thread per core in
    each and keep it spinning. The analysis does no linear algebra: one thread, unless the user
    set OPENBLAS_NUM_THREADS, which is kept."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    run = dict(cwd=ROOT, capture_output=True, text=True, check=True)
    assert subprocess.run([sys.executable, "-c", WARM_THREADS], env=env, **run).stdout.split() == ["1"]
    env["OPENBLAS_NUM_THREADS"] = "2"
    assert subprocess.run([sys.executable, "-c", WARM_THREADS], env=env, **run).stdout.split() == ["2"]
