"""Where a learned model of `dudao rectify` is found: the shipped file, or another one for a while."""
from __future__ import annotations

import json
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from dudao.resources import load_yaml


class ModelSlot:
    """The model in `dudao/data/<name>.yaml` or `.json` (written by scripts/train_rectify_model.py), or one set
    with `using` (e.g. for leave-one-set-out); without the file, None: the rules decide alone. Large models
    are JSON: the verifier's 700 trees read from YAML take over a second, from JSON a fiftieth."""

    def __init__(self, name: str, build, suffix: str = ".yaml"):
        self.path = Path(__file__).resolve().parents[1] / "data" / f"{name}{suffix}"
        self._name, self._build, self._override = name, build, []
        self.shipped = lru_cache(maxsize=1)(self._load)

    def _load(self):
        if not self.path.is_file():
            return None
        if self.path.suffix == ".json":
            return self._build(json.loads(self.path.read_text(encoding="utf-8")))
        return self._build(load_yaml(self._name))

    @contextmanager
    def using(self, model):
        self._override.append(model)
        try:
            yield
        finally:
            self._override.pop()

    def active(self):
        return self._override[-1] if self._override else self.shipped()
