"""The analysis queue on PostgreSQL: procrastinate schedules the jobs, so any number of
`dudao worker` processes, on this machine or others, share them.

A submission committed in state `queued` gets a procrastinate job `analyse_submission` right
after the commit (a session hook, so every way of creating a submission does it). The task runs
dudao.web.jobs.process, the same path as the SQLite queue: claim, analyse in a child process
under the per-file limits, write the result and its audit event in one transaction.

What procrastinate does not know about, recovery (every RECOVER_EVERY seconds in each worker)
puts right; each step is safe when several workers run it at once:
1. jobs of workers whose heartbeat has stopped (procrastinate's stalled jobs) are ended;
2. a submission left `analysing` by a job that is no longer running is queued again, or failed
   with its reason once it has used up its attempts (jobs.take_back);
3. a queued submission without a pending job (the server died between the commit and the
   deferral, or the deferral failed) gets one; the queueing lock keeps it to one.
A worker being shut down puts its unfinished analyses back in the queue (jobs.Stopped, retried
by the task's RetryStrategy).
"""
from __future__ import annotations

import asyncio
import logging
import os
import queue
import socket
import threading

from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from dudao.web import jobs
from dudao.web.db import Database
from dudao.web.models import Submission
from dudao.web.settings import Settings

log = logging.getLogger("dudao.web.pgqueue")

TASK = "analyse_submission"
HOLDER = "procrastinate-job-"   # a submission's holder: the procrastinate job analysing it

ORPHANS = text("""SELECT s.id, s.worker_id FROM submissions s WHERE s.status = 'analysing'
                  AND NOT EXISTS (SELECT 1 FROM procrastinate_jobs j
                                  WHERE j.status = 'doing' AND s.worker_id = :prefix || j.id)""")
UNSCHEDULED = text("""SELECT s.id FROM submissions s WHERE s.status = 'queued'
                      AND NOT EXISTS (SELECT 1 FROM procrastinate_jobs j
                                      WHERE j.task_name = :task AND j.status IN ('todo', 'doing')
                                        AND j.args ->> 'submission_id' = s.id::text)
                      ORDER BY s.id""")


def conninfo(url: str) -> str:
    """psycopg's connection string for the platform's SQLAlchemy URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class AnalyserPool:
    """One analysing child per concurrent job; a job waits for a free one."""

    def __init__(self, n: int):
        self.all = [jobs.Analyser() for _ in range(max(n, 1))]
        self.free: queue.Queue = queue.Queue()
        for a in self.all:
            self.free.put(a)

    def __call__(self, job):
        analyser = self.free.get()
        try:
            return analyser(job)
        finally:
            self.free.put(analyser)

    def stop(self) -> None:
        for a in self.all:
            a.stop()

    def close(self) -> None:
        for a in self.all:
            a.close()


def make_app(connector, db: Database, settings: Settings, analyse, done: list | None = None):
    """A procrastinate app whose task analyses submissions of `db` with `analyse`."""
    from procrastinate import App, RetryStrategy

    app = App(connector=connector)

    # Only a shutdown is retried here; every other outcome is the submission's own state.
    @app.task(name=TASK, pass_context=True, retry=RetryStrategy(retry_exceptions={jobs.Stopped}, wait=1))
    def analyse_submission(context, submission_id: int) -> None:
        if jobs.process(db, settings, submission_id, f"{HOLDER}{context.job.id}", analyse) and done is not None:
            done.append(submission_id)

    return app


async def defer(app, sid: int) -> None:
    from procrastinate.exceptions import AlreadyEnqueued
    try:
        await app.configure_task(TASK, queueing_lock=f"submission-{sid}").defer_async(submission_id=sid)
    except AlreadyEnqueued:
        pass


def _orphans(db: Database) -> list[tuple[int, str | None]]:
    with db.session() as s:
        return [tuple(r) for r in s.execute(ORPHANS, {"prefix": HOLDER})]


def _unscheduled(db: Database) -> list[int]:
    with db.session() as s:
        return list(s.scalars(UNSCHEDULED, {"task": TASK}))


async def recover(app, db: Database, settings: Settings) -> int:
    """The three steps of the module's docstring; returns how many jobs were taken back."""
    from procrastinate.exceptions import ProcrastinateException
    from procrastinate.jobs import Status
    for job in await app.job_manager.get_stalled_jobs(task_name=TASK, seconds_since_heartbeat=jobs.STALE):
        try:
            await app.job_manager.finish_job_by_id_async(job.id, Status.FAILED, delete_job=False)
        except ProcrastinateException:   # another worker's recovery ended it first
            pass
    n = 0
    for sid, holder in await asyncio.to_thread(_orphans, db):
        n += await asyncio.to_thread(jobs.take_back, db, settings, sid, holder)
    for sid in await asyncio.to_thread(_unscheduled, db):
        await defer(app, sid)
    return n


def _worker_options(settings: Settings, **kw) -> dict:
    return {"concurrency": max(settings.workers, 1), "install_signal_handlers": False,
            "name": f"dudao-{socket.gethostname()}-{os.getpid()}", "delete_jobs": "successful",
            "update_heartbeat_interval": jobs.HEARTBEAT, "stalled_worker_timeout": jobs.STALE, **kw}


def drain(db: Database, settings: Settings) -> int:
    """Run every pending job in this process, the analysis too (tests and `--demo` loading)."""
    from procrastinate import PsycopgConnector
    done: list[int] = []

    async def run():
        app = make_app(PsycopgConnector(conninfo=conninfo(db.url), min_size=1, max_size=3), db, settings,
                       jobs.analyse_here, done)
        async with app.open_async():
            await recover(app, db, settings)
            await app.run_worker_async(**_worker_options(settings, concurrency=1, wait=False,
                                                         listen_notify=False))

    asyncio.run(run())
    return len(done)


class PgQueue:
    """The platform's side of the queue: deferring committed submissions, and (with
    settings.workers > 0) a procrastinate worker in a background thread."""

    def __init__(self, db: Database, settings: Settings):
        self.db, self.settings = db, settings
        self.conninfo = conninfo(db.url)
        self.analysers = AnalyserPool(settings.workers)
        self.thread: threading.Thread | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.main: asyncio.Task | None = None
        self._watch()

    # --- deferring ------------------------------------------------------------------------------

    def _watch(self) -> None:
        """Defer a job for every queued submission a session inserts, once that commits."""
        key = "dudao_new_jobs"

        @event.listens_for(self.db.sessions, "after_flush")
        def _new(session, _ctx):
            for obj in session.new:
                if isinstance(obj, Submission) and obj.status == "queued":
                    session.info.setdefault(key, set()).add(obj.id)

        @event.listens_for(self.db.sessions, "after_commit")
        def _committed(session):
            for sid in sorted(session.info.pop(key, ())):
                self.enqueue(sid)

        @event.listens_for(self.db.sessions, "after_rollback")
        def _rolled_back(session):
            session.info.pop(key, None)

    def enqueue(self, sid: int) -> None:
        """Defer the job (from a request thread): one connection, closed again; uploads are rare
        and an open pool would hold connections and threads for nothing."""
        from procrastinate import SyncPsycopgConnector
        from procrastinate.exceptions import AlreadyEnqueued
        from psycopg_pool import NullConnectionPool
        try:
            with NullConnectionPool(self.conninfo, open=True, num_workers=1) as pool:
                app = make_app(SyncPsycopgConnector(), self.db, self.settings, self.analysers)
                app.open(pool)
                app.configure_task(TASK, queueing_lock=f"submission-{sid}").defer(submission_id=sid)
        except AlreadyEnqueued:
            pass
        except Exception:  # the database briefly unreachable: recovery defers it later
            log.exception("deferring submission %s", sid)

    # --- the worker -----------------------------------------------------------------------------

    def start(self) -> None:
        if self.settings.workers > 0:
            self.thread = threading.Thread(target=lambda: asyncio.run(self._serve()), name="dudao-procrastinate",
                                           daemon=True)
            self.thread.start()

    async def _serve(self) -> None:
        """Run the worker until cancelled; start it again if it stops by itself (the database
        was unreachable for a while)."""
        self.loop, self.main = asyncio.get_running_loop(), asyncio.current_task()
        while True:
            try:
                await self._work()
                await asyncio.sleep(5)
            except asyncio.CancelledError:
                return
            except Exception:
                log.exception("procrastinate worker")
                try:
                    await asyncio.sleep(5)
                except asyncio.CancelledError:
                    return

    async def _work(self) -> None:
        from procrastinate import PsycopgConnector
        app = make_app(PsycopgConnector(conninfo=self.conninfo, min_size=1, max_size=self.settings.workers + 3),
                       self.db, self.settings, self.analysers)
        async with app.open_async():
            watch = asyncio.create_task(self._recover_loop(app))
            try:
                await app.run_worker_async(**_worker_options(self.settings))
            finally:
                watch.cancel()

    async def _recover_loop(self, app) -> None:
        while True:
            try:
                await recover(app, self.db, self.settings)
            except Exception:  # the database briefly unreachable: the next round tries again
                log.exception("recovery")
            await asyncio.sleep(jobs.RECOVER_EVERY)

    def shutdown(self) -> None:
        """Stop taking jobs; analyses still running after GRACE seconds go back to the queue."""
        if self.thread is not None:
            if self.loop is not None and self.main is not None:
                self.loop.call_soon_threadsafe(self.main.cancel)
            self.thread.join(jobs.GRACE)
            self.analysers.stop()
            self.thread.join(30)
        self.analysers.close()
