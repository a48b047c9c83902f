"""The library API: analyse a file, a folder, an upload or a text into typed reports.

Every function returns a flat `list[Report]` (one per report found: a web page or a compilation
may hold several, a folder or a zip many files). Each `Report` carries its stable `id` and the
`source` it was read from; `report.model_dump(mode="json")` is the contract dict that
`dudao analyze` writes inside each file's JSON.
"""
from __future__ import annotations

from pathlib import Path

from dudao.ingest.base import RawDoc
from dudao.model import Report
from dudao.options import Options


def _reports(raws, opts: Options) -> list[Report]:
    from dudao.pipeline import analyze_raw
    out: list[Report] = []
    for raw in raws:
        out.extend(Report.model_validate(r) for r in analyze_raw(raw, opts)["reports"])
    return out


def analyze_path(path: str | Path, *, options: Options | dict | None = None, **option_fields) -> list[Report]:
    """Analyse a file, a folder (recursively) or a .zip archive.

    Parameters:
        path: a report file (.txt .docx .pdf .html .doc …), a folder or a .zip archive.
        options: an `Options`, a dict of its fields (e.g. ``{"figures": True}``) or None for
            the defaults (built-in scheme, no extra figures).
        **option_fields: the same fields as keywords (``figures=True``); they override `options`.

    Returns:
        The reports found, in input order; a file holding several reports gives several.

    Raises:
        dudao.errors.InputError: a file cannot be read (missing, empty, corrupt; or `path` is
            one file of an unsupported type). The first such file stops the call (the CLI and
            `dudao.batch` go on past it); in a folder or zip, non-report files are skipped.
        dudao.errors.ConfigError: an option is unknown or invalid (Chinese message).
    """
    from dudao.errors import UnsupportedInput
    from dudao.ingest import iter_inputs
    opts = Options.coerce(options, **option_fields)
    single = Path(path).is_file() and Path(path).suffix.lower() != ".zip"
    # Inside a folder or zip, files that are not reports (README.md, .xlsx …) are passed over,
    # as the CLI lists them as skipped; a single file of such a type is an error.
    raws = (item.load() for item in iter_inputs([str(path)])
            if single or not isinstance(item.error, UnsupportedInput))
    return _reports(raws, opts)


def analyze_text(text: str, *, name: str | None = None, options: Options | dict | None = None,
                 **option_fields) -> list[Report]:
    """Analyse a text already in memory.

    Parameters:
        text: the report text (one or several reports).
        name: what to record as the reports' `source` (default ``"<text>"``).
        options: an `Options`, a dict of its fields or None.
        **option_fields: the same fields as keywords (``figures=True``); they override `options`.

    Returns:
        The reports found in the text; ids are built from the sha256 of the text (UTF-8).

    Raises:
        dudao.errors.InputError: the text is empty or only whitespace.
        dudao.errors.ConfigError: an option is unknown or invalid.
    """
    from dudao.errors import InputError
    if not isinstance(text, str):
        raise InputError(f"analyze_text 需要字符串，收到的是 {type(text).__name__}；字节内容请用 analyze_bytes")
    if not text.strip():
        raise InputError("文本为空（只有空白字符）")
    opts = Options.coerce(options, **option_fields)
    raw = RawDoc(source=name or "<text>", format="txt", text=text, encoding=None)
    return _reports([raw], opts)


def analyze_bytes(data: bytes, filename: str, *, options: Options | dict | None = None,
                  **option_fields) -> list[Report]:
    """Analyse the bytes of one uploaded file.

    Parameters:
        data: the file's content.
        filename: its name; the extension helps to tell the format (the content is sniffed too).
        options: an `Options`, a dict of its fields or None.
        **option_fields: the same fields as keywords (``figures=True``); they override `options`.

    Returns:
        The reports found; ids are built from the sha256 of `data`, so the same upload always
        gets the same ids.

    Raises:
        dudao.errors.InputError: empty, corrupt or unsupported content.
        dudao.errors.ConfigError: an option is unknown or invalid.
    """
    import hashlib

    from dudao.ingest import load_bytes
    opts = Options.coerce(options, **option_fields)
    raw = load_bytes(bytes(data), filename)
    raw.digest = hashlib.sha256(data).hexdigest()
    return _reports([raw], opts)
