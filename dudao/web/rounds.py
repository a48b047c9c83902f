"""A round seen as a whole by its office: key indicators per region against the standards, copy
detection across the round's reports, and the round's review pack as one zip."""
from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from fastapi import HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session

from dudao.web import access, regions
from dudao.web.errors import PlatformError
from dudao.web.models import Round, Submission
from dudao.web.views import main_report


def visible_round(db: Session, user, rid: int) -> Round:
    """The round if it covers a region `user` may see; 404 otherwise."""
    rnd = db.get(Round, rid)
    if rnd is None or not any(access.can_see_region(user, c) for c in rnd.regions):
        raise HTTPException(404, "找不到该评价轮次")
    return rnd


def analysed(db: Session, user, rnd: Round) -> list[Submission]:
    """The newest analysed submission of each covered region `user` may see, by region code."""
    latest: dict[str, Submission] = {}
    for sub in db.scalars(select(Submission).where(Submission.round_id == rnd.id, Submission.status == "analysed")
                          .order_by(Submission.id)):
        if sub.region_adcode in rnd.regions and access.can_see_region(user, sub.region_adcode):
            latest[sub.region_adcode] = sub
    return [latest[c] for c in sorted(latest)]


def _entries(subs: list[Submission]):
    """Review-pack entries of each submission's main report (keyed by the report's id)."""
    from dudao.review.pack import make_entries, records_of
    reports = []
    for sub in subs:
        main = main_report(sub)
        if main is not None:
            reports.append(dict(main[1], id=f"s{sub.id}", source=f"{regions.name(sub.region_adcode)}（报送编号 {sub.id}）"))
    return make_entries(records_of(reports))


def comparison(db: Session, user, rnd: Round) -> dict:
    """Indicators per region held to the standards (the review pack's matrix, judged by
    dudao.semantics), and the pairs of reports sharing passages (dudao.review.copydetect)."""
    from dudao.review.model import indicator_matrix
    from dudao.review.pack import detect_copies
    subs = analysed(db, user, rnd)
    entries = _entries(subs)
    by_entry = {e.id: sub for e, sub in zip(entries, [s for s in subs if main_report(s) is not None])}
    matrix = indicator_matrix(entries)
    rows = []
    for row in matrix["rows"]:
        e = row["entry"]
        cells = {}
        for col in matrix["columns"]:
            c = row["cells"].get(col["key"])
            if c:
                cells[col["label"]] = {"value": c["value"], "unit": c["unit"], "ok": c["ok"],
                                       "quote": (c["ind"] or {}).get("quote")}
        sub = by_entry[e.id]
        rows.append({"submission": sub.id, "region": regions.name(sub.region_adcode), "adcode": sub.region_adcode,
                     "cells": cells, "below": sum(1 for c in cells.values() if c["ok"] is False)})
    copies = detect_copies(entries, []) if len(entries) >= 2 else {"pairs": []}
    names = {e.id: regions.name(by_entry[e.id].region_adcode) for e in entries}
    pairs = [{"a": names.get(p["a"], p["a"]), "b": names.get(p["b"], p["b"]),
              "a_submission": by_entry[p["a"]].id, "b_submission": by_entry[p["b"]].id,
              "shared_chars": p["shared_chars"], "a_ratio": p["a_ratio"], "b_ratio": p["b_ratio"],
              "example": next((x["a_text"] for x in p["passages"] if not x["boilerplate"]), "")[:120]}
             for p in copies.get("pairs") or [] if p["a"] in by_entry and p["b"] in by_entry]
    columns = [{"label": c["label"], "unit": c["unit"], "standard": c["standard"], "source": c["source"],
                "count": c["count"]} for c in matrix["columns"]]
    return {"round": {"id": rnd.id, "year": rnd.year, "name": rnd.name},
            "regions": len([c for c in rnd.regions if access.can_see_region(user, c)]),
            "analysed": len(subs), "columns": columns, "rows": rows, "copies": pairs}


def pack_zip(db: Session, user, rnd: Round) -> bytes:
    """The round's review pack (dudao.review.api.build_review_pack over the stored analyses),
    built in a temporary folder that is removed afterwards, returned as zip bytes."""
    from dudao.review.api import build_review_pack
    subs = analysed(db, user, rnd)
    if not subs:
        raise PlatformError("本轮次还没有分析完成的报告，无法生成评审包", 409)
    results = [dict(sub.result, source=f"{regions.name(sub.region_adcode)}-{sub.id}") for sub in subs]
    with tempfile.TemporaryDirectory(prefix="dudao-pack-") as tmp:
        out = Path(tmp) / "评审包"
        build_review_pack(results, out)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(out.rglob("*")):
                if path.is_file():
                    zf.write(path, path.relative_to(out).as_posix())
    return buf.getvalue()
