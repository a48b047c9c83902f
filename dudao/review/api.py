"""Library entry point of the review pack: `build_review_pack`.

    from dudao.review.api import build_review_pack
    summary = build_review_pack(["报告/"], "评审包/")                 # files, folders or .zip
    summary = build_review_pack(dudao.analyze_path("a.docx"), "包/")  # reports already analysed
    summary = build_review_pack(["报告/"], "包/", framework="county_example", scores="评分表.xlsx",
                                previous="上轮反馈意见/")   # self-scores checked, scored, last round followed

The CLI (`dudao review`) calls this function; a web application can call it with reports held in
memory (dicts, or typed reports with `model_dump`), without reading anything back from disk.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Iterable

from dudao.errors import InputError
from dudao.review import scoring
from dudao.review.outdir import check_out_dir, prepare
from dudao.review.pack import (Progress, analyse_paths, as_dict, assemble, check_paths, make_entries,
                               records_of, write_pack)
from dudao.review.previous import check_folder, follow


def _split(items: Iterable[Any]) -> tuple[list[str], list[dict]]:
    paths, reports = [], []
    for it in items:
        if isinstance(it, (str, Path)):
            paths.append(str(it))
        elif isinstance(it, (list, tuple)):          # e.g. one dudao.analyze_path result per file
            more_paths, more = _split(it)
            paths += more_paths
            reports += more
        else:
            reports.append(as_dict(it))
    return paths, reports


def _options(scheme):
    from dudao.options import Options
    return Options.coerce({"scheme": scheme})


def build_review_pack(reports: Iterable[Any], out: str | Path, *, reference: Iterable[Any] | str | Path | None = None,
                      scheme=None, force: bool = False, progress: Progress | None = None, jobs: int = 1,
                      argv: list[str] | None = None, min_run: int = 13, framework=None,
                      scores: str | Path | None = None, previous: str | Path | None = None) -> dict:
    """Build a review pack (workbook, dashboard, report pages, feedback letters, summary) in `out`.

    Parameters
    ----------
    reports:   what to review. Each item is either a path (file, folder or .zip: analysed here) or an
               analysis already in memory: a result of ``dudao.analyze_path`` / ``analyze_text``
               (a dict with ``"reports"``), a single report dict, or a typed object with
               ``model_dump()``. Reports are keyed by their ``id``.
    out:       the output folder. It must be empty (or absent) unless ``force``; it is checked for
               writability before any analysis, so a refusal leaves nothing behind.
    reference: texts used only for copy detection (templates, earlier years): a folder path, or
               analysed results/reports as for ``reports``.
    scheme:    evaluation scheme (a ``Scheme``, or a YAML path); default: the built-in scheme.
               Used when paths are analysed here; recorded in the summary.
    force:     allow a non-empty ``out``; files an earlier pack wrote there are replaced.
    progress:  a ``dudao.review.pack.Progress`` (``stage(label, total)``, ``advance(n, failed)``);
               every long step reports through it.
    jobs:      worker processes for analysing paths, for copy detection and for the letters.
    framework: an indicator framework (YAML path, bundled id such as ``"county_example"``, or a
               ``dudao.framework.model.Framework``): each report's stated self-score is checked
               against it (``dudao.framework.report.check_report_score``); those findings join the
               report's findings in the workbook, the pages, the letters and the counts.
    scores:    a filled scoring sheet (.xlsx; needs ``framework``), scored as ``dudao score`` does;
               the pack gains the 评分/评分明细 sheets and ``scores.html`` (self vs verified per
               region and point; regions matched to reports by region name).
    previous:  a folder holding last round's feedback letters: each report is followed against the
               letter of its region (``dudao.rectify``); the pack gains the 上轮问题整改 sheet and
               ``previous.html``, and each letter states which earlier problems remain.

    Returns the summary dict, also written (last) to ``out/summary.json``: ``counts`` (inputs, ok,
    failed, skipped, reports, findings by severity…), ``inputs`` (status of each input), ``reports``
    (one row per report with its page and letter), ``themes``, ``copy_pairs``.

    Raises ``dudao.errors.DudaoError`` subclasses with a Chinese message: a path that does not
    exist, nothing to analyse, an output folder that is not empty or cannot be written, an unknown
    or inconsistent framework, an unreadable scoring sheet, a missing ``previous`` folder or one
    without any feedback letter. Each is raised before anything is written.
    """
    progress = progress or Progress()
    started = time.time()
    out = Path(out)
    options = _options(scheme)
    paths, given = _split([reports] if isinstance(reports, (str, Path, dict)) else reports)
    ref_paths, ref_given = ([str(reference)], []) if isinstance(reference, (str, Path)) else \
        _split(reference or [])
    check_paths(paths + ref_paths)
    if scores is not None and framework is None:
        raise InputError("给出评分表时须同时指定指标体系（framework）。未生成任何结果。")
    fw, scored = scoring.load(framework, scores) if framework is not None else (None, None)
    if previous is not None:
        check_folder(previous)
    check_out_dir(out, force)                       # before any analysis: nothing written on refusal
    results, statuses = (analyse_paths(paths, out, options, jobs, progress, "分析报告") if paths else ([], []))
    if not statuses and not given:
        raise InputError("没有找到可分析的文件。")
    statuses += [{"source": r.get("source") or f"第{k}项", "status": "ok", "reports": len(r.get("reports") or [r])}
                 for k, r in enumerate(given, 1)]
    ref_results, ref_statuses = (analyse_paths(ref_paths, out, options, jobs, progress, "分析参照文件")
                                 if ref_paths else ([], []))
    entries = make_entries(records_of(results + given))
    if fw is not None:
        scoring.add_findings(entries, fw)
    if scored is not None:
        scoring.match_regions(scored, entries)
    followed = None
    if previous is not None:
        progress.stage("跟踪上轮反馈问题", None)
        followed = follow(previous, entries)
    prepare(out, force)
    pack = assemble(entries, out, statuses=statuses, reference_records=records_of(ref_results + ref_given),
                    reference_statuses=ref_statuses, options=options, argv=argv, started=started,
                    progress=progress, min_run=min_run, jobs=jobs)
    pack.scores, pack.previous = scored, followed
    return write_pack(pack, out, results=results, progress=progress, jobs=jobs)
