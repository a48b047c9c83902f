"""A brief fuzz run inside `make test` (issue 14): the decoder, every reader and the analysis.

The hour-long run is `python scripts/fuzz.py --minutes 60` (see docs/hostile.md). Here hypothesis
drives the same mutator over the same seeds for a few dozen inputs per target: only DudaoError may
come out.
"""
import random
import subprocess
import sys
from functools import lru_cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from dudao.batch import analyse_raw
from dudao.errors import DudaoError
from dudao.ingest import load_bytes
from dudao.ingest.text import decode_bytes

sys.path.insert(0, str(ROOT / "scripts"))
import fuzz  # noqa: E402

FAST = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


@lru_cache(maxsize=1)
def _seeds():
    return fuzz.seeds()


def _mutant(k, seed):
    pool = _seeds()
    name, data = pool[k % len(pool)]
    return name, fuzz.mutate(random.Random(seed), data, pool)


@FAST
@given(st.binary(max_size=4096))
def test_decoder_never_crashes(data):
    try:
        text, enc = decode_bytes(data)
    except DudaoError:
        return
    assert isinstance(text, str) and enc


@FAST
@given(st.integers(0, 10_000), st.integers(0, 2**32))
def test_readers_never_crash(k, seed):
    name, data = _mutant(k, seed)
    try:
        load_bytes(data, name)
    except DudaoError:
        pass


@FAST
@given(st.integers(0, 10_000), st.integers(0, 2**32))
def test_zip_members_never_crash(k, seed):
    fuzz.run_target("zip", _mutant(k, seed)[1], "x.zip")   # raises on anything but DudaoError


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet=st.sampled_from(list("一二三、，。：；（）()%．.0123456789年月日县区市省教育经费学校学生教师"
                                             "元万亿个所名人增长达到\n \t\u3000\ufffe\ufffd版权所有www.x.cn")),
               max_size=600))
def test_analysis_never_crashes(text):
    from dudao.ingest.base import RawDoc
    if not text.strip():
        return
    result = analyse_raw(RawDoc(source="fuzz", format="txt", text=text))
    for r in result["reports"]:
        for f in r.get("findings", []):
            assert 0 <= f["start"] <= f["end"] <= len(r["text"])


def test_fuzz_script_runs_clean(tmp_path):
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "fuzz.py"), "--seconds", "8", "--chunk", "8",
                        "--seed", "14", "--out", str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert '"tried"' in r.stdout
