"""Run the pipeline over many inputs: output names, no silent overwrite, parallel jobs, summary.

A failing input never stops the batch: it is listed in summary.json with a one-line Chinese
reason. Workers write their own JSON so the parent holds only small status records (memory
stays flat however many files there are).

Limits that protect a shared server (both enforced in the process that analyses the file):
- time: `time_limit` seconds per file (default 300; env DUDAO_TIME_LIMIT; 0 = none). The worker
  stops itself with SIGALRM; with --jobs ≥ 2 the parent also kills a worker that overruns the
  limit by more than a grace period (10%, at least 5 s: a reader stuck in C code), so one file
  never stalls a batch.
- size: `max_chars` characters of extracted text per file (default 5,000,000; env
  DUDAO_MAX_CHARS; 0 = none). Readers stop early when they pass it.
Ctrl-C stops every worker and still yields a status for every input (the unfinished ones as
"interrupted"), so the caller writes a full summary; workers exit when their parent dies.
"""
from __future__ import annotations

import json
import os
import re
import signal
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from dudao import atomic
from dudao.errors import DudaoError, OutputError, UnsupportedInput
from dudao.ingest.base import MAX_CHARS, too_long
from dudao.options import Options

DEFAULT_TIME_LIMIT = 300.0   # float: `--time-limit 0.5` and DUDAO_TIME_LIMIT=0.5 are half a second
DEFAULT_MAX_CHARS = 5_000_000
RESERVED = {"summary.json"}
INTERRUPTED = "批处理被中断（Ctrl-C），此文件未分析；可用 --resume 继续"


@dataclass
class Job:
    item: object        # dudao.ingest.InputItem (picklable)
    out_path: str | None


def _option(options, key: str, env: str, default):
    value = options.get(key) if isinstance(options, dict) else getattr(options, key, None)
    if value is None and os.environ.get(env):
        value = os.environ[env]
    return default if value is None else type(default)(value)


def limits(options=None) -> tuple[int, int]:
    """(seconds per file, characters per file); 0 means no limit."""
    return (_option(options, "time_limit", "DUDAO_TIME_LIMIT", DEFAULT_TIME_LIMIT),
            _option(options, "max_chars", "DUDAO_MAX_CHARS", DEFAULT_MAX_CHARS))


# --- output names ---------------------------------------------------------------------------

_BAD_CHARS = re.compile(r'[\x00-\x1f\x7f\\/:*?"<>|]')
_DEVICE = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)$", re.I)


def _safe(name: str) -> str:
    """A file name that stays inside the output folder on every system: no separators,
    drive letters, control characters, leading dots or Windows device names."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _BAD_CHARS.sub("_", name).strip(" .") or "_"
    if _DEVICE.match(name.split(".")[0]):
        name = "_" + name
    return name[:120]


def output_names(items) -> list[str]:
    """Unique, safe JSON names: the stem, or the full file name when stems clash, numbered when
    that clashes too. Never summary.json; case-insensitive (Windows and macOS folders)."""
    stems = Counter(_safe(Path(i.name).stem) for i in items)
    used = {r.casefold() for r in RESERVED}
    names = []
    for i in items:
        stem, full = _safe(Path(i.name).stem), _safe(i.name)
        cands = ([stem] if stems[stem] == 1 else []) + [full]
        name = next((c + ".json" for c in cands if (c + ".json").casefold() not in used), None)
        k = 1
        while name is None:
            k += 1
            if f"{full}.{k}.json".casefold() not in used:
                name = f"{full}.{k}.json"
        used.add(name.casefold())
        names.append(name)
    return names


def prepare_out_dir(out_dir: Path) -> None:
    """Create the output folder and prove it writable before any file is analysed."""
    import tempfile
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"输出位置 {out_dir} 已存在，但不是文件夹；请换一个输出文件夹")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".dudao-probe-", dir=out_dir)
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        raise OutputError(f"无法写入输出文件夹 {out_dir}（{e.strerror or e}）；请检查权限或换一个输出文件夹") from None


def existing_targets(out_dir: Path, names: list[str]) -> list[str]:
    return [n for n in names if (out_dir / n).exists()] + \
        (["summary.json"] if (out_dir / "summary.json").exists() else [])


# --- one input ------------------------------------------------------------------------------

class TimeLimit(BaseException):
    """Raised by SIGALRM in the analysing process. A BaseException, so the readers' broad
    `except Exception` cannot swallow it."""


def _on_alarm(signum, frame):
    raise TimeLimit()


def analyse_raw(raw, options=None) -> dict:
    """The one place batch code calls the analyser; the result as a contract dict."""
    from dudao.pipeline import analyze_raw
    r = analyze_raw(raw, options)
    return r if isinstance(r, dict) else r.model_dump(mode="json")


def _status_of(result: dict) -> dict:
    reports = result["reports"]
    return dict(status="ok", format=result["format"], encoding=result.get("encoding"),
                reports=len(reports), relevant=sum(1 for r in reports if r.get("relevant")),
                chars=sum(len(r["text"]) for r in reports),
                findings=sum(len(r.get("findings", [])) for r in reports))


def _loss_warning(raw_text: str, kept: int) -> str | None:
    """A report that lost most of its text in cleaning is flagged for a person to check."""
    before = len(raw_text) - raw_text.count(" ") - raw_text.count("\n")
    if before >= 50 and kept < before * 0.5:
        return (f"清理后正文只剩 {kept / before:.0%}（原文约 {before} 字，保留 {kept} 字），"
                "可能误删了正文，请人工核对")
    return None


def run_one(job: Job, options: Options | None = None) -> dict:
    """Analyse one input and write its JSON; return a small status record. Never raises
    (except KeyboardInterrupt)."""
    t0 = time.perf_counter()
    seconds, max_chars = limits(options)
    status = {"source": job.item.source, "output": Path(job.out_path).name if job.out_path else None}
    alarm = bool(seconds) and hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    if alarm:
        old = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    budget = MAX_CHARS.set(max_chars)
    try:
        raw = job.item.load()
        if max_chars and len(raw.text) > max_chars:
            raise too_long(len(raw.text), max_chars)
        result = analyse_raw(raw, options)
        if alarm:   # writing is quick and must not be cut in the middle
            signal.setitimer(signal.ITIMER_REAL, 0)
        if job.out_path:
            # Compact JSON: the C encoder is several times faster than the indenting one.
            atomic.write_text(job.out_path, json.dumps(result, ensure_ascii=False, separators=(",", ":")))
        status.update(_status_of(result))
        warning = _loss_warning(raw.text, status["chars"])
        if warning:
            status["warning"] = warning
        if not job.out_path:
            status["result"] = result
    except TimeLimit:
        status.update(status="failed", reason=timeout_reason(seconds), code="timeout")
    except UnsupportedInput as e:
        status.update(status="skipped", reason=e.message, code=e.code)
    except DudaoError as e:
        status.update(status="failed", reason=e.message, code=e.code)
    except MemoryError:
        status.update(status="failed", reason="内存不足，文件过大或结构异常", code="memory")
    except RecursionError:
        status.update(status="failed", reason="文件结构嵌套过深，无法分析", code="too_deep")
    except OSError as e:
        status.update(status="failed", reason=f"无法写入分析结果：{e.strerror or e}", code="write_error")
    except Exception as e:  # a bug or an unforeseen file: reported, never a traceback on screen
        status.update(status="failed", reason=f"分析时出现内部错误（{type(e).__name__}），请将该文件反馈给开发者",
                      code="internal", detail="".join(traceback.format_exception_only(type(e), e)).strip()[:300])
    finally:
        MAX_CHARS.reset(budget)
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
    status["seconds"] = round(time.perf_counter() - t0, 3)
    return status


def timeout_reason(seconds: float) -> str:
    return f"处理超时（超过 {seconds:g} 秒），已停止分析此文件"


# --- resume ---------------------------------------------------------------------------------

def resume_split(jobs: list[Job]) -> tuple[list[dict], list[Job]]:
    """Statuses of jobs whose output JSON an earlier run left complete, and the jobs still to do.
    Outputs are written atomically, so an existing file is whole; it must name the same source."""
    done, todo = [], []
    for j in jobs:
        try:
            with open(j.out_path, encoding="utf-8") as f:
                result = json.load(f)
            if result.get("source") != j.item.source:
                raise ValueError("another input's result")
        except (TypeError, OSError, ValueError, KeyError):
            todo.append(j)
            continue
        st = {"source": j.item.source, "output": Path(j.out_path).name, **_status_of(result), "resumed": True}
        done.append(st)
    return done, todo


# --- many inputs ----------------------------------------------------------------------------

class _Stop:
    """Ctrl-C during a batch: the first sets a flag (the batch winds down and reports), a
    second one raises KeyboardInterrupt as usual."""

    def __init__(self):
        self.hit = False
        self.old = None

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            self.old = signal.signal(signal.SIGINT, self._handler)
        return self

    def _handler(self, signum, frame):
        if self.hit:
            raise KeyboardInterrupt
        self.hit = True

    def __exit__(self, *exc):
        if self.old is not None:
            signal.signal(signal.SIGINT, self.old)


def _interrupted(job: Job) -> dict:
    return {"source": job.item.source, "output": None, "status": "failed", "reason": INTERRUPTED,
            "code": "interrupted", "seconds": 0.0}


def run_batch(jobs: list[Job], jobs_n: int = 1, options: Options | None = None, progress=None,
              resume: bool = False):
    """Yield one status record per job as inputs finish (order of completion).

    resume=True reuses complete outputs of an interrupted run and analyses only the rest."""
    def emit(st):
        if progress:
            progress(st)
        return st

    if resume:
        done, jobs = resume_split(jobs)
        for st in done:
            yield emit(st)
    with _Stop() as stop:
        if jobs_n <= 1 or len(jobs) <= 1:
            for k, j in enumerate(jobs):
                if stop.hit:
                    for rest in jobs[k:]:
                        yield emit(_interrupted(rest))
                    return
                yield emit(run_one(j, options))
            return
        from dudao.workers import Pool
        seconds = limits(options)[0]
        with Pool(min(jobs_n, len(jobs)), options, seconds, max(5.0, seconds * 0.1), run_one=run_one,
                  interrupted=_interrupted, timeout_reason=timeout_reason) as pool:
            for st in pool.run(jobs, stop):
                yield emit(st)


def write_summary(out_dir: Path, statuses: list[dict], started: float, argv: list[str]) -> dict:
    from dudao.version import __version__
    counts = Counter(s["status"] for s in statuses)
    summary = {
        "tool": "dudao", "version": __version__,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(started)),
        "seconds": round(time.time() - started, 2),
        "command": [a.encode("utf-8", "replace").decode("utf-8") for a in argv],
        "counts": {"inputs": len(statuses), "ok": counts.get("ok", 0), "failed": counts.get("failed", 0),
                   "skipped": counts.get("skipped", 0),
                   "interrupted": sum(1 for s in statuses if s.get("code") == "interrupted"),
                   "reports": sum(s.get("reports", 0) for s in statuses),
                   "relevant_reports": sum(s.get("relevant", 0) for s in statuses)},
        "inputs": statuses,
    }
    atomic.write_text(out_dir / "summary.json", json.dumps(summary, ensure_ascii=False, indent=1))
    return summary
