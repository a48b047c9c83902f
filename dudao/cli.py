"""dudao 命令行：对 dudao 库的一层薄封装。"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console

from dudao.cli_chinese import install as _install_chinese
from dudao.errors import DudaoError

_install_chinese()

PATHS = "路径…"


def _examples(*lines: str) -> str:
    """An examples block for a command's help (\b keeps click from re-wrapping the lines)."""
    return "示例：\n\n\b\n" + "\n".join(f"  {ln}" for ln in lines)


app = typer.Typer(
    help="督导（dudao）：政府履行教育职责自评报告的分析、核查与评审工具。",
    epilog=_examples("dudao analyze 报告/ --out 结果/", "dudao check 报告.docx",
                     "dudao review 报告/ --out 评审包/", "dudao 命令 --help    查看某个命令的说明"),
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
err = Console(stderr=True)
out = Console()


def _fail(message: str, code: int = 2):
    err.print(f"[bold red]错误：[/]{message}", highlight=False)
    raise typer.Exit(code)


def _existing(paths: List[str]) -> None:
    """A path that does not exist is an error before anything is analysed or written."""
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        _fail("找不到输入：" + "、".join(missing) + "。未生成任何结果。")


def _items(paths: List[str]):
    from dudao.ingest import iter_inputs
    _existing(paths)
    items = list(iter_inputs(paths))
    if not items:
        _fail("没有找到可分析的文件。")
    return items


def _options(scheme: Optional[str], **more):
    from dudao.options import Options
    try:
        return Options.coerce({"scheme": scheme, **more})
    except DudaoError as e:
        _fail(e.message, e.exit_code)


def _writable_out(out_dir: Path) -> None:
    """--out must be a folder the tool can write (checked before the batch is analysed)."""
    from dudao.review.outdir import probe_writable
    if out_dir.exists() and not out_dir.is_dir():
        _fail(f"输出位置 {out_dir} 已存在，但不是文件夹，未做任何改动。请用 --out 指定一个文件夹。", 4)
    try:
        probe_writable(out_dir)
    except DudaoError as e:
        _fail(e.message, e.exit_code)


def _not_ok(st: dict) -> None:
    """A skipped input (not a report format) is not a failure: it is said so, in grey."""
    if st["status"] == "skipped":
        err.print(f"[dim]跳过[/] {st['source']}：{st['reason']}", highlight=False)
    else:
        err.print(f"[red]失败[/] {st['source']}：{st['reason']}", highlight=False)


def _progress_runner(jobs, jobs_n, options, label, resume=False):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from dudao.batch import run_batch
    statuses = []
    if len(jobs) == 1:
        return list(run_batch(jobs, 1, options, resume=resume))
    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.fields[failed]}"), console=err, transient=False) as prog:
        task = prog.add_task(label, total=len(jobs), failed="")
        failed = 0
        for st in run_batch(jobs, jobs_n, options, resume=resume):
            statuses.append(st)
            failed += st["status"] == "failed"
            prog.update(task, advance=1, failed=f"失败 {failed}" if failed else "")
    return statuses


_PATHS_HELP = "文件、文件夹或 .zip 压缩包，可多个"
_SCHEME_HELP = "评价方案设置文件（YAML），默认使用内置方案"
_JOBS_HELP = "并行进程数"


@app.command("analyze", help="分析自评报告，每个输入文件输出一个 JSON（含报告正文、结构、指标与核查发现）。",
             epilog=_examples("dudao analyze 报告/ --out 结果/", "dudao analyze 报告.docx --format table",
                              "dudao analyze 报告.zip --out 结果/ --jobs 2 --figures"))
def analyze(
    paths: List[str] = typer.Argument(..., help=_PATHS_HELP, metavar=PATHS, show_default=False),
    out_dir: Optional[Path] = typer.Option(None, "--out", "-o", metavar="文件夹",
                                           help="输出文件夹（每个输入一个 JSON，另有 summary.json）"),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, max=64, metavar="进程数", help=_JOBS_HELP),
    force: bool = typer.Option(False, "--force", help="允许覆盖输出文件夹中已有的结果"),
    fmt: str = typer.Option("json", "--format", "-f", metavar="格式", help="json：写入 JSON 文件；table：在终端打印中文摘要"),
    scheme: Optional[str] = typer.Option(None, "--scheme", metavar="方案文件", help=_SCHEME_HELP),
    figures: bool = typer.Option(False, "--figures", help="另外输出文中所有数字及其所指（figures 字段，约慢三成）"),
    resume: bool = typer.Option(False, "--resume", help="继续被中断的批处理：已有完整结果的文件不再分析"),
):
    from dudao.batch import Job, existing_targets, output_names, write_summary
    if fmt not in ("json", "table"):
        _fail(f"不支持的输出格式：{fmt}（可选 json、table）")
    if fmt == "json" and out_dir is None:
        _fail("请用 --out 指定输出文件夹，例如：dudao analyze 报告/ --out 结果/")
    options = _options(scheme, figures=figures)
    items = _items(paths)
    if fmt == "table":
        statuses = _progress_runner([Job(i, None) for i in items], jobs, options, "分析中")
        from dudao.render import print_report_table
        for st in statuses:
            if st["status"] == "ok":
                print_report_table(out, st["result"])
            else:
                _not_ok(st)
        raise typer.Exit(1 if any(s["status"] == "failed" for s in statuses) else 0)
    _writable_out(out_dir)
    names = output_names(items)
    if out_dir.is_dir():
        clash = existing_targets(out_dir, names)
        if clash and not (force or resume):
            _fail(f"输出文件夹中已有 {len(clash)} 个同名结果（如 {clash[0]}），未做任何改动。"
                  f"如需覆盖请加 --force，继续中断的批处理请加 --resume，或换一个输出文件夹。")
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.time()
    job_list = [Job(i, str(out_dir / n)) for i, n in zip(items, names)]
    statuses = _progress_runner(job_list, jobs, options, "分析中", resume=resume)
    summary = write_summary(out_dir, statuses, started, sys.argv)
    _print_batch_summary(summary, out_dir)
    raise typer.Exit(1 if summary["counts"]["failed"] else 0)


def _print_batch_summary(summary, out_dir):
    c = summary["counts"]
    skipped = f"，跳过非报告文件 {c['skipped']} 个" if c.get("skipped") else ""
    out.print(f"已分析 {c['inputs']} 个文件：成功 {c['ok']} 个，失败 {c['failed']} 个{skipped}；"
              f"识别出报告 {c['reports']} 篇，其中政府履职自评报告 {c['relevant_reports']} 篇。")
    for s in summary["inputs"]:
        if s["status"] == "failed":
            out.print(f"  [red]失败[/] {s['source']}：{s['reason']}", highlight=False)
        elif s["status"] == "skipped":
            out.print(f"  [dim]跳过[/] {s['source']}：{s['reason']}", highlight=False)
        if s.get("warning"):
            out.print(f"  [yellow]请核对[/] {s['source']}：{s['warning']}", highlight=False)
    out.print(f"结果已写入：{out_dir}（汇总见 {out_dir / 'summary.json'}）", highlight=False)


@app.command("check", help="核查自评报告，按严重程度列出问题（发现）及原文摘录和依据。",
             epilog=_examples("dudao check 报告.docx", "dudao check 报告/ --format json > 发现.json",
                              "dudao check 报告/ --scheme 本省方案.yaml --jobs 2"))
def check_cmd(
    paths: List[str] = typer.Argument(..., help=_PATHS_HELP, metavar=PATHS, show_default=False),
    fmt: str = typer.Option("table", "--format", "-f", metavar="格式", help="table：中文表格；json：输出 findings JSON"),
    scheme: Optional[str] = typer.Option(None, "--scheme", metavar="方案文件", help=_SCHEME_HELP),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, max=64, metavar="进程数", help=_JOBS_HELP),
):
    from dudao.batch import Job
    from dudao.render import findings_json, print_findings_table
    if fmt not in ("json", "table"):
        _fail(f"不支持的输出格式：{fmt}（可选 json、table）")
    options = _options(scheme)
    statuses = _progress_runner([Job(i, None) for i in _items(paths)], jobs, options, "核查中")
    if fmt == "json":
        out.print_json(json.dumps(findings_json(statuses), ensure_ascii=False))
    else:
        for st in statuses:
            if st["status"] == "ok":
                print_findings_table(out, st["result"])
            else:
                _not_ok(st)
    raise typer.Exit(1 if any(s["status"] == "failed" for s in statuses) else 0)


@app.command("eval", hidden=True, help="（开发用）在共享样本上运行分析并用 score.py 评估准确率（需要 ../shared）。",
             epilog=_examples("dudao eval --shared ../shared"))
def eval_cmd(
    shared: Path = typer.Option(Path("../shared"), "--shared", metavar="文件夹", help="shared 文件夹位置"),
    keep: Optional[Path] = typer.Option(None, "--keep", metavar="文件夹", help="把分析结果保留在此文件夹"),
):
    import subprocess
    import tempfile

    from dudao.batch import Job, output_names, run_one
    seeds, gold, score = shared / "corpus" / "seeds", shared / "corpus" / "gold", shared / "eval" / "score.py"
    if not seeds.is_dir() or not score.is_file():
        _fail(f"找不到样本或评分脚本：{seeds}、{score}")
    pred = keep or Path(tempfile.mkdtemp(prefix="dudao-eval-"))
    pred.mkdir(parents=True, exist_ok=True)
    items = _items([str(p) for p in sorted(seeds.iterdir()) if p.is_file()])
    for item, name in zip(items, output_names(items)):
        st = run_one(Job(item, str(pred / name)))
        if st["status"] != "ok":
            _not_ok(st)
    r = subprocess.run([sys.executable, str(score), "--gold", str(gold), "--pred", str(pred), "-v"])
    raise typer.Exit(r.returncode)


class _Shown:
    """The review pack's progress (dudao.review.pack.Progress) as rich bars: one bar per step."""

    def __init__(self, prog):
        self.prog, self.task, self.failed = prog, None, 0

    def _close(self):
        if self.task is not None:
            t = next(t for t in self.prog.tasks if t.id == self.task)
            self.prog.update(self.task, total=t.total or t.completed or 1, completed=t.total or t.completed or 1)

    def stage(self, label, total=None):
        self._close()
        self.failed = 0
        self.task = self.prog.add_task(label, total=total, failed="")

    def advance(self, n=1, failed=False):
        self.failed += bool(failed)
        self.prog.update(self.task, advance=n, failed=f"失败 {self.failed}" if self.failed else "")


@app.command("review", help="生成评审包：Excel 汇总表、离线网页总览与逐篇标注、反馈意见初稿（Word）和 summary.json。",
             epilog=_examples("dudao review 报告/ --out 评审包/", "dudao review 报告.zip --out 评审包/ --jobs 2",
                              "dudao review 报告/ --out 评审包/ --reference 范文/ --force",
                              "dudao review 报告/ --out 评审包/ --framework county_example --scores 评分表.xlsx",
                              "dudao review 报告/ --out 评审包/ --previous 上轮反馈意见/"))
def review_cmd(
    paths: List[str] = typer.Argument(..., help="自评报告：" + _PATHS_HELP, metavar=PATHS, show_default=False),
    out_dir: Optional[Path] = typer.Option(None, "--out", "-o", metavar="文件夹",
                                           help="输出文件夹（须为空；已有内容时需加 --force）"),
    reference: Optional[Path] = typer.Option(None, "--reference", metavar="文件夹",
                                             help="参照文件夹：范文、模板或往年报告，只用于雷同检测"),
    scheme: Optional[str] = typer.Option(None, "--scheme", metavar="方案文件", help=_SCHEME_HELP),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, max=64, metavar="进程数", help=_JOBS_HELP),
    force: bool = typer.Option(False, "--force", help="允许写入非空的输出文件夹（覆盖上次生成的评审包文件）"),
    framework: Optional[str] = typer.Option(None, "--framework", metavar="指标体系",
                                            help="指标体系 YAML 文件或内置编号（如 county_example）：按它核查各报告的自评得分"),
    scores: Optional[Path] = typer.Option(None, "--scores", metavar="评分表",
                                          help="填好的评分表（.xlsx，须同时给 --framework）：评审包增加“评分”工作表和评分核定网页"),
    previous: Optional[Path] = typer.Option(None, "--previous", metavar="文件夹",
                                            help="上一轮反馈意见所在文件夹：逐条跟踪整改情况，写入“上轮问题整改”工作表、网页和反馈意见初稿"),
):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Column

    from dudao.review.api import build_review_pack
    if out_dir is None:
        _fail("请用 --out 指定输出文件夹，例如：dudao review 报告/ --out 评审包/")
    _existing(paths)
    if reference is not None and not reference.exists():
        _fail(f"找不到参照文件夹：{reference}")
    options = _options(scheme)
    with Progress(TextColumn("{task.description}", table_column=Column(min_width=18)), BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("[red]{task.fields[failed]}"),
                  console=err, transient=False) as prog:
        shown = _Shown(prog)
        try:
            summary = build_review_pack(paths, out_dir, reference=reference, scheme=options.scheme, jobs=jobs,
                                        force=force, progress=shown, argv=sys.argv, framework=framework,
                                        scores=scores, previous=previous)
        except DudaoError as e:
            prog.stop()
            _fail(e.message, e.exit_code)
        shown._close()
    _print_review_summary(summary, out_dir)
    raise typer.Exit(1 if summary["counts"]["failed"] else 0)


def _print_review_summary(summary: dict, out_dir: Path):
    from rich.panel import Panel
    from rich.table import Table
    c = summary["counts"]
    f = c["findings"]
    t = Table(show_header=False, box=None, padding=(0, 1))
    t.add_column(style="bold", no_wrap=True)
    t.add_column()
    t.add_row("输入文件", f"{c['inputs']} 个：成功 {c['ok']} 个，失败 {c['failed']} 个"
              + (f"，跳过非报告文件 {c['skipped']} 个" if c.get("skipped") else "")
              + (f"；参照文件 {c['reference_inputs']} 个（{c['reference_reports']} 篇）" if c["reference_inputs"] else ""))
    t.add_row("报告", f"识别出 {c['reports']} 篇，其中政府履职自评报告 {c['relevant_reports']} 篇")
    t.add_row("核查发现", f"[bold red]严重 {f['error']}[/] 条，[yellow]警告 {f['warning']}[/] 条，[cyan]提示 {f['info']}[/] 条；"
              f"报告自述问题 {c['problems']} 条")
    ratios = sorted(((r["copy_ratio"], r) for r in summary["reports"] if r["copy_ratio"] > 0), key=lambda x: -x[0])
    if ratios:
        top = "、".join(f"{r['label']} {ratio:.1%}" for ratio, r in ratios[:3])
        t.add_row("雷同检测", f"{c['copy_pairs']} 对报告有雷同段落（共 {c['copy_passages']} 处）；雷同比例最高：{top}")
    else:
        t.add_row("雷同检测", "未发现报告之间的雷同段落")
    themes = [th for th in summary["themes"] if th["id"] != "other"][:5]
    if themes:
        t.add_row("主要问题主题", "；".join(f"{th['name']}（{th['regions']} 个地区，{th['count']} 条）" for th in themes))
    t.add_row("反馈意见初稿", f"{c['feedback_drafts']} 份（{out_dir / 'feedback'}）")
    if c.get("scored_regions") is not None:
        t.add_row("评分核定", f"{c['scored_regions']} 个地区，其中与报告对应 {c['scored_regions_matched']} 个"
                  + (f"；[yellow]评分表问题 {c['score_problems']} 处[/]（见“评分”工作表）" if c["score_problems"] else "")
                  + f"（{out_dir / 'scores.html'}）")
    if c.get("previous_problems") is not None:
        t.add_row("上轮问题整改", f"跟踪 {c['previous_problems']} 个问题，仍未整改到位 {c['previous_remaining']} 个"
                  f"（{out_dir / 'previous.html'}）")
    t.add_row("Excel 汇总表", str(out_dir / "review.xlsx"))
    t.add_row("网页总览", f"{out_dir / 'index.html'}（用浏览器直接打开，无需联网）")
    t.add_row("汇总数据", str(out_dir / "summary.json"))
    ok = c["ok"] > 0
    out.print(Panel(t, title="评审包已生成" if ok else "评审包已生成（没有成功分析任何文件）", title_align="left",
                    border_style="green" if ok else "red"))
    for f in summary.get("feedback_failed") or []:
        out.print(f"  [red]反馈意见初稿未生成[/] {f['source']}：{f['reason']}", highlight=False)
    for s in summary["inputs"] + summary.get("reference", []):
        if s["status"] == "failed":
            out.print(f"  [red]失败[/] {s['source']}：{s['reason']}", highlight=False)
        elif s["status"] == "skipped":
            out.print(f"  [dim]跳过[/] {s['source']}：{s['reason']}", highlight=False)


from dudao.framework.cli import register as _register_framework  # noqa: E402

_register_framework(app)
from dudao.rectify.cli import HELP as _RECTIFY_HELP, rectify as _rectify  # noqa: E402
app.command("rectify", help=_RECTIFY_HELP)(_rectify)


# The platform (dudao/web): imported only when one of its commands runs.
def _web_commands() -> None:
    from dudao.web import cli as web_cli
    app.command("serve")(web_cli.serve)
    app.command("worker")(web_cli.worker)
    app.add_typer(web_cli.db_app, name="db")
    app.add_typer(web_cli.user_app, name="user")


_web_commands()


def main():  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
