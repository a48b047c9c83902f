"""The national adcode tree, as the platform uses it: names and who sees what."""
from __future__ import annotations

from functools import lru_cache

from dudao.extract.region import Region, region_table


@lru_cache(maxsize=4096)
def get(adcode: str) -> Region | None:
    return region_table().get(str(adcode))


def name(adcode: str | None) -> str:
    r = get(adcode) if adcode else None
    if r is None:
        return adcode or "—"
    if r.level == "county" and r.city and r.city != r.name:
        return f"{r.city}{r.name}"
    return r.name


def as_contract(adcode: str | None) -> dict | None:
    """The region as the output contract writes it ({"name", "adcode", "province", "city", "level"})."""
    r = get(adcode) if adcode else None
    return r.as_dict() if r else None


def at_or_under(adcode: str, office: str) -> bool:
    """True when `adcode` is the office's own region or lies within it."""
    if adcode == office:
        return True
    r, o = get(adcode), get(office)
    return bool(r and o and r.within(o))


def valid(adcode: str) -> bool:
    return get(adcode) is not None
