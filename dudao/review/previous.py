"""The review pack's link to last round's feedback letters (dudao.rectify): each report followed
against the letter of its region found in the --previous folder; rows for the 上轮问题整改 sheet and
page, and paragraphs for the new feedback draft."""
from __future__ import annotations

from pathlib import Path

from dudao.errors import InputError


def check_folder(folder) -> Path:
    """The --previous folder must exist and be a folder (checked before anything is written)."""
    p = Path(folder)
    if not p.exists():
        raise InputError(f"找不到上一轮反馈意见文件夹：{folder}。未生成任何结果。")
    if not p.is_dir():
        raise InputError(f"上一轮反馈意见应放在一个文件夹中：{folder} 不是文件夹。未生成任何结果。")
    return p


def follow(folder, entries) -> dict:
    """dudao.rectify.sheet.previous_results for the pack's self-reports and rectification reports, plus `rows`
    ({report id: sheet rows}) and `paragraphs` ({report id: letter paragraphs}).
    Raises InputError when the folder holds no feedback letter at all."""
    from dudao.rectify.sheet import draft_paragraphs, previous_results, sheet_rows
    reports = [{"id": e.id, "text": e.text, "region": e.region, "source": e.source,
                "doc_type": e.report.get("doc_type"), "work_year": e.report.get("work_year")}
               for e in entries if e.relevant or e.report.get("doc_type") == "rectification"]
    found = previous_results(check_folder(folder), reports)
    if not found["results"] and not found["unmatched"]:
        why = "；".join(f"{Path(f['file']).name}：{f['reason']}" for f in found["failed"])
        raise InputError(f"上一轮反馈意见文件夹 {folder} 中没有找到反馈意见"
                         + (f"（无法读取：{why}）" if why else "") + "。未生成任何结果。")
    found["rows"] = {rid: sheet_rows(res) for rid, res in found["results"].items()}
    found["paragraphs"] = {rid: draft_paragraphs(res) for rid, res in found["results"].items()}
    return found
