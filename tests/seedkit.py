"""The seeds split into their reports by hand (independent of dudao's own splitter, so extractor
tests do not depend on it), paired with their gold annotations."""
import json
import re

from conftest import GOLD, SEEDS

_ARTICLE = re.compile(r"^\s*第[一二三四五六七八九十\d]{1,3}篇\s*[:：].*$", re.M)
_TAGS = re.compile(r"^标签[:：]", re.M)
_GARBLED_COPY = re.compile(r"\n\s*年度\S{2,10}人民政府履行教育职责\s*\n")


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s or "")


def seed_parts(text: str) -> list[str]:
    """A 范文 page's articles (after its "第N篇:" lines, without the trailing tag line); a report
    without the garbled second copy that follows it."""
    parts = _ARTICLE.split(text)
    if len(parts) > 1:
        parts = parts[1:]
        parts[-1] = _TAGS.split(parts[-1])[0]
    cut = _GARBLED_COPY.search(parts[-1])
    if cut:
        parts[-1] = parts[-1][:cut.start()]
    return parts


def gold_reports() -> list[tuple[str, dict, str | None]]:
    """(label, gold report, raw text of that report or None) for every gold report."""
    if not GOLD.is_dir() or not SEEDS.is_dir():
        return []
    out = []
    for gf in sorted(GOLD.glob("*.json")):
        parts = seed_parts((SEEDS / f"{gf.stem}.txt").read_text(encoding="utf-8"))
        for g in json.loads(gf.read_text(encoding="utf-8"))["reports"]:
            seg = [p for p in parts if squash(g["anchor"]) in squash(p)]
            out.append((f"{gf.stem}:{g['anchor'][:10]}", g, seg[0] if seg else None))
    return out
