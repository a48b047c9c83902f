"""--jobs workers must not re-run the parent's main script (for the `dudao` console script that
would import the whole CLI once more in every worker)."""
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = textwrap.dedent("""
    import sys
    from pathlib import Path
    marker = Path(sys.argv[1]) / "main_ran_in_worker"
    if __name__ == "__mp_main__":   # spawn re-running this file in a child
        marker.write_text("x")
    if __name__ == "__main__":
        from dudao.batch import Job, run_batch
        from dudao.ingest import iter_inputs
        docs = Path(sys.argv[1]) / "docs"
        docs.mkdir()
        for i in range(3):
            (docs / f"{i}.txt").write_text("丰和县自评报告\\n2021年全县新增学位%d个。\\n" % (i + 5), encoding="utf-8")
        statuses = list(run_batch([Job(it, None) for it in iter_inputs([str(docs)])], 2))
        print(sorted(s["status"] for s in statuses), sorted(s["result"]["source"] for s in statuses))
        print(getattr(sys.modules["__main__"], "__file__", None) == __file__)   # its main module is back
""")


def test_workers_do_not_rerun_main_script(tmp_path):
    script = tmp_path / "main.py"
    script.write_text(SCRIPT, encoding="utf-8")
    out = subprocess.run([sys.executable, str(script), str(tmp_path)], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert lines[0].startswith("['ok', 'ok', 'ok']"), out.stdout
    assert "0.txt" in lines[0] and "2.txt" in lines[0]
    assert lines[1] == "True"
    assert not (tmp_path / "main_ran_in_worker").exists()
