"""Guess a file's format from its bytes; the file name only breaks ties."""
from __future__ import annotations

import io
import os
import re
import zipfile

from dudao.ingest.text import decode_bytes, looks_utf16
from dudao.errors import InputError

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HTML_EXTS = {".html", ".htm", ".shtml", ".xhtml", ".jsp", ".asp", ".aspx", ".php"}
MHTML_EXTS = {".mht", ".mhtml"}
_HTML_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S)
_HTML_ANY = re.compile(rb"<(html|body|p|div|br|table|span)\b[^>]*>", re.I)


def _ext(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def _head_ascii(data: bytes, n: int = 4096) -> bytes:
    head = data[:n]
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            head = head[len(bom):]
            break
    # UTF-16 markup: dropping NULs leaves the ASCII tags readable.
    if head.count(b"\x00") > len(head) // 4:
        head = head.replace(b"\x00", b"")
    return head


def _sniff_zip(data: bytes, ext: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except Exception:   # zipfile raises many types on broken archives
        # Broken archive: local headers still name their members near the start.
        if b"word/document.xml" in data[:65536] or ext in (".docx", ".docm", ".dotx"):
            return "docx"
        return "zip"
    if "word/document.xml" in names:
        return "docx"
    if "[Content_Types].xml" in names:
        return "unknown"  # xlsx / pptx and other OOXML files are not reports
    return "zip"


def _is_text(data: bytes) -> bool:
    head = data[:65536]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")) and head.count(b"\x00") < len(head) // 8 \
            and not looks_utf16(head[:len(head) // 2 * 2]):
        return False  # NULs outside UTF-16: binary
    for cut in range(4):  # the sample may end inside a multi-byte character
        sample = head[: len(head) - cut] if cut else head
        try:
            decode_bytes(sample)
            return True
        except InputError:
            if len(head) < 65536:
                return False
    return False


def sniff(data: bytes, name: str) -> str:
    """Return txt|docx|pdf|html|doc|zip|mhtml|unknown for the given file content."""
    ext = _ext(name)
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _sniff_zip(data, ext)
    if data.startswith(OLE2):
        if "WordDocument".encode("utf-16-le") in data or ext in (".doc", ".wps", ".dot", ".wpt"):
            return "doc"
        if "EncryptedPackage".encode("utf-16-le") in data:
            return "doc"  # password-protected .docx; read_legacy explains it
        return "unknown"
    if data.lstrip()[:5] == b"{\\rtf":
        return "doc"  # RTF (often saved as .doc): LibreOffice converts it like a .doc
    head = _head_ascii(data)
    low = head.lower()
    if (b"mime-version:" in low and b"multipart/" in low) or (
        ext in MHTML_EXTS and b"content-type:" in low and b"<html" not in low[:200]
    ):
        return "mhtml"
    if _HTML_START.match(head):
        return "html"
    if not _is_text(data):
        return "unknown"
    if ext in HTML_EXTS and _HTML_ANY.search(head):
        return "html"
    if ext not in (".txt", ".text", ".csv") and len(_HTML_ANY.findall(head)) >= 3:
        return "html"  # a markup fragment without <html>
    return "txt"


# Archive limits (zip inputs and the zip inside a .docx).
MAX_MEMBERS = 2000
MAX_TOTAL = 500 * 1024 * 1024
MAX_MEMBER = 100 * 1024 * 1024
MAX_RATIO = 200
RATIO_MIN_SIZE = 1024 * 1024  # tiny repetitive members compress far beyond 200:1 harmlessly


def zip_bomb_reason(infos: list[zipfile.ZipInfo]) -> str | None:
    """Why an archive looks like a zip bomb (Chinese), or None."""
    if len(infos) > MAX_MEMBERS:
        return f"包含 {len(infos)} 个文件，超过 {MAX_MEMBERS} 个上限"
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_MEMBER:
            return f"{info.filename} 解压后 {info.file_size / 2**20:.0f} MB，超过 {MAX_MEMBER // 2**20} MB 上限"
        if info.file_size > RATIO_MIN_SIZE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            return f"{info.filename} 压缩比 {ratio:.0f}:1，超过 {MAX_RATIO}:1 上限"
    if total > MAX_TOTAL:
        return f"解压后共 {total / 2**20:.0f} MB，超过 {MAX_TOTAL // 2**20} MB 上限"
    return None
