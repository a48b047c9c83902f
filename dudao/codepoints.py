"""A text as a numpy array of its code points, and back: the vectorised scans of clean, figures
and region look each character up in a table in C instead of a Python loop. Lone surrogates
(a broken decode) round-trip unchanged. numpy is imported on first use, as by those scans.
And the columns a text takes in a fixed-width font."""
from __future__ import annotations

import unicodedata


def columns(text: str) -> int:
    """Columns `text` takes in a fixed-width font or a terminal: a wide or full-width character
    (a Chinese character, a full-width comma) two, any other one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def codes_of(text: str):
    """The code points of `text` (numpy uint32, one per character)."""
    import numpy as np
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def text_of(codes) -> str:
    """The text of an array of code points (numpy uint32)."""
    return codes.tobytes().decode("utf-32-le", "surrogatepass")
