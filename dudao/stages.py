"""The per-report pipeline stages. Each reads and adds the fields it declares (see
dudao/contracts.py: output fields of the report, or per-report scratch such as `section_tree`)."""
from __future__ import annotations

from dudao.contracts import stage


@stage("classify", requires=("text",), provides=("doc_type", "relevant", "doc_type_scores", "doc_type_confidence",
                                               "doc_type_cues", "doc_type_uncertain"))
def classify_stage(report, ctx):
    from dudao.classify import classify
    v = classify(report["text"])
    report["doc_type"] = v.doc_type
    report["relevant"] = v.relevant
    report["doc_type_scores"] = v.scores
    # Why: the probability, the cues that decided it (with their spans) and a flag for a reviewer.
    report["doc_type_confidence"] = v.confidence
    report["doc_type_cues"] = v.cues
    report["doc_type_uncertain"] = v.uncertain


@stage("sections", requires=("text",), provides=("sections", "section_tree"))
def sections_stage(report, ctx):
    from dudao.extract.sections import find_sections, infer_body_roles
    secs = find_sections(report["text"])
    infer_body_roles(report["text"], secs)
    report["section_tree"] = secs
    report["sections"] = [
        {k: s[k] for k in ("heading", "level", "roles", "start", "end", "numbered", "number")}
        for s in secs
    ]


@stage("placeholders", requires=("text",), provides=("placeholders",))
def placeholders_stage(report, ctx):
    from dudao.extract.placeholders import find_placeholders
    report["placeholders"] = find_placeholders(report["text"])


@stage("meta", requires=("text", "meta"), provides=("work_year", "round_year", "issuer", "publish_date",
                                                     "publish_month", "issuer_span", "scheme_refs",
                                                     "citations", "references"))
def meta_stage(report, ctx):
    from dudao.extract.meta import extract_meta
    m = extract_meta(report["text"], report.get("meta") or {})
    for key in ("work_year", "round_year", "issuer", "publish_date"):
        report[key] = m.get(key)
    if m.get("publish_month"):
        report["publish_month"] = m["publish_month"]
    report["issuer_span"] = m.get("issuer_span")
    refs = m.get("scheme_refs") or []
    report["scheme_refs"] = list(dict.fromkeys(r["text"] for r in refs))
    report["citations"] = list(dict.fromkeys(c["text"] for c in m.get("citations") or []))
    report["references"] = [dict(r, kind="doc_no") for r in refs] + \
        [dict(c, kind="citation") for c in (m.get("citations") or [])]


@stage("region", requires=("text", "meta"), provides=("region", "province_hint"))
def region_stage(report, ctx):
    from dudao.extract.region import find_region
    r = find_region(report["text"], report.get("meta") or {})
    report["region"] = r.get("region")
    report["province_hint"] = r.get("province_hint")


@stage("self_score", requires=("text",), provides=("self_score",))
def self_score_stage(report, ctx):
    from dudao.extract.score import extract_self_score
    report["self_score"] = extract_self_score(report["text"])


@stage("problems", requires=("text", "section_tree"), provides=("problems",))
def problems_stage(report, ctx):
    from dudao.extract.sections import problem_items
    report["problems"] = problem_items(report["text"], report["section_tree"])


@stage("indicators", requires=("text", "section_tree", "work_year"), provides=("indicators", "figures", "changes"))
def indicators_stage(report, ctx):
    """Canonical indicator figures (the contract's `indicators`); with the `figures` option also
    every other quantity with the phrase it measures (等级幼儿园比例, 区域面积, 近视率变化 …), which
    costs about a third more time, so it is asked for, not default."""
    from dudao.extract.figures import extract_figures, extract_indicators
    kw = {"work_year": report.get("work_year"), "sections": report["section_tree"]}
    if ctx.options.figures:
        found = extract_figures(report["text"], **kw)
        report["figures"] = [f for f in found if not (f.get("canonical") and f["kind"] != "change")]
    else:
        found = extract_indicators(report["text"], include_changes=True, **kw)
    report["indicators"] = [f for f in found if f.get("canonical", True) and f["kind"] != "change"]
    # Changes ("近视率较上年下降0.3个百分点") are checked against standards but are not levels.
    report["changes"] = [f for f in found if f["kind"] == "change"]


@stage("cleaning_findings", requires=("text", "removed", "offset"), provides=("findings",))
def cleaning_findings_stage(report, ctx):
    """Garbled text and a duplicated copy removed by the cleaner: one finding per kind, with every
    removed place (source offsets, page, excerpt) in its data."""
    from dudao.checks.catalogue import make
    findings = report.setdefault("findings", [])
    by_code = {}
    for r in report["removed"]:
        if r.code == "garbled_text" and r.code in by_code:
            by_code[r.code]["data"]["removed"].append(_removed_info(r, ctx))
            continue
        at = min(max(r.clean_at - report["offset"], 0), len(report["text"]))
        f = make(r.code, at, at, report["text"], count=r.detail.get("chars", len(r.excerpt)),
                 example=r.excerpt[:12].replace("\n", " "))
        f.setdefault("data", {})["removed"] = [_removed_info(r, ctx)]
        by_code.setdefault(r.code, f)
        findings.append(f)


def _removed_info(r, ctx) -> dict:
    where = ctx.raw.where(r.raw_start)
    where["end"] = r.raw_end
    where["excerpt"] = r.excerpt
    return where


@stage("checks", requires=("text", "relevant", "doc_type", "sections", "placeholders", "self_score",
                           "problems", "indicators", "changes", "findings", "work_year", "region",
                           "province_hint", "siblings"), provides=("findings",))
def checks_stage(report, ctx):
    from dudao.checks import run_checks
    report["findings"].extend(run_checks(report, ctx.options.scheme))
    from dudao.checks.catalogue import sort_findings
    report["findings"] = sort_findings(report["findings"])
