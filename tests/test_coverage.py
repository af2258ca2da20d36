"""Coverage of the country: every place is found, and the share of prefecture-level divisions
that get a yuan figure without the user typing anything never falls below what the data reached."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from yibao_lib.coverage import KINDS, coverage_rows, render, summary_line

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "coverage.md"
# What the data reached when docs/coverage.md was last generated (2026-12-03: 333 of 333 with a
# figure, 127 of them not estimates); raise these, never lower them. The floor is 90%.
MIN_WITH_FIGURE = 1.0
MIN_NOT_ESTIMATED = 127


def _doc_settings() -> tuple[int, str]:
    match = re.search(r"--age (\d+) --on (\d{4}-\d{2}-\d{2})", DOC.read_text(encoding="utf-8"))
    assert match, "docs/coverage.md must say how it was generated"
    return int(match.group(1)), match.group(2)


def test_docs_coverage_is_the_output_for_the_committed_data():
    age, day = _doc_settings()
    rows = coverage_rows(age, day)
    expected = render(rows, age, date.fromisoformat(day))
    assert DOC.read_text(encoding="utf-8") == expected, (
        f"run: python -m yibao_lib.coverage --age {age} --on {day} > docs/coverage.md"
    )


def test_at_least_the_share_the_data_reached_gets_a_figure():
    age, day = _doc_settings()
    rows = coverage_rows(age, day)
    assert len(rows) == 333
    share = sum(row.has_figure for row in rows) / len(rows)
    assert share >= max(MIN_WITH_FIGURE, 0.90), summary_line(rows)
    assert sum(row.has_figure and not row.estimated for row in rows) >= MIN_NOT_ESTIMATED


def test_every_other_place_says_exactly_what_is_missing():
    age, day = _doc_settings()
    for row in coverage_rows(age, day):
        assert row.kind in KINDS
        if not row.has_figure:
            assert "还没有收录" in row.detail and "请输入" in row.detail and "平均养老金" in row.detail
        else:
            assert row.rule_region is not None and row.confidence and row.detail
            if row.kind.endswith("estimate"):
                assert row.estimated
