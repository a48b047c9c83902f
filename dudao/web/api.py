"""The JSON API under /api (for other systems and the tests)."""
from __future__ import annotations

from fastapi import APIRouter, File, Request, Response, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from dudao.web import access, audit, ledger, letters, rounds, scoring, security, services, views
from dudao.web.errors import PlatformError
from dudao.web.deps import COOKIE, DB, address, allow, visible_submission
from dudao.web.models import User

router = APIRouter(prefix="/api", tags=["api"])


class LoginIn(BaseModel):
    username: str
    password: str


class PointIn(BaseModel):
    score: float | None = None
    not_applicable: bool = False
    reason: str | None = None


class ScoresIn(BaseModel):
    points: dict[str, PointIn] = {}
    gates: list[str] | None = None   # None: leave the gates as they are


class LedgerActionIn(BaseModel):
    action: str
    evidence: str = ""
    reason: str = ""


class DecisionIn(BaseModel):
    key: str
    decision: str
    message: str | None = None
    note: str | None = None


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    settings = request.app.state.settings
    response.set_cookie(COOKIE, token, httponly=True, samesite="lax", secure=settings.secure_cookies,
                        max_age=int(settings.session_hours * 3600), path="/")


def login(db: Session, request: Request, username: str, password: str) -> tuple[User, str, str]:
    """Check the password (rate-limited); return the user, session token and CSRF token."""
    settings = request.app.state.settings
    addr = address(request)
    if security.login_blocked(db, username, addr, settings.login_max_failures, settings.login_window_minutes):
        audit.record(db, None, "login_failed", "user", None, address=addr, username=username, blocked=True)
        db.commit()   # the refusal is recorded even though the request fails
        raise PlatformError(
            f"登录失败次数过多，请 {settings.login_window_minutes} 分钟后再试", 429)
    user = db.scalar(select(User).where(User.username == username))
    if not security.check_password(user, password) or not user.active:
        security.record_failure(db, username, addr)
        audit.record(db, None, "login_failed", "user", None, address=addr, username=username)
        db.commit()   # the failure counts towards the limit even though the request fails
        raise PlatformError("用户名或密码不正确", 401)
    security.clear_failures(db, username, addr)
    token, sess = security.new_session(db, user, settings.session_hours)
    audit.record(db, user, "login", "user", user.id, address=addr)
    return user, token, sess.csrf_token


@router.post("/login", **allow(access.PUBLIC))
def api_login(body: LoginIn, request: Request, db: Session = DB):
    user, token, csrf = login(db, request, body.username, body.password)
    resp = JSONResponse({"csrf_token": csrf, "username": user.username, "role": user.role,
                         "region": user.region_adcode})
    set_session_cookie(request, resp, token)
    return resp


def logout(db: Session, request: Request) -> None:
    """End the caller's session (audited); the caller then clears the cookie."""
    user = request.state.user
    security.end_session(db, request.cookies.get(COOKIE))
    audit.record(db, user, "logout", "user", user.id, address=address(request))


@router.post("/logout", **allow(access.USER))
def api_logout(request: Request, db: Session = DB):
    logout(db, request)
    resp = JSONResponse({"ok": True})
    resp.delete_cookie(COOKIE, path="/")
    return resp


@router.get("/submissions", **allow(access.USER))
def api_submissions(request: Request, db: Session = DB):
    user = request.state.user
    return {"submissions": [views.summary(s) for s in db.scalars(access.visible_submissions(user))]}


@router.post("/submissions", status_code=201, **allow(access.SUBMITTER))
def api_submit(request: Request, file: UploadFile = File(...), round_id: int | None = None,
               db: Session = DB):
    user = request.state.user
    data = file.file.read(request.app.state.settings.max_upload_mb * 2**20 + 1)
    sub = services.submit(db, request.app.state.settings, user, file.filename or "", data, round_id,
                          address(request))
    return {"id": sub.id, "status": sub.status}


@router.get("/submissions/{sid}", **allow(access.USER))
def api_submission(sid: int, request: Request, db: Session = DB):
    user = request.state.user
    return views.detail(db, visible_submission(db, user, sid))


@router.post("/submissions/{sid}/decisions", **allow(access.REVIEWER))
def api_decide(sid: int, body: DecisionIn, request: Request, db: Session = DB):
    user = request.state.user
    sub = visible_submission(db, user, sid)
    row = services.decide(db, user, sub, body.key, body.decision, body.message, body.note)
    return {"key": row.finding_key, "decision": row.decision}


@router.get("/submissions/{sid}/scores", **allow(access.USER))
def api_scores(sid: int, request: Request, db: Session = DB):
    sub = visible_submission(db, request.state.user, sid)
    return scoring.result(db, request.app.state.settings, sub)


@router.post("/submissions/{sid}/verified-scores", **allow(access.REVIEWER))
def api_verified_scores(sid: int, body: ScoresIn, request: Request, db: Session = DB):
    user = request.state.user
    sub = visible_submission(db, user, sid)
    values = {pid: p.model_dump() for pid, p in body.points.items()}
    changes = scoring.enter(db, request.app.state.settings, user, sub, "verified", values, body.gates)
    return {"changes": changes, "result": scoring.result(db, request.app.state.settings, sub)}


@router.get("/submissions/{sid}/letter", **allow(access.USER))
def api_letter(sid: int, request: Request, db: Session = DB):
    user = request.state.user
    letter = letters.visible_letter(db, user, visible_submission(db, user, sid))
    return {"status": letter.status, "version": letter.version, "content": letter.content,
            "published_at": letter.published_at.isoformat(timespec="seconds") + "Z" if letter.published_at else None}


@router.get("/submissions/{sid}/ledger", **allow(access.USER))
def api_ledger(sid: int, request: Request, db: Session = DB):
    sub = visible_submission(db, request.state.user, sid)
    return {"items": ledger.ledger_of(db, sub)}


def _ledger_act(sid: int, item: int, body: LedgerActionIn, request: Request, db: Session, roles) -> dict:
    user = request.state.user
    sub = visible_submission(db, user, sid)
    ledger.act(db, request.app.state.settings, user, sub, item, body.action, roles, reason=body.reason,
               evidence=body.evidence)
    return next(it for it in ledger.ledger_of(db, sub) if it["id"] == item)


@router.post("/submissions/{sid}/ledger/{item}/county", **allow(access.SUBMITTER))
def api_ledger_county(sid: int, item: int, body: LedgerActionIn, request: Request, db: Session = DB):
    return _ledger_act(sid, item, body, request, db, ledger.COUNTY_ACTIONS)


@router.post("/submissions/{sid}/ledger/{item}/review", **allow(access.REVIEWER))
def api_ledger_review(sid: int, item: int, body: LedgerActionIn, request: Request, db: Session = DB):
    return _ledger_act(sid, item, body, request, db, ledger.REVIEW_ACTIONS)


@router.get("/rounds/{rid}/comparison", **allow(access.OFFICE))
def api_round_comparison(rid: int, request: Request, db: Session = DB):
    user = request.state.user
    return rounds.comparison(db, user, rounds.visible_round(db, user, rid))


@router.get("/audit", **allow(access.ADMIN))
def api_audit(request: Request, db: Session = DB):
    return {"events": [audit.as_dict(e) for e in audit.events(db)]}
