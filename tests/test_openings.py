"""Openings and other documents of the genre (our own invented texts in fixtures/openings):
the type comes from the title, and an opening is not judged for the parts it does not reach."""
from pathlib import Path

import pytest

from dudao.pipeline import analyze_text

DIR = Path(__file__).parent / "fixtures" / "openings"

EXPECTED = {
    "a_feedback.txt": {"doc_type": "feedback", "relevant": False},
    "b_rect.txt": {"doc_type": "rectification", "relevant": False},
    "c_scheme.txt": {"doc_type": "scheme", "relevant": False},
    "d_news.txt": {"doc_type": "news", "relevant": False},
    "e_school.txt": {"doc_type": "school_self_report", "relevant": False},
    "f_opening.txt": {"doc_type": "self_report", "relevant": True, "region": ("邵东市", "430582"),
                      "work_year": 2022, "round_year": 2023, "issuer": "邵东市人民政府",
                      "scheme_refs": ["邵教督委〔2023〕2号"], "total": 92.6},
    "g_opening2.txt": {"doc_type": "self_report", "relevant": True, "region": ("祁连县", "632222"),
                       "work_year": 2020, "issuer": "祁连县人民政府", "grade": "良好", "points_count": 35,
                       "publish_date": "2021-04-16"},
    "h.txt": {"doc_type": "self_report", "relevant": True, "region": ("宜良县", "530125"), "work_year": 2022,
              "round_year": 2023, "scheme_refs": ["云教督办〔2023〕5号"], "total": 92.35, "base": 91.35, "bonus": 1,
              "grade": "良好", "points_count": 48},
    "i.txt": {"doc_type": "self_report", "relevant": True, "region": None, "work_year": 2021, "round_year": 2022,
              "placeholder": True},
    "j.txt": {"doc_type": "self_report", "relevant": True, "region": ("甘肃省", "620000"), "work_year": 2021},
    "k.txt": {"doc_type": "self_report", "relevant": True, "region": ("朝阳区", "110105"), "work_year": 2022},
    # 鼓楼区 is in 南京, 徐州 and 福州: nothing in the text says which, so no adcode is guessed.
    "l.txt": {"doc_type": "self_report", "relevant": True, "region": ("鼓楼区", None), "work_year": 2021},
    # a page pasted as text: breadcrumb, publication line, font-size bar, editor, QR-code line
    "m_webpage.txt": {"doc_type": "self_report", "relevant": True, "region": ("临泽县", "620723"), "work_year": 2021,
                      "issuer": "临泽县人民政府", "clean_start": "临泽县人民政府", "clean_end": "各级各类学校43所。"},
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_opening(name):
    want = EXPECTED[name]
    reports = analyze_text((DIR / name).read_text(encoding="utf-8"))["reports"]
    assert len(reports) == 1
    r = reports[0]
    if "clean_start" in want:
        assert r["text"].startswith(want["clean_start"]) and r["text"].endswith(want["clean_end"])
    assert r["doc_type"] == want["doc_type"] and r["relevant"] == want["relevant"]
    codes = {f["code"] for f in r["findings"]}
    if not want["relevant"]:
        assert codes == set()   # a standalone page: its doc_type says what it is
        return
    # An opening does not show whether problems or measures follow: no absence findings.
    assert not codes & {"missing_problems", "missing_section", "later_events"}, codes
    assert ("placeholder" in codes) == want.get("placeholder", False)
    region = r["region"] and (r["region"]["name"], r["region"]["adcode"])
    assert region == want["region"]
    for key in ("work_year", "round_year", "issuer", "scheme_refs", "publish_date"):
        if key in want:
            assert r[key] == want[key], key
    for key in ("total", "base", "bonus", "grade", "points_count"):
        if key in want:
            assert r["self_score"][key] == want[key], key
