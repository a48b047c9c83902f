"""National standards: kept as an import path for older code; the rules live in dudao.semantics."""
from dudao.semantics import standard_rule  # noqa: F401
