"""Platform commands: `dudao serve`, `dudao db upgrade`, `dudao user add` (registered in dudao.cli)."""
from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

err = Console(stderr=True)
out = Console()

db_app = typer.Typer(help="数据库管理。\n\n示例：dudao db upgrade --db sqlite:///dudao-data/dudao.sqlite3",
                     no_args_is_help=True, add_completion=False, rich_markup_mode=None)
user_app = typer.Typer(help="用户管理。\n\n示例：dudao user add 张三 --role reviewer --region 620500",
                       no_args_is_help=True, add_completion=False, rich_markup_mode=None)

DB_HELP = "数据库地址：默认在数据文件夹中使用 SQLite；PostgreSQL 形如 postgresql+psycopg://用户@主机/库名"
DATA_HELP = "数据文件夹（SQLite 数据库与上传的原件保存在这里）"


def _settings(db: Optional[str], data: Path, **kw):
    from pydantic import ValidationError

    from dudao.web import validation
    from dudao.web.settings import Settings
    try:
        return Settings(db_url=db, data_dir=data, **kw)
    except ValidationError as e:
        err.print(f"[bold red]错误：[/]参数不正确：{validation.describe(e.errors()[0])}")
        raise typer.Exit(2)


def _database(settings):
    from dudao.web.db import Database
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return Database(settings.database_url)


@db_app.command("upgrade", help="把数据库结构升级到最新版本（首次使用时建表）。\n\n示例：dudao db upgrade")
def db_upgrade(db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
               data: Path = typer.Option(Path("dudao-data"), "--data", help=DATA_HELP)):
    from dudao.web import migrate
    database = _database(_settings(db, data))
    migrate.upgrade(database.engine)
    out.print(f"数据库已是最新版本（{migrate.current(database.engine)}）：{database.url}")


@user_app.command("add", help="创建用户；密码从标准输入读取（不要写在命令行上）。\n\n"
                              "示例：dudao user add 张三 --role reviewer --region 620500")
def user_add(name: str = typer.Argument(..., metavar="用户名"),
             role: str = typer.Option(..., "--role", help="角色：admin（管理员）、reviewer（评审员）、submitter（报送单位）"),
             region: str = typer.Option(..., "--region", help="所属地区的六位行政区划代码，如 620523"),
             db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
             data: Path = typer.Option(Path("dudao-data"), "--data", help=DATA_HELP)):
    from dudao.web import migrate, services
    database = _database(_settings(db, data))
    migrate.upgrade(database.engine)
    if sys.stdin.isatty():
        password = getpass.getpass("密码：")
        if getpass.getpass("再输入一次：") != password:
            err.print("[bold red]错误：[/]两次输入的密码不一致")
            raise typer.Exit(2)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        with database.session() as s:
            user = services.create_user(s, None, name, password, role, region)
    except services.PlatformError as e:
        err.print(f"[bold red]错误：[/]{e.message}")
        raise typer.Exit(2)
    out.print(f"已创建用户 {user.username}（{role}，地区 {region}）")


def serve(db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
          data: Path = typer.Option(Path("dudao-data"), "--data", help=DATA_HELP),
          host: str = typer.Option("127.0.0.1", "--host", help="监听地址（默认只允许本机访问）"),
          port: int = typer.Option(8000, "--port", help="端口"),
          workers: int = typer.Option(1, "--workers", min=0, max=16, help="后台分析进程数（0：本服务不做分析，由 dudao worker 处理）"),
          demo: bool = typer.Option(False, "--demo", help="载入内置示例（examples/）和演示账号后启动")):
    """启动评审平台（网页与 /api 接口）。

    示例：dudao serve；dudao serve --demo --data 演示数据/；dudao serve --db postgresql+psycopg://dudao@localhost/dudao
    """
    import uvicorn

    from dudao.web.app import create_app
    settings = _settings(db, data, workers=workers)
    app = create_app(settings)
    if demo:
        from dudao.web.demo import load_demo
        for line in load_demo(app.state.db, settings):
            out.print(line)
    out.print(f"评审平台已启动：http://{host}:{port}/ （按 Ctrl-C 停止）")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def worker(db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
           data: Path = typer.Option(Path("dudao-data"), "--data", help=DATA_HELP),
           workers: int = typer.Option(1, "--workers", min=1, max=16, help="分析进程数")):
    """只处理分析队列、不提供网页：与 `dudao serve --workers 0` 配合，把分析放到别的进程或机器上
    （需要同一个数据库和同一个数据文件夹）。PostgreSQL 上由 procrastinate 分发任务，多台机器可各运行一个。
    按 Ctrl-C 停止：不再领取新任务，10 秒内未完成的分析放回队列。

    示例：dudao worker --db postgresql+psycopg://dudao@db-host/dudao --data /mnt/dudao-data --workers 2
    """
    import signal
    import threading

    from dudao.web import migrate, queues
    settings = _settings(db, data, workers=workers)
    database = _database(settings)
    if migrate.current(database.engine) is None:
        err.print("[bold red]错误：[/]数据库还没有建表，请先运行 dudao db upgrade 或 dudao serve")
        raise typer.Exit(2)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    pool = queues.make_queue(database, settings)   # procrastinate's worker on PostgreSQL
    pool.start()
    out.print(f"分析进程已启动（{workers} 个），正在处理队列：{database.engine.url}")
    while not stop.wait(1.0):
        pass
    pool.shutdown()
