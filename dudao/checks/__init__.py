"""Review checks: the findings a reviewer would write, each with a span, a Chinese message and
the rule's source. Checks are small registered functions over an analysed report."""
from __future__ import annotations

from dudao.checks.catalogue import make
from dudao.checks.registry import (CHECKS, CJK_OR_FULLWIDTH, WORD_RUN, check, sentence_around,  # noqa: F401
                                   word_count)
from dudao.checks.scheme import Scheme, default_scheme


def run_checks(report: dict, scheme: Scheme | None = None) -> list[dict]:
    from dudao.checks import rules  # noqa: F401  (registers the checks)
    scheme = scheme or default_scheme()
    if not report.get("relevant"):
        # A standalone page's type is stated by doc_type; off_topic marks a part that sits among
        # other reports in one file (a compilation page), which a reviewer would otherwise read.
        return _off_topic(report) if report.get("siblings") else []
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
