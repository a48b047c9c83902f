"""dudao 督导：政府履行教育职责自评报告的分析引擎。

Library first (see docs/library.md): `dudao.analyze_path`, `dudao.analyze_text` and
`dudao.analyze_bytes` return typed `Report`s (dudao.model) whose `model_dump(mode="json")` is the
output contract; options are an `Options` (dudao.options) or a dict of its fields. The CLI
(`dudao.cli`) is a thin layer over the same pipeline.
"""
from dudao.version import __version__  # noqa: E402,F401

from dudao.errors import ConfigError, DudaoError, InputError  # noqa: E402

__all__ = ["ConfigError", "Document", "DudaoError", "InputError", "Options", "Report",
           "analyze_bytes", "analyze_path", "analyze_text", "build_review_pack", "__version__"]


def __getattr__(name: str):
    # The API, model and options load on first use (PEP 562), so that `import dudao` (done by
    # the CLI and every worker process) stays light.
    if name in ("analyze_path", "analyze_text", "analyze_bytes"):
        from dudao import api
        return getattr(api, name)
    if name in ("Document", "Report"):
        from dudao import model
        return getattr(model, name)
    if name == "build_review_pack":   # the review pack (dudao.review.api), e.g. framework=, previous=
        from dudao.review.api import build_review_pack
        return build_review_pack
    if name == "Options":
        from dudao import options
        return options.Options
    raise AttributeError(f"module 'dudao' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
