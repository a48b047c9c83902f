"""The platform as an operator runs it: migrations, the commands, a real server killed mid-job."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from dudao.web import migrate
from dudao.web.db import Base, Database
from tests.websupport import BACKENDS, REPORT, fresh_postgres

ROOT = Path(__file__).resolve().parent.parent
DUDAO = [sys.executable, "-m", "dudao.cli"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_migrations_build_exactly_the_models(tmp_path, backend):
    url = fresh_postgres() if backend == "postgresql" else f"sqlite:///{tmp_path / 'm.sqlite3'}"
    db = Database(url)
    migrate.upgrade(db.engine)
    heads = sorted(p.stem.split("_")[0] for p in (ROOT / "dudao/web/migrations/versions").glob("0*.py"))
    assert migrate.current(db.engine) == heads[-1]
    # procrastinate's tables (PostgreSQL's queue) are the library's, not the platform's models.
    ours = {"include_name": lambda name, kind, _: kind != "table" or not name.startswith("procrastinate")}
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts=ours), Base.metadata)
    assert diff == []
    migrate.upgrade(db.engine)   # a second upgrade is a no-op
    if backend == "postgresql":
        with db.engine.connect() as conn:
            tables = set(sa.inspect(conn).get_table_names())
        assert {"procrastinate_jobs", "procrastinate_workers"} <= tables
        with db.engine.begin() as conn:      # and the queue's migration can be taken back
            command.downgrade(migrate._config(conn), "0004")
        with db.engine.connect() as conn:
            assert not [t for t in sa.inspect(conn).get_table_names() if t.startswith("procrastinate")]
        migrate.upgrade(db.engine)


def _run(args, data, stdin=None):
    return subprocess.run(DUDAO + args + ["--data", str(data)], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def test_db_upgrade_and_user_add_commands(tmp_path):
    r = _run(["db", "upgrade"], tmp_path)
    assert r.returncode == 0 and "最新版本" in r.stdout
    r = _run(["user", "add", "张三", "--role", "reviewer", "--region", "620500"], tmp_path, "mima-2026-abc\n")
    assert r.returncode == 0 and "已创建用户 张三" in r.stdout
    assert "mima" not in r.stdout + r.stderr
    r = _run(["user", "add", "张三", "--role", "reviewer", "--region", "620500"], tmp_path, "mima-2026-abc\n")
    assert r.returncode == 2 and "用户名已存在" in r.stderr
    r = _run(["user", "add", "李四", "--role", "reviewer", "--region", "999999"], tmp_path, "mima-2026-abc\n")
    assert r.returncode == 2 and "未知的行政区划代码" in r.stderr
    r = _run(["user", "add", "王五", "--role", "reviewer", "--region", "620500"], tmp_path, "short\n")
    assert r.returncode == 2 and "密码至少" in r.stderr
    with Database(f"sqlite:///{tmp_path / 'dudao.sqlite3'}").engine.connect() as conn:
        h = conn.execute(sa.text("SELECT password_hash FROM users WHERE username='张三'")).scalar()
    assert h.startswith("$argon2")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(port, proc, timeout=60):
    import httpx2 as httpx
    deadline = time.time() + timeout
    while time.time() < deadline:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else "server exited"
        try:
            return httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
        except httpx.TransportError:
            time.sleep(0.3)
    raise AssertionError("server did not start")


def _serve(data, port, env=None, extra=()):
    return subprocess.Popen(DUDAO + ["serve", "--data", str(data), "--port", str(port), *extra], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
                            env=None if env is None else {**os.environ, **env})


# Makes every analysis (in the server and in its analysing children, which are fresh
# interpreters) take this many seconds longer, so that a test can act while one is running
# whatever the speed of the machine.
SLOW_ANALYSIS = """
import os, time
if os.environ.get("DUDAO_TEST_SLOW"):
    import dudao.batch as _b
    _real = _b.analyse_raw
    def _slow(raw, options=None):
        time.sleep(float(os.environ["DUDAO_TEST_SLOW"]))
        return _real(raw, options)
    _b.analyse_raw = _slow
"""


def _slow_env(tmp_path, seconds: float) -> dict:
    hook = tmp_path / "hook"
    hook.mkdir(exist_ok=True)
    (hook / "sitecustomize.py").write_text(SLOW_ANALYSIS)
    return {"DUDAO_TEST_SLOW": str(seconds), "PYTHONPATH": os.pathsep.join([str(hook), str(ROOT)])}


def _platform_url(backend, data) -> str:
    return fresh_postgres() if backend == "postgresql" else f"sqlite:///{data / 'dudao.sqlite3'}"


def _platform(tmp_path, backend) -> tuple:
    """A data folder, a fresh database's URL and `--db` arguments, and the county user gangu on it."""
    data = tmp_path / "data"
    url = _platform_url(backend, data)
    db = ["--db", url]
    assert _run(["user", "add", "gangu", "--role", "submitter", "--region", "620523", *db], data,
                "mima-2026-abc\n").returncode == 0
    return data, url, db


def _login(port) -> tuple:
    import httpx2 as httpx
    c = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
    csrf = c.post("/api/login", json={"username": "gangu", "password": "mima-2026-abc"}).json()["csrf_token"]
    return c, csrf


def _wait_status(c, sid, waiting=("queued", "analysing"), timeout=240, alive=()) -> dict:
    deadline = time.time() + timeout
    while (d := c.get(f"/api/submissions/{sid}").json())["status"] in waiting:
        assert time.time() < deadline and all(p.poll() is None for p in alive), d
        time.sleep(0.3)
    return d


def _audit(url) -> list[tuple]:
    db = Database(url)
    with db.engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(sa.text("SELECT action, detail FROM audit_events ORDER BY id"))]
    db.engine.dispose()
    return rows


def _stop(*procs):
    for proc in procs:
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=60)


@pytest.mark.parametrize("backend", BACKENDS)
def test_kill_9_during_analysis_loses_nothing(tmp_path, backend):
    """kill -9 while a job runs: after a restart the job is retried and finishes; the upload is
    kept. On PostgreSQL the dead server's procrastinate worker is recognised by its stopped
    heartbeat; on SQLite by its process being gone."""
    data, url, db = _platform(tmp_path, backend)
    port = _free_port()
    env = _slow_env(tmp_path, 8)
    server = _serve(data, port, env=env, extra=db)
    try:
        _wait_http(port, server)
        c, csrf = _login(port)
        body = REPORT.format(name="甘谷县", n=5).encode()
        sid = c.post("/api/submissions", files={"file": ("甘谷县.txt", body)},
                     headers={"X-CSRF-Token": csrf}).json()["id"]
        assert _wait_status(c, sid, ("queued",), 60)["status"] == "analysing"
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
        uploads = list((data / "uploads").iterdir())
        assert len(uploads) == 1 and uploads[0].read_bytes() == body
        assert not [p for p in (data / "uploads").iterdir() if p.name.endswith(".tmp")]

        server = _serve(data, port, env=env, extra=db)
        _wait_http(port, server)
        c, _ = _login(port)
        d = _wait_status(c, sid, alive=[server])
        assert d["status"] == "analysed" and d["region"]["adcode"] == "620523"
        actions = [a for a, _ in _audit(url)]
        assert actions.count("analysis_retry") == 1 and actions[-1] == "analysis_done"
        assert uploads[0].read_bytes() == body
    finally:
        _stop(server)


def test_a_job_interrupted_too_often_fails_with_its_reason(tmp_path):
    """A job whose analysis keeps being interrupted (here: the server killed each time) is
    failed with a Chinese reason once it has used up its attempts; the upload stays. (SQLite:
    the dead server's jobs are taken back at once; the same take_back runs on PostgreSQL,
    tests/test_web_queue.py.)"""
    data, url, db = _platform(tmp_path, "sqlite")
    port = _free_port()
    env = _slow_env(tmp_path, 600)
    server = None
    try:
        for attempt in range(1, 4):
            server = _serve(data, port, env=env, extra=db)
            _wait_http(port, server)
            c, csrf = _login(port)
            if attempt == 1:
                sid = c.post("/api/submissions", files={"file": ("甘谷县.txt", REPORT.format(name="甘谷县", n=5).encode())},
                             headers={"X-CSRF-Token": csrf}).json()["id"]
            assert _wait_status(c, sid, ("queued",), 120, [server])["status"] == "analysing"
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)
        server = _serve(data, port, env=env, extra=db)
        _wait_http(port, server)
        c, _ = _login(port)
        d = _wait_status(c, sid, ("queued", "analysing"), 240, [server])
        assert d["status"] == "failed" and "已尝试 3 次" in d["error"], d
        assert not any("a" <= ch.lower() <= "z" for ch in d["error"])
        assert len(list((data / "uploads").iterdir())) == 1
    finally:
        _stop(server)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_restarting_server_leaves_a_live_workers_job_alone(tmp_path, backend):
    """`dudao worker` is analysing a job when the server is killed and restarted: the server's
    recovery must not take that job (the worker's heartbeat is fresh), also after longer than
    STALE seconds; the worker finishes it, in one attempt."""
    from dudao.web import jobs
    data, url, db = _platform(tmp_path, backend)
    port = _free_port()
    env = _slow_env(tmp_path, jobs.STALE + 15)
    server = _serve(data, port, env=env, extra=[*db, "--workers", "0"])
    worker = subprocess.Popen(DUDAO + ["worker", "--data", str(data), *db], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, start_new_session=True, env={**os.environ, **env})
    try:
        _wait_http(port, server)
        c, csrf = _login(port)
        sid = c.post("/api/submissions", files={"file": ("甘谷县.txt", REPORT.format(name="甘谷县", n=5).encode())},
                     headers={"X-CSRF-Token": csrf}).json()["id"]
        assert _wait_status(c, sid, ("queued",), 120, [worker])["status"] == "analysing"
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
        server = _serve(data, port, env=env, extra=db)      # this time with an analysing worker of its own
        _wait_http(port, server)
        c, _ = _login(port)
        d = _wait_status(c, sid, alive=[server, worker], timeout=300)
        assert d["status"] == "analysed", d
        actions = [a for a, _ in _audit(url)]
        assert "analysis_retry" not in actions and actions.count("analysis_done") == 1
        with Database(url).engine.connect() as conn:
            assert conn.execute(sa.text("SELECT attempts FROM submissions WHERE id = :i"), {"i": sid}).scalar() == 1
    finally:
        _stop(server, worker)


def test_a_job_past_the_time_limit_fails_with_its_reason(tmp_path):
    """The analysis runs in a child process under the batch's per-file time limit: a file still
    being analysed after it is stopped, the job fails with the Chinese reason, and the server
    goes on with the next job."""
    import httpx2 as httpx
    data = tmp_path / "data"
    assert _run(["user", "add", "gangu", "--role", "submitter", "--region", "620523"], data,
                "mima-2026-abc\n").returncode == 0
    port = _free_port()
    server = _serve(data, port, env={"DUDAO_TIME_LIMIT": "0.25"})
    try:
        _wait_http(port, server)
        c = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
        csrf = c.post("/api/login", json={"username": "gangu", "password": "mima-2026-abc"}).json()["csrf_token"]
        # Some 60 000 different lines: over a second of analysis in a warm child, four times the limit.
        slow = REPORT.format(name="甘谷县", n=5) + "".join(
            f"（{i}）第{i}所学校有在校学生{i * 7 % 3000 + 100}人、专任教师{i % 90 + 10}名，"
            f"生均校舍面积{i % 13 + 5}.{i % 10}平方米，比上年增长{i % 9}.{i % 7}%。\n" for i in range(60000))
        ids = [c.post("/api/submissions", files={"file": (name, body.encode())},
                      headers={"X-CSRF-Token": csrf}).json()["id"]
               for name, body in (("甘谷县（很长）.txt", slow), ("甘谷县.txt", REPORT.format(name="甘谷县", n=5)))]
        deadline = time.time() + 240
        while any((d := c.get(f"/api/submissions/{sid}").json())["status"] in ("queued", "analysing")
                  for sid in ids):
            assert time.time() < deadline, d
            time.sleep(0.5)
        slow_d, quick_d = (c.get(f"/api/submissions/{sid}").json() for sid in ids)
        assert slow_d["status"] == "failed" and slow_d["error"].startswith("处理超时（超过 0.25 秒）"), slow_d
        assert quick_d["status"] == "analysed" and quick_d["region"]["adcode"] == "620523", quick_d
        # The analysis ran in a child of the server (spawned by multiprocessing), not in it.
        kids = [int(k) for t in Path(f"/proc/{server.pid}/task").iterdir()
                for k in (t / "children").read_text().split()]
        assert any("multiprocessing" in Path(f"/proc/{k}/cmdline").read_bytes().decode(errors="replace")
                   for k in kids), kids
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


def test_a_separate_worker_command_analyses_the_queue(tmp_path):
    """`dudao serve --workers 0` only queues; `dudao worker` on the same database and folder
    (another process, or another machine) analyses the job."""
    import httpx2 as httpx
    r = _run(["worker"], tmp_path / "empty")
    assert r.returncode == 2 and "dudao db upgrade" in r.stderr, r.stderr
    data = tmp_path / "data"
    assert _run(["user", "add", "gangu", "--role", "submitter", "--region", "620523"], data,
                "mima-2026-abc\n").returncode == 0
    port = _free_port()
    server, worker = _serve(data, port, extra=["--workers", "0"]), None
    try:
        _wait_http(port, server)
        c = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
        csrf = c.post("/api/login", json={"username": "gangu", "password": "mima-2026-abc"}).json()["csrf_token"]
        sid = c.post("/api/submissions", files={"file": ("甘谷县.txt", REPORT.format(name="甘谷县", n=5).encode())},
                     headers={"X-CSRF-Token": csrf}).json()["id"]
        time.sleep(2)
        assert c.get(f"/api/submissions/{sid}").json()["status"] == "queued"   # no worker in the server
        worker = subprocess.Popen(DUDAO + ["worker", "--data", str(data)], cwd=ROOT, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, start_new_session=True)
        deadline = time.time() + 240
        while (d := c.get(f"/api/submissions/{sid}").json())["status"] in ("queued", "analysing"):
            assert time.time() < deadline and worker.poll() is None, d
            time.sleep(0.5)
        assert d["status"] == "analysed" and d["region"]["adcode"] == "620523", d
        os.killpg(worker.pid, signal.SIGTERM)
        assert worker.wait(timeout=60) == 0
        assert "分析进程已启动" in worker.stdout.read()
    finally:
        for proc in (server, worker):
            if proc is not None and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=30)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_stopped_worker_hands_its_job_back(tmp_path, backend):
    """SIGTERM to `dudao worker` mid-analysis: it stops within the grace period, the job is queued
    again without using up an attempt, and the next worker finishes it."""
    from dudao.web import jobs
    data, url, db = _platform(tmp_path, backend)
    port = _free_port()
    server = _serve(data, port, extra=[*db, "--workers", "0"])
    worker = None

    def start_worker(seconds):
        # A plain postgresql:// URL works too (psycopg 3 is the driver).
        plain = ["--db", url.replace("postgresql+psycopg://", "postgresql://")]
        return subprocess.Popen(DUDAO + ["worker", "--data", str(data), *plain], cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, start_new_session=True,
                                env={**os.environ, **_slow_env(tmp_path, seconds)})
    try:
        _wait_http(port, server)
        c, csrf = _login(port)
        sid = c.post("/api/submissions", files={"file": ("甘谷县.txt", REPORT.format(name="甘谷县", n=5).encode())},
                     headers={"X-CSRF-Token": csrf}).json()["id"]
        worker = start_worker(600)
        assert _wait_status(c, sid, ("queued",), 120, [worker])["status"] == "analysing"
        t0 = time.time()
        os.killpg(worker.pid, signal.SIGTERM)
        assert worker.wait(timeout=90) == 0
        assert time.time() - t0 < jobs.GRACE + 40
        assert c.get(f"/api/submissions/{sid}").json()["status"] == "queued"
        worker = start_worker(0)
        d = _wait_status(c, sid, alive=[worker])
        assert d["status"] == "analysed", d
        with Database(url).engine.connect() as conn:
            assert conn.execute(sa.text("SELECT attempts FROM submissions WHERE id = :i"), {"i": sid}).scalar() == 1
        actions = [a for a, _ in _audit(url)]
        assert "analysis_retry" not in actions and "analysis_requeued" in actions
    finally:
        _stop(server, worker)
