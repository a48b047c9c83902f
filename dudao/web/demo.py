"""`dudao serve --demo`: the bundled examples loaded as a round with demo accounts."""
from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

from sqlalchemy import select

from dudao.web import jobs, queues, regions, services
from dudao.web.db import Database
from dudao.web.models import User
from dudao.web.settings import Settings

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _account(s, username: str, role: str, adcode: str, lines: list[str]) -> User:
    user = s.scalar(select(User).where(User.username == username))
    if user is None:
        password = secrets.token_urlsafe(9) + "1a"
        user = services.create_user(s, None, username, password, role, adcode)
        lines.append(f"  {username:<14} 密码 {password}  （{regions.name(adcode)}）")
    return user


def load_demo(db: Database, settings: Settings, folder: Path = EXAMPLES) -> list[str]:
    """Create demo accounts, a round and one submission per example report; return what to print."""
    from dudao.ingest import SUPPORTED
    if not folder.is_dir():
        return [f"没有找到示例文件夹：{folder}（--demo 需要在源代码目录中运行）"]
    lines = ["演示账号（密码只显示这一次）："]
    found = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in SUPPORTED or path.suffix.lower() == ".zip":
            continue
        result, _ = jobs.outcome(jobs.analyse_here(jobs.job_for(str(path), path.name)))
        code = jobs.detected_region(result) if result else None
        if code and regions.get(code).level == "county":
            found.append((code, path.name, path.read_bytes()))
    if not found:
        return ["示例中没有识别出县级地区，未载入演示数据"]
    with db.session() as s:
        admin = _account(s, "admin", "admin", regions.get(found[0][0]).province_adcode, lines)
        for prov in sorted({regions.get(c).province_adcode for c, _, _ in found}):
            _account(s, f"评审-{regions.name(prov)}", "reviewer", prov, lines)
        rnd = services.create_round(s, admin, dt.date.today().year, "演示：县级人民政府履行教育职责评价",
                                    dt.date.today() + dt.timedelta(days=30), [c for c, _, _ in found],
                                    "county_example", settings)
        for code, name, data in found:
            user = _account(s, f"报送-{regions.get(code).name}", "submitter", code, lines)
            services.submit(s, settings, user, name, data, rnd.id)
    n = queues.drain(db, settings)
    lines.append(f"已载入 {len(found)} 份示例报告并完成分析（{n} 个任务）。")
    return lines
