"""Domain data (vocabularies, standards, catalogues, schemes) lives in YAML under dudao/data."""
from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import yaml

from dudao.errors import ConfigError


# libyaml's loader builds the same data about nine times faster (start-up of every process)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=None)
def load_yaml(name: str):
    """Load dudao/data/<name>.yaml (cached; treat the result as read-only)."""
    path = files("dudao") / "data" / f"{name}.yaml"
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)


def load_user_yaml(path: str | Path):
    """Load a YAML file named by the user, with a Chinese error when it cannot be read."""
    p = Path(path)
    try:
        return yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"找不到配置文件：{p}")
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise ConfigError(f"配置文件格式有误：{p}（{type(e).__name__}）")
