"""The analysis queue for the platform's database: procrastinate on PostgreSQL
(dudao.web.pgqueue), worker threads polling the table on SQLite (dudao.web.jobs). Both run the
same dudao.web.jobs.process."""
from __future__ import annotations

from dudao.web import jobs
from dudao.web.db import Database
from dudao.web.settings import Settings


def _postgres(db: Database) -> bool:
    return db.engine.dialect.name == "postgresql"


def make_queue(db: Database, settings: Settings):
    """The queue with settings.workers analysing workers; start() (with recovery), shutdown()."""
    if _postgres(db):
        from dudao.web import pgqueue
        return pgqueue.PgQueue(db, settings)
    return jobs.Workers(db, settings)


def drain(db: Database, settings: Settings) -> int:
    """Run every pending job in this process until none is left; how many ran (tests and
    `--demo` loading)."""
    if _postgres(db):
        from dudao.web import pgqueue
        return pgqueue.drain(db, settings)
    n = 0
    while jobs.run_one(db, settings) is not None:
        n += 1
    return n
