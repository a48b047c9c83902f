"""Template gaps left unfilled: xx市, x%, 20xx年, ××县, ＊＊区, 20__年, ____ ."""
from __future__ import annotations

import re
from functools import lru_cache

from dudao.extract.anchored import first_strings, scan_from
from dudao.resources import load_yaml


@lru_cache(maxsize=1)
def _pattern():
    d = load_yaml("placeholders")
    x, star, units, suffixes = d["mask_chars"], d["star_chars"], d["units"], d["suffixes"]
    no_latin_before = r"(?<![A-Za-z0-9+\-_/.@])"
    no_latin_after = r"(?![A-Za-z0-9_])"
    pats = [
        r"(?:19|20)[" + x + r"]{2}\s*(?:年|学年|年度)?",                        # 20xx年
        r"20[0-9][" + x + r"]\s*(?:年|学年|年度)",                              # 202X年
        r"(?:19|20)_{2,}\s*年?",                                               # 20__年
        no_latin_before + r"[" + x + r"]{2,}" + no_latin_after + r"(?:" + suffixes + r")?",  # xx市, ××
        no_latin_before + r"[" + x + r"](?:\s*[-~—至]\s*[" + x + r"])?\s*(?:" + units + r")",  # x%, x名, x-x元
        r"[" + star + r"]{2,}\s*(?:" + suffixes + r")",                     # **区, ＊＊市
        r"_{3,}",                                                              # ____ blanks
        no_latin_before + r"[" + x + r"](?:" + suffixes + r")",            # x市
    ]
    # every alternative begins with 19/20 (a year), a mask or star character, or "_"; the
    # strings ("19x", "20_", "x") leave out the many 1s and 2s of other numbers
    rx = re.compile("|".join(f"(?:{p})" for p in pats))
    return rx, first_strings(rx) or re.compile("[12_" + x + star + "]")


def find_placeholders(text: str) -> list[dict]:
    out = []
    for m in scan_from(*_pattern(), text):
        s, e = m.start(), m.end()
        raw = text[s:e].rstrip()
        if not raw:
            continue
        out.append({"text": raw, "start": s, "end": s + len(raw)})
    return out
