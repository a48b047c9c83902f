"""The review pack's output folder, in one place: what the pack writes there, when it may write
(empty folder, or --force), that it can write at all (checked before any analysis), and safe,
unique file names.

    OUT/review.xlsx              overview, indicator comparison, findings, problems, scores, copies
    OUT/index.html               the dashboard (self-contained: inline CSS/JS/SVG, no network)
    OUT/reports/<n>.html         each report's cleaned text with highlighted spans and explanations
    OUT/feedback/<地区>.docx      a draft 反馈意见 per government self-report
    OUT/analysis/<name>.json     the per-file analysis JSON (output contract v1), as `dudao analyze`
    OUT/summary.json             inputs and statuses, counts, copy ratios, themes (written last)
"""
from __future__ import annotations

import errno
import os
import re
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from dudao.atomic import write_bytes
from dudao.errors import DudaoError
from dudao.review.model import Entry

# Files and folders the pack writes; --force removes only these before writing again.
OWN_FILES = ("review.xlsx", "index.html", "summary.json", "scores.html", "previous.html")
OWN_DIRS = {"reports": ".html", "feedback": ".docx", "analysis": ".json"}


class OutputExists(DudaoError):
    code = "output_exists"
    exit_code = 2


class OutputNotWritable(DudaoError):
    code = "output_not_writable"
    exit_code = 4   # as dudao.errors.OutputError: the output, not the input, is at fault


def check_out_dir(out: Path, force: bool) -> None:
    """Refuse an output place the pack cannot or may not write, before anything is analysed or
    touched: a file, a non-empty folder without --force, a folder (or parent) that cannot be written."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputNotWritable(f"输出位置 {out} 已存在，但不是文件夹，未做任何改动。请用 --out 指定一个文件夹。")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise OutputExists(f"输出文件夹 {out} 不是空的，未做任何改动。如需覆盖其中的评审结果请加 --force，"
                           f"或换一个输出文件夹。")
    probe_writable(out)


def probe_writable(out: Path) -> None:
    """Create and remove a temporary file in `out` (or the nearest existing parent): permissions,
    read-only file systems and full disks all show up here, as a Chinese error."""
    here = Path(out).absolute()
    while not here.exists():
        if here.parent == here:
            break
        here = here.parent
    if not here.is_dir():
        raise OutputNotWritable(f"无法创建输出文件夹 {out}：路径中的 {here} 是文件，不是文件夹。")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".dudao-probe-", dir=here)
        os.close(fd)
        os.unlink(tmp)
    except OSError as e:
        why = {errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限", errno.EROFS: "位于只读文件系统",
               errno.ENOSPC: "磁盘空间已满"}.get(e.errno, e.strerror or type(e).__name__)
        raise OutputNotWritable(f"无法写入输出文件夹 {out}（{why}），未做任何改动。请换一个可写的文件夹。") from None


def prepare(out: Path, force: bool) -> None:
    """Create the folders the pack writes; with --force first remove what an earlier pack wrote."""
    out.mkdir(parents=True, exist_ok=True)
    if force:
        clear_previous(out)
    for sub in OWN_DIRS:
        (out / sub).mkdir(exist_ok=True)


def clear_previous(out: Path) -> None:
    """With --force: remove the files a previous review pack wrote (and nothing else)."""
    for name in OWN_FILES:
        p = out / name
        if p.is_file():
            p.unlink()
    for sub, ext in OWN_DIRS.items():
        d = out / sub
        if d.is_dir():
            for p in d.iterdir():
                if p.is_file() and (p.name.endswith(ext) or p.name.endswith(ext + ".tmp")):
                    p.unlink()


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def safe_filename(name: str, limit: int = 80) -> str:
    """A file name that is valid on Windows, macOS and Linux (no separators, no reserved chars)."""
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if not name or name.upper().split(".")[0] in {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                                                   *(f"LPT{i}" for i in range(1, 10))}:
        name = f"_{name}" if name else "未命名"
    return name[:limit]


def feedback_names(entries: list[Entry]) -> dict[str, str]:
    """entry id → file name under feedback/ (relevant reports only; unique; safe)."""
    base = {}
    for e in entries:
        if not e.relevant:
            continue
        base[e.id] = e.region_name or f"{e.stem}_第{e.index}篇"
    counts: dict[str, int] = {}
    for b in base.values():
        counts[b] = counts.get(b, 0) + 1
    out, used = {}, set()
    for e in entries:
        if e.id not in base:
            continue
        b = base[e.id]
        if counts[b] > 1 and e.report.get("work_year"):
            b = f"{b}_{e.report['work_year']}年"
        name = safe_filename(b)
        k = 2
        candidate = name
        while candidate.lower() in used:
            candidate = f"{name}_{k}"
            k += 1
        used.add(candidate.lower())
        out[e.id] = candidate + ".docx"
    return out




class Writes:
    """Atomic writes of many files on a few threads: each file still waits for its fsync, but the
    waits overlap with each other and with rendering the next file (fsync is most of the time of
    writing thousands of report pages). At most `pending` files wait in memory; the first error
    is raised when the block ends, after every other write has finished.

        with Writes() as w:
            for e in entries:
                w.write_text(out / e.page, render(e))
    """

    def __init__(self, threads: int = 4, pending: int = 32):
        self.threads, self.slots = threads, threading.BoundedSemaphore(pending)
        self.futures: list = []

    def __enter__(self) -> "Writes":
        self.pool = ThreadPoolExecutor(self.threads, thread_name_prefix="dudao-write")
        return self

    def write_text(self, path: Path, text: str) -> None:
        self.write_bytes(path, text.encode("utf-8"))

    def write_bytes(self, path: Path, data: bytes) -> None:
        self.slots.acquire()
        try:
            self.futures.append(self.pool.submit(self._write, path, data))
        except BaseException:
            self.slots.release()
            raise

    def _write(self, path: Path, data: bytes) -> None:
        try:
            write_bytes(path, data)
        finally:
            self.slots.release()

    def __exit__(self, exc_type, exc, tb) -> None:
        self.pool.shutdown(wait=True)
        if exc_type is None:
            for f in self.futures:
                f.result()
