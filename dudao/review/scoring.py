"""The review pack's link to an indicator framework (dudao.framework): each report's stated self-score
checked against the framework (findings with spans, joined to the report's own), and, with a filled
scoring sheet, the engine's scores per region matched to the pack's reports.

Everything that can fail on bad input (`load`) runs before the pack writes anything.
"""
from __future__ import annotations

from pathlib import Path

from dudao.errors import ConfigError, DudaoError, InputError


def load(framework, scores=None) -> tuple[object, dict | None]:
    """(Framework, scoring result or None). `framework` is a YAML path, a bundled id (e.g.
    ``county_example``) or a loaded ``Framework``; `scores` a filled scoring sheet (.xlsx).
    Raises a DudaoError with a Chinese message: unknown framework, a framework whose points do not
    add up, a missing or unreadable sheet, a sheet without any score row."""
    from dudao.framework.check import check_framework
    from dudao.framework.load import load_framework
    from dudao.framework.model import Framework
    fw = framework if isinstance(framework, Framework) else load_framework(framework)
    problems = check_framework(fw)
    if problems:
        raise ConfigError(f"指标体系“{fw.name}”有误，无法用于核查：{problems[0]}"
                          f"（共 {len(problems)} 处，可用 dudao framework check 查看）")
    if scores is None:
        return fw, None
    return fw, score_sheet(fw, Path(scores))


def score_sheet(fw, path: Path) -> dict:
    """score_all's result for a filled sheet, as `dudao score` computes it, plus `problems`."""
    from dudao.framework.score import score_all
    from dudao.framework.sheets import read_scores
    if not path.is_file():
        raise InputError(f"找不到评分表：{path}。未生成任何结果。")
    try:
        regions, problems = read_scores(path, fw)
    except DudaoError:
        raise
    except Exception as e:   # a corrupt or non-Excel file: openpyxl's own exception types vary
        raise InputError(f"无法读取评分表 {path.name}（{type(e).__name__}），请确认是 Excel（.xlsx）文件。"
                         f"未生成任何结果。") from None
    if not regions:
        raise InputError(f"{path.name}：评分表中没有任何得分行。未生成任何结果。")
    result = score_all(fw, regions)
    result["problems"] = problems
    result["sheet"] = path.name
    return result


def add_findings(entries, fw) -> int:
    """Join the framework findings to each report's findings (a copy of the report dict: reports
    given in memory are not changed). Returns the number added."""
    from dudao.framework.report import check_report_score
    added = 0
    for e in entries:
        new = check_report_score(e.report, fw)
        if new:
            e.report = {**e.report, "findings": list(e.report.get("findings") or []) + new}
            added += len(new)
    return added


def _key(name: str | None) -> str:
    return "".join((name or "").split()).removesuffix("人民政府")


def match_regions(result: dict, entries) -> None:
    """Set each scored region's `entries` (ids of the pack's reports of that region, by region name)."""
    by_name: dict[str, list] = {}
    for e in entries:
        if e.region_name:
            by_name.setdefault(_key(e.region_name), []).append(e.id)
    for r in result["regions"]:
        r["entries"] = by_name.get(_key(r["region"]), [])
