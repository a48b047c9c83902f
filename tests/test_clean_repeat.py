"""The duplicate-copy check's shingle ratios (vectorised) against a plain set of every shingle."""
import random

from dudao.clean import K, _repeat_ratios


def _reference(norms):
    seen, out = set(), []
    for norm in norms:
        shingles = {norm[i:i + K] for i in range(max(0, len(norm) - K + 1))}
        out.append(len(shingles & seen) / len(shingles) if shingles else 0.0)
        seen |= shingles
    return out


def test_repeat_ratios_match_plain_sets():
    rng = random.Random(7)
    for _ in range(2000):
        alphabet = "教育督导县ab\U0001F600\ud800"[:rng.randint(1, 9)]
        norms = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
                 for _ in range(rng.randint(0, 12))]
        assert _repeat_ratios(norms) == _reference(norms), norms


def test_repeat_ratios_examples():
    a, b = "全县义务教育巩固率达到百分之九十八", "新增学前教育学位三千二百个"
    # a block repeated later is wholly seen before; a shingle inside one block does not count
    assert _repeat_ratios([a, b, a]) == [0.0, 0.0, 1.0]
    assert _repeat_ratios(["甲" * 20]) == [0.0]
    assert _repeat_ratios([]) == []
    assert _repeat_ratios(["短", "短"]) == [0.0, 0.0]
    half = _repeat_ratios([a, a[:12] + b])[1]
    assert half == len({(a[:12] + b)[i:i + K] for i in range(5)}) / (len(a[:12] + b) - K + 1)


def test_block_norms_equal_norm_of_each_block():
    """The vectorised norms equal _norm over each block's lines, including characters past
    U+FFFF, lone surrogates, private-use glyphs and lines left out between blocks."""
    import random

    from dudao.clean import _block_norms, _blocks, _lines, _norm_block
    rng = random.Random(8)
    pool = "ab中文１٣_ \t。，\ufffd\ue001\ud800\U00020000\U0001F600" + "\n" * 4
    for _ in range(400):
        raw = "".join(rng.choice(pool) for _ in range(rng.randint(0, 150)))
        lines = [(s, e) for s, e in _lines(raw) if raw[s:e].strip() and rng.random() < 0.8]
        blocks = _blocks(raw, lines)
        assert _block_norms(raw, blocks) == [_norm_block(raw, b) for b in blocks], raw
