"""Analysis options, typed and validated once at the edge (CLI, library call, later the web).

`Options.coerce` accepts an `Options`, a dict of the same fields, or None, and turns every bad
value into a `ConfigError` with a Chinese message; inside the pipeline options are always an
`Options`, never a bare dict.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from dudao.checks.scheme import Scheme, default_scheme, load_scheme
from dudao.errors import ConfigError

# How each option is named in a Chinese error message, and what a valid value looks like.
_LABELS = {
    "scheme": ("评价方案", "应为方案文件（YAML）的路径"),
    "figures": ("figures（输出全部数字）", "应为 true 或 false"),
    "jobs": ("并行进程数 jobs", "应为不小于 1 的整数"),
    "reference": ("参照文件 reference", "应为文件或文件夹路径的列表"),
    "force": ("force（允许覆盖）", "应为 true 或 false"),
    "framework": ("指标框架 framework", "应为文件路径"),
    "time_limit": ("每个文件的处理时限 time_limit", "应为不小于 0 的秒数"),
    "max_chars": ("每个文件的正文字数上限 max_chars", "应为不小于 0 的整数"),
    "previous": ("往年材料 previous", "应为文件或文件夹路径的列表"),
}


class Options(BaseModel):
    """What an analysis run may be told. Every field has a safe default."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    scheme: Scheme = Field(default_factory=default_scheme,
                           description="评价方案设置；给路径时读入该 YAML，None 为内置方案")
    figures: bool = Field(False, description="另外输出文中所有数字及其所指（figures 字段）")
    jobs: int = Field(1, ge=1, description="并行进程数")
    reference: list[Path] = Field(default_factory=list, description="参照文件或文件夹（只用于雷同检测）")
    force: bool = Field(False, description="允许覆盖已有输出")
    framework: Path | None = Field(None, description="指标框架文件（评分引擎用）")
    previous: list[Path] = Field(default_factory=list, description="往年报告或整改材料（整改跟踪用）")
    # Limits that protect a shared machine (dudao/batch.py); None: the environment variable
    # DUDAO_TIME_LIMIT / DUDAO_MAX_CHARS, else 300 seconds and 5,000,000 characters; 0: no limit.
    time_limit: float | None = Field(None, ge=0, description="每个文件的处理时限（秒）")
    max_chars: int | None = Field(None, ge=0, description="每个文件的正文字数上限")

    @field_validator("scheme", mode="before")
    @classmethod
    def _load_scheme(cls, v):
        if v is None or v == "":
            return default_scheme()
        if isinstance(v, (str, Path)):
            if not Path(v).is_file():
                raise ConfigError(f"评价方案文件不存在：{v}")
            return load_scheme(str(v))
        return v

    @field_validator("reference", "previous", mode="before")
    @classmethod
    def _paths_exist(cls, v, info):
        if v is None:
            return []
        if isinstance(v, (str, Path)):
            v = [v]
        label = "参照文件" if info.field_name == "reference" else "往年材料"
        for p in v:
            if isinstance(p, (str, Path)) and not Path(p).exists():
                raise ConfigError(f"{label}不存在：{p}")
        return v

    @field_validator("framework", mode="before")
    @classmethod
    def _framework_exists(cls, v):
        if isinstance(v, (str, Path)) and v and not Path(v).is_file():
            raise ConfigError(f"指标框架文件不存在：{v}")
        return v or None

    @classmethod
    def coerce(cls, options: "Options | dict | None" = None, **overrides) -> "Options":
        """An `Options` from an `Options`, a dict or None (plus keyword overrides).

        Raises `ConfigError` (Chinese message) for an unknown option or a bad value."""
        if isinstance(options, Options) and not overrides:
            return options
        if isinstance(options, Options):
            data = {k: getattr(options, k) for k in options.model_fields_set} | overrides
        elif options is None:
            data = dict(overrides)
        elif isinstance(options, dict):
            data = dict(options) | overrides
        else:
            raise ConfigError(f"分析选项应为 Options 或字典，收到的是 {type(options).__name__}")
        unknown = sorted(set(data) - set(cls.model_fields))
        if unknown:
            raise ConfigError(f"未知的分析选项：{'、'.join(unknown)}（可用：{'、'.join(cls.model_fields)}）")
        try:
            return cls(**data)
        except ValidationError as e:
            first = e.errors()[0]
            name = str(first["loc"][0]) if first["loc"] else ""
            label, hint = _LABELS.get(name, (name, "取值无效"))
            raise ConfigError(f"分析选项“{label}”取值无效：{first.get('input')!r}，{hint}") from None

    def get(self, key: str, default: Any = None) -> Any:
        """Mapping-style read, for code written against the former options dict."""
        return getattr(self, key, default)
