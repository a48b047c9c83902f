"""Commands `framework` (import/check/show/template), `score` and `balance`, registered on the main app."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from dudao.errors import DudaoError

err = Console(stderr=True)
out = Console()
framework_app = typer.Typer(help="指标体系：导入、校验、查看指标体系，生成评分表。例：dudao framework show county_example",
                            no_args_is_help=True, rich_markup_mode=None)


def register(app: typer.Typer) -> None:
    app.add_typer(framework_app, name="framework")
    app.command("score", help=score_cmd.__doc__, short_help="按指标体系计算各地区得分、等次与自评可信度")(score_cmd)
    app.command("balance", help=balance_cmd.__doc__, short_help="义务教育优质均衡资源配置测算（逐校达标、差异系数）")(balance_cmd)


def _fail(message: str, code: int = 2):
    err.print(f"[bold red]错误：[/]{message}")
    raise typer.Exit(code)


def _load(path: str):
    from dudao.framework.load import load_framework
    try:
        return load_framework(path)
    except DudaoError as e:
        _fail(e.message, e.exit_code)


def _format(fmt: str):
    if fmt not in ("json", "table"):
        _fail(f"不支持的输出格式：{fmt}（可选 json、table）")


def _print_json(data) -> None:
    out.print_json(json.dumps(data, ensure_ascii=False))


@framework_app.command("import")
def import_cmd(
    source: Path = typer.Argument(..., help="指标体系表：Excel（.xlsx）或 Word（.docx）"),
    out_path: Path = typer.Option(..., "--out", "-o", help="写出的指标体系 YAML 文件"),
    force: bool = typer.Option(False, "--force", help="允许覆盖已有文件"),
):
    """从 Excel/Word 指标体系表导入，打印识别结果和未能识别的内容。例：dudao framework import 指标体系.xlsx --out 指标体系.yaml"""
    from dudao.framework.check import check_framework
    from dudao.framework.importer import import_framework
    from dudao.framework.load import dump_framework
    if out_path.exists() and not force:
        _fail(f"{out_path} 已存在，未做改动；如需覆盖请加 --force")
    try:
        fw, understood, missed = import_framework(source)
    except DudaoError as e:
        _fail(e.message, e.exit_code)
    from dudao.atomic import write_text
    write_text(out_path, dump_framework(fw))
    out.print(f"[bold]已识别[/]（{source.name}）：")
    for line in understood:
        out.print(f"  ✓ {line}")
    problems = check_framework(fw)
    if missed or problems:
        out.print("[bold yellow]未能识别或需要核对[/]（请编辑 YAML 补全）：")
        for line in missed + problems:
            out.print(f"  • {line}")
    out.print(f"已写入：{out_path}")


@framework_app.command("check")
def check_cmd(framework: str = typer.Argument(..., help="指标体系 YAML 文件或内置指标体系编号")):
    """校验指标体系：下级分值之和等于上级、编号不重复、等次有序且无空档。例：dudao framework check 指标体系.yaml"""
    from dudao.framework.check import check_framework
    fw = _load(framework)
    problems = check_framework(fw)
    if problems:
        for p in problems:
            out.print(f"[red]✗[/] {p}")
        _fail(f"指标体系“{fw.name}”有 {len(problems)} 处问题", 3)
    out.print(f"[green]✓[/] 指标体系“{fw.name}”校验通过：{len(fw.leaves())} 个观测点，满分 {fw.full_score:g} 分")


def framework_summary(fw) -> dict:
    nodes = [{"id": n.id, "name": n.name, "parent": p, "level": d, "max_score": n.points,
              "rule": n.rule.model_dump(exclude_none=True) if n.rule else ({"kind": "manual"} if n.is_leaf else None),
              "units": n.units, "survey": n.survey}
             for n, p, d in fw.walk()]
    return {"id": fw.id, "name": fw.name, "full_score": fw.full_score, "example": fw.example,
            "na_policy": fw.na_policy, "nodes": nodes,
            "bonus": {"cap": fw.bonus.cap, "items": [b.model_dump(exclude_none=True) for b in fw.bonus.items]},
            "bands": [b.model_dump() for b in fw.bands_desc()],
            "gates": [g.model_dump(exclude_none=True) for g in fw.gates]}


@framework_app.command("show")
def show_cmd(
    framework: str = typer.Argument(..., help="指标体系 YAML 文件或内置指标体系编号"),
    fmt: str = typer.Option("table", "--format", "-f", help="table：中文表格；json：机器可读"),
):
    """查看指标体系：各级指标、分值、评分规则，以及加分上限、等次和否决/降等条件。例：dudao framework show county_example --format json"""
    from dudao.framework.model import GATE_WORDS, NA_WORDS
    _format(fmt)
    fw = _load(framework)
    data = framework_summary(fw)
    if fmt == "json":
        _print_json(data)
        return
    kinds = {"deduct": "按次扣分", "threshold": "达标得分", "prorata": "按比例得分", "manual": "人工评分"}
    t = Table(title=fw.name + ("（示例）" if fw.example and "示例" not in fw.name else ""))
    for h in ("编号", "指标", "上级", "分值", "评分规则"):
        t.add_column(h)
    for n in data["nodes"]:
        rule = n["rule"]
        t.add_row(n["id"], "　" * (n["level"] - 1) + n["name"], n["parent"] or "", f"{n['max_score']:g}",
                  (kinds[rule["kind"]] + (f"：{rule['text']}" if rule.get("text") else "")) if rule else "")
    out.print(t)
    out.print(f"满分 {fw.full_score:g} 分；不适用：{NA_WORDS[fw.na_policy]}")
    if fw.bonus.items:
        out.print(f"加分项 {len(fw.bonus.items)} 项，合计上限 {fw.bonus.cap if fw.bonus.cap is not None else '不设'} 分")
    out.print("等次：" + "；".join(f"{b.name} ≥ {b.min:g}" for b in fw.bands_desc()))
    for g in fw.gates:
        out.print(f"{GATE_WORDS[g.kind]}：{g.name}")


@framework_app.command("template")
def template_cmd(
    framework: str = typer.Argument(..., help="指标体系 YAML 文件或内置指标体系编号"),
    out_path: Path = typer.Option(..., "--out", "-o", help="写出的评分表（.xlsx）"),
    region: str = typer.Option("", "--region", help="预填的地区名称"),
    force: bool = typer.Option(False, "--force", help="允许覆盖已有文件"),
):
    """生成评分表（每个观测点一行，自评得分/核定得分限 0 到分值）。例：dudao framework template county_example --out 评分表.xlsx"""
    from dudao.framework.template import write_template
    fw = _load(framework)
    if out_path.exists() and not force:
        _fail(f"{out_path} 已存在，未做改动；如需覆盖请加 --force")
    n = write_template(fw, out_path, region)
    out.print(f"已生成评分表：{out_path}（{n} 个观测点）")


def score_cmd(
    framework: str = typer.Option(..., "--framework", help="指标体系 YAML 文件或内置指标体系编号"),
    scores: Path = typer.Option(..., "--scores", help="填好的评分表（模板或“地区/观测点/自评得分/核定得分/备注”长表）"),
    survey: Optional[Path] = typer.Option(None, "--survey", help="满意度调查结果（.xlsx），计入注明调查对象的观测点"),
    fmt: str = typer.Option("table", "--format", "-f", help="table：中文表格；json：机器可读"),
    out_path: Optional[Path] = typer.Option(None, "--out", "-o", help="另存评分结果（.xlsx）"),
):
    """按指标体系计算各地区得分、等次与自评可信度。例：dudao score --framework county_example --scores 评分表.xlsx --out 结果.xlsx"""
    from dudao.framework.check import check_framework
    from dudao.framework.score import score_all
    from dudao.framework.sheets import read_scores
    _format(fmt)
    fw = _load(framework)
    problems = check_framework(fw)
    if problems:
        _fail(f"指标体系有误，无法计分：{problems[0]}（共 {len(problems)} 处，可用 dudao framework check 查看）", 3)
    try:
        regions, sheet_problems = read_scores(scores, fw)
        values = {}
        if survey is not None:
            from dudao.framework.survey import read_survey, survey_values
            results, survey_problems = read_survey(survey)
            sheet_problems += survey_problems
            values = survey_values(fw, results)
    except DudaoError as e:
        _fail(e.message, e.exit_code)
    if not regions:
        _fail(f"{scores.name}：评分表中没有任何得分行")
    result = score_all(fw, regions, values)
    result["problems"] = sheet_problems
    if out_path is not None:
        from dudao.framework.results import write_results
        write_results(result, out_path)
    if fmt == "json":
        _print_json(result)
    else:
        _print_scores(result)
        if out_path is not None:
            out.print(f"结果已写入：{out_path}")
    failed = sheet_problems or any(r["errors"] for r in result["regions"])
    raise typer.Exit(1 if failed else 0)


def _print_scores(result: dict) -> None:
    t = Table(title=f"{result['framework']['name']} 评分结果")
    for h in ("地区", "自评总分", "核定总分", "其中加分", "扣分", "等次", "否决/降等", "不适用", "可信度"):
        t.add_column(h)
    for r in result["regions"]:
        gates = "、".join(g["name"] for g in r["gates"]) or "—"
        cred = f"{r['credibility']:.1%}" if r["credibility"] is not None else "—"
        t.add_row(r["region"], f"{r['self_total']:g}", f"{r['verified_total']:g}", f"{r['bonus']:g}",
                  f"{r['deducted']:g}", r["grade"] or "—", gates, "、".join(r["not_applicable"]) or "—", cred)
    out.print(t)
    out.print(f"[dim]{result['credibility_formula']}[/]")
    for r in result["regions"]:
        if r["largest_gaps"]:
            gaps = "；".join(f"{g['id']} {g['name']}（自评 {g['self']:g}，核定 {g['verified']:g}）" for g in r["largest_gaps"][:3])
            out.print(f"{r['region']} 自评与核定差距最大：{gaps}")
        for e in r["errors"]:
            out.print(f"  [yellow]{r['region']}：{e}[/]")
    for p in result.get("problems", []):
        out.print(f"  [yellow]{p}[/]")


def balance_cmd(
    schools: Path = typer.Argument(..., help="学校数据表（.xlsx）：每校一行，含学段、在校生数和七项资源配置指标（或原始数）"),
    fmt: str = typer.Option("table", "--format", "-f", help="table：中文表格；json：机器可读"),
    out_path: Optional[Path] = typer.Option(None, "--out", "-o", help="另存测算结果（.json）"),
):
    """义务教育优质均衡资源配置测算：逐校对照标准、“七项至少六项达标且余项不低于85%”、分学段差异系数及全县结论。例：dudao balance 学校数据.xlsx"""
    from dudao.framework.balance import assess, read_schools
    _format(fmt)
    try:
        rows, problems = read_schools(schools)
    except DudaoError as e:
        _fail(e.message, e.exit_code)
    result = assess(rows)
    result["problems"] = problems
    if out_path is not None:
        from dudao.atomic import write_text
        write_text(out_path, json.dumps(result, ensure_ascii=False, indent=2))
    if fmt == "json":
        _print_json(result)
    else:
        from dudao.framework.balance import print_balance
        print_balance(out, result)
    raise typer.Exit(1 if problems else 0)
