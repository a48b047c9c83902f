"""The analysis queue: claiming, heartbeats, taking back only the jobs of workers that are gone,
and on PostgreSQL procrastinate's jobs (deferred on commit, stalled workers, re-deferral)."""
from __future__ import annotations

import asyncio
import datetime as dt
import socket
import subprocess
import sys

import pytest
import sqlalchemy as sa
from sqlalchemy import select, update

from dudao.web import jobs, queues
from dudao.web.models import AuditEvent, Submission, utcnow
from tests.websupport import BACKENDS, Platform


@pytest.fixture(params=BACKENDS)
def platform(request, tmp_path):
    return Platform(tmp_path, request.param)


def _sub(platform, sid) -> Submission:
    with platform.db.session() as s:
        return s.get(Submission, sid)


def _actions(platform) -> list[str]:
    with platform.db.session() as s:
        return list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def _age(platform, sid, seconds):
    with platform.db.session() as s:
        s.execute(update(Submission).where(Submission.id == sid)
                  .values(heartbeat_at=utcnow() - dt.timedelta(seconds=seconds)))


def test_a_claimed_job_carries_its_holder_and_heartbeat(platform):
    sid = platform.submit("submitter", analyse=False)
    assert jobs.claim(platform.db, "host-a:1:w0") == sid
    assert jobs.claim(platform.db, "host-b:2:w0") is None        # nobody else gets it
    sub = _sub(platform, sid)
    assert sub.status == "analysing" and sub.worker_id == "host-a:1:w0" and sub.attempts == 1
    assert (utcnow() - sub.heartbeat_at).total_seconds() < 5


def test_sqlite_recovery_takes_back_only_silent_holders_then_gives_up(tmp_path):
    platform = Platform(tmp_path)
    sid = platform.submit("submitter", analyse=False)
    holder = "another-machine:4242:w0"              # a worker elsewhere, still beating
    assert jobs.claim(platform.db, holder) == sid
    assert jobs.recover(platform.db, platform.settings) == 0
    assert _sub(platform, sid).status == "analysing"
    _age(platform, sid, jobs.STALE + 1)             # … then it went silent
    assert jobs.recover(platform.db, platform.settings) == 1
    sub = _sub(platform, sid)
    assert sub.status == "queued" and sub.worker_id is None
    for _ in range(platform.settings.max_attempts - 1):
        jobs.claim(platform.db, holder)
        _age(platform, sid, jobs.STALE + 1)
        jobs.recover(platform.db, platform.settings)
    sub = _sub(platform, sid)
    assert sub.status == "failed" and "已尝试 3 次" in sub.error and "不再重试" in sub.error
    assert (platform.settings.upload_dir / sub.stored_name).is_file()   # the upload is kept
    assert _actions(platform).count("analysis_retry") == 2


def test_sqlite_a_dead_process_on_this_machine_is_taken_back_at_once(tmp_path):
    platform = Platform(tmp_path)
    sid = platform.submit("submitter", analyse=False)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    jobs.claim(platform.db, f"{socket.gethostname()}:{gone.pid}:abc:0")
    assert jobs.recover(platform.db, platform.settings) == 1      # no need to wait for STALE
    alive = f"{socket.gethostname()}:{__import__('os').getpid()}:abc:0"
    jobs.claim(platform.db, alive)
    assert jobs.recover(platform.db, platform.settings) == 0
    assert _sub(platform, sid).worker_id == alive


def test_a_result_is_not_written_by_a_holder_that_lost_the_job(platform):
    """A worker that was taken for dead and comes back must not overwrite the job's new state."""
    sid = platform.submit("submitter", analyse=False)
    assert jobs.claim(platform.db, "slow:1:w0") == sid

    def analyse(job):
        assert jobs.take_back(platform.db, platform.settings, sid, "slow:1:w0")   # recovery, meanwhile
        return jobs.analyse_here(job)

    jobs.analyse_submission(platform.db, platform.settings, sid, "slow:1:w0", analyse)
    sub = _sub(platform, sid)
    assert sub.status == "queued" and sub.result is None
    assert "analysis_done" not in _actions(platform)
    assert queues.drain(platform.db, platform.settings) == 1
    assert _sub(platform, sid).status == "analysed"


def test_a_stopping_worker_puts_its_job_back_without_using_an_attempt(platform):
    sid = platform.submit("submitter", analyse=False)
    assert jobs.claim(platform.db, "me:1:w0") == sid

    def stopped(job):
        raise jobs.Stopped

    with pytest.raises(jobs.Stopped):
        jobs.analyse_submission(platform.db, platform.settings, sid, "me:1:w0", stopped)
    sub = _sub(platform, sid)
    assert sub.status == "queued" and sub.attempts == 0 and sub.worker_id is None
    assert _actions(platform)[-1] == "analysis_requeued"


# --- PostgreSQL: procrastinate --------------------------------------------------------------------

pg = pytest.mark.skipif("postgresql" not in BACKENDS, reason="PostgreSQL 未启动（make test 会启动）")


def _pg_jobs(platform) -> list[tuple]:
    with platform.db.session() as s:
        return [tuple(r) for r in s.execute(sa.text(
            "SELECT id, status, (args->>'submission_id')::int, worker_id FROM procrastinate_jobs ORDER BY id"))]


def _app(platform):
    from procrastinate import PsycopgConnector

    from dudao.web import pgqueue
    return pgqueue.make_app(PsycopgConnector(conninfo=pgqueue.conninfo(platform.db.url), min_size=1, max_size=2),
                            platform.db, platform.settings, jobs.analyse_here)


@pg
def test_postgresql_a_committed_upload_is_deferred_and_a_rolled_back_one_is_not(tmp_path):
    platform = Platform(tmp_path, "postgresql")
    sid = platform.submit("submitter", analyse=False)
    assert _pg_jobs(platform) == [(_pg_jobs(platform)[0][0], "todo", sid, None)]
    with pytest.raises(RuntimeError):
        with platform.db.session() as s:
            s.add(Submission(region_adcode="620523", uploader_id=platform.users["submitter"].id, filename="x.txt",
                             stored_name="x", sha256="0" * 64, size=1, status="queued", attempts=0))
            s.flush()
            raise RuntimeError("the upload's transaction fails")
    assert len(_pg_jobs(platform)) == 1
    assert queues.drain(platform.db, platform.settings) == 1
    assert _sub(platform, sid).status == "analysed"


@pg
def test_postgresql_recovery_ends_stalled_jobs_and_spares_live_workers(tmp_path):
    from dudao.web import pgqueue
    platform = Platform(tmp_path, "postgresql")
    live, dead = platform.submit("submitter", analyse=False), platform.submit("city_submitter", analyse=False)
    # A queued submission whose deferral never happened (the server died right after the commit).
    lost = platform.submit("other_submitter", analyse=False)
    with platform.db.session() as s:
        s.execute(sa.text("DELETE FROM procrastinate_jobs WHERE (args->>'submission_id')::int = :i"), {"i": lost})

    async def scenario():
        app = _app(platform)
        async with app.open_async():
            m = app.job_manager
            w_live, w_dead = await m.register_worker(), await m.register_worker()
            holders = {}
            for w in (w_live, w_dead):   # each worker fetches a job and claims its submission
                job = await m.fetch_job(queues=None, worker_id=w)
                holders[w] = job
                assert jobs.claim_submission(platform.db, job.task_kwargs["submission_id"],
                                             f"{pgqueue.HOLDER}{job.id}")
            with platform.db.session() as s:   # the second worker's heartbeat stopped a while ago
                s.execute(sa.text("UPDATE procrastinate_workers SET last_heartbeat = now() - interval '1 hour' "
                                  "WHERE id = :w"), {"w": w_dead})
            assert await pgqueue.recover(app, platform.db, platform.settings) == 1
            return holders[w_live], holders[w_dead]

    job_live, job_dead = asyncio.run(scenario())
    by_id = {j[0]: j for j in _pg_jobs(platform)}
    assert by_id[job_live.id][1] == "doing"            # a live worker's job is not stolen
    assert by_id[job_dead.id][1] == "failed"           # the stalled one is ended …
    sid_live, sid_dead = job_live.task_kwargs["submission_id"], job_dead.task_kwargs["submission_id"]
    assert {sid_live, sid_dead} == {live, dead}
    assert _sub(platform, sid_live).status == "analysing"
    assert _sub(platform, sid_dead).status == "queued"   # … its submission queued again with a new job
    pending = {j[2] for j in _pg_jobs(platform) if j[1] == "todo"}
    assert pending == {sid_dead, lost}
    assert queues.drain(platform.db, platform.settings) == 2
    assert _sub(platform, sid_dead).status == "analysed" and _sub(platform, lost).status == "analysed"
    assert _sub(platform, sid_live).status == "analysing"
    assert _actions(platform).count("analysis_retry") == 1


def test_sqlite_workers_keep_their_jobs_heartbeat_fresh_and_hand_them_back_on_shutdown(tmp_path, monkeypatch):
    """A worker thread's job gets fresh heartbeats while it is analysed, so recovery (also in
    another server) leaves it alone; a shutdown puts an unfinished job back in the queue."""
    import threading
    import time

    release = threading.Event()

    class Blocking:   # stands in for the analysing child: busy until stopped
        def __call__(self, job):
            release.wait(30)
            raise jobs.Stopped

        def stop(self):
            release.set()

        def close(self):
            pass

    monkeypatch.setattr(jobs, "Analyser", Blocking)
    monkeypatch.setattr(jobs, "HEARTBEAT", 0.1)
    monkeypatch.setattr(jobs, "GRACE", 0.5)
    platform = Platform(tmp_path)
    sid = platform.submit("submitter", analyse=False)
    pool = jobs.Workers(platform.db, platform.settings.model_copy(update={"workers": 1}), poll=0.05)
    pool.start()
    try:
        deadline = time.time() + 20
        while _sub(platform, sid).status != "analysing":
            assert time.time() < deadline
            time.sleep(0.05)
        first = _sub(platform, sid).heartbeat_at
        time.sleep(0.5)
        assert _sub(platform, sid).heartbeat_at > first
        assert jobs.recover(platform.db, platform.settings, stale=0.4) == 0   # fresher than 0.4 s
        assert _sub(platform, sid).worker_id == pool.names[0]
    finally:
        pool.shutdown()
    sub = _sub(platform, sid)
    assert sub.status == "queued" and sub.attempts == 0 and sub.worker_id is None


class _HereAnalysers:
    """In-process analysis for a queue under test (no child processes to start)."""

    def __call__(self, job):
        return jobs.analyse_here(job)

    def stop(self):
        pass

    def close(self):
        pass


def _wait_analysed(platform, sid, timeout=120):
    import time
    deadline = time.time() + timeout
    while _sub(platform, sid).status != "analysed":
        assert time.time() < deadline, _sub(platform, sid).status
        time.sleep(0.2)


@pg
def test_postgresql_worker_carries_on_after_losing_its_connections(tmp_path):
    """The server's procrastinate worker loses every database connection (a restart of
    PostgreSQL, a network cut): it starts again and analyses the next upload."""
    from dudao.web import pgqueue
    platform = Platform(tmp_path, "postgresql")
    queue = pgqueue.PgQueue(platform.db, platform.settings.model_copy(update={"workers": 1}))
    queue.analysers = _HereAnalysers()
    queue.start()
    try:
        first = platform.submit("submitter", analyse=False)
        _wait_analysed(platform, first)
        engine = sa.create_engine(platform.db.url)
        with engine.begin() as conn:
            assert conn.execute(sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar() >= 1
        engine.dispose()
        second = platform.submit("submitter", analyse=False)
        _wait_analysed(platform, second)
        assert queue.thread.is_alive()
    finally:
        queue.shutdown()
    assert not queue.thread.is_alive()
