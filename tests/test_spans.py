from hypothesis import given, settings, strategies as st

from dudao.clean import clean
from dudao.spans import OffsetMap, TextBuilder


def test_builder_maps_copies_and_inserts():
    src = "甲乙丙丁戊己"
    b = TextBuilder(src)
    b.copy(0, 2)
    b.insert("\n", 2)
    b.copy(4, 6)
    text, m = b.build()
    assert text == "甲乙\n戊己"
    assert [m.to_source(i) for i in range(len(text))] == [0, 1, 2, 4, 5]


lines = st.lists(st.text(alphabet="教育督导xX1２ 　\t，。%\ufffd[]bookmark:_GoBack", min_size=0, max_size=40),
                 min_size=0, max_size=30)


@settings(max_examples=200, deadline=None)
@given(lines)
def test_clean_text_round_trips_to_source(parts):
    raw = "\n".join(parts)
    doc = clean(raw)
    for i, ch in enumerate(doc.text):
        j = doc.map.to_source(i)
        if ch not in "\n ":
            assert raw[j] == ch, (i, j)
