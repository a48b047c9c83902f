"""Request plumbing shared by pages and API: database session, current user, guards."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from dudao.web import access, security
from dudao.web.models import Submission, User

COOKIE = "dudao_session"
LOGIN_COOKIE = "dudao_login_csrf"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@dataclass(frozen=True)
class Actor:
    """The signed-in user as a request sees it: plain values that outlive the database session
    (error pages are rendered after a failed transaction has been rolled back)."""

    id: int
    username: str
    role: str
    region_adcode: str

    @classmethod
    def of(cls, user: User) -> "Actor":
        return cls(user.id, user.username, user.role, user.region_adcode)


class NeedLogin(Exception):
    """A page asked for by someone not signed in: redirect to the login page."""


def get_db(request: Request) -> Iterator[Session]:
    """The request's session, committed when the endpoint returns. Routes ask for it with
    `scope="function"` so that the commit happens before the response is sent: a client that
    follows a redirect at once must see what the request wrote (and a failed commit is an error
    response, not a success)."""
    with request.app.state.db.session() as s:
        yield s


# The request's database session. `scope="function"` commits before the response is sent, so a
# redirect that follows a change (sign-in → dashboard) sees it.
DB = Depends(get_db, scope="function")


def address(request: Request) -> str:
    return request.client.host if request.client else "-"


def session_of(request: Request, db: Session):
    return security.find_session(db, request.cookies.get(COOKIE))


def guard(request: Request, db: Session, policy: str, csrf: str | None = None) -> Actor | None:
    """Check the route's policy: 401 (or login redirect), then CSRF 403, then role 403."""
    sess = session_of(request, db)
    user = sess.user if sess else None
    if policy != access.PUBLIC and user is None:
        if request.url.path.startswith("/api/"):
            raise HTTPException(401, "请先登录")
        raise NeedLogin()
    if request.method not in SAFE_METHODS and policy != access.PUBLIC:
        given = request.headers.get("X-CSRF-Token") or csrf
        if not security.csrf_ok(sess.csrf_token, given):
            raise HTTPException(403, "请求缺少有效的 CSRF 令牌，请刷新页面后重试")
    if not access.role_allowed(user, policy):
        raise HTTPException(403, "当前账号无权执行此操作")
    request.state.user = Actor.of(user) if user else None
    request.state.csrf = sess.csrf_token if sess else None
    return user


def visible_submission(db: Session, user: Actor, sid: int) -> Submission:
    """The submission if `user` may see it; 404 otherwise (its existence is not revealed)."""
    sub = db.get(Submission, sid)
    if sub is None or not access.can_see_region(user, sub.region_adcode):
        raise HTTPException(404, "找不到该报送材料")
    return sub


def allow(policy: str) -> dict:
    """Route keyword arguments: the access policy, declared once and enforced before the
    endpoint (and before its body is validated), and readable from the route table."""
    assert policy in access.POLICIES

    async def check(request: Request, db: Session = DB) -> None:
        csrf = None
        if request.method not in SAFE_METHODS and "X-CSRF-Token" not in request.headers:
            csrf = (await request.form()).get("csrf_token")
        # In the thread pool: a blocking database call on the event loop would stop the loop that
        # has to run other requests' commits, which is what frees the connection it waits for.
        await run_in_threadpool(guard, request, db, policy, csrf if isinstance(csrf, str) else None)

    return {"openapi_extra": {"x-access": policy}, "dependencies": [Depends(check)]}
