"""Bad forms and JSON get Chinese errors: field labels, not field names; no pydantic English.

The routes and their parameters are read from the route table, so a new route or field without
a Chinese label fails here."""
from __future__ import annotations

import re
import typing

import pydantic
import pytest
from fastapi import params as fparams
from fastapi.routing import APIRoute

from dudao.web import validation
from dudao.web.settings import Settings
from tests.websupport import Platform

ACTOR = {"public": None, "user": "submitter", "admin": "admin", "reviewer": "reviewer",
         "submitter": "submitter", "office": "admin"}
# Latin words a Chinese message may still contain.
ALLOWED = {"JSON", "true", "false", "HTTPS", "Cookie"}
PYDANTIC = ("Field required", "Input should", "value is not", "JSON decode", "validation error",
            "Unprocessable", "missing")


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    p = Platform(tmp_path_factory.mktemp("validation"))
    p.sid = p.submit("submitter")
    return p


def _routes(app) -> list[APIRoute]:
    return [r for router in app.state.routers for r in router.routes if isinstance(r, APIRoute)]


def _model_fields(tp, into: set) -> None:
    for arg in typing.get_args(tp) or (tp,):
        if isinstance(arg, type) and issubclass(arg, pydantic.BaseModel):
            for name, f in arg.model_fields.items():
                into.add(name)
                _model_fields(f.annotation, into)
        elif typing.get_args(arg):
            _model_fields(arg, into)


def _params(dep) -> list:
    found = dep.path_params + dep.query_params + dep.header_params + dep.cookie_params + dep.body_params
    for sub in dep.dependencies:
        found += _params(sub)
    return found


def _names(route) -> set[str]:
    names: set[str] = set()
    for p in _params(route.dependant):
        names.add(p.name)
        _model_fields(p.field_info.annotation, names)
    return names


def _english(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z_]{2,}", text)) - ALLOWED


def test_every_field_of_every_route_has_a_chinese_label(platform):
    names = set().union(*(_names(r) for r in _routes(platform.app)))
    assert len(names) > 25
    assert names - set(validation.LABELS) == set()
    assert set(Settings.model_fields) - set(validation.LABELS) == set()
    for label in validation.LABELS.values():
        assert re.search(r"[\u4e00-\u9fff]", label), label


def _message(route, resp) -> str:
    if route.path.startswith("/api/"):
        return resp.json()["detail"]
    m = re.search(r'<p class="error">(.*?)</p>', resp.text, re.S)
    assert m, resp.text[:300]
    return m.group(1)


def _variants(route):
    """Requests that must fail validation: words where numbers belong, missing fields, a list
    where an object belongs, broken JSON."""
    path = re.sub(r"\{\w+\}", "abc", route.path)
    body = [p for p in route.dependant.body_params]
    forms = [p for p in body if isinstance(p.field_info, (fparams.Form, fparams.File))]
    yield path, {}
    if forms:
        yield path, {"data": {p.name: "abc" for p in forms if not isinstance(p.field_info, fparams.File)}}
    elif body:
        yield path, {"json": {}}
        yield path, {"json": []}
        yield path, {"content": b"{\"a\": ", "headers": {"Content-Type": "application/json"}}


def test_bad_requests_get_chinese_errors_on_every_route(platform):
    checked = set()
    for route in _routes(platform.app):
        for method in sorted(route.methods - {"HEAD"}):
            client, csrf = platform.client(ACTOR[route.openapi_extra["x-access"]])
            for path, kw in _variants(route):
                headers = {**kw.pop("headers", {}), **({"X-CSRF-Token": csrf} if csrf else {})}
                resp = client.request(method, path, headers=headers, follow_redirects=False, **kw)
                if resp.status_code >= 400:
                    assert not any(p in resp.text for p in PYDANTIC), (method, path, resp.text[:300])
                if resp.status_code != 422:
                    continue
                text = _message(route, resp)
                assert text.startswith("请求参数不完整或格式不对："), text
                assert not _english(text), (method, path, text)
                checked.add((method, route.path))
    assert len(checked) > 25


@pytest.mark.parametrize("method,path,kw,expected", [
    ("POST", "/api/login", {"json": {}}, "用户名未填写；密码未填写"),
    ("POST", "/api/login", {"json": {"username": ["a"], "password": "x"}}, "用户名应为文字"),
    ("POST", "/api/login", {"content": b"{", "headers": {"Content-Type": "application/json"}},
     "请求内容不是有效的 JSON"),
    ("GET", "/api/submissions/abc", {}, "报送材料应为整数"),
])
def test_examples_of_api_validation_messages(platform, method, path, kw, expected):
    client, _ = platform.client(None if path == "/api/login" else "submitter")
    resp = client.request(method, path, **kw)
    assert resp.status_code == 422
    assert resp.json()["detail"] == "请求参数不完整或格式不对：" + expected


def test_a_nested_field_names_its_point(platform):
    client, csrf = platform.client("reviewer")
    resp = client.post(f"/api/submissions/{platform.sid}/verified-scores", headers={"X-CSRF-Token": csrf},
                       json={"points": {"A1-1": {"score": "很多"}}})
    assert resp.status_code == 422
    assert resp.json()["detail"] == "请求参数不完整或格式不对：观测点得分「A1-1」的得分应为数字"


def test_a_form_page_shows_the_chinese_label(platform):
    client, csrf = platform.client("admin")
    resp = client.post("/admin/rounds", data={"csrf_token": csrf, "year": "二〇二六年", "name": "x"})
    assert resp.status_code == 422
    shown = re.search(r'<p class="error">(.*?)</p>', resp.text, re.S).group(1)
    assert shown == "请求参数不完整或格式不对：年度应为整数"


def test_an_unknown_role_is_named_with_the_chinese_role_names():
    from dudao.web import services
    from dudao.web.errors import PlatformError
    with pytest.raises(PlatformError) as e:
        services.create_user(None, None, "someone", "irrelevant-password", "boss", "620000")
    assert "未知角色：boss" in e.value.message
    assert "reviewer（评审员）" in e.value.message and "submitter（报送单位）" in e.value.message
