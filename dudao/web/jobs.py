"""The analysis queue on the database: in-process workers for SQLite.

A job is a submission in state `queued`; a worker claims it with a conditional UPDATE (so two
workers never take the same one), analyses the stored upload and writes the result in one
transaction. After a crash (kill -9), `recover` puts jobs left in `analysing` back in the queue,
or marks them failed with the reason once they have used up their attempts.
"""
from __future__ import annotations

import logging
import threading

from sqlalchemy import select, update

from dudao.errors import DudaoError
from dudao.web import audit
from dudao.web.db import Database
from dudao.web.models import Submission, utcnow
from dudao.web.services import upload_path
from dudao.web.settings import Settings

log = logging.getLogger("dudao.web.jobs")


def analyse_file(path: str, filename: str) -> dict:
    """The library's analysis of one stored upload, as the output contract's document dict."""
    from dudao.ingest import load_bytes
    from dudao.pipeline import analyze_raw
    with open(path, "rb") as f:
        data = f.read()
    return analyze_raw(load_bytes(data, filename, filename))


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


def run_one(db: Database, settings: Settings) -> int | None:
    """Claim and analyse one job; return its id (None when there was nothing to do)."""
    sid = claim(db)
    if sid is None:
        return None
    with db.session() as s:
        sub = s.get(Submission, sid)
        path, filename = upload_path(settings, sub), sub.filename
    try:
        result, error = analyse_file(path, filename), None
    except DudaoError as e:
        result, error = None, e.message
    except FileNotFoundError:
        result, error = None, "上传的文件已丢失，请重新上传"
    except Exception as e:  # a bug must not stop the queue; the reason is kept for the admin
        log.exception("analysis of submission %s failed", sid)
        result, error = None, f"内部错误（{type(e).__name__}），请联系管理员"
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
    """Background threads that poll the queue until stopped."""

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
        while not self.stop.is_set():
            try:
                if run_one(self.db, self.settings) is None:
                    self.stop.wait(self.poll)
            except Exception:  # database briefly locked, etc.: try again later
                log.exception("worker loop")
                self.stop.wait(self.poll)

    def shutdown(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=30)
