"""Run the pipeline over many inputs: output names, no silent overwrite, parallel jobs, summary.

A failing input never stops the batch: it is listed in summary.json with a one-line Chinese
reason. Workers write their own JSON so the parent holds only small status records (memory
stays flat however many files there are).
"""
from __future__ import annotations

import json
import os
import time
import traceback
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from dudao.errors import DudaoError, UnsupportedInput


@dataclass
class Job:
    item: object        # dudao.ingest.InputItem (picklable)
    out_path: str | None


def output_names(items) -> list[str]:
    """Stem-based names; when two inputs share a stem, the full file name is used instead."""
    stems = Counter(Path(i.name).stem for i in items)
    names, used = [], Counter()
    for i in items:
        stem = Path(i.name).stem
        base = stem if stems[stem] == 1 else Path(i.name).name
        used[base] += 1
        if used[base] > 1:   # same full name twice (e.g. two folders): number them
            base = f"{base}.{used[base]}"
        names.append(base + ".json")
    return names


def existing_targets(out_dir: Path, names: list[str]) -> list[str]:
    return [n for n in names if (out_dir / n).exists()] + \
        (["summary.json"] if (out_dir / "summary.json").exists() else [])


def analyse_raw(raw, options=None) -> dict:
    """The one place batch code calls the analyser; the result as a contract dict."""
    from dudao.pipeline import analyze_raw
    r = analyze_raw(raw, options)
    return r if isinstance(r, dict) else r.model_dump(mode="json")


def run_one(job: Job, options: dict | None = None) -> dict:
    """Analyse one input and write its JSON; return a small status record. Never raises."""
    t0 = time.perf_counter()
    status = {"source": job.item.source, "output": Path(job.out_path).name if job.out_path else None}
    try:
        raw = job.item.load()
        result = analyse_raw(raw, options)
        if job.out_path:
            tmp = job.out_path + ".tmp"
            # Compact JSON: the C encoder is several times faster than the indenting one.
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(json.dumps(result, ensure_ascii=False, separators=(",", ":")))
            os.replace(tmp, job.out_path)
        status.update(status="ok", format=result["format"], encoding=result.get("encoding"),
                      reports=len(result["reports"]),
                      relevant=sum(1 for r in result["reports"] if r.get("relevant")),
                      chars=sum(len(r["text"]) for r in result["reports"]),
                      findings=sum(len(r.get("findings", [])) for r in result["reports"]))
        if not job.out_path:
            status["result"] = result
    except UnsupportedInput as e:
        status.update(status="skipped", reason=e.message, code=e.code)
    except DudaoError as e:
        status.update(status="failed", reason=e.message, code=e.code)
    except MemoryError:
        status.update(status="failed", reason="内存不足，文件过大或结构异常", code="memory")
    except Exception as e:  # a bug or an unforeseen file: reported, never a traceback on screen
        status.update(status="failed", reason=f"分析时出现内部错误（{type(e).__name__}），请将该文件反馈给开发者",
                      code="internal", detail="".join(traceback.format_exception_only(type(e), e)).strip()[:300])
    status["seconds"] = round(time.perf_counter() - t0, 3)
    return status


def _run_chunk(args):
    jobs, options = args
    return [run_one(j, options) for j in jobs]


def run_batch(jobs: list[Job], jobs_n: int = 1, options: dict | None = None, progress=None):
    """Yield status records as inputs finish (order of completion)."""
    if jobs_n <= 1 or len(jobs) <= 1:
        for j in jobs:
            st = run_one(j, options)
            if progress:
                progress(st)
            yield st
        return
    chunk = max(1, min(20, len(jobs) // (jobs_n * 8) or 1))
    chunks = [(jobs[i:i + chunk], options) for i in range(0, len(jobs), chunk)]
    with ProcessPoolExecutor(max_workers=jobs_n) as ex:
        for batch in ex.map(_run_chunk, chunks):
            for st in batch:
                if progress:
                    progress(st)
                yield st


def write_summary(out_dir: Path, statuses: list[dict], started: float, argv: list[str]) -> dict:
    from dudao import __version__
    counts = Counter(s["status"] for s in statuses)
    summary = {
        "tool": "dudao", "version": __version__,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(started)),
        "seconds": round(time.time() - started, 2),
        "command": argv,
        "counts": {"inputs": len(statuses), "ok": counts.get("ok", 0), "failed": counts.get("failed", 0),
                   "skipped": counts.get("skipped", 0),
                   "reports": sum(s.get("reports", 0) for s in statuses),
                   "relevant_reports": sum(s.get("relevant", 0) for s in statuses)},
        "inputs": statuses,
    }
    (out_dir / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return summary
