"""Request validation errors in Chinese: the one place that names the platform's fields.

FastAPI reports a bad form or JSON body as pydantic errors: an English message and a location
made of field names (`("body", "points", "A1-1", "score")`). Users see neither; they see the
field's Chinese label and what is wrong with it. tests/test_web_validation.py checks that every
parameter of every route has a label here, so a new field cannot be forgotten.
"""
from __future__ import annotations

# Every field name a route takes: path, query, form and JSON body fields (nested ones too),
# and the settings `dudao serve` validates.
LABELS = {
    "action": "操作", "body": "请求内容", "csrf_token": "表单令牌", "deadline": "期限",
    "decision": "处理决定", "end": "结束位置", "evidence": "佐证说明", "file": "文件",
    "framework": "指标体系", "gates": "否决与降等条件", "item": "台账事项", "key": "核查发现",
    "later": "后续报告", "login_csrf": "登录表单令牌", "message": "表述", "name": "名称",
    "not_applicable": "是否不适用", "note": "备注", "password": "密码", "points": "观测点得分",
    "reason": "理由", "region": "地区", "regions_text": "被评地区", "report": "报告",
    "rid": "评价轮次", "role": "角色", "round_id": "评价轮次", "score": "得分", "seq": "序号",
    "severity": "严重程度", "sid": "报送材料", "start": "起始位置", "status": "判断",
    "username": "用户名", "year": "年度",
    # dudao.web.settings.Settings
    "data_dir": "数据文件夹", "db_url": "数据库地址", "max_upload_mb": "上传大小上限",
    "session_hours": "会话有效时长", "login_max_failures": "登录失败次数上限",
    "login_window_minutes": "登录限制时段", "workers": "后台分析进程数", "max_attempts": "分析重试次数",
    "secure_cookies": "仅 HTTPS 传送 Cookie",
}

# What is wrong, by pydantic's error type (https://docs.pydantic.dev/latest/errors/validation_errors/).
REASONS = {
    "missing": "未填写", "int_parsing": "应为整数", "int_type": "应为整数", "int_from_float": "应为整数",
    "float_parsing": "应为数字", "float_type": "应为数字", "decimal_parsing": "应为数字",
    "bool_parsing": "应为是或否（true/false）", "bool_type": "应为是或否（true/false）",
    "string_type": "应为文字", "string_too_short": "太短", "string_too_long": "太长",
    "dict_type": "格式不对", "model_type": "格式不对", "model_attributes_type": "格式不对",
    "list_type": "应为列表", "too_short": "项数太少", "too_long": "项数太多",
    "date_parsing": "应为日期（如 2024-05-31）", "date_from_datetime_parsing": "应为日期（如 2024-05-31）",
    "date_type": "应为日期（如 2024-05-31）", "json_invalid": "不是有效的 JSON",
    "json_type": "不是有效的 JSON", "literal_error": "不是允许的取值", "enum": "不是允许的取值",
    "greater_than": "太小", "greater_than_equal": "太小", "less_than": "太大", "less_than_equal": "太大",
    "finite_number": "应为有限的数字", "value_error": "取值不对", "path_type": "应为文件夹路径",
}
# A missing field said better than "未填写".
MISSING = {"file": "未选择", "body": "为空"}
SOURCES = ("body", "query", "path", "header", "cookie", "form")


def where(loc) -> str:
    """A pydantic location in words: field labels, data keys (a point's id) in 「」, list items
    by number."""
    parts = list(loc)
    if len(parts) > 1 and parts[0] in SOURCES:
        parts = parts[1:]
    text = ""
    for p in parts:
        if isinstance(p, int):
            text += f"第 {p + 1} 项"
        elif p in LABELS:
            text += ("的" if text else "") + LABELS[p]
        else:
            text += f"「{p}」"
    return text or LABELS["body"]


def describe(error: dict) -> str:
    if error.get("type") == "json_invalid":   # its location is a character position, not a field
        return "请求内容不是有效的 JSON"
    loc, kind = tuple(error.get("loc", ())), error.get("type", "")
    if kind == "missing" and loc and loc[-1] in MISSING:
        return where(loc) + MISSING[loc[-1]]
    return where(loc) + REASONS.get(kind, "格式不对")


def message(errors) -> str:
    """All the errors of one request, as one Chinese sentence."""
    seen: list[str] = []
    for e in errors:
        d = describe(e)
        if d not in seen:
            seen.append(d)
    return "请求参数不完整或格式不对：" + "；".join(seen)
