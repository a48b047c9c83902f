"""`dudao rectify`: last round's problems followed into this year's reports (registered in dudao/cli.py)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console

HELP = ("上轮反馈问题整改跟踪（已整改/整改中/仍存在/未回应）\n\n"
        "读取上一轮反馈意见的问题清单，在本年度自评报告或整改报告中逐条查找回应，判定整改状态并给出原文依据；"
        "用 --history 列出多年反复出现的问题。\n\n"
        "示例：dudao rectify --feedback 2022年反馈意见.docx --report 2023年自评报告.pdf --format table\n\n"
        "示例：dudao rectify --history 某县历年材料/")


def rectify(
    feedback: Optional[Path] = typer.Option(None, "--feedback", help="上一轮反馈意见或评价报告（txt、docx、pdf 等）"),
    report: Optional[List[Path]] = typer.Option(None, "--report", help="本年度自评报告或整改报告，可重复多次"),
    history: Optional[Path] = typer.Option(None, "--history", help="同一地区历年反馈意见和报告所在文件夹：列出反复出现的问题"),
    fmt: str = typer.Option("json", "--format", "-f", help="json：输出 JSON；table：在终端打印中文表格"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="把 JSON 写入此文件（已存在时需加 --force）"),
    force: bool = typer.Option(False, "--force", help="允许覆盖 --out 指定的已有文件"),
):
    from dudao.errors import DudaoError
    err, con = Console(stderr=True), Console()

    def fail(msg: str, code: int = 2):
        err.print(f"[bold red]错误：[/]{msg}")
        raise typer.Exit(code)

    if fmt not in ("json", "table"):
        fail(f"不支持的输出格式：{fmt}（可选 json、table）")
    if out is not None and out.exists() and not force:
        fail(f"输出文件已存在：{out}，未做任何改动。如需覆盖请加 --force。")
    try:
        if history is not None:
            from dudao.rectify.history import history_dir
            result = history_dir(history)
        else:
            if feedback is None or not report:
                fail("请用 --feedback 指定上一轮反馈意见，并用 --report 指定本年度报告，"
                     "例如：dudao rectify --feedback 反馈意见.docx --report 自评报告.pdf")
            from dudao.rectify.files import rectify_files
            result = rectify_files(feedback, list(report))
    except DudaoError as e:
        fail(e.message, e.exit_code)
    if out is not None:
        from dudao.atomic import write_text
        write_text(out, json.dumps(result, ensure_ascii=False, indent=1))
    if fmt == "table":
        from dudao.rectify.render import print_history, print_problems
        (print_history if history is not None else print_problems)(con, result)
    elif out is None:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=1))
    for f in result.get("failed") or []:
        err.print(f"[red]失败[/] {f['file']}：{f['reason']}")
    raise typer.Exit(1 if result.get("failed") else 0)
