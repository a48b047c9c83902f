"""Read legacy .doc/.wps files by converting them to .docx with LibreOffice."""
from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import tempfile

from dudao.errors import InputError
from dudao.ingest.base import RawDoc
from dudao.ingest.docx import read_docx
from dudao.ingest.sniff import OLE2

NO_LIBREOFFICE = (
    "无法读取 .doc/.wps 旧版 Word 文件：本机未安装 LibreOffice"
    "（Debian/Ubuntu: apt-get install libreoffice-writer），或先另存为 .docx"
)
TIMEOUT = 120

_CANDIDATES = [
    "/usr/bin/soffice", "/usr/local/bin/soffice", "/opt/libreoffice*/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
]


def find_soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    for pattern in _CANDIDATES:
        for path in sorted(glob.glob(pattern)):
            if os.access(path, os.X_OK):
                return path
    return None


def read_legacy(data: bytes, source: str) -> RawDoc:
    if data.startswith(OLE2) and "EncryptedPackage".encode("utf-16-le") in data:
        raise InputError("Word 文件设有打开密码（已加密），请先取消密码后再分析")
    soffice = find_soffice()
    if not soffice:
        raise InputError(NO_LIBREOFFICE)
    ext = os.path.splitext(source)[1].lower()
    ext = ext if ext in (".doc", ".wps", ".dot", ".wpt", ".rtf") else ".doc"
    with tempfile.TemporaryDirectory(prefix="dudao-doc-") as tmp:
        src = os.path.join(tmp, "input" + ext)
        with open(src, "wb") as f:
            f.write(data)
        # a private profile lets several conversions run at once
        profile = "file://" + os.path.join(tmp, "profile").replace(os.sep, "/")
        cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", "docx", "--outdir", tmp, src]
        try:
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    start_new_session=True)
        except OSError:
            raise InputError(NO_LIBREOFFICE) from None
        try:
            proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (OSError, AttributeError):
                proc.kill()
            proc.wait()
            raise InputError(f"LibreOffice 转换 .doc/.wps 超时（{TIMEOUT} 秒），文件可能已损坏") from None
        out = os.path.join(tmp, "input.docx")
        if not os.path.exists(out):
            raise InputError("LibreOffice 无法转换该 .doc/.wps 文件，文件可能已损坏")
        with open(out, "rb") as f:
            converted = f.read()
    doc = read_docx(converted, source)
    doc.format = "doc"
    return doc

