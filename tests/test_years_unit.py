from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from yibao_lib import YibaoInputError, minimum_years_check

ON = date(2026, 6, 1)


def test_options_when_short_are_explained_with_sources():
    r = minimum_years_check("北京", "女", 18, on=ON)
    assert not r.met and r.short_total == Decimal(2)
    titles = " ".join(o.title for o in r.options)
    assert "一次性补缴" in titles and "继续" in titles and "居民医保" in titles
    assert all(o.explanation and o.sources for o in r.options)


def test_no_options_when_met():
    assert minimum_years_check("北京", "male", 26, on=ON).options == ()


def test_fallback_says_there_is_no_national_number():
    r = minimum_years_check("拉萨", "女", 25, on=ON)  # nothing found for 西藏 (audit 2026-12)
    assert r.met and r.estimated and r.fallback and r.confidence == "seed"
    assert any("没有统一" in s for s in r.steps)
    assert r.steps[0].startswith("未收录到拉萨市、西藏自治区的地方规定")


def test_missing_local_years_is_assumed_and_flagged():
    r = minimum_years_check("湖南", "男", 30, on="2025-06-01")
    assert r.required_local == Decimal(12) and r.met and r.estimated
    assert any("假设" in n for n in r.notes)
    assert "湖南省的本地年限逐年调整：2028年1月1日起为15年。" in r.steps


def test_whose_rule_is_the_first_step():
    assert minimum_years_check("株洲", "女", 25, on=ON).steps[0] == (
        "株洲市没有单独的规定，按湖南省的规定（2026年1月1日至2026年12月31日）。"
    )
    assert minimum_years_check("北京", "女", 25, on=ON).steps[0] == "按北京市的规定（起始日期不详）。"
    district = minimum_years_check("朝阳区（北京市）", "女", 25, on=ON)
    assert district.steps[0] == "朝阳区属北京市，按北京市的规定（起始日期不详）。"
    assert district.rule_region.code == "110000" and district.required_total == Decimal(20)


def test_actual_years_keyword_works_beside_the_old_one():
    old = minimum_years_check("北京", "男", 20, deemed_years=5, on=ON)
    new = minimum_years_check("北京", "男", actual_years=20, deemed_years=5, on=ON)
    assert old == new and new.met and new.actual_years == Decimal(20)
    assert new.required_actual is None and new.short_actual is None


@pytest.mark.parametrize(
    "kwargs",
    [dict(total_years=-1), dict(total_years="abc"), dict(total_years=10, local_years=12),
     dict(total_years=10, deemed_years=-2), dict(total_years=200), dict(total_years=10.123),
     dict(), dict(total_years=10, actual_years=11), dict(actual_years=10, local_years=11)],
)  # fmt: skip
def test_bad_years(kwargs):
    with pytest.raises(YibaoInputError):
        minimum_years_check("北京", "男", on=ON, **kwargs)


def test_half_years_are_fine():
    r = minimum_years_check("北京", "男", "24.5", on=ON)
    assert r.short_total == Decimal("0.5")
