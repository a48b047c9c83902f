"""Stage contracts: the registry of per-report stages, the per-report scratch context, and the
guarded view through which a stage sees a report.

A stage declares the fields it `requires` and `provides`. A field is either part of the output
report (text, sections, findings …) or per-report scratch kept in `DocContext` (section_tree,
changes …), which never reaches the output. While the pipeline runs, a stage reads and writes
only through a `ReportView`: reading a field it did not declare, or writing one it does not
provide, raises `ContractError`, so the declarations are the truth.
"""
from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, fields
from typing import Callable

STAGES: dict[str, "Stage"] = {}


class ContractError(RuntimeError):
    """A stage broke its declared contract (a programming error, not a user error)."""


@dataclass
class Stage:
    name: str
    fn: Callable
    requires: tuple[str, ...]
    provides: tuple[str, ...]


def stage(name: str, requires: tuple[str, ...] = (), provides: tuple[str, ...] = ()):
    """Register `fn(report, ctx)` as a pipeline stage: `report` is the stage's `ReportView`,
    `ctx` the document-level `pipeline.Context` (raw document, cleaned text, options)."""
    def deco(fn):
        STAGES[name] = Stage(name, fn, tuple(requires), tuple(provides))
        return fn
    return deco


@dataclass
class DocContext:
    """Per-report scratch shared between stages; never part of the output."""

    meta: dict                        # reader metadata (HTML 索引号/发布单位/发文日期 …)
    offset: int                       # where the report starts in the cleaned document text
    removed: list                     # the cleaner's removals cut from this report
    siblings: int = 0                 # other reports split from the same file (a compilation)
    section_tree: list | None = None  # full section records, with body roles and internal keys
    changes: list | None = None       # year-on-year changes: held to standards, not levels


SCRATCH = frozenset(f.name for f in fields(DocContext))


class ReportView(MutableMapping):
    """A report as one stage may see it: the declared fields only, output or scratch."""

    def __init__(self, report: dict, ctx: DocContext, st: Stage):
        self._report, self._ctx, self._stage = report, ctx, st
        self._reads = set(st.requires) | set(st.provides)
        self._writes = set(st.provides)

    def _check(self, key: str, allowed: set, verb: str):
        if key not in allowed:
            raise ContractError(f"stage {self._stage.name!r} {verb} undeclared field {key!r}")

    def __getitem__(self, key):
        self._check(key, self._reads, "reads")
        if key in SCRATCH:
            return getattr(self._ctx, key)
        return self._report[key]

    def get(self, key, default=None):
        self._check(key, self._reads, "reads")
        if key in SCRATCH:
            value = getattr(self._ctx, key)
            return default if value is None else value
        return self._report.get(key, default)

    def __contains__(self, key):
        self._check(key, self._reads, "reads")
        return getattr(self._ctx, key) is not None if key in SCRATCH else key in self._report

    def __setitem__(self, key, value):
        self._check(key, self._writes, "writes")
        if key in SCRATCH:
            setattr(self._ctx, key, value)
        else:
            self._report[key] = value

    def __delitem__(self, key):
        self._check(key, self._writes, "writes")
        del self._report[key]

    def __iter__(self):
        return (k for k in self._report if k in self._reads)

    def __len__(self):
        return sum(1 for _ in self)
