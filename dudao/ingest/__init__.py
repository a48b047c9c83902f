"""Find the inputs (files, folders, zip archives) and load each one lazily as a RawDoc."""
from __future__ import annotations

import hashlib
import io
import os
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import partial
from typing import Callable, Iterator

from dudao.errors import InputError, UnsupportedInput
from dudao.ingest.base import Block, RawDoc, check_length
from dudao.ingest.sniff import MAX_MEMBER, MAX_TOTAL, sniff, zip_bomb_reason
from dudao.ingest.text import decode_bytes

__all__ = ["InputItem", "iter_inputs", "read_path", "load_bytes", "RawDoc", "Block", "MAX_FILE_MB"]

MAX_FILE_MB = 100
SUPPORTED = {".txt", ".text", ".docx", ".docm", ".pdf", ".html", ".htm", ".shtml", ".xhtml",
             ".mht", ".mhtml", ".doc", ".wps", ".dot", ".wpt", ".zip"}
JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini", "ehthumbs.db", "icon\r"}


@dataclass
class InputItem:
    """One input to analyse. Nothing is read until load() is called."""

    source: str   # display name: the path as given, or "archive.zip!member/name.docx"
    name: str     # file name used for the output stem (zip members: member base name)
    size: int | None = None
    error: InputError | None = None   # set when the item is known to be unreadable
    junk: bool = False                 # a system file (__MACOSX, Thumbs.db…): listed as skipped
    _read: Callable[[], bytes] | None = field(default=None, repr=False, compare=False)

    def load(self) -> RawDoc:
        if self.error is not None:
            raise self.error
        data = self._read()
        raw = load_bytes(data, self.name, self.source)
        raw.digest = hashlib.sha256(data).hexdigest()
        return raw


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f}".rstrip("0").rstrip(".")


def _ext(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def _junk(name: str) -> bool:
    base = posixpath.basename(name.replace("\\", "/"))
    return base.startswith((".", "~$")) or base.lower() in JUNK_NAMES


def display_name(path: str) -> str:
    """A path as text a user can read and JSON can hold: names that are not UTF-8 on disk
    (os.fsdecode keeps them as surrogate escapes) are shown as GB18030 when that reads as
    Chinese, else with replacement characters."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        pass
    raw = os.fsencode(path)
    try:
        shown = raw.decode("gb18030")
        if re.search(r"[\u3400-\u9fff]", shown):
            return shown
    except UnicodeDecodeError:
        pass
    return raw.decode("utf-8", "replace")


JUNK = UnsupportedInput("系统生成的附属文件（如 __MACOSX、.DS_Store、Thumbs.db、~$ 临时文件），已跳过", "junk")
UNSAFE = UnsupportedInput("压缩包内的文件路径含“..”（指向压缩包以外的位置，可能是恶意构造的压缩包），出于安全考虑未读取",
                          "unsafe_path")


def _unsupported(ext: str) -> InputError:
    return UnsupportedInput(f"不支持的文件类型：{ext}（已跳过）")


def load_bytes(data: bytes, name: str, source: str | None = None) -> RawDoc:
    """Sniff the content and dispatch to the right reader."""
    source = source or name
    if not data:
        raise InputError("文件为空")
    kind = sniff(data, name)
    ext = _ext(name)
    if kind == "txt":
        text, enc = decode_bytes(data)
        check_length(len(text))
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            raise InputError("文件为空（只有空白字符）")
        return RawDoc(source=source, format="txt", text=text, encoding=enc)
    if kind == "docx":
        from dudao.ingest.docx import read_docx
        return read_docx(data, source)
    if kind == "pdf":
        from dudao.ingest.pdf import read_pdf
        return read_pdf(data, source)
    if kind == "html":
        from dudao.ingest.html import read_html
        return read_html(data, source)
    if kind == "mhtml":
        from dudao.ingest.html import read_mhtml
        return read_mhtml(data, source)
    if kind == "doc":
        from dudao.ingest.legacy import read_legacy
        return read_legacy(data, source)
    if kind == "zip":
        raise InputError(f"文件内容是 zip 压缩包，不是{'Word 文档' if ext.startswith('.doc') else '报告文件'}；"
                         "如需读取其中的文件，请使用 .zip 扩展名")
    if ext == ".pdf":
        raise InputError("文件扩展名为 .pdf，但内容不是有效的 PDF（文件可能已损坏）")
    if ext in (".doc", ".wps", ".docx"):
        raise InputError(f"文件扩展名为 {ext}，但内容不是 Word 文档（文件可能已损坏）")
    if ext and ext not in SUPPORTED:
        raise _unsupported(ext)
    raise InputError("无法识别的文件内容（不是文本、Word、PDF 或网页文件）")


def _member_name(info: zipfile.ZipInfo) -> str:
    """Zip names without the UTF-8 flag are usually GBK on Chinese Windows."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    if raw.isascii():
        return info.filename
    for enc in ("utf-8", "gb18030"):
        try:
            name = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "utf-8" or re.search(r"[\u3400-\u9fff]", name):
            return name
    return info.filename


def _read_member(opener: Callable[[], object], info: zipfile.ZipInfo) -> bytes:
    try:
        with zipfile.ZipFile(opener()) as zf, zf.open(info) as f:
            data = f.read(MAX_MEMBER + 1)
    except zipfile.BadZipFile as e:
        if "crc" in str(e).lower():
            raise InputError("压缩包内的文件已损坏（CRC 校验不符），无法读取") from None
        raise InputError("压缩包内的文件已损坏（文件头或大小信息有误），无法读取") from None
    except zlib.error:
        raise InputError("压缩包内的文件已损坏（压缩数据流有误），无法解压") from None
    except EOFError:
        raise InputError("压缩包内的文件不完整（数据被截断），无法读取") from None
    except NotImplementedError:
        raise InputError("压缩包内的文件使用了不支持的压缩方式，无法解压") from None
    except RuntimeError:   # zipfile: "File is encrypted, password required"
        raise InputError("压缩包内的文件已加密（设有密码），无法读取") from None
    except (OSError, ValueError, OverflowError):
        raise InputError("压缩包已损坏或不完整，无法读取其中的文件") from None
    if len(data) > MAX_MEMBER:
        raise InputError(f"压缩包疑似“解压炸弹”，已拒绝：{info.filename} 解压后超过 {MAX_MEMBER // 2**20} MB")
    return data


def _zip_items(source: str, opener: Callable[[], object], depth: int = 0) -> Iterator[InputItem]:
    """One item per member; members are read one at a time, only when loaded."""
    base = posixpath.basename(source.split("!")[-1].replace("\\", "/"))
    try:
        with zipfile.ZipFile(opener()) as zf:
            infos = zf.infolist()
    except InputError:
        raise
    except Exception:   # zipfile raises many types on broken archives (NotImplementedError, …)
        yield InputItem(source, base, error=InputError("压缩包已损坏或不完整，无法打开"))
        return
    if any(i.filename == "word/document.xml" for i in infos):  # a .docx saved with a .zip name
        yield InputItem(source, os.path.splitext(base)[0] + ".docx",
                        _read=partial(_read_opened, opener))
        return
    reason = zip_bomb_reason(infos)
    if reason:
        yield InputItem(source, base, error=InputError(f"压缩包疑似“解压炸弹”，已拒绝：{reason}"))
        return
    members = sorted(((i, _member_name(i)) for i in infos if not i.is_dir()), key=lambda m: m[1])

    def junk(parts):
        return "__MACOSX" in parts or _junk(parts[-1]) or any(p.startswith(".") for p in parts[:-1])
    split = [(i, n, n.replace("\\", "/").split("/")) for i, n in members]  # \: Windows tools' separator
    if not any(".." not in parts and not junk(parts) for _, _, parts in split):
        yield InputItem(source, base, error=InputError("压缩包中没有可读取的文件"))
    for info, name, parts in split:
        msource, mbase, ext = f"{source}!{name}", parts[-1] or "_", _ext(name)
        if ".." in parts:
            yield InputItem(msource, mbase, info.file_size, error=UNSAFE)
        elif junk(parts):
            yield InputItem(msource, mbase, info.file_size, error=JUNK, junk=True)
        elif info.flag_bits & 0x1:
            yield InputItem(msource, mbase, error=InputError("压缩包内的文件已加密（设有密码），无法读取"))
        elif ext == ".zip":
            if depth >= 1:
                yield InputItem(msource, mbase, error=InputError("压缩包嵌套层数过多（只支持一层嵌套），已跳过"))
                continue
            inner = _inner_opener(opener, info)
            try:
                yield from _zip_items(msource, inner, depth + 1)
            except InputError as e:
                yield InputItem(msource, mbase, error=e)
        elif ext and ext not in SUPPORTED:
            yield InputItem(msource, mbase, info.file_size, error=_unsupported(ext))
        elif info.file_size == 0:
            yield InputItem(msource, mbase, 0, error=InputError("文件为空"))
        else:
            yield InputItem(msource, mbase, info.file_size, _read=_member_reader(opener, info))


# Readers and openers are partials of module functions, not closures, so items pickle
# (the batch runner sends them to worker processes).
def _member_reader(opener, info):
    return partial(_read_member, opener, info)


def _inner_opener(opener, info):
    # Re-read the inner archive each time rather than keeping it in memory.
    return partial(_open_inner, opener, info)


def _open_inner(opener, info):
    return io.BytesIO(_read_member(opener, info))


def _read_opened(opener) -> bytes:
    f = opener()
    try:
        data = f.read(MAX_MEMBER + 1)
    finally:
        f.close()
    if len(data) > MAX_MEMBER:
        raise InputError(f"文件过大，超过 {_mb(MAX_MEMBER)} MB 上限")
    return data


def _file_reader(path: str, limit: int, shown: str | None = None) -> Callable[[], bytes]:
    return partial(_read_file, path, limit, shown)


def _read_file(path: str, limit: int, shown: str | None = None) -> bytes:
    shown = shown or display_name(path)
    try:
        with open(path, "rb") as f:
            data = f.read(limit + 1)
    except FileNotFoundError:
        raise InputError(f"找不到文件：{shown}") from None
    except OSError as e:
        raise InputError(f"无法读取文件：{shown}（{e.strerror or e}）") from None
    if len(data) > limit:
        raise InputError(f"文件过大（超过 {_mb(limit)} MB 上限）")
    return data


def _file_items(path: str, in_folder: bool, limit: int) -> Iterator[InputItem]:
    # `path` opens the file; `shown` (valid Unicode) names it in messages, outputs and JSON.
    shown = display_name(path)
    name = os.path.basename(shown)
    ext = _ext(name)
    try:
        size = os.stat(path).st_size
    except OSError as e:
        yield InputItem(shown, name, error=InputError(f"无法读取文件：{shown}（{e.strerror or e}）"))
        return
    if ext == ".zip":
        if size > MAX_TOTAL:  # members are read one at a time, so an archive may exceed the file limit
            yield InputItem(shown, name, size, error=InputError(f"文件过大（{_mb(size)} MB），超过 {_mb(MAX_TOTAL)} MB 上限"))
        elif size == 0:
            yield InputItem(shown, name, 0, error=InputError("文件为空"))
        else:
            yield from _zip_items(shown, partial(open, path, "rb"))
        return
    if size > limit:
        yield InputItem(shown, name, size, error=InputError(f"文件过大（{_mb(size)} MB），超过 {_mb(limit)} MB 上限"))
    elif size == 0:
        yield InputItem(shown, name, 0, error=InputError("文件为空"))
    elif in_folder and ext and ext not in SUPPORTED:
        yield InputItem(shown, name, size, error=_unsupported(ext))
    else:
        yield InputItem(shown, name, size, _read=_file_reader(path, limit, shown))


def iter_inputs(paths: list[str], max_mb: int = MAX_FILE_MB) -> Iterator[InputItem]:
    """Expand files, folders (recursively, sorted) and zip archives into lazy items.

    Unreadable inputs still yield an item; its load() raises the InputError."""
    limit = int(max_mb * 2**20)
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                for d in sorted(d for d in dirs if d.startswith((".", "__MACOSX"))):
                    shown = display_name(os.path.join(root, d))
                    yield InputItem(shown, display_name(d), error=JUNK, junk=True)
                dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__MACOSX")))
                for fname in sorted(files):
                    full = os.path.join(root, fname)
                    if _junk(fname):
                        yield InputItem(display_name(full), display_name(fname), error=JUNK, junk=True)
                    else:
                        yield from _file_items(full, True, limit)
        elif os.path.exists(path):
            yield from _file_items(path, False, limit)
        else:
            shown = display_name(path)
            yield InputItem(shown, os.path.basename(shown) or shown, error=InputError(f"找不到文件：{shown}"))


def read_path(path: str) -> list[RawDoc]:
    """Load every document under one path; raises the first InputError met."""
    return [item.load() for item in iter_inputs([path])]
