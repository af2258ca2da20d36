from __future__ import annotations

from pathlib import Path

import pytest
import yaml

CASES = Path(__file__).parent / "cases"


def load_cases(name: str) -> list[dict]:
    """Read one case file; each case becomes a pytest param named after its ``name``."""
    cases = yaml.safe_load((CASES / name).read_text(encoding="utf-8"))
    return [pytest.param(case, id=case["name"]) for case in cases]
