"""Indicator semantics in one place: units and scales, year scopes, the national standards and
judging a figure against them. Extraction, checks, the review pack and scoring use these
functions; the data is dudao/data/units.yaml and dudao/data/standards.yaml (each with sources).

`judge(indicator, province)` is the one pass/fail: {"rule", "standard", "meets", "source"}.
"""
from __future__ import annotations

import re
from functools import lru_cache

from dudao.resources import load_yaml


# --- units and scales ------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _units() -> dict:
    return load_yaml("units")


@lru_cache(maxsize=None)   # a few hundred units at most; asked once per quantity found
def scale_of(unit: str | None) -> float:
    """The multiplier a scale word in front of a unit implies: 亿元 → 1e8, 万个 → 1e4, 千米 → 1."""
    u = unit or ""
    prefixes = _units()["scale_prefixes"]
    if u[:1] in prefixes and u not in _units()["unscaled"]:
        return float(prefixes[u[:1]])
    return 1.0


def base_unit(unit: str | None) -> tuple[str, float]:
    """(base unit, factor): 亿元 → ("元", 1e8), ‰ → ("%", 0.1), 人 → ("人", 1)."""
    u = unit or ""
    eq = _units()["equivalents"].get(u)
    if eq:
        return eq["unit"], float(eq["factor"])
    scale = scale_of(u)
    return (u[1:], scale) if scale != 1.0 else (u, 1.0)


def in_base_unit(value: float | None, unit: str | None) -> float | None:
    """The value in its base unit (12.67亿元 → 1.267e9), None for no value."""
    if value is None:
        return None
    return float(value) * base_unit(unit)[1]


def convert(value: float | None, unit: str | None, target: str) -> float | None:
    """The value in `target` (1.2亿元 → 12000 万元); None when the units measure different things."""
    base, factor = base_unit(unit)
    tbase, tfactor = base_unit(target)
    if value is None or base != tbase:
        return None
    return float(value) * factor / tfactor


def is_money(unit: str | None) -> bool:
    return bool(unit) and base_unit(unit)[0] == _units()["money_base"]


# --- scopes ----------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _year_scope() -> re.Pattern:
    return re.compile(_units()["year_scope"])


def year_of_scope(scope) -> int | None:
    """The year a scope names ("2021", "2021年度" → 2021); None for a stage or group scope."""
    if scope is None:
        return None
    s = str(scope)
    return int(s[:4]) if _year_scope().match(s) else None


def is_year_scope(scope) -> bool:
    return year_of_scope(scope) is not None


# --- standards -------------------------------------------------------------------------------

def _standards() -> dict:
    return load_yaml("standards")


def standard_rule(name: str, scope, province: str | None = None) -> dict | None:
    """The threshold rule (op >= or <=) for an indicator at a scope: the one for that scope, else
    the general one (a rule set with only scoped rules holds no other scope to them). `limit` is
    the value that applies in the province (the eastern quota where one is given)."""
    std = _standards()
    rules = [r for r in std.get(name) or [] if isinstance(r, dict) and r.get("op") in (">=", "<=")]
    rule = next((r for r in rules if r.get("scope") and r["scope"] == scope), None)
    if rule is None:
        rule = next((r for r in rules if r.get("scope") is None), None)
    if rule is None:
        return None
    limit = rule["value"]
    if rule.get("value_east") and province in set(std.get("eastern_provinces") or []):
        limit = rule["value_east"]
    return {**rule, "limit": limit}


def series_rules(op: str = "no_fall") -> dict[str, dict]:
    """Indicators held to a rule over years (op `no_fall`: must not fall year on year)."""
    return {name: r for name, rules in _standards().items() if isinstance(rules, list)
            for r in rules if isinstance(r, dict) and r.get("op") == op}


def _num(v):
    return int(v) if isinstance(v, float) and v.is_integer() else v


def standard_text(rule: dict | None, with_east: bool = True) -> str:
    """"≥85%", "≥600元（东部≥650元）"; "—" for no rule."""
    if not rule:
        return "—"
    sym = "≥" if rule["op"] == ">=" else "≤"
    unit = rule.get("unit") or ""
    text = f"{sym}{_num(rule['value'])}{unit}"
    if with_east and rule.get("value_east"):
        text += f"（东部{sym}{_num(rule['value_east'])}{unit}）"
    return text


def comparable_value(ind: dict, rule: dict) -> float | None:
    """The figure as the rule measures it, or None when its unit cannot be compared."""
    value, unit = ind.get("value"), ind.get("unit")
    if value is None:
        return None
    if rule["unit"] == "元" and unit not in ("元", None, ""):
        return None
    if rule["unit"] == "个百分点" and unit not in ("个百分点", "%"):
        return None
    if rule["unit"] == "%" and unit == "分" and value <= 10:
        return value * 10   # a score out of 10 restates a percentage-like score
    return value


def passes(value: float, rule: dict) -> bool:
    """A value already in the rule's unit, held to the rule's limit."""
    return value >= rule["limit"] if rule["op"] == ">=" else value <= rule["limit"]


def judge(ind: dict, province: str | None = None) -> dict:
    """Hold one indicator figure (a contract `indicators` item, or a change) to its standard.

    Returns {"rule": the rule or None, "standard": its text ("≥85%", "—"), "meets": True/False,
    or None when no rule applies, the figure has no comparable value or is not a held kind
    (targets and other regions' figures are not held to standards), "source": the rule's source}.
    A year scope ("2021") is judged as the general rule.
    """
    scope = None if is_year_scope(ind.get("scope")) else ind.get("scope")
    rule = standard_rule(ind.get("name") or "", scope, province)
    out = {"rule": rule, "standard": standard_text(rule), "meets": None,
           "source": (rule or {}).get("source", "")}
    if rule is None or ind.get("kind") not in _standards()["held_kinds"]:
        return out
    value = comparable_value(ind, rule)
    if value is not None:
        out["meets"] = passes(value, rule)
    return out
