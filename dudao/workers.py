"""Worker processes for a batch: one input at a time each, killed on overrun, gone with the parent.

Unlike ProcessPoolExecutor, the parent knows which input each worker is on, so it can kill a
worker stuck past the time limit (and report that input as timed out), replace a worker that
died (and report its input), and stop everything at once on Ctrl-C. A worker exits by itself
when the dudao process disappears (kill -9): a watch thread waits on the pipe that only the
dudao process holds open (multiprocessing's parent sentinel), and on Linux the kernel also sends
SIGKILL when the process that forked the worker dies (prctl).

How workers start (`context()`): on Linux from a forkserver, a small single-threaded process
that multiprocessing starts once per dudao process and that imports and warms the analysis
stack once (`dudao.prewarm`, its preload); every worker is a fork of it, so it starts warm and
does not inherit the parent's reports or threads. Elsewhere, or with DUDAO_WORKER_START=spawn,
each worker is spawned (a fresh interpreter) and warms itself before its first file.
"""
from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
import types
from contextlib import contextmanager
from multiprocessing.connection import wait

PR_SET_PDEATHSIG = 1
PRELOAD = "dudao.prewarm"   # imported once by the forkserver: it warms the analysis stack


def start_method(platform: str | None = None, available: list[str] | None = None) -> str:
    """"forkserver" on Linux when multiprocessing has it, else "spawn"; DUDAO_WORKER_START=spawn
    forces spawn. (forkserver on macOS would fork system frameworks, which Apple does not support.)"""
    platform = sys.platform if platform is None else platform
    available = mp.get_all_start_methods() if available is None else available
    if os.environ.get("DUDAO_WORKER_START", "").strip().lower() == "spawn":
        return "spawn"
    return "forkserver" if platform.startswith("linux") and "forkserver" in available else "spawn"


def context():
    """The multiprocessing context workers start from (see the module docstring)."""
    ctx = mp.get_context(start_method())
    if ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload([PRELOAD])   # read when the server starts (once per process)
    return ctx


def _ensure_server(ctx) -> None:
    """Start the forkserver (if `ctx` uses one and it is not running) with SIGTERM blocked, as
    multiprocessing starts its resource tracker: the server inherits the mask and keeps it, so a
    SIGTERM to the process group does not end it (dudao/prewarm.py)."""
    if ctx.get_start_method() != "forkserver":
        return
    from multiprocessing import forkserver, resource_tracker
    resource_tracker.ensure_running()   # first: starting it unblocks SIGTERM again
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        forkserver.ensure_running()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _die_with_parent(parent: int) -> None:
    """Exit when the dudao process (`parent`) is gone, even while busy with a file."""
    if sys.platform.startswith("linux"):   # SIGKILL when the forking process dies
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    # A worker forked by the forkserver has the server, not dudao, as its OS parent; the sentinel
    # is the read end of a pipe whose write end only the dudao process holds, so it turns
    # readable (EOF) exactly when that process ends, however it ends.
    dudao = mp.parent_process()
    if dudao is None:   # not started by multiprocessing: poll the OS parent
        def alive():
            return os.getppid() == parent
    else:
        alive = dudao.is_alive
    if not alive():   # the parent died before we got here
        os._exit(1)

    def watch():
        while True:
            if dudao is not None:
                wait([dudao.sentinel])
            else:
                time.sleep(1.0)
            if not alive():
                os._exit(1)
    threading.Thread(target=watch, daemon=True).start()


_main_lock = threading.Lock()


@contextmanager
def _no_main_script():
    """Start a spawned child without re-running the parent's main script in it.

    spawn re-imports the parent's `__main__` file in the child as `__mp_main__`, so that functions
    defined there can be unpickled (multiprocessing docs, "safe importing of main module"). From
    the `dudao` console script that is the whole CLI (typer, frameworks, the web app) once more in
    every worker. A worker gets only dudao's own functions and data, so the child is shown a main
    module without a file or spec: `spawn.get_preparation_data` reads exactly those two while
    `Process.start()` runs. A forkserver child gets the same preparation data (and re-runs the
    main script the same way), so this applies to both start methods. The lock keeps threads (the
    web queue's analysers) from swapping at once.
    """
    with _main_lock:
        main = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            if main is None:
                del sys.modules["__main__"]
            else:
                sys.modules["__main__"] = main


def spawn_pool(jobs: int, init=None, args=()):
    """A multiprocessing Pool of processes forked from the warm forkserver or spawned (`context()`;
    never forked from the parent: that would carry the whole parent, reports and all, into every
    worker), without re-running the parent's main script."""
    ctx = context()
    _ensure_server(ctx)
    with _no_main_script():
        return ctx.Pool(jobs, initializer=_boot, initargs=(init or _nothing, _environment(ctx), *args))


def _nothing(*args) -> None:
    pass


def _environment(ctx) -> dict | None:
    """The parent's environment for a worker forked by the forkserver (whose environment is the
    parent's when the server started, not now); None for a spawned one, which has it already."""
    return dict(os.environ) if ctx.get_start_method() == "forkserver" else None


def warm_up() -> None:
    """Load vocabularies and compile patterns before the first file, so its time limit
    measures the file, not the start-up (nothing to do in a fork of the warm forkserver)."""
    from dudao.warm import warm
    warm()


def _boot(work, env, *args) -> None:
    """A worker's entry: the parent's environment (`_environment`) first, and SIGTERM unblocked
    (the forkserver blocks it, see dudao/prewarm.py; one already sent now takes effect)."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    if env is not None:
        os.environ.clear()
        os.environ.update(env)
    work(*args)


def _work(conn, options, parent: int, run_one) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # the parent handles Ctrl-C for everyone
    _die_with_parent(parent)
    warm_up()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        conn.send(run_one(job, options))


class _Worker:
    def __init__(self, ctx, options, run_one):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_boot, args=(_work, _environment(ctx), child, options, os.getpid(), run_one),
                                daemon=True)
        _ensure_server(ctx)
        with _no_main_script():
            self.proc.start()
        child.close()
        self.job = None
        self.started = 0.0

    def give(self, job) -> None:
        self.job, self.started = job, time.monotonic()
        self.conn.send(job)

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class Pool:
    """Worker processes for a batch. The batch hands in its own functions (one job, the status of
    an interrupted job, the timeout reason), so this module does not import dudao.batch."""

    def __init__(self, n: int, options, time_limit: float, grace: float, *, run_one, interrupted, timeout_reason):
        # forkserver or spawn, never a fork of this process (no locks inherited from its threads)
        self.ctx = context()
        self.n, self.options = n, options
        self.limit, self.grace = time_limit, grace
        self.run_one, self.interrupted, self.timeout_reason = run_one, interrupted, timeout_reason
        self.workers: list[_Worker] = []

    def __enter__(self):
        self.workers = [_Worker(self.ctx, self.options, self.run_one) for _ in range(self.n)]
        return self

    def __exit__(self, *exc):
        for w in self.workers:
            if w.job is None and w.proc.is_alive():
                try:
                    w.conn.send(None)
                except OSError:
                    pass
        deadline = time.monotonic() + 2
        for w in self.workers:
            if w.job is None:
                w.proc.join(max(0.0, deadline - time.monotonic()))
            w.kill()

    def run(self, jobs, stop):
        """Yield a status per job; `stop.hit` (Ctrl-C) ends the run, unfinished jobs reported."""
        todo = list(reversed(jobs))
        while todo or any(w.job is not None for w in self.workers):
            if stop.hit:
                for w in self.workers:
                    if w.job is not None:
                        todo.append(w.job)
                        w.job = None
                    w.kill()
                self.workers = []
                for job in reversed(todo):
                    yield self.interrupted(job)
                return
            for k, w in enumerate(self.workers):
                if w.job is None and todo:
                    if not w.proc.is_alive():   # died between two inputs: start a new one
                        w.kill()
                        w = self.workers[k] = _Worker(self.ctx, self.options, self.run_one)
                    try:
                        w.give(todo.pop())
                    except OSError:   # gone while being given the job: try again next round
                        todo.append(w.job)
                        w.job = None
            busy = [w for w in self.workers if w.job is not None]
            ready = wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=0.5)
            now = time.monotonic()
            for i, w in enumerate(list(self.workers)):
                if w.job is None:
                    continue
                status = None
                if w.conn in ready:
                    try:
                        status = w.conn.recv()
                    except (EOFError, OSError):
                        status = None
                if status is not None:
                    w.job = None
                    yield status
                    continue
                overrun = self.limit and now - w.started > self.limit + self.grace
                if w.proc.sentinel in ready or not w.proc.is_alive() or overrun:
                    job = w.job
                    w.job = None
                    w.kill()
                    if overrun:
                        reason, code = self.timeout_reason(self.limit), "timeout"
                    else:
                        reason, code = "分析进程意外退出（可能内存不足或文件结构异常）", "crashed"
                    yield {"source": job.item.source, "output": None, "status": "failed", "reason": reason,
                           "code": code, "seconds": round(now - w.started, 3)}
                    self.workers[self.workers.index(w)] = _Worker(self.ctx, self.options, self.run_one)
