"""The audit trail: every state change is one appended event (who, when, what, old → new)."""
from __future__ import annotations

import csv
import io
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from dudao.web.models import AuditEvent, User

ACTION_NAMES = {
    "login": "登录", "login_failed": "登录失败", "logout": "退出", "upload": "上传报告",
    "analysis_done": "分析完成", "analysis_failed": "分析失败", "analysis_retry": "分析重试",
    "analysis_requeued": "分析放回队列",
    "finding_decision": "处理核查发现", "finding_added": "评审员添加发现",
    "user_created": "创建用户", "round_created": "创建评价轮次",
    "score_changed": "修改得分", "gate_changed": "认定否决或降等条件",
    "letter_drafted": "起草反馈意见", "letter_edited": "修改反馈意见", "letter_approve": "审定反馈意见",
    "letter_reopen": "退回修改反馈意见", "letter_publish": "发布反馈意见",
    "ledger_registered": "问题挂号（整改台账）", "ledger_start": "开始整改", "ledger_request_closure": "申请销号",
    "ledger_close": "销号", "ledger_return": "退回整改", "ledger_exempt": "免于整改",
    "ledger_judged": "核定整改状态（自动判断）",
}


# How the audit page names the details of an event (the CSV keeps the keys).
DETAIL_NAMES = {
    "filename": "文件名", "size": "字节数", "kind": "类型", "sha256": "校验值", "old": "原值", "new": "新值",
    "finding": "核查发现", "message": "表述", "note": "备注", "reason": "原因", "point": "观测点",
    "gate": "条件", "old_na": "原为不适用", "new_na": "现为不适用", "username": "用户名", "role": "角色",
    "region": "地区", "name": "名称", "year": "年度", "deadline": "截止日期", "regions": "被评地区",
    "reports": "报告篇数", "detected_region": "报告所写地区", "attempts": "已尝试次数", "blocked": "已限制登录",
    "report": "第几篇", "start": "起点", "end": "终点", "severity": "严重程度", "version": "稿次",
    "fields": "修改的部分", "findings": "发现条数", "worker": "分析进程",
}
VALUE_NAMES = {"accepted": "采纳", "dismissed": "不采纳", "edited": "修改后采纳", "self": "自评",
               "verified": "核定", "draft": "草稿", "approved": "已审定", "published": "已发布",
               True: "是", False: "否", None: "无"}
OBJECT_NAMES = {"submission": "报送材料", "user": "用户", "round": "评价轮次"}


def describe(detail: dict) -> str:
    """An event's details in Chinese for the audit page."""
    parts = []
    for k, v in detail.items():
        shown = VALUE_NAMES.get(v, v) if isinstance(v, (str, bool)) or v is None else v
        parts.append(f"{DETAIL_NAMES.get(k, k)}：{shown}")
    return "；".join(parts)


def record(db: Session, actor: User | None, action: str, object_type: str | None = None,
           object_id=None, address: str | None = None, **detail) -> AuditEvent:
    event = AuditEvent(user_id=actor.id if actor else None, username=actor.username if actor else None,
                       action=action, object_type=object_type,
                       object_id=None if object_id is None else str(object_id),
                       detail=detail, address=address)
    db.add(event)
    db.flush()
    return event


def events(db: Session, limit: int = 500) -> list[AuditEvent]:
    return list(db.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)))


def as_dict(e: AuditEvent) -> dict:
    return {"id": e.id, "at": e.at.isoformat(timespec="seconds") + "Z", "user": e.username,
            "action": e.action, "object_type": e.object_type, "object_id": e.object_id,
            "detail": e.detail, "address": e.address}


def to_csv(rows: list[AuditEvent]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["编号", "时间（UTC）", "用户", "操作", "对象类型", "对象编号", "详情", "来源地址"])
    for e in rows:
        detail = json.dumps(e.detail, ensure_ascii=False, sort_keys=True)
        cells = [e.id, e.at.isoformat(timespec="seconds"), e.username or "", ACTION_NAMES.get(e.action, e.action),
                 e.object_type or "", e.object_id or "", detail, e.address or ""]
        # A cell starting with = + - @ would run as a formula in Excel: store it as text.
        w.writerow([f"'{c}" if isinstance(c, str) and c[:1] and c[:1] in "=+-@\t\r" else c for c in cells])
    return "\ufeff" + buf.getvalue()   # BOM: Excel opens UTF-8 CSV correctly
