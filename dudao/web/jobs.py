"""The analysis jobs: one path that analyses a submission and writes the result, and the queue
that schedules it on SQLite.

A job is a submission in state `queued`. Whoever runs it first claims it with a conditional
UPDATE (queued → analysing, with the holder's name and a heartbeat time), so two workers never
analyse the same one; it analyses the stored upload and writes the result with its audit event
in one transaction, only while it still holds the job. The same `process` runs under both
queues: on SQLite the in-process `Workers` below poll the table; on PostgreSQL procrastinate
schedules it (dudao.web.pgqueue), so worker processes on other machines share the work.
dudao.web.queues picks the queue for the database.

Recovery after a crash (kill -9) takes only jobs whose holder is gone: on SQLite a job whose
heartbeat is older than STALE seconds (or whose holder was a process on this machine that no
longer exists); on PostgreSQL, through procrastinate's worker heartbeats. A job taken back is
queued again, or failed with its reason once it has used up its attempts.

The worker threads only claim jobs and write results: each hands the analysis to its own child
process (dudao.workers, the batch's worker), so an analysis never holds the server's GIL, and
the batch's per-file limits apply (DUDAO_TIME_LIMIT, DUDAO_MAX_CHARS): a file still running past
the time limit is stopped (SIGALRM in the child, or the child killed) and the job fails with the
reason "处理超时".
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import socket
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy import select, update

from dudao import batch
from dudao.ingest import InputItem
from dudao.web import audit
from dudao.web.db import Database
from dudao.web.models import Submission, utcnow
from dudao.web.services import upload_path
from dudao.web.settings import Settings

log = logging.getLogger("dudao.web.jobs")

HEARTBEAT = 5.0        # seconds between a worker's signs of life
STALE = 30.0           # a holder silent this long is taken to be gone
RECOVER_EVERY = 10.0   # how often a running worker looks for jobs to take back
GRACE = 10.0           # on shutdown, analyses still running after this go back to the queue


class Stopped(Exception):
    """The worker is shutting down: the job goes back to the queue, not to `failed`."""


def job_for(path: str, filename: str) -> batch.Job:
    """A batch job reading a stored file (the upload keeps the user's file name)."""
    return batch.Job(InputItem(filename, filename, _read=Path(path).read_bytes), None)


def analyse_here(job: batch.Job) -> dict:
    """The batch's status record for one job, analysed in this process (tests, `--demo`)."""
    return batch.run_one(job)


class Analyser:
    """One child process that analyses one job at a time for a worker thread; killed and
    replaced when it overruns the time limit or dies."""

    GRACE = 10.0   # beyond the limit the child's own alarm gets to stop the analysis cleanly

    def __init__(self):
        self.child = None
        self.stopping = False

    def __call__(self, job: batch.Job) -> dict:
        from dudao.workers import _Worker, context
        if self.stopping:
            raise Stopped
        seconds = batch.limits()[0]
        # A fresh child may first warm up (spawned; or the first fork waits for the forkserver to
        # warm): that is not the file's time.
        wait = seconds + self.GRACE + 120 if seconds else None
        try:
            if self.child is None or not self.child.proc.is_alive():
                self.close()
                self.child = _Worker(context(), None, batch.run_one)
            self.child.give(job)
            if self.child.conn.poll(wait):
                return self.child.conn.recv()
            reason = batch.timeout_reason(seconds)
        except (EOFError, OSError):
            reason = "分析进程意外退出（文件可能过大或结构异常），已停止分析此文件"
        child = self.child
        self.close()
        # Stopped from outside (SIGTERM to the process group, as `systemctl stop` and kill -TERM
        # of the group do): not the file's fault, so the job goes back to the queue.
        if self.stopping or (child is not None and child.proc.exitcode in (-signal.SIGTERM, -signal.SIGINT)):
            raise Stopped
        return {"status": "failed", "reason": reason}

    def stop(self) -> None:
        """Shutting down (called from another thread): end the child and any analysis in it."""
        self.stopping = True
        child = self.child
        if child is not None and child.proc.is_alive():
            child.proc.kill()

    def close(self) -> None:
        if self.child is not None:
            self.child.kill()
            self.child = None


def outcome(status: dict) -> tuple[dict | None, str | None]:
    """(contract dict, None) for an analysed file, (None, Chinese reason) otherwise."""
    if status.get("status") == "ok":
        return status["result"], None
    return None, status.get("reason") or "分析失败"


def detected_region(result: dict) -> str | None:
    """The adcode of the region the first self-report names (None when none does)."""
    for rep in result.get("reports", []):
        region = rep.get("region") or {}
        if rep.get("relevant") and region.get("adcode"):
            return region["adcode"]
    return None


# --- analyse one submission and write the result (both queues) ----------------------------------

def _held(sid: int, holder: str | None):
    """The submission while `holder` has it in analysis."""
    return (Submission.id == sid, Submission.status == "analysing",
            Submission.worker_id.is_(None) if holder is None else Submission.worker_id == holder)


def claim_submission(db: Database, sid: int, holder: str) -> bool:
    """Take a queued submission for `holder`; False when it is not queued (any more)."""
    now = utcnow()
    with db.session() as s:
        got = s.execute(update(Submission).where(Submission.id == sid, Submission.status == "queued")
                        .values(status="analysing", attempts=Submission.attempts + 1, started_at=now,
                                worker_id=holder, heartbeat_at=now))
        return got.rowcount == 1


def analyse_submission(db: Database, settings: Settings, sid: int, holder: str, analyse=analyse_here) -> None:
    """Analyse a submission `holder` has claimed and write the result, with its audit event, in
    one transaction. Nothing is written if the job was taken back meanwhile; on Stopped the job
    goes back to the queue (that attempt does not count) and Stopped is raised again."""
    with db.session() as s:
        sub = s.get(Submission, sid)
        path, filename = upload_path(settings, sub), sub.filename
    if not os.path.isfile(path):
        result, error = None, "上传的文件已丢失，请重新上传"
    else:
        try:
            status = analyse(job_for(str(path), filename))
        except Stopped:
            with db.session() as s:
                back = s.execute(update(Submission).where(*_held(sid, holder))
                                 .values(status="queued", attempts=Submission.attempts - 1, worker_id=None))
                if back.rowcount:
                    audit.record(s, None, "analysis_requeued", "submission", sid, worker=holder,
                                 reason="分析进程停止，任务放回队列，不计入尝试次数")
            raise
        result, error = outcome(status)
        if status.get("code") == "internal":
            log.error("analysis of submission %s failed: %s", sid, status.get("detail"))
    with db.session() as s:
        sub = s.scalars(select(Submission).where(*_held(sid, holder)).with_for_update()).first()
        if sub is None:
            log.warning("submission %s was taken back from %s; its result is not written", sid, holder)
            return
        sub.finished_at, sub.worker_id = utcnow(), None
        if error is None:
            sub.status, sub.result, sub.error = "analysed", result, None
            sub.detected_adcode = detected_region(result)
            audit.record(s, None, "analysis_done", "submission", sid,
                         reports=len(result.get("reports", [])), detected_region=sub.detected_adcode)
        else:
            sub.status, sub.error = "failed", error
            audit.record(s, None, "analysis_failed", "submission", sid, reason=error)


def process(db: Database, settings: Settings, sid: int, holder: str, analyse=analyse_here) -> bool:
    """Claim and analyse one submission; False when it was not queued."""
    if not claim_submission(db, sid, holder):
        return False
    analyse_submission(db, settings, sid, holder, analyse)
    return True


def take_back(db: Database, settings: Settings, sid: int, holder: str | None) -> bool:
    """A job whose holder is gone: queue it again, or fail it with the reason once it has used
    up its attempts. False when `holder` no longer has it (someone else took it back first)."""
    with db.session() as s:
        sub = s.scalars(select(Submission).where(*_held(sid, holder)).with_for_update()).first()
        if sub is None:
            return False
        sub.worker_id = None
        if sub.attempts >= settings.max_attempts:
            sub.status, sub.finished_at = "failed", utcnow()
            sub.error = f"分析被中断（服务或分析进程意外停止），已尝试 {sub.attempts} 次，不再重试"
            audit.record(s, None, "analysis_failed", "submission", sid, reason=sub.error)
        else:
            sub.status = "queued"
            audit.record(s, None, "analysis_retry", "submission", sid, attempts=sub.attempts, worker=holder)
    return True


# --- the SQLite queue ------------------------------------------------------------------------------

def _gone(holder: str | None) -> bool:
    """A holder that was a process on this machine which no longer exists."""
    try:
        host, pid = holder.split(":")[:2]
        if host != socket.gethostname():
            return False
        os.kill(int(pid), 0)
    except (AttributeError, ValueError):
        return False
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def recover(db: Database, settings: Settings, stale: float = STALE) -> int:
    """Take back jobs whose holder is gone (no heartbeat for `stale` seconds, or a dead process
    here); jobs of live workers, in this process or another, are left alone."""
    cutoff = utcnow() - dt.timedelta(seconds=stale)
    with db.session() as s:
        rows = s.execute(select(Submission.id, Submission.worker_id, Submission.heartbeat_at)
                         .where(Submission.status == "analysing")).all()
    return sum(take_back(db, settings, sid, holder) for sid, holder, beat in rows
               if beat is None or beat < cutoff or _gone(holder))


def claim(db: Database, holder: str) -> int | None:
    """Take the oldest queued job; None when the queue is empty."""
    with db.session() as s:
        ids = list(s.scalars(select(Submission.id).where(Submission.status == "queued")
                             .order_by(Submission.id).limit(5)))
    for sid in ids:
        if claim_submission(db, sid, holder):
            return sid
    return None


def run_one(db: Database, settings: Settings, analyse=analyse_here, holder: str | None = None) -> int | None:
    """Claim and analyse one job; return its id (None when there was nothing to do)."""
    holder = holder or f"{socket.gethostname()}:{os.getpid()}:drain"
    sid = claim(db, holder)
    if sid is not None:
        analyse_submission(db, settings, sid, holder, analyse)
    return sid


class Workers:
    """Background threads that poll the queue until stopped, each with its analysing child, and
    one that keeps their jobs' heartbeats fresh and takes back jobs of workers that are gone."""

    def __init__(self, db: Database, settings: Settings, poll: float = 0.5):
        self.db, self.settings, self.poll = db, settings, poll
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []
        self.analysers: list[Analyser] = []
        me = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.names = [f"{me}:{i}" for i in range(settings.workers)]

    def start(self) -> None:
        if not self.names:
            return
        self._recover()
        for name in self.names:
            analyser = Analyser()
            self.analysers.append(analyser)
            t = threading.Thread(target=self._loop, args=(name, analyser), name=f"dudao-worker-{name}",
                                 daemon=True)
            t.start()
            self.threads.append(t)
        t = threading.Thread(target=self._beat, name="dudao-heartbeat", daemon=True)
        t.start()
        self.threads.append(t)

    def _recover(self) -> None:
        try:
            recover(self.db, self.settings)
        except Exception:  # database briefly locked: the next round tries again
            log.exception("recovery")

    def _beat(self) -> None:
        last = utcnow()
        while not self.stop.wait(HEARTBEAT):
            try:
                with self.db.session() as s:
                    s.execute(update(Submission).where(Submission.status == "analysing",
                                                       Submission.worker_id.in_(self.names))
                              .values(heartbeat_at=utcnow()))
            except Exception:
                log.exception("heartbeat")
            if (utcnow() - last).total_seconds() >= RECOVER_EVERY:
                self._recover()
                last = utcnow()

    def _loop(self, name: str, analyser: Analyser) -> None:
        try:
            while not self.stop.is_set():
                try:
                    if run_one(self.db, self.settings, analyser, name) is None:
                        self.stop.wait(self.poll)
                except Stopped:   # the job is back in the queue
                    # Its child was stopped from outside: a stop of this process is probably on
                    # its way (SIGTERM to the group); do not take the job again at once.
                    if self.stop.wait(1.0):
                        return
                except Exception:  # database briefly locked, etc.: try again later
                    log.exception("worker loop")
                    self.stop.wait(self.poll)
        finally:
            analyser.close()

    def shutdown(self) -> None:
        """Stop taking jobs; analyses still running after GRACE seconds go back to the queue."""
        self.stop.set()
        deadline = time.monotonic() + GRACE
        for t in self.threads:
            t.join(timeout=max(0.0, deadline - time.monotonic()))
        for analyser in self.analysers:
            analyser.stop()
        for t in self.threads:
            t.join(timeout=30)

