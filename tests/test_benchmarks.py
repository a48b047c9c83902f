"""The benchmark scripts run (on tiny input); their figures are printed, never asserted."""
import subprocess
import sys

from conftest import ROOT


def test_extractor_benchmark_runs():
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "extractors.py"), "--tiny"],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    names = [line.split()[0] for line in r.stdout.splitlines()[1:5]]
    assert names == ["extract_indicators", "extract_meta", "extract_self_score", "find_region"]
    assert all(line.split()[-1].replace(",", "").isdigit() for line in r.stdout.splitlines()[1:5])
