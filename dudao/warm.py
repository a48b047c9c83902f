"""Load the vocabularies, compiled patterns and region table before the first real file.

Everything the analysis needs is built on first use and cached per process. On Linux the
forkserver that `--jobs` workers and the platform's analysis child are forked from warms once at
start (`dudao.prewarm`, see dudao/workers.py), so a worker starts warm; a spawned worker (other
systems, DUDAO_WORKER_START=spawn) warms up before its first file. Either way the first file's
time limit measures the file, not the start-up.
"""
from __future__ import annotations

import os

# A short report of our own that reaches every stage (title, region, heading, figures, plans).
_SAMPLE = ("丰和县人民政府关于2021年度履行教育职责情况的自评报告\n"
           "一、基本情况\n"
           "2021年，全县学前三年毛入园率达到91.2%，新增学位320个，"
           "义务教育巩固率为98.5%，到2025年普惠性幼儿园覆盖率达到90%以上。\n"
           "二、存在问题\n大班额问题仍然存在。\n")


_warmed = False   # inherited by forks of a warmed process: they need not run the sample again


def warm() -> None:
    """Run the whole pipeline (figures on) over a short sample, once per process (a fork of a
    warmed process counts as warmed); errors are left to the real run."""
    global _warmed
    if _warmed:
        return
    _warmed = True
    # Only worker processes warm (the forkserver, spawned workers). The analysis uses numpy for
    # integer scans, never BLAS, and the workers already share the cores: one OpenBLAS thread,
    # so importing numpy starts no pool whose threads spin idle (~0.1 CPU-s per process,
    # benchmarks/throughput.py). A value the user set is kept.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from dudao.pipeline import analyze_text
    try:
        analyze_text(_SAMPLE, options={"figures": True})
    except Exception:  # warming is an optimisation; a real input reports any failure properly
        pass
