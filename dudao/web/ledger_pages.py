"""Pages of the rectification ledger (整改台账) and of a round's comparison (评审对比)."""
from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from dudao.rectify.ledger import ACTION_LABELS, STATES
from dudao.web import access, ledger, rounds
from dudao.web.deps import DB, allow, visible_submission
from dudao.web.models import LedgerItem, Submission
from dudao.web.pages import back, render

router = APIRouter(include_in_schema=False)


@router.get("/ledger", **allow(access.USER))
def ledger_list(request: Request, db: Session = DB):
    user = request.state.user
    subs = list(db.scalars(access.visible_submissions(user).where(
        Submission.id.in_(select(LedgerItem.submission_id)))))
    return render(request, "ledger_list.html", rows=ledger.overview(db, subs), STATES=STATES)


@router.get("/submissions/{sid}/ledger", **allow(access.USER))
def ledger_page(sid: int, request: Request, db: Session = DB):
    user = request.state.user
    sub = visible_submission(db, user, sid)
    items = ledger.ledger_of(db, sub)
    later, props = ledger.proposals(db, sub) if user.role == "reviewer" and items else (None, {})
    return render(request, "ledger.html", sub=sub, items=items, later=later, proposals=props,
                  ACTIONS=ACTION_LABELS, STATUS_LABELS=ledger.STATUS_LABELS,
                  county=user.role == "submitter", reviewer=user.role == "reviewer")


@router.post("/submissions/{sid}/ledger/{item}/county", **allow(access.SUBMITTER))
def ledger_county(sid: int, item: int, request: Request, action: str = Form(""), evidence: str = Form(""),
                  file: UploadFile | None = File(None), db: Session = DB):
    # A plain def: FastAPI runs it in the thread pool, so the database work stays off the event loop.
    user = request.state.user
    sub = visible_submission(db, user, sid)
    upload = None
    if file is not None and file.filename:
        upload = (file.filename, file.file.read(ledger.MAX_EVIDENCE_MB * 2**20 + 1))
    ledger.act(db, request.app.state.settings, user, sub, item, action, ledger.COUNTY_ACTIONS,
               evidence=evidence, file=upload)
    return back(f"/submissions/{sid}/ledger#item-{item}")


@router.post("/submissions/{sid}/ledger/{item}/review", **allow(access.REVIEWER))
def ledger_review(sid: int, item: int, request: Request, action: str = Form(""), reason: str = Form(""),
                  db: Session = DB):
    user = request.state.user
    sub = visible_submission(db, user, sid)
    ledger.act(db, request.app.state.settings, user, sub, item, action, ledger.REVIEW_ACTIONS, reason=reason)
    return back(f"/submissions/{sid}/ledger#item-{item}")


@router.post("/submissions/{sid}/ledger/{item}/judge", **allow(access.REVIEWER))
def ledger_judge(sid: int, item: int, request: Request, later: int = Form(0), status: str = Form(""),
                 note: str = Form(""), db: Session = DB):
    user = request.state.user
    sub = visible_submission(db, user, sid)
    ledger.judge(db, user, sub, item, later, status, note)
    return back(f"/submissions/{sid}/ledger#item-{item}")


@router.get("/submissions/{sid}/ledger/{item}/files/{seq}", **allow(access.USER))
def ledger_file(sid: int, item: int, seq: int, request: Request, db: Session = DB):
    sub = visible_submission(db, request.state.user, sid)
    path, name = ledger.evidence_file(db, request.app.state.settings, sub, item, seq)
    disp = f"attachment; filename=\"evidence-{item}-{seq}\"; filename*=UTF-8''{quote(name)}"
    return FileResponse(path, media_type="application/octet-stream", headers={"Content-Disposition": disp})


# --- a round as a whole ------------------------------------------------------------------------

@router.get("/rounds/{rid}/compare", **allow(access.OFFICE))
def round_compare(rid: int, request: Request, db: Session = DB):
    rnd = rounds.visible_round(db, request.state.user, rid)
    return render(request, "compare.html", rnd=rnd, data=rounds.comparison(db, request.state.user, rnd))


@router.get("/rounds/{rid}/pack.zip", **allow(access.OFFICE))
def round_pack(rid: int, request: Request, db: Session = DB):
    rnd = rounds.visible_round(db, request.state.user, rid)
    data = rounds.pack_zip(db, request.state.user, rnd)
    name = f"{rnd.year}年{rnd.name}评审包.zip"
    # RFC 6266/5987: an ASCII fallback plus the UTF-8 name (no path, quote or control character).
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '\\/<>:"|?*')
    disp = f"attachment; filename=\"round-{rnd.id}-pack.zip\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type="application/zip", headers={"Content-Disposition": disp})
