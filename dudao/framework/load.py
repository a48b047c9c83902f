"""Framework YAML in and out; bundled frameworks live in dudao/data/frameworks/."""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import yaml
from pydantic import ValidationError

from dudao.errors import ConfigError
from dudao.framework.model import Framework
from dudao.resources import load_user_yaml


def bundled() -> dict[str, Path]:
    """Bundled framework ids → their files."""
    folder = files("dudao") / "data" / "frameworks"
    return {Path(str(p)).stem: Path(str(p)) for p in folder.iterdir() if str(p).endswith(".yaml")}


def load_framework(path_or_id: str | Path) -> Framework:
    """A framework from a YAML file, or a bundled one by its id (e.g. `county_example`)."""
    p = Path(path_or_id)
    if not p.exists() and str(path_or_id) in bundled():
        p = bundled()[str(path_or_id)]
    if not p.exists():
        names = "、".join(sorted(bundled()))
        raise ConfigError(f"找不到指标体系文件：{path_or_id}（内置指标体系：{names}）")
    data = load_user_yaml(p)
    return parse_framework(data, str(p))


def parse_framework(data, where: str = "指标体系") -> Framework:
    if not isinstance(data, dict):
        raise ConfigError(f"指标体系文件格式有误：{where}（顶层应为键值对）")
    try:
        return Framework.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        loc = _loc_words(data, first["loc"])
        raise ConfigError(f"指标体系文件有误：{where}，{loc}：{_msg(first)}（共 {e.error_count()} 处问题）")


def _loc_words(data, loc) -> str:
    """A pydantic location in words, naming nodes by their id where known."""
    parts, cur = [], data
    for key in loc:
        node_id = None
        try:
            cur = cur[key]
            node_id = cur.get("id") if isinstance(cur, dict) else None
        except (KeyError, IndexError, TypeError):
            cur = None
        if isinstance(key, int):
            parts.append(f"第 {key + 1} 项" + (f"（{node_id}）" if node_id else ""))
        else:
            parts.append(str(key))
    return " → ".join(parts) or "顶层"


def _msg(err: dict) -> str:
    t = err["type"]
    if t == "missing":
        return "缺少必填项"
    if t == "extra_forbidden":
        return "不认识的字段"
    if t == "literal_error":
        return f"取值不在允许范围内（{err.get('ctx', {}).get('expected', '')}）"
    if t.startswith(("float", "int")):
        return "应为数字"
    if t in ("greater_than", "greater_than_equal"):
        return "数值过小（应大于或不小于 " + str(err.get("ctx", {}).get("gt", err.get("ctx", {}).get("ge", ""))) + "）"
    return f"格式不符（{t}）"


def dump_framework(fw: Framework) -> str:
    data = fw.model_dump(mode="json", exclude_defaults=True)
    data = {"id": fw.id, "name": fw.name, **data}
    return yaml.safe_dump(_tidy(data), allow_unicode=True, sort_keys=False, width=120)


def _tidy(x, key=None):
    """Whole numbers without '.0'; every rule names its kind (manual is the default, said aloud)."""
    if isinstance(x, dict):
        out = {k: _tidy(v, k) for k, v in x.items()}
        if key == "rule":
            out = {"kind": out.pop("kind", "manual"), **out}
        return out
    if isinstance(x, list):
        return [_tidy(v) for v in x]
    if isinstance(x, float) and x.is_integer():
        return int(x)
    return x
