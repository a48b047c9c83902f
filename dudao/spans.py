"""Text with a map back to where each character came from.

Cleaning rewrites text (drops artefacts, joins broken lines, removes a garbled copy), yet every
extracted item must point into the cleaned text *and* be traceable to the source. `TextBuilder`
assembles the cleaned text from copied source runs and inserted strings; `OffsetMap` answers
"which source offset is cleaned offset i" by bisection over runs, so the map costs O(runs), not
O(characters).
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field


@dataclass
class OffsetMap:
    # Parallel arrays: run k starts at clean offset dst[k] and source offset src[k];
    # copied[k] says whether the run is a verbatim copy (offsets advance together) or an insert.
    dst: list[int] = field(default_factory=list)
    src: list[int] = field(default_factory=list)
    copied: list[bool] = field(default_factory=list)
    length: int = 0

    def to_source(self, i: int) -> int:
        """Source offset of clean offset i (an insert maps to where it was inserted)."""
        if not self.dst:
            return i
        k = max(0, bisect_right(self.dst, i) - 1)
        return self.src[k] + (i - self.dst[k] if self.copied[k] else 0)


class TextBuilder:
    """Accumulates cleaned text from pieces of a source string, recording the offset map."""

    def __init__(self, source: str):
        self.source = source
        self.parts: list[str] = []
        self.map = OffsetMap()
        self._len = 0
        self._next_src = None  # source offset that would continue the current copy run

    def copy(self, start: int, end: int) -> None:
        if end <= start:
            return
        if self.map.copied and self.map.copied[-1] and self._next_src == start:
            pass  # extends the current run
        else:
            self.map.dst.append(self._len)
            self.map.src.append(start)
            self.map.copied.append(True)
        self.parts.append(self.source[start:end])
        self._len += end - start
        self._next_src = end

    def insert(self, s: str, at_source: int) -> None:
        if not s:
            return
        self.map.dst.append(self._len)
        self.map.src.append(at_source)
        self.map.copied.append(False)
        self.parts.append(s)
        self._len += len(s)
        self._next_src = None

    def build(self) -> tuple[str, OffsetMap]:
        self.map.length = self._len
        return "".join(self.parts), self.map
