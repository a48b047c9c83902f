"""Decode the bytes of a text file: BOMs, strict UTF-8, strict GB18030, then a detector."""
from __future__ import annotations

import codecs
import re

from dudao.errors import InputError

BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


_READABLE = re.compile("[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u2010-\u206f\x20-\x7e\t\n\r]")


def looks_utf16(data: bytes) -> str | None:
    # BOM-less UTF-16: Chinese text in UTF-16 has NULs only for ASCII chars, at one parity.
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    n = len(data) // 2
    if odd > n * 0.2 and even < n * 0.02:
        return "utf-16-le"
    if even > n * 0.2 and odd < n * 0.02:
        return "utf-16-be"
    # Mostly Chinese: few NULs, all at one parity; the decoding must read as Chinese text.
    for enc, nuls, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if nuls and nuls >= 4 * other:
            sample = data[:20000].decode(enc, "replace")
            if len(_READABLE.findall(sample)) >= 0.95 * len(sample):
                return enc
    return None


_looks_utf16 = looks_utf16


_IMPLAUSIBLE = re.compile("[\x00-\x08\x0b\x0e-\x1f\ue000-\uf8ff]")


def _plausible(text: str) -> bool:
    """Reject decodings that are mostly control or private-use characters."""
    head = text[:20000]
    return len(_IMPLAUSIBLE.findall(head)) <= max(2, len(head) // 200)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raises InputError when no encoding fits."""
    for bom, enc in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc.replace("-sig", "")
            except UnicodeDecodeError:
                break
    u16 = _looks_utf16(data)
    if u16:
        try:
            return data.decode(u16), "utf-16"
        except UnicodeDecodeError:
            pass
    for enc in ("utf-8", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return text, enc
    from charset_normalizer import from_bytes

    best = from_bytes(data[:2_000_000]).best()
    if best is not None and best.encoding:
        try:
            text = data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            text = None
        if text is not None and _plausible(text):
            return text, best.encoding
    raise InputError("无法识别文本编码（不是 UTF-8、GB18030/GBK 或 UTF-16），可能不是文本文件")
