"""dudao 督导：政府履行教育职责自评报告的分析引擎。

Library first (see docs/library.md): `dudao.analyze_path`, `dudao.analyze_text` and
`dudao.analyze_bytes` return typed `Report`s (dudao.model) whose `model_dump(mode="json")` is the
output contract; options are an `Options` (dudao.options) or a dict of its fields. The CLI
(`dudao.cli`) is a thin layer over the same pipeline.
"""
__version__ = "0.1.0"

from dudao.api import analyze_bytes, analyze_path, analyze_text  # noqa: E402
from dudao.errors import ConfigError, DudaoError, InputError  # noqa: E402
from dudao.model import Document, Report  # noqa: E402
from dudao.options import Options  # noqa: E402

__all__ = ["ConfigError", "Document", "DudaoError", "InputError", "Options", "Report",
           "analyze_bytes", "analyze_path", "analyze_text", "__version__"]
