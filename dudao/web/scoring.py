"""Scores in the platform: the county's self-scores and the office's verified scores per point,
computed by the scoring engine (dudao.framework) with N/A rescaling, bonus cap, gates and grade."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from dudao.errors import DudaoError
from dudao.framework.load import bundled, load_framework
from dudao.framework.model import Framework
from dudao.framework.score import Entry, RegionScores, score_region
from dudao.web import audit
from dudao.web.models import GateMark, PointScore, Submission
from dudao.web.errors import PlatformError
from dudao.web.settings import Settings

KINDS = ("self", "verified")


def framework_choices(settings: Settings) -> dict[str, Path]:
    """Frameworks a round may use: the bundled ones and YAML files an admin put in the data
    folder's `frameworks/` (never an arbitrary path on the server)."""
    out = dict(bundled())
    folder = settings.data_dir / "frameworks"
    if folder.is_dir():
        out.update({p.stem: p for p in sorted(folder.glob("*.yaml"))})
    return out


@lru_cache(maxsize=32)
def _load(path: str, mtime: float) -> Framework:
    return load_framework(path)


def framework(settings: Settings, name: str | None) -> Framework:
    choices = framework_choices(settings)
    if not name or name not in choices:
        raise PlatformError(f"未知的指标体系：{name}（可选：{'、'.join(choices)}）")
    path = choices[name]
    try:
        return _load(str(path), path.stat().st_mtime)
    except DudaoError as e:
        raise PlatformError(e.message) from None


def framework_of(settings: Settings, sub: Submission) -> Framework:
    if sub.round is None or not sub.round.framework:
        raise PlatformError("该报送材料所属的评价轮次没有设置指标体系，无法评分", 409)
    return framework(settings, sub.round.framework)


def _latest(db: Session, sub: Submission) -> tuple[dict, dict]:
    scores: dict[tuple[str, str], PointScore] = {}
    for row in db.scalars(select(PointScore).where(PointScore.submission_id == sub.id).order_by(PointScore.id)):
        scores[(row.kind, row.point_id)] = row
    gates = {g.gate_id: g for g in db.scalars(select(GateMark).where(GateMark.submission_id == sub.id)
                                               .order_by(GateMark.id))}
    return scores, gates


def _maxima(fw: Framework) -> dict[str, float]:
    out = {leaf.id: leaf.points for leaf in fw.leaves()}
    out.update({b.id: b.limit for b in fw.bonus.items})
    return out


def enter(db: Session, settings: Settings, actor, sub: Submission, kind: str, values: dict[str, dict],
          gates: list[str] | None = None) -> int:
    """Record changed scores (`values`: point id → {"score", "not_applicable", "reason"}) and, for
    verified scores, the gates that apply. Returns the number of changes; each is audited."""
    assert kind in KINDS
    fw = framework_of(settings, sub)
    maxima = _maxima(fw)
    old, old_gates = _latest(db, sub)
    changes = 0
    for pid, v in values.items():
        if pid not in maxima:
            raise PlatformError(f"指标体系中没有观测点 {pid}")
        score, na = v.get("score"), bool(v.get("not_applicable"))
        reason = (v.get("reason") or "").strip() or None
        if score is not None and not 0 <= score <= maxima[pid]:
            raise PlatformError(f"观测点 {pid} 的得分 {score:g} 超出范围（0～{maxima[pid]:g} 分）")
        if na and fw.na_policy == "forbid":
            raise PlatformError("本指标体系不允许把观测点标为不适用")
        prev = old.get((kind, pid))
        if prev and (prev.score, prev.not_applicable, prev.reason) == (score, na, reason):
            continue
        if prev is None and score is None and not na and not reason:
            continue
        db.add(PointScore(submission_id=sub.id, point_id=pid, kind=kind, score=score, not_applicable=na,
                          reason=reason, user_id=actor.id))
        audit.record(db, actor, "score_changed", "submission", sub.id, kind=kind, point=pid,
                     old=None if prev is None else prev.score, new=score,
                     old_na=bool(prev and prev.not_applicable), new_na=na, reason=reason)
        changes += 1
    if gates is not None:
        known = {g.id for g in fw.gates}
        unknown = set(gates) - known
        if unknown:
            raise PlatformError(f"指标体系中没有否决或降等条件 {'、'.join(sorted(unknown))}")
        for gid in sorted(known):
            applies = gid in gates
            prev = old_gates.get(gid)
            if (prev.applies if prev else False) == applies:
                continue
            db.add(GateMark(submission_id=sub.id, gate_id=gid, applies=applies, user_id=actor.id))
            audit.record(db, actor, "gate_changed", "submission", sub.id, gate=gid,
                         old=bool(prev and prev.applies), new=applies)
            changes += 1
    db.flush()
    return changes


def result(db: Session, settings: Settings, sub: Submission) -> dict:
    """The engine's result for this submission: totals, grade, gates, points, credibility."""
    fw = framework_of(settings, sub)
    scores, gates = _latest(db, sub)
    rs = RegionScores(region=sub.region_adcode)
    bonus_ids = {b.id for b in fw.bonus.items}
    for pid in set(_maxima(fw)):
        s, v = scores.get(("self", pid)), scores.get(("verified", pid))
        if s is None and v is None:
            continue
        e = Entry(point=pid, where="", self_score=s.score if s else None, verified=v.score if v else None,
                  na=bool((v or s).not_applicable), reason=(v.reason if v else None) or (s.reason if s else "") or "")
        (rs.bonus if pid in bonus_ids else rs.entries)[pid] = e
    rs.gates = [(gid, "评审员认定") for gid, g in gates.items() if g.applies]
    out = score_region(fw, rs)
    out["framework"] = {"id": fw.id, "name": fw.name, "full_score": fw.full_score, "example": fw.example}
    return out
