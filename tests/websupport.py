"""A platform in a temporary folder with users in three places, for the web tests.

Regions (real adcodes): 甘肃省 620000 ⊃ 天水市 620500 ⊃ 甘谷县 620523; 兰州市城关区 620102 lies
outside 天水市. The report texts are written for these tests.
"""
from __future__ import annotations

import datetime as dt
import functools
import os
import warnings

import sqlalchemy as sa

from fastapi.testclient import TestClient

from dudao.web import queues, security, services
from dudao.web.app import create_app
from dudao.web.deps import COOKIE
from dudao.web.models import User
from dudao.web.settings import Settings

warnings.filterwarnings("ignore", message=".*httpx.*")

PASSWORD = "ceshi-mima-2026"
PLACES = {"admin": ("admin", "620000"), "reviewer": ("reviewer", "620500"),
          "submitter": ("submitter", "620523"), "city_submitter": ("submitter", "620500"),
          "other_submitter": ("submitter", "620102")}

REPORT = """{name}人民政府关于2022年度履行教育职责情况的自评报告

一、基本情况
{name}现有中小学校{n}所，在校学生2.{n}万人。义务教育巩固率达到98.{n}%，学前三年毛入园率90.5%。

二、主要做法
（一）加大经费投入。全年教育支出比上年增长3.{n}%。
（二）加强教师队伍建设。新招聘教师{n}名，县域内交流轮岗教师占比达到11%。

三、存在问题
一是城区学校大班额问题仍然存在；二是农村学校音体美教师不足。

四、下一步打算
20xx年，我们将继续加大投入，力争在x%的学校建成标准化实验室。

{name}人民政府
2023年3月10日
"""

NAMES = {"620523": "甘谷县", "620500": "天水市", "620102": "兰州市城关区"}


# Every platform test runs on SQLite, and on PostgreSQL too when `make test` / .ci/run started one
# (scripts/start_postgres.sh exports DUDAO_TEST_PG).
PG_URL = os.environ.get("DUDAO_TEST_PG")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def fresh_postgres() -> str:
    """The test server's database with an empty schema."""
    engine = sa.create_engine(PG_URL)
    with engine.begin() as conn:
        # Earlier tests' platforms keep pooled connections: end them, so nothing holds a lock.
        conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                             "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return PG_URL


@functools.lru_cache(maxsize=1)
def _password_hash() -> str:
    return security.hash_password(PASSWORD)


class Platform:
    def __init__(self, tmp_path, backend: str = "sqlite", **settings):
        db_url = fresh_postgres() if backend == "postgresql" else None
        self.settings = Settings(data_dir=tmp_path / "data", db_url=db_url, workers=0, **settings)
        self.app = create_app(self.settings)
        self.db = self.app.state.db
        self.users: dict[str, User] = {}
        with self.db.session() as s:
            for key, (role, code) in PLACES.items():
                # One argon2 hash for all test users (hashing is slow on purpose).
                self.users[key] = User(username=key, password_hash=_password_hash(), role=role,
                                       region_adcode=code, active=True)
                s.add(self.users[key])
            s.flush()
            # One round covering every test region, scored with the bundled example framework.
            self.round_id = services.create_round(s, self.users["admin"], 2023, "测试轮次", dt.date(2023, 4, 30),
                                                  sorted({c for _, c in PLACES.values()}), "county_example",
                                                  self.settings).id

    def client(self, who: str | None = None) -> tuple[TestClient, str | None]:
        """A client signed in as `who` (a fresh session) and its CSRF token."""
        c = TestClient(self.app)
        if who is None:
            return c, None
        with self.db.session() as s:
            token, sess = security.new_session(s, s.get(User, self.users[who].id), 1)
        c.cookies.set(COOKIE, token)
        return c, sess.csrf_token

    def submit(self, who: str, text: str | None = None, name: str = "自评报告.txt", analyse: bool = True) -> int:
        code = PLACES[who][1]
        body = (text or REPORT.format(name=NAMES[code], n=int(code[-1]) + 3)).encode("utf-8")
        with self.db.session() as s:
            sub = services.submit(s, self.settings, s.get(User, self.users[who].id), name, body, self.round_id)
            sid = sub.id
        if analyse:
            queues.drain(self.db, self.settings)
        return sid
