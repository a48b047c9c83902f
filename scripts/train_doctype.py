"""Learn dudao/data/doctype_model.yaml from the team's training texts (tests/fixtures/doctype_train.yaml).

Usage: python scripts/train_doctype.py
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dudao.atomic import write_text  # noqa: E402
from dudao.doctype_train import train  # noqa: E402

TRAIN = ROOT / "tests" / "fixtures" / "doctype_train.yaml"
MODEL = ROOT / "dudao" / "data" / "doctype_model.yaml"


def training_samples() -> list[tuple[str, str]]:
    data = yaml.safe_load(TRAIN.read_text(encoding="utf-8"))
    return [(text, t) for t, texts in data.items() for text in texts]


def main() -> int:
    samples = training_samples()
    model = train(samples)
    head = ("# Learned by scripts/train_doctype.py from tests/fixtures/doctype_train.yaml (texts the team wrote);\n"
            f"# {len(samples)} texts. Do not edit by hand: edit the cues or the texts and retrain.\n")
    write_text(MODEL, head + yaml.safe_dump(model, allow_unicode=True, sort_keys=True, width=120))
    print(f"已写入 {MODEL.relative_to(ROOT)}：{len(samples)} 篇训练文本，{len(model['weights'])} 个特征")
    return 0


if __name__ == "__main__":
    sys.exit(main())
