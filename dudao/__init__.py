"""dudao 督导：政府履行教育职责自评报告的分析引擎。

Library first: `dudao.analyze_path` / `dudao.analyze_text` return plain dicts in the output
contract; the CLI (`dudao.cli`) is a thin layer over them.
"""
__version__ = "0.1.0"

from dudao.errors import DudaoError  # noqa: E402


def analyze_path(path, **kwargs):
    from dudao.pipeline import analyze_path as _a
    return _a(path, **kwargs)


def analyze_text(text, **kwargs):
    from dudao.pipeline import analyze_text as _a
    return _a(text, **kwargs)


__all__ = ["DudaoError", "analyze_path", "analyze_text", "__version__"]
