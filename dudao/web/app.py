"""The application factory: database, migrations, workers, routes, security headers."""
from __future__ import annotations

import contextlib
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from dudao import __version__
from dudao.web import api, ledger_pages, migrate, pages, queues, validation
from dudao.web.db import Database
from dudao.web.deps import NeedLogin
from dudao.web.errors import PlatformError
from dudao.web.settings import Settings

# No inline script or style anywhere; nothing from other origins; never framed.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def create_app(settings: Settings | None = None, *, upgrade: bool = True) -> FastAPI:
    """Build the platform. `upgrade` applies pending migrations first (the default for SQLite
    installs; an office on PostgreSQL may prefer `dudao db upgrade` as a separate step)."""
    settings = settings or Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.database_url)
    if upgrade:
        migrate.upgrade(db.engine)
    workers = queues.make_queue(db, settings)   # procrastinate on PostgreSQL, threads on SQLite

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        workers.start()
        yield
        await run_in_threadpool(workers.shutdown)

    app = FastAPI(title="督导（dudao）评审平台", version=__version__, lifespan=lifespan,
                  openapi_url="/api/openapi.json", docs_url=None, redoc_url=None)
    app.state.settings, app.state.db, app.state.workers = settings, db, workers

    body_limit = settings.max_upload_mb * 2**20 + 2**20   # the upload plus its form fields

    @app.middleware("http")
    async def headers(request: Request, call_next):
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > body_limit:
            response = error_page(request, 413, f"文件超过 {settings.max_upload_mb} MB 上限")
        else:
            response = await call_next(request)
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        return response

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    def error_page(request: Request, status: int, message: str):
        if wants_json(request):
            return JSONResponse({"detail": message}, status_code=status)
        return pages.render(request, "error.html", status=status, message=message)

    @app.exception_handler(NeedLogin)
    async def _login(request: Request, exc: NeedLogin):
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(PlatformError)
    async def _platform(request: Request, exc: PlatformError):
        return error_page(request, exc.status, exc.message)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else ""
        chinese = any("\u4e00" <= c <= "\u9fff" for c in detail)
        message = detail if chinese else {404: "找不到该页面", 405: "不支持该请求方式"}.get(
            exc.status_code, "请求无法完成")
        return error_page(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        return error_page(request, 422, validation.message(exc.errors()))

    app.state.routers = (api.router, pages.router, ledger_pages.router)   # every route with an access policy
    for router in app.state.routers:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(Path(__file__).with_name("static"))), name="static")
    return app
