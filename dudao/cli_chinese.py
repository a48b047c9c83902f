"""The command line in Chinese: help layout, usage line and every error typer/click can raise.

typer (0.29) carries its own copy of click whose messages are English f-strings, with a few typer
strings going through gettext. Installing a gettext catalogue would cover only the latter, so this
module hooks the three places every message passes through instead:

- typer.core's `_` (its gettext) → the table TYPER_STRINGS (section titles, [必填], 默认, …);
- the usage line ("用法：", "[选项]", "命令 [参数]…") and the help option's text;
- `typer.core._main`: errors are caught and shown by `show_error`, which words each click exception
  type in Chinese (its fields, not its English text); left-over English messages are translated by
  the patterns in MESSAGES.

`install()` is idempotent and is called when dudao.cli is imported, so every command registered on
the app (including those of other modules) gets the same treatment.
"""
from __future__ import annotations

import re
import sys

import typer
import typer.core
import typer.exceptions
import typer.rich_utils
from typer import _click
import typer._click.core  # noqa: F401  (attributes used below)
import typer._click._compat  # noqa: F401
import typer._click.formatting  # noqa: F401
from typer._click import exceptions as ce

TYPER_STRINGS = {
    "(dynamic)": "（动态）",
    "Aborted!": "已中止。",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "env var: {var}": "环境变量：{var}",
    "Arguments": "参数",
    "Options": "选项",
    "Commands": "命令",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有这个命令：“{name}”。",
}
RICH_CONSTANTS = {
    "DEPRECATED_STRING": "（已弃用）", "DEFAULT_STRING": "[默认：{}]", "ENVVAR_STRING": "[环境变量：{}]",
    "REQUIRED_LONG_STRING": "[必填]", "ARGUMENTS_PANEL_TITLE": "参数", "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令", "ERRORS_PANEL_TITLE": "错误", "ABORTED_TEXT": "已中止。",
    "RICH_HELP": "请运行“{command_path} {help_option}”查看帮助。",
}
USAGE = "用法："
HELP_TEXT = "显示本帮助并退出。"
PIECES = {"[OPTIONS]": "[选项]", "COMMAND [ARGS]...": "命令 [参数]…", "[ARGS]...": "[参数]…"}
# English messages click/typer build with f-strings, and their Chinese wording.
MESSAGES = [
    (re.compile(r"^(.*?)\.? Did you mean (.+)\?$"), lambda m: f"{_translate(m[1])}您是否想用 {m[2]}？"),
    (re.compile(r"^No such command '(.+)'\.?$"), lambda m: f"没有这个命令：“{m[1]}”。"),
    (re.compile(r"^Got unexpected extra arguments? \((.+)\)$"), lambda m: f"多余的参数：{m[1]}。"),
    (re.compile(r"^Option '(.+)' requires an argument\.$"), lambda m: f"选项 {m[1]} 需要一个值。"),
    (re.compile(r"^Option '(.+)' requires (\d+) arguments\.$"), lambda m: f"选项 {m[1]} 需要 {m[2]} 个值。"),
    (re.compile(r"^Option '(.+)' does not take a value\.$"), lambda m: f"选项 {m[1]} 不接受取值。"),
    (re.compile(r"^'?(.+?)'? is not a valid integer(?: range)?\.$"), lambda m: f"“{m[1]}”不是有效的整数。"),
    (re.compile(r"^'?(.+?)'? is not a valid float(?: range)?\.$"), lambda m: f"“{m[1]}”不是有效的数字。"),
    (re.compile(r"^(.+) is not in the range (.+)\.$"), lambda m: f"{m[1]} 超出允许范围（{m[2]}）。"),
    (re.compile(r"^Value (.+) is not a valid (.+)\.$"), lambda m: f"{m[1]} 不是有效的值。"),
    (re.compile(r"^(.+) is not one of (.+)\.$"), lambda m: f"{m[1]} 不是可选值之一（{m[2]}）。"),
    (re.compile(r"^No such option: (.+)$"), lambda m: f"没有这个选项：{m[1]}。"),
    # typer validates values with pydantic-style messages
    (re.compile(r"^Input should be greater than or equal to (\S+)"), lambda m: f"不能小于 {m[1]}。"),
    (re.compile(r"^Input should be less than or equal to (\S+)"), lambda m: f"不能大于 {m[1]}。"),
    (re.compile(r"^Input should be greater than (\S+)"), lambda m: f"应大于 {m[1]}。"),
    (re.compile(r"^Input should be less than (\S+)"), lambda m: f"应小于 {m[1]}。"),
    (re.compile(r"^Input should be a valid integer"), lambda m: "应为整数。"),
    (re.compile(r"^Input should be a valid (?:number|float|decimal)"), lambda m: "应为数字。"),
    (re.compile(r"^Input should be a valid boolean"), lambda m: "应为是或否（true/false）。"),
    (re.compile(r"^Input should be (.+)$"), lambda m: f"应为 {m[1]}。"),
]


def _translate(message: str) -> str:
    message = (message or "").strip()
    for pattern, word in MESSAGES:
        m = pattern.match(message)
        if m:
            return word(m)
    return message


def _param_name(param) -> str:
    if param is None:
        return ""
    if getattr(param, "param_type_name", "") == "argument":
        return param.metavar or param.human_readable_name
    return " / ".join(param.opts) or param.human_readable_name


def error_message(e: ce.ClickException) -> str:
    """The Chinese wording of a click exception, from its type and fields."""
    if isinstance(e, ce.MissingParameter):
        kind = "参数" if getattr(e.param, "param_type_name", "") == "argument" else "选项"
        return f"缺少{kind}“{_param_name(e.param)}”。"
    if isinstance(e, ce.NoSuchOption):
        text = f"没有这个选项：{e.option_name}。"
        if e.possibilities:
            text += f"您是否想用 {'、'.join(sorted(e.possibilities))}？"
        return text
    if isinstance(e, ce.BadParameter):
        name = _param_name(e.param) or e.param_hint or ""
        return (f"“{name}”的值无效：" if name else "值无效：") + _translate(e.message)
    return _translate(e.format_message() if not isinstance(e, ce.UsageError) else e.message)


def show_error(e: ce.ClickException) -> None:
    ctx = getattr(e, "ctx", None)
    lines = []
    if isinstance(e, ce.UsageError) and ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(f"请运行“{ctx.command_path} {ctx.help_option_names[0]}”查看帮助。")
        lines.append("")
    lines.append(f"错误：{error_message(e)}")
    _click.echo("\n".join(lines), file=sys.stderr)


def _chinese_main(original):
    def main(command, *args, standalone_mode: bool = True, **kw):
        if not standalone_mode:
            return original(command, *args, standalone_mode=False, **kw)
        try:
            rv = original(command, *args, standalone_mode=False, **kw)
        except ce.NoArgsIsHelpError as e:
            _click.echo(e.ctx.get_help(), file=sys.stderr)
            sys.exit(e.exit_code)
        except ce.ClickException as e:
            show_error(e)
            sys.exit(e.exit_code)
        except typer.exceptions.Abort:
            _click.echo("已中止。", file=sys.stderr)
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)
    main._dudao_chinese = True
    return main


def _usage_prefix(original):
    def write_usage(self, prog, args="", prefix=None):
        return original(self, prog, args, USAGE if prefix is None else prefix)
    return write_usage


def _pieces(original):
    def collect_usage_pieces(self, ctx):
        return [PIECES.get(p, p) for p in original(self, ctx)]
    return collect_usage_pieces


def _help_option(original):
    def get_help_option(self, ctx):
        opt = original(self, ctx)
        if opt is not None:
            opt.help = HELP_TEXT
        return opt
    return get_help_option


def number_range(lo, hi) -> str | None:
    """“范围 1–64” instead of typer's “1<=x<=64”."""
    if lo is None and hi is None:
        return None
    if lo is None:
        return f"不大于 {hi}"
    if hi is None:
        return f"不小于 {lo}"
    return f"范围 {lo}–{hi}"


def _argument_type(original):
    def display_type_rich(self, ctx):
        return None if self.metavar else original(self, ctx)   # "路径…", not "路径… <list[str]>"
    return display_type_rich


def _argument_usage(original):
    def usage_name(self):
        if not self.metavar:
            return original(self)
        return self.metavar if self.required else f"[{self.metavar}]"
    return usage_name


def display_width(s: str) -> int:
    """Columns a string takes in a terminal (Chinese characters take two)."""
    from dudao.codepoints import columns
    return columns(_click._compat.strip_ansi(s))


def _heading(self, heading: str) -> None:
    self.write(f"{'':>{self.current_indent}}{heading}：\n")


def install() -> None:
    """Put the Chinese wording in place (once per process)."""
    if getattr(typer.core._main, "_dudao_chinese", False):
        return
    typer.core._ = lambda s: TYPER_STRINGS.get(s, s)
    for name, value in RICH_CONSTANTS.items():
        setattr(typer.rich_utils, name, value)
    typer.core._main = _chinese_main(typer.core._main)
    fmt = _click.formatting.HelpFormatter
    fmt.write_usage = _usage_prefix(fmt.write_usage)
    for cls in {_click.core.Command, typer.core.TyperCommand, typer.core.TyperGroup}:
        if "collect_usage_pieces" in vars(cls):
            cls.collect_usage_pieces = _pieces(vars(cls)["collect_usage_pieces"])
    cmd = _click.core.Command
    cmd.get_help_option = _help_option(cmd.get_help_option)
    fmt.write_heading = _heading
    _click.formatting.term_len = display_width    # help columns line up with Chinese names
    typer.core.describe_number_range = number_range
    arg = typer.core.TyperArgument
    arg.display_type_rich = _argument_type(arg.display_type_rich)
    arg._usage_display_name = _argument_usage(arg._usage_display_name)
