"""What every reader returns: the raw text of one input plus where each part came from."""
from __future__ import annotations

from bisect import bisect_right
from contextvars import ContextVar
from dataclasses import dataclass, field

from dudao.errors import InputError

# Characters of text one input may yield (0: no limit). The batch runner sets it per file;
# readers call check_length as text accumulates, so a huge file stops early (issue 14).
MAX_CHARS: ContextVar[int] = ContextVar("dudao_max_chars", default=0)


def too_long(n: int, limit: int) -> InputError:
    return InputError(f"正文超过 {limit} 字（本文件至少 {n} 字），为保护共享服务器未做分析", "too_long")


def check_length(n: int) -> None:
    limit = MAX_CHARS.get()
    if limit and n > limit:
        raise too_long(n, limit)


@dataclass
class Block:
    """A run [start, end) of RawDoc.text and its origin in the file."""

    start: int
    end: int
    page: int | None = None        # 1-based PDF page
    paragraph: int | None = None   # 0-based DOCX body element index
    kind: str = "text"             # text | heading | table
    style: str | None = None       # DOCX style name or HTML tag, a hint for headings


@dataclass
class RawDoc:
    source: str                    # the path as given (zip members: "archive.zip!inner/name.docx")
    format: str                    # txt | docx | pdf | html | doc
    text: str
    encoding: str | None = None
    blocks: list[Block] = field(default_factory=list)
    meta: dict = field(default_factory=dict)       # e.g. HTML 索引号/发布单位/发文日期/文号/标题
    notes: list[dict] = field(default_factory=list)  # reader-level findings: {"code", "message"}
    digest: str | None = None      # sha256 of the source bytes (the stable report id is built on it)
    _starts: list[int] | None = field(default=None, init=False, repr=False, compare=False)

    def where(self, offset: int) -> dict:
        """Provenance of a raw-text offset: {"offset", "page"?, "paragraph"?}."""
        out = {"offset": offset}
        if self.blocks:
            # Called for every extracted item: the block starts are listed once per document.
            if self._starts is None or len(self._starts) != len(self.blocks):
                self._starts = [b.start for b in self.blocks]
            k = bisect_right(self._starts, offset) - 1
            if k >= 0:
                b = self.blocks[k]
                if b.page is not None:
                    out["page"] = b.page
                if b.paragraph is not None:
                    out["paragraph"] = b.paragraph
        return out
