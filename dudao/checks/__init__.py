"""Review checks: the findings a reviewer would write, each with a span, a Chinese message and
the rule's source. Checks are small registered functions over an analysed report."""
from __future__ import annotations

import re
from typing import Callable

from dudao.checks.catalogue import make
from dudao.checks.scheme import Scheme, default_scheme

CHECKS: list[tuple[str, Callable]] = []


def check(name: str):
    def deco(fn):
        CHECKS.append((name, fn))
        return fn
    return deco


def run_checks(report: dict, scheme: Scheme | None = None) -> list[dict]:
    from dudao.checks import rules  # noqa: F401  (registers the checks)
    scheme = scheme or default_scheme()
    if not report.get("relevant"):
        # A standalone page's type is stated by doc_type; off_topic marks a part that sits among
        # other reports in one file (a compilation page), which a reviewer would otherwise read.
        return _off_topic(report) if report.get("_siblings") else []
    out = []
    for _, fn in CHECKS:
        out.extend(fn(report, scheme))
    return out


DOC_TYPE_NAMES = {
    "school_self_report": "学校自评报告",
    "feedback": "督导反馈意见",
    "rectification": "整改方案或整改报告",
    "scheme": "评价方案或通知",
    "news": "新闻报道",
    "other": "与教育督导评价无关的文章",
}


def _off_topic(report) -> list[dict]:
    text = report["text"]
    first = text.split("\n", 1)[0]
    return [make("off_topic", 0, len(first), text, doc_type=report.get("doc_type"),
                 doc_type_name=DOC_TYPE_NAMES.get(report.get("doc_type"), "其他文章"))]


def sentence_around(text: str, start: int, end: int, limit: int = 80) -> tuple[int, int]:
    """The sentence (or clause run) holding [start, end), trimmed to `limit` characters."""
    left = max(text.rfind(ch, 0, start) for ch in "。！？；\n") + 1
    rights = [i for i in (text.find(ch, end) for ch in "。！？；\n") if i >= 0]
    right = min(rights) if rights else len(text)
    if right - left > limit:
        left = max(left, start - limit // 2)
        right = min(right, end + limit // 2)
    return left, right


WORD_RUN = re.compile(r"[A-Za-z0-9]+(?:[.,'’\-][A-Za-z0-9]+)*")
CJK_OR_FULLWIDTH = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2018-\u201f\u2026\u2014]")


def word_count(text: str) -> int:
    """字数 as Microsoft Word counts it for Chinese text: each CJK character and each full-width
    punctuation mark is one; each run of Latin letters/digits is one word."""
    return len(CJK_OR_FULLWIDTH.findall(text)) + len(WORD_RUN.findall(text))
