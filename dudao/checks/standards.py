"""National standards (data/standards.yaml): which rule a figure is held to."""
from __future__ import annotations

from dudao.resources import load_yaml


def standard_rule(name: str, scope, province: str | None = None) -> dict | None:
    """The rule for an indicator at a scope: the one for that scope, else the general one (a rule
    set with only scoped rules holds no other scope to them). `limit` is the value that applies in
    the province (the eastern quota where one is given)."""
    std = load_yaml("standards")
    rules = std.get(name)
    if not rules or isinstance(rules, dict):
        return None
    rule = next((r for r in rules if r.get("scope") and r["scope"] == scope), None)
    if rule is None:
        rule = next((r for r in rules if r.get("scope") is None), None)
    if rule is None:
        return None
    limit = rule["value"]
    if rule.get("value_east") and province in set(std.get("eastern_provinces") or []):
        limit = rule["value_east"]
    return {**rule, "limit": limit}
