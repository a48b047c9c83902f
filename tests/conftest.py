import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DUDAO_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "corpus" / "gold"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def seeds_dir():
    if not SEEDS.is_dir():
        pytest.skip("../shared/corpus/seeds 不存在，跳过依赖真实样本的测试")
    return SEEDS


@pytest.fixture(scope="session")
def gold_dir():
    if not GOLD.is_dir():
        pytest.skip("../shared/corpus/gold 不存在")
    return GOLD


@pytest.fixture(scope="session")
def seed_texts(seeds_dir):
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))}
