"""Scheme settings (length limit, required sections, self-score rule, grades) as data."""
from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel, Field, ValidationError

from dudao.errors import ConfigError
from dudao.resources import load_user_yaml, load_yaml


class Grade(BaseModel):
    grade: str
    min: float


class Scheme(BaseModel):
    name: str
    length_limit: int = Field(5000, gt=0)
    length_limit_source: str = ""
    read_limit_from_text: bool = True
    full_score: float = 100
    require_self_score: bool = False
    required_roles: list[str] = []
    role_names: dict[str, str] = {}
    grades: list[Grade] = []


@lru_cache(maxsize=1)
def default_scheme() -> Scheme:
    return Scheme(**load_yaml("schemes/default"))


def load_scheme(path: str | None) -> Scheme:
    if not path:
        return default_scheme()
    data = load_user_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(f"方案文件格式有误：{path}（应为键值对）")
    merged = default_scheme().model_dump() | data
    try:
        return Scheme(**merged)
    except ValidationError as e:
        first = e.errors()[0]
        field = ".".join(str(x) for x in first["loc"])
        raise ConfigError(f"方案文件 {path} 的“{field}”取值无效：{first['msg']}")
