from __future__ import annotations

from decimal import Decimal

import pytest

from yibao_lib import YibaoInputError, minimum_years_check


def test_options_when_short_are_explained_with_sources():
    r = minimum_years_check("北京", "女", 18)
    assert not r.met and r.short_total == Decimal(2)
    titles = " ".join(o.title for o in r.options)
    assert "一次性补缴" in titles and "继续" in titles and "居民医保" in titles
    assert all(o.explanation and o.sources for o in r.options)


def test_no_options_when_met():
    assert minimum_years_check("北京", "male", 26).options == ()


def test_fallback_says_there_is_no_national_number():
    r = minimum_years_check("天津", "女", 25)
    assert r.met and r.estimated and r.confidence == "seed"
    assert any("没有统一" in s for s in r.steps)


def test_missing_local_years_is_assumed_and_flagged():
    r = minimum_years_check("湖南", "男", 30, on="2025-06-01")
    assert r.required_local == Decimal(12) and r.met and r.estimated
    assert any("假设" in n for n in r.notes)


@pytest.mark.parametrize(
    "kwargs",
    [dict(total_years=-1), dict(total_years="abc"), dict(total_years=10, local_years=12),
     dict(total_years=10, deemed_years=-2), dict(total_years=200), dict(total_years=10.123)],
)  # fmt: skip
def test_bad_years(kwargs):
    with pytest.raises(YibaoInputError):
        minimum_years_check("北京", "男", **kwargs)


def test_half_years_are_fine():
    r = minimum_years_check("北京", "男", "24.5")
    assert r.short_total == Decimal("0.5")
