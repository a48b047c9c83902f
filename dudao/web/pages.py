"""Server-rendered pages in Chinese (Jinja2 templates in dudao/web/templates)."""
from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from sqlalchemy import select
from sqlalchemy.orm import Session

from dudao.web import access, audit, letters, regions, scoring, security, services, views
from dudao.web.errors import PlatformError
from dudao.web.api import login, logout, set_session_cookie
from dudao.web.deps import COOKIE, DB, LOGIN_COOKIE, address, allow, visible_submission
from dudao.web.models import ROLE_NAMES, ROLES, STATUS_NAMES, Round, Submission, User, utcnow

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
def beijing(value) -> str:
    """A stored UTC time as users read it: Beijing time (UTC+8), to the minute."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.rstrip("Z"))
    return (value + dt.timedelta(hours=8)).strftime("%Y-%m-%d %H:%M") if value else "—"


def beijing_date(value: dt.datetime) -> dt.date:
    return (value + dt.timedelta(hours=8)).date()


templates.env.filters["beijing"] = beijing
templates.env.globals.update(describe=audit.describe, OBJECT_NAMES=audit.OBJECT_NAMES, region_name=regions.name, ROLE_NAMES=ROLE_NAMES, STATUS_NAMES=STATUS_NAMES,
                             DOC_TYPE_NAMES=views.DOC_TYPE_NAMES, SEVERITY_NAMES=views.SEVERITY_NAMES,
                             DECISION_NAMES=views.DECISION_LABELS, ACTION_NAMES=audit.ACTION_NAMES)


def render(request: Request, name: str, status: int = 200, **ctx) -> Response:
    ctx.setdefault("user", getattr(request.state, "user", None))
    ctx.setdefault("csrf", getattr(request.state, "csrf", None))
    return templates.TemplateResponse(request, name, ctx, status_code=status)


def back(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/health", **allow(access.PUBLIC))
def health(request: Request, db: Session = DB):
    return {"ok": True}


@router.get("/login", **allow(access.PUBLIC))
def login_page(request: Request, db: Session = DB):
    token = secrets.token_urlsafe(24)
    resp = render(request, "login.html", login_csrf=token, error=None,
                  notice="您已退出登录。" if request.query_params.get("out") else None)
    resp.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", max_age=3600, path="/login")
    return resp


@router.post("/login", **allow(access.PUBLIC))
def login_submit(request: Request, username: str = Form(""), password: str = Form(""),
                 login_csrf: str = Form(""), db: Session = DB):
    # Double-submit token: a form posted from another site cannot sign a user in (login CSRF).
    if not security.csrf_ok(request.cookies.get(LOGIN_COOKIE), login_csrf):
        raise HTTPException(403, "登录页面已过期，请刷新后重试")
    try:
        _, token, _ = login(db, request, username.strip(), password)
    except PlatformError as e:
        return render(request, "login.html", status=e.status, login_csrf=login_csrf, error=e.message,
                      notice=None)
    resp = back("/")
    set_session_cookie(request, resp, token)
    resp.delete_cookie(LOGIN_COOKIE, path="/login")
    return resp


@router.post("/logout", **allow(access.USER))
def logout_page(request: Request, db: Session = DB):
    logout(db, request)
    resp = back("/login?out=1")
    resp.delete_cookie(COOKIE, path="/")
    return resp


def _round_rows(db: Session, user: User, rnd: Round) -> list[dict]:
    """One row per covered region the user may see: submitted or not, late or not, review state."""
    today = beijing_date(utcnow())   # deadlines are Beijing dates
    rows = []
    for code in rnd.regions:
        if not access.can_see_region(user, code):
            continue
        subs = list(db.scalars(select(Submission).where(Submission.round_id == rnd.id,
                                                        Submission.region_adcode == code)
                               .order_by(Submission.id.desc())))
        latest = subs[0] if subs else None
        rows.append({"adcode": code, "name": regions.name(code), "submission": latest,
                     "late": latest is None and today > rnd.deadline,
                     "late_submitted": bool(latest) and beijing_date(latest.created_at) > rnd.deadline})
    return rows


@router.get("/", **allow(access.USER))
def dashboard(request: Request, db: Session = DB):
    user = request.state.user
    rounds = [r for r in db.scalars(select(Round).order_by(Round.year.desc(), Round.id.desc()))
              if any(access.can_see_region(user, c) for c in r.regions)]
    table = [(r, _round_rows(db, user, r)) for r in rounds]
    recent = list(db.scalars(access.visible_submissions(user).limit(10)))
    return render(request, "dashboard.html", rounds=table, recent=recent, today=beijing_date(utcnow()),
                  summary=views.summary)


@router.get("/submissions", **allow(access.USER))
def submissions_page(request: Request, db: Session = DB):
    user = request.state.user
    subs = [views.summary(s) for s in db.scalars(access.visible_submissions(user))]
    rounds = [r for r in db.scalars(select(Round).order_by(Round.id.desc())) if user.region_adcode in r.regions]
    return render(request, "submissions.html", submissions=subs, rounds=rounds, error=None)


@router.post("/submissions", **allow(access.SUBMITTER))
def upload(request: Request, file: UploadFile = File(...), round_id: str = Form(""),
           db: Session = DB):
    user = request.state.user
    data = file.file.read(request.app.state.settings.max_upload_mb * 2**20 + 1)
    try:
        sub = services.submit(db, request.app.state.settings, user, file.filename or "", data,
                              int(round_id) if round_id.strip() else None, address(request))
    except PlatformError as e:
        db.rollback()
        subs = [views.summary(s) for s in db.scalars(access.visible_submissions(user))]
        rounds = [r for r in db.scalars(select(Round)) if user.region_adcode in r.regions]
        return render(request, "submissions.html", status=e.status, submissions=subs, rounds=rounds,
                      error=e.message)
    return back(f"/submissions/{sub.id}")


@router.get("/submissions/{sid}", **allow(access.USER))
def submission_page(sid: int, request: Request, report: int = 0, db: Session = DB):
    user = request.state.user
    sub = visible_submission(db, user, sid)
    reports = (sub.result or {}).get("reports", [])
    main = views.main_report(sub)
    index = report if 0 <= report < len(reports) else (main[0] if main else 0)
    rep = reports[index] if reports else None
    items = [f for f in views.findings(db, sub) if f["report"] == index]
    return render(request, "submission.html", sub=sub, info=views.summary(sub), reports=reports,
                  index=index, rep=rep, findings=items,
                  segments=views.segments(rep["text"], items) if rep else [],
                  can_review=user.role == "reviewer")


@router.post("/submissions/{sid}/decisions", **allow(access.REVIEWER))
def decide_page(sid: int, request: Request, key: str = Form(...), decision: str = Form(...),
                message: str = Form(""), note: str = Form(""),
                db: Session = DB):
    user = request.state.user
    sub = visible_submission(db, user, sid)
    services.decide(db, user, sub, key, decision, message, note)
    return back(f"/submissions/{sid}?report={key.split(':', 1)[0]}#f-{key}")


@router.post("/submissions/{sid}/findings", **allow(access.REVIEWER))
def add_finding_page(sid: int, request: Request, report: int = Form(...), start: int = Form(...),
                     end: int = Form(...), message: str = Form(""), severity: str = Form("warning"),
                     db: Session = DB):
    user = request.state.user
    sub = visible_submission(db, user, sid)
    services.add_finding(db, user, sub, report, start, end, message, severity)
    return back(f"/submissions/{sid}?report={report}")


@router.get("/submissions/{sid}/download", **allow(access.USER))
def download(sid: int, request: Request, db: Session = DB):
    user = request.state.user
    sub = visible_submission(db, user, sid)
    path = services.upload_path(request.app.state.settings, sub)
    # RFC 6266/5987: an ASCII fallback plus the UTF-8 name, so no header injection or mangling.
    disp = f"attachment; filename=\"submission-{sub.id}\"; filename*=UTF-8''{quote(sub.filename)}"
    return FileResponse(path, media_type="application/octet-stream", headers={"Content-Disposition": disp})


# --- administration ----------------------------------------------------------------------------

@router.get("/admin/users", **allow(access.ADMIN))
def users_page(request: Request, db: Session = DB):
    users = list(db.scalars(select(User).order_by(User.id)))
    return render(request, "users.html", users=users, roles=ROLES, error=None)


@router.post("/admin/users", **allow(access.ADMIN))
def add_user_page(request: Request, username: str = Form(""), password: str = Form(""),
                  role: str = Form(""), region: str = Form(""),
                  db: Session = DB):
    actor = request.state.user
    try:
        services.create_user(db, actor, username, password, role, region.strip())
    except PlatformError as e:
        db.rollback()
        users = list(db.scalars(select(User).order_by(User.id)))
        return render(request, "users.html", status=e.status, users=users, roles=ROLES, error=e.message)
    return back("/admin/users")


@router.get("/admin/rounds", **allow(access.ADMIN))
def rounds_page(request: Request, db: Session = DB):
    rounds = list(db.scalars(select(Round).order_by(Round.id.desc())))
    return render(request, "rounds.html", rounds=rounds, error=None,
                  frameworks=scoring.framework_choices(request.app.state.settings))


@router.post("/admin/rounds", **allow(access.ADMIN))
def add_round_page(request: Request, year: int = Form(...), name: str = Form(""), deadline: str = Form(""),
                   regions_text: str = Form(""), framework: str = Form(""),
                   db: Session = DB):
    actor = request.state.user
    try:
        try:
            day = dt.date.fromisoformat(deadline.strip())
        except ValueError:
            raise PlatformError("截止日期格式应为 2026-03-31") from None
        codes = [c for c in regions_text.replace("，", ",").replace("、", ",").replace(" ", ",").split(",") if c]
        services.create_round(db, actor, year, name, day, codes, framework.strip() or None,
                              request.app.state.settings)
    except PlatformError as e:
        db.rollback()
        rounds = list(db.scalars(select(Round).order_by(Round.id.desc())))
        return render(request, "rounds.html", status=e.status, rounds=rounds, error=e.message,
                      frameworks=scoring.framework_choices(request.app.state.settings))
    return back("/admin/rounds")


@router.get("/admin/audit", **allow(access.ADMIN))
def audit_page(request: Request, db: Session = DB):
    return render(request, "audit.html", events=audit.events(db))


@router.get("/admin/audit.csv", **allow(access.ADMIN))
def audit_csv(request: Request, db: Session = DB):
    name = f"audit-{utcnow():%Y%m%d-%H%M%S}.csv"
    return Response(audit.to_csv(audit.events(db, limit=1_000_000)), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# --- scores ------------------------------------------------------------------------------------

async def _score_form(request: Request) -> tuple[dict[str, dict], list[str]]:
    """Point id → {"score", "not_applicable", "reason"} from fields score-ID, na-ID, reason-ID."""
    form = await request.form()
    values: dict[str, dict] = {}
    for key, raw in form.multi_items():
        kind, _, pid = key.partition("-")
        if not pid or kind not in ("score", "na", "reason"):
            continue
        v = values.setdefault(pid, {"score": None, "not_applicable": False, "reason": None})
        text = str(raw).strip()
        if kind == "score" and text:
            try:
                v["score"] = float(text)
            except ValueError:
                raise PlatformError(f"观测点 {pid} 的得分不是数字：{text}") from None
        elif kind == "na":
            v["not_applicable"] = text in ("1", "on", "true")
        elif kind == "reason":
            v["reason"] = text
    return values, [str(g) for g in form.getlist("gate")]


@router.get("/submissions/{sid}/scores", **allow(access.USER))
def scores_page(sid: int, request: Request, db: Session = DB):
    user = request.state.user
    sub = visible_submission(db, user, sid)
    settings = request.app.state.settings
    fw = scoring.framework_of(settings, sub)
    result = scoring.result(db, settings, sub)
    return render(request, "scores.html", sub=sub, fw=fw, result=result,
                  rows={p["id"]: p for p in result["points"]}, bonus={b["id"]: b for b in result["bonus_items"]},
                  gates_on={g["id"] for g in result["gates"]}, depth_nodes=list(fw.walk()),
                  can_self=user.role == "submitter", can_verify=user.role == "reviewer")


def _enter_scores(db, request, sid, kind, values, gates=None):
    sub = visible_submission(db, request.state.user, sid)
    scoring.enter(db, request.app.state.settings, request.state.user, sub, kind, values, gates)


# These read a form with field names of the framework's points (so they are async); the database
# work runs in the thread pool, never on the event loop.
@router.post("/submissions/{sid}/self-scores", **allow(access.SUBMITTER))
async def self_scores(sid: int, request: Request, db: Session = DB):
    values, _ = await _score_form(request)
    await run_in_threadpool(_enter_scores, db, request, sid, "self", values)
    return back(f"/submissions/{sid}/scores")


@router.post("/submissions/{sid}/verified-scores", **allow(access.REVIEWER))
async def verified_scores(sid: int, request: Request, db: Session = DB):
    values, gates = await _score_form(request)
    await run_in_threadpool(_enter_scores, db, request, sid, "verified", values, gates)
    return back(f"/submissions/{sid}/scores")


# --- feedback letters ---------------------------------------------------------------------------

@router.get("/submissions/{sid}/letter", **allow(access.USER))
def letter_page(sid: int, request: Request, db: Session = DB):
    user = request.state.user
    sub = visible_submission(db, user, sid)
    letter = letters.letter_of(db, sub)
    if user.role == "submitter":
        letter = letters.visible_letter(db, user, sub)
    return render(request, "letter.html", sub=sub, letter=letter, can_review=user.role == "reviewer",
                  FIELD_NAMES=letters.FIELD_NAMES, LIST_FIELDS=letters.LIST_FIELDS,
                  TEXT_FIELDS=letters.TEXT_FIELDS, STATE_NAMES=views.LETTER_STATE_NAMES)


@router.post("/submissions/{sid}/letter", **allow(access.REVIEWER))
def letter_generate(sid: int, request: Request, db: Session = DB):
    sub = visible_submission(db, request.state.user, sid)
    letters.generate(db, request.state.user, sub)
    return back(f"/submissions/{sid}/letter")


@router.post("/submissions/{sid}/letter/edit", **allow(access.REVIEWER))
async def letter_edit(sid: int, request: Request, db: Session = DB):
    form = await request.form()
    given = {k: str(form[k]) for k in (*letters.TEXT_FIELDS, *letters.LIST_FIELDS) if k in form}

    def save():
        letters.edit(db, request.state.user, visible_submission(db, request.state.user, sid), given)
    await run_in_threadpool(save)
    return back(f"/submissions/{sid}/letter")


@router.post("/submissions/{sid}/letter/{action}", **allow(access.REVIEWER))
def letter_action(sid: int, action: str, request: Request, deadline: str = Form(""), db: Session = DB):
    sub = visible_submission(db, request.state.user, sid)
    try:
        day = dt.date.fromisoformat(deadline.strip()) if deadline.strip() else None
    except ValueError:
        raise PlatformError("整改期限的格式应为 2026-03-31") from None
    letters.transition(db, request.state.user, sub, action, day)
    return back(f"/submissions/{sid}/ledger" if action == "publish" else f"/submissions/{sid}/letter")


@router.get("/submissions/{sid}/letter.docx", **allow(access.USER))
def letter_docx(sid: int, request: Request, db: Session = DB):
    user = request.state.user
    sub = visible_submission(db, user, sid)
    letter = letters.visible_letter(db, user, sub)
    name = f"{regions.name(sub.region_adcode)}反馈意见.docx"
    disp = f"attachment; filename=\"letter-{sub.id}.docx\"; filename*=UTF-8''{quote(name)}"
    return Response(letters.docx_bytes(letter),
                    media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    headers={"Content-Disposition": disp})
