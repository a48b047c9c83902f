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


def test_review_scale_corpus_ids_are_dudaos_and_recall_counts_pairs(tmp_path):
    """benchmarks/review_scale.py scores summary.json by report id: the ids it derives from the
    written files must be the ones dudao assigns (the CLI run itself is too slow for a test)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import dudao
    from review_scale import recall, write_corpus
    ids, injections, chars = write_corpus(30, 13, tmp_path)
    assert len(ids) == 30 and injections and chars > 30 * 8000
    assert dudao.analyze_path(tmp_path / "r00000.txt")[0].id == ids[0]
    r, src = injections[0][:2]
    hit = {"copy_pairs": [{"a": ids[src], "b": ids[r], "passages": 2, "boilerplate_passages": 1}]}
    boiler = {"copy_pairs": [{"a": ids[src], "b": ids[r], "passages": 1, "boilerplate_passages": 1}]}
    assert recall(hit, ids, injections[:1]) == 1.0
    assert recall(boiler, ids, injections[:1]) == 0.0
