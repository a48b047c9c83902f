"""The analysis queue on the database.

A job is a submission in state `queued`; a worker claims it with a conditional UPDATE (so two
workers never take the same one), analyses the stored upload and writes the result in one
transaction. After a crash (kill -9), `recover` puts jobs left in `analysing` back in the queue,
or marks them failed with the reason once they have used up their attempts.

The server's worker threads only claim jobs and write results: each hands the analysis to its own
child process (dudao.workers, the batch's worker), so an analysis never holds the server's GIL,
and the batch's per-file limits apply (DUDAO_TIME_LIMIT, DUDAO_MAX_CHARS): a file still running
past the time limit is stopped (SIGALRM in the child, or the child killed) and the job fails
with the reason "处理超时".
"""
from __future__ import annotations

import logging
import multiprocessing as mp
import os
import threading
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

    def __call__(self, job: batch.Job) -> dict:
        from dudao.workers import _Worker
        if self.child is None or not self.child.proc.is_alive():
            self.close()
            self.child = _Worker(mp.get_context("spawn"), None, batch.run_one)
        seconds = batch.limits()[0]
        # A fresh child first warms up (vocabularies, patterns): that is not the file's time.
        wait = seconds + self.GRACE + 120 if seconds else None
        try:
            self.child.give(job)
            if self.child.conn.poll(wait):
                return self.child.conn.recv()
            reason = batch.timeout_reason(seconds)
        except (EOFError, OSError):
            reason = "分析进程意外退出（文件可能过大或结构异常），已停止分析此文件"
        self.close()
        return {"status": "failed", "reason": reason}

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


def recover(db: Database, settings: Settings) -> int:
    """Requeue jobs interrupted by a crash; fail those that have used up their attempts."""
    n = 0
    with db.session() as s:
        for sub in s.scalars(select(Submission).where(Submission.status == "analysing")):
            n += 1
            if sub.attempts >= settings.max_attempts:
                sub.status, sub.finished_at = "failed", utcnow()
                sub.error = f"分析被中断（服务重启），已尝试 {sub.attempts} 次，不再重试"
                audit.record(s, None, "analysis_failed", "submission", sub.id, reason=sub.error)
            else:
                sub.status = "queued"
                audit.record(s, None, "analysis_retry", "submission", sub.id, attempts=sub.attempts)
    return n


def claim(db: Database) -> int | None:
    """Take the oldest queued job; None when the queue is empty."""
    with db.session() as s:
        for sid in s.scalars(select(Submission.id).where(Submission.status == "queued")
                             .order_by(Submission.id).limit(5)):
            got = s.execute(update(Submission).where(Submission.id == sid, Submission.status == "queued")
                            .values(status="analysing", attempts=Submission.attempts + 1,
                                    started_at=utcnow()))
            if got.rowcount == 1:
                return sid
    return None


def run_one(db: Database, settings: Settings, analyse=analyse_here) -> int | None:
    """Claim and analyse one job; return its id (None when there was nothing to do)."""
    sid = claim(db)
    if sid is None:
        return None
    with db.session() as s:
        sub = s.get(Submission, sid)
        path, filename = upload_path(settings, sub), sub.filename
    if not os.path.isfile(path):
        result, error = None, "上传的文件已丢失，请重新上传"
    else:
        status = analyse(job_for(str(path), filename))
        result, error = outcome(status)
        if status.get("code") == "internal":
            log.error("analysis of submission %s failed: %s", sid, status.get("detail"))
    with db.session() as s:
        sub = s.get(Submission, sid)
        sub.finished_at = utcnow()
        if error is None:
            sub.status, sub.result, sub.error = "analysed", result, None
            sub.detected_adcode = detected_region(result)
            audit.record(s, None, "analysis_done", "submission", sid,
                         reports=len(result.get("reports", [])), detected_region=sub.detected_adcode)
        else:
            sub.status, sub.error = "failed", error
            audit.record(s, None, "analysis_failed", "submission", sid, reason=error)
    return sid


def drain(db: Database, settings: Settings) -> int:
    """Run jobs until the queue is empty (tests and `--demo` loading use it)."""
    n = 0
    while run_one(db, settings) is not None:
        n += 1
    return n


class Workers:
    """Background threads that poll the queue until stopped, each with its analysing child."""

    def __init__(self, db: Database, settings: Settings, poll: float = 0.5):
        self.db, self.settings, self.poll = db, settings, poll
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []

    def start(self) -> None:
        for i in range(self.settings.workers):
            t = threading.Thread(target=self._loop, name=f"dudao-worker-{i}", daemon=True)
            t.start()
            self.threads.append(t)

    def _loop(self) -> None:
        analyser = Analyser()
        try:
            while not self.stop.is_set():
                try:
                    if run_one(self.db, self.settings, analyser) is None:
                        self.stop.wait(self.poll)
                except Exception:  # database briefly locked, etc.: try again later
                    log.exception("worker loop")
                    self.stop.wait(self.poll)
        finally:
            analyser.close()

    def shutdown(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=30)
