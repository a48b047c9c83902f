"""Issue 14, item 7: Ctrl-C and kill -9 in the middle of a parallel batch, then --resume.

Bounded waits only (generous timeouts that fail on a hang, never on a slow machine).
"""
import json
import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

import hostile
from conftest import ROOT

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _corpus(folder):
    """Quick reports first (a…), then slow ones (z…: one line of 300,000 characters)."""
    folder.mkdir()
    for k in range(3):
        (folder / f"a{k}.txt").write_text(hostile.report(f"第{k}县自评报告"), encoding="utf-8")
    slow = "全县新增学位三千六百个，" * 25_000
    for k in range(4):
        (folder / f"z{k}.txt").write_text(f"{k}{slow}", encoding="utf-8")


def _start(inp, out, *extra, env=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="120", **(env or {}))
    return subprocess.Popen([sys.executable, "-m", "dudao.cli", "analyze", str(inp), "--out", str(out),
                             "--jobs", "2", *extra], cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _until(cond, timeout, what):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _workers(proc):
    try:
        return [c.pid for c in psutil.Process(proc.pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _gone(pid):
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_ctrl_c_stops_workers_keeps_results_and_resume_finishes(tmp_path):
    inp, out = tmp_path / "in", tmp_path / "out"
    _corpus(inp)
    proc = _start(inp, out)
    try:
        _until(lambda: len(list(out.glob("a*.json"))) >= 1 and len(_workers(proc)) >= 2, 300, "first results")
        workers = _workers(proc)
        os.killpg(proc.pid, signal.SIGINT)          # what a terminal's Ctrl-C does
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert "Traceback" not in proc.stderr.read()
    assert proc.returncode == 1
    _until(lambda: all(_gone(p) for p in workers), 30, "workers to exit")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["counts"]["inputs"] == 7 and summary["counts"]["interrupted"] >= 1
    statuses = {os.path.basename(s["source"]): s for s in summary["inputs"]}
    done = {k for k, s in statuses.items() if s["status"] == "ok"}
    assert done and all((out / (k[:-4] + ".json")).exists() for k in done)
    assert all(s["reason"].startswith("批处理被中断") for s in statuses.values() if s.get("code") == "interrupted")

    # --resume: what is done is kept, the rest is analysed (slow files may hit a 5-second limit)
    again = _start(inp, out, "--resume", env={"DUDAO_TIME_LIMIT": "5"})
    again.wait(timeout=600)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    statuses = {os.path.basename(s["source"]): s for s in summary["inputs"]}
    assert len(statuses) == 7 and not any(s.get("code") == "interrupted" for s in statuses.values())
    assert {k for k, s in statuses.items() if s.get("resumed")} == done
    assert {s["status"] for k, s in statuses.items() if k.startswith("a")} == {"ok"}, statuses
    assert all(s["status"] == "ok" or s["code"] == "timeout" for s in statuses.values())


def test_kill_9_of_the_parent_leaves_no_workers(tmp_path):
    inp, out = tmp_path / "in", tmp_path / "out"
    _corpus(inp)
    proc = _start(inp, out)
    try:
        # workers at work (the forkserver and the resource tracker are children too)
        _until(lambda: len(list(out.glob("a*.json"))) >= 1 and len(_workers(proc)) >= 2, 300, "workers to start")
        workers = _workers(proc)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        _until(lambda: all(_gone(p) for p in workers), 30, "orphan workers to exit")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        for p in _workers(proc):
            os.kill(p, signal.SIGKILL)
    written = sorted(p.name for p in out.iterdir()) if out.exists() else []
    time.sleep(2)
    assert (sorted(p.name for p in out.iterdir()) if out.exists() else []) == written
    assert not [n for n in written if n.endswith(".tmp")]
